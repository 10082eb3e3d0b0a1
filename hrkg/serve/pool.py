"""The front's side of the engine (:mod:`hrkg.serve.engine`): start it and check its walls,
keep its workers, give each query to an idle worker within the timeout, replace a worker
that overruns or dies, hold large results for slow clients within a total budget, and move
to a new build when ``.hrkg/current`` switches."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hrkg.errors import HrkgError, StoreError
from hrkg.graph.store import current_store
from hrkg.serve.sparql import Limits
from hrkg.serve.wire import areceive, asend, receive, send

__all__ = [
    "Settings",
    "Answer",
    "QueryFailed",
    "EngineError",
    "Engine",
    "Pool",
    "timeout_message",
    "too_large_message",
]

log = logging.getLogger("hrkg.serve")
_MB = 1_000_000


@dataclass(frozen=True)
class Settings:
    workers: int = 2
    timeout: float = 30.0
    max_result: int = 64 * _MB  # one result
    memory: int = 2048 * _MB  # what one worker may allocate for a query
    stack: int = 512 * 1024 * 1024  # the evaluating thread's stack
    buffer: int = 1024 * _MB  # all results waiting for their clients, together
    limits: Limits = field(default_factory=Limits)


class EngineError(HrkgError):
    """The engine could not start (or could not wall itself in): nothing is served."""


class QueryFailed(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def timeout_message(timeout: float) -> str:
    return f"the query was stopped at the timeout of {timeout:g} s; narrow it or add LIMIT"


def too_large_message(cap: int) -> str:
    return (
        f"the result is larger than this server's cap of {cap // _MB} MB; add LIMIT or "
        "narrow the query"
    )


class Budget:
    """Bytes held for clients, all responses together."""

    def __init__(self, limit: int) -> None:
        self.limit, self.used = limit, 0

    def take(self, n: int) -> bool:
        if self.used + n > self.limit:
            return False
        self.used += n
        return True

    def give(self, n: int) -> None:
        self.used -= n


class Answer:
    """A result ready for its client: bytes, or an open file in the spool (already unlinked).
    ``close`` gives its bytes back to the budget."""

    def __init__(
        self, ctype: str, size: int, budget: Budget, body: bytes = b"", fd: int | None = None
    ) -> None:
        self.ctype, self.size, self.body, self.fd = ctype, size, body, fd
        self._budget: Budget | None = budget

    def chunks(self, n: int = 256 * 1024) -> Iterator[bytes]:
        if self.fd is None:
            yield self.body
            return
        offset = 0
        while offset < self.size:
            data = os.pread(self.fd, min(n, self.size - offset), offset)
            if not data:
                break
            offset += len(data)
            yield data

    def close(self) -> None:
        if self._budget is not None:
            self._budget.give(self.size)
            self._budget = None
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


@dataclass
class _Worker:
    pid: int
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter


class Engine:
    """One engine process on one built store, and its workers."""

    def __init__(self, path: Path, settings: Settings, spool: Path) -> None:
        self.path, self.settings, self.spool = path, settings, spool
        self.proc: subprocess.Popen[bytes] | None = None
        self.quads = 0
        self.seconds = 0.0
        self._control: socket.socket | None = None
        self._idle: deque[_Worker] = deque()
        self._waiting: deque[asyncio.Future[_Worker]] = deque()
        self._busy: set[int] = set()
        self._exits: dict[int, dict[str, Any]] = {}
        self._exit_waiters: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._ready: asyncio.Future[dict[str, Any]] | None = None
        self._send_lock = threading.Lock()
        self._stopping = False
        self.workers = 0

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        probe_hits = 0

        async def hit(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            nonlocal probe_hits
            probe_hits += 1
            writer.close()

        probe = await asyncio.start_server(hit, "127.0.0.1", 0)
        port = probe.sockets[0].getsockname()[1]
        ours, theirs = socket.socketpair()
        config = {
            "store": str(self.path),
            "spool": str(self.spool),
            "probe": port,
            "memory": self.settings.memory,
            "stack": self.settings.stack,
            "max_bytes": self.settings.max_result,
            "fd": theirs.fileno(),
        }
        self._ready = loop.create_future()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "hrkg.serve.engine", json.dumps(config)],
                stdin=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
            )
        finally:
            theirs.close()
        self._control = ours
        threading.Thread(
            target=self._read_control, args=(loop,), daemon=True, name=f"engine-{self.proc.pid}"
        ).start()
        try:
            ready = await self._ready
        finally:
            probe.close()
        if "failed" in ready:
            self.stop()
            raise EngineError(f"the engine could not start on {self.path}: {ready['failed']}")
        if probe_hits:
            self.stop()
            raise EngineError(
                "the engine reached the probe listener: outbound connections "
                "are possible, so nothing is served"
            )
        self.quads, self.seconds = ready["quads"], ready["seconds"]
        for _ in range(self.settings.workers):
            self._fork()
        while len(self._idle) < self.settings.workers:
            if self.proc.poll() is not None:
                raise EngineError(f"the engine stopped (exit {self.proc.returncode})")
            await asyncio.sleep(0.01)

    # -- the control channel (a thread: descriptors arrive with its messages) -------------
    def _read_control(self, loop: asyncio.AbstractEventLoop) -> None:
        assert self._control is not None
        while True:
            try:
                head, _, fds = receive(self._control)
            except (EOFError, OSError, ValueError):
                head, fds = {"failed": "the engine closed its channel", "eof": True}, []
            try:
                loop.call_soon_threadsafe(self._on_control, head, fds)
            except RuntimeError:  # the loop is closed: we are stopping
                for fd in fds:
                    os.close(fd)
                return
            if head.get("eof"):
                return

    def _on_control(self, head: dict[str, Any], fds: list[int]) -> None:
        if (
            self._ready is not None
            and not self._ready.done()
            and ("ready" in head or "failed" in head)
        ):
            self._ready.set_result(head)
            return
        if "worker" in head:
            asyncio.get_running_loop().create_task(self._adopt(head["worker"], fds[0]))
        elif "exited" in head:
            pid = head["exited"]
            self._exits[pid] = head
            waiter = self._exit_waiters.pop(pid, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(head)
        elif head.get("eof") and not self._stopping:
            log.error(
                "hrkg: engine %s stopped unexpectedly (exit %s)",
                self.proc.pid if self.proc else "?",
                self.proc.poll() if self.proc else "?",
            )
            for fut in self._waiting:
                if not fut.done():
                    fut.set_exception(QueryFailed(503, "the engine stopped; retry"))

    def _fork(self) -> None:
        assert self._control is not None
        with self._send_lock:
            send(self._control, {"fork": 1})

    async def _adopt(self, pid: int, fd: int) -> None:
        sock = socket.socket(fileno=fd)
        reader, writer = await asyncio.open_connection(sock=sock, limit=1 << 20)
        self.workers += 1
        self.release(_Worker(pid, reader, writer))

    # -- workers --------------------------------------------------------------------------
    async def acquire(self, deadline: float) -> _Worker:
        if self._idle:
            worker = self._idle.popleft()
        else:
            fut: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
            self._waiting.append(fut)
            try:
                async with asyncio.timeout_at(deadline):
                    worker = await fut
            except TimeoutError:
                if fut.done() and not fut.cancelled() and fut.exception() is None:
                    self.release(fut.result())
                raise QueryFailed(
                    503,
                    f"the server is busy: all {self.settings.workers} "
                    f"query workers stayed busy for "
                    f"{self.settings.timeout:g} s; retry later",
                ) from None
            finally:
                if fut in self._waiting:
                    self._waiting.remove(fut)
        self._busy.add(worker.pid)
        return worker

    def release(self, worker: _Worker) -> None:
        self._busy.discard(worker.pid)
        while self._waiting:
            fut = self._waiting.popleft()
            if not fut.done():
                self._busy.add(worker.pid)
                fut.set_result(worker)
                return
        self._idle.append(worker)

    def discard(self, worker: _Worker, kill: bool) -> None:
        """Take ``worker`` out of service (killing it if asked) and fork its replacement."""
        self._busy.discard(worker.pid)
        self.workers -= 1
        worker.writer.close()
        if kill:
            try:
                os.kill(worker.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if not self._stopping:
            self._fork()

    async def post_mortem(self, worker: _Worker) -> tuple[str, str]:
        """Why ``worker`` ended: ("memory" | "crash", what it printed)."""
        loop = asyncio.get_running_loop()
        if worker.pid not in self._exits:
            fut = loop.create_future()
            self._exit_waiters[worker.pid] = fut
            try:
                async with asyncio.timeout(5):
                    await fut
            except TimeoutError:
                pass
        status = self._exits.pop(worker.pid, {})
        err_file = self.spool / f"worker-{worker.pid}.err"
        try:
            printed = err_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            printed = ""
        # a panic's message heads its output; the backtrace after it is noise in a log
        printed = "\n".join(line for line in printed.splitlines()[:6] if not line.startswith(" "))
        self.cleanup(worker.pid)
        kind = "memory" if "memory allocation of" in printed or status.get("code") == 3 else "crash"
        how = f"signal {status['signal']}" if status.get("signal") else f"exit {status.get('code')}"
        return kind, f"{how}; it printed: {printed.strip()[:600] or 'nothing'}"

    def cleanup(self, pid: int) -> None:
        for leftover in self.spool.glob(f"{pid}-*.out"):
            leftover.unlink(missing_ok=True)
        (self.spool / f"worker-{pid}.err").unlink(missing_ok=True)

    @property
    def busy(self) -> int:
        return len(self._busy)

    def stop(self) -> None:
        self._stopping = True
        for worker in self._idle:
            worker.writer.close()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._control is not None:
            self._control.close()


class Pool:
    """The engine in service, and the one that replaces it when a new build appears."""

    def __init__(self, root: Path, settings: Settings) -> None:
        self.root, self.settings = root, settings
        self.spool = Path(tempfile.mkdtemp(prefix="hrkg-serve-"))
        self.budget = Budget(settings.buffer)
        self.engine: Engine | None = None
        self.generation = 0  # counts builds served: the pages cache by it
        self._failed: Path | None = None

    async def start(self) -> None:
        engine = Engine(current_store(self.root), self.settings, self.spool)
        await engine.start()
        self.engine = engine
        log.info(
            "hrkg: serving %s: %s quads in memory, loaded in %.1f s; %d workers, "
            "no network (seccomp, checked)",
            engine.path,
            engine.quads,
            engine.seconds,
            self.settings.workers,
        )

    async def query(
        self,
        text: str,
        accept: str,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> Answer:
        """Run a query (already through :func:`hrkg.serve.sparql.prepare`) for a client."""
        engine = self.engine
        assert engine is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.timeout
        worker = await engine.acquire(deadline)
        head = {
            "accept": accept,
            "max_bytes": self.settings.max_result,
            "default_graph": default_graph or [],
            "named_graphs": named_graphs or [],
        }
        try:
            async with asyncio.timeout_at(deadline):
                await asend(worker.writer, head, text.encode("utf-8"))
                reply, body = await areceive(worker.reader)
        except TimeoutError:
            engine.discard(worker, kill=True)
            log.warning(
                "hrkg: a query overran %g s: worker %d stopped, another forked",
                self.settings.timeout,
                worker.pid,
            )
            raise QueryFailed(504, timeout_message(self.settings.timeout)) from None
        except (asyncio.IncompleteReadError, ConnectionError, OSError, ValueError):
            engine.discard(worker, kill=True)
            kind, detail = await engine.post_mortem(worker)
            if kind == "memory":
                log.warning(
                    "hrkg: worker %d ran out of its memory limit (%d MB) and ended; "
                    "another forked (%s)",
                    worker.pid,
                    self.settings.memory // _MB,
                    detail,
                )
                raise QueryFailed(
                    422,
                    f"the query needs more memory than this server gives "
                    f"one query ({self.settings.memory // _MB} MB); "
                    "narrow it or add LIMIT",
                ) from None
            log.error(
                "hrkg: CRASH: worker %d ended while evaluating a query (%s); another "
                "forked. The query: %s",
                worker.pid,
                detail,
                text[:500],
            )
            raise QueryFailed(
                500, "the query crashed its worker process, which was replaced; the crash is logged"
            ) from None
        except asyncio.CancelledError:
            engine.discard(worker, kill=True)
            raise
        engine.release(worker)
        status = reply["status"]
        if status != 200:
            message = (
                too_large_message(self.settings.max_result)
                if status == 422 and reply.get("message") == "too large"
                else reply.get("message", "")
            )
            raise QueryFailed(status, message)
        size = reply["size"]
        fd = None
        if "file" in reply:
            path = self.spool / reply["file"]
            fd = os.open(path, os.O_RDONLY)
            path.unlink()
        if not self.budget.take(size):
            if fd is not None:
                os.close(fd)
            raise QueryFailed(
                503,
                f"the server holds {self.budget.used // _MB} MB of results "
                "for clients still reading them; retry later",
            )
        return Answer(reply["type"], size, self.budget, body, fd)

    async def watch(self, every: float = 1.0) -> None:
        """Move to a new build when ``current`` switches, without dropping a query."""
        while True:
            await asyncio.sleep(every)
            try:
                target = current_store(self.root)
            except StoreError:
                continue
            assert self.engine is not None
            if target == self.engine.path or target == self._failed:
                continue
            log.info("hrkg: a new build is current: %s; loading it", target)
            new = Engine(target, self.settings, self.spool)
            try:
                await new.start()
            except (EngineError, OSError) as exc:
                log.error(
                    "hrkg: the new build could not be served, the previous one still is: %s", exc
                )
                self._failed = target
                continue
            old, self.engine = self.engine, new
            self.generation += 1
            log.info(
                "hrkg: now serving %s (%s quads, loaded in %.1f s); the previous engine "
                "stops once its %d running queries are answered",
                target,
                new.quads,
                new.seconds,
                old.busy,
            )
            asyncio.get_running_loop().create_task(self._retire(old))

    async def _retire(self, engine: Engine) -> None:
        while engine.busy:
            await asyncio.sleep(0.1)
        engine.stop()

    def stop(self) -> None:
        if self.engine is not None:
            self.engine.stop()
        shutil.rmtree(self.spool, ignore_errors=True)
