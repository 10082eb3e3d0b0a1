"""The engine of ``hrkg serve``: one process that holds the built store in memory, walls
itself in (:mod:`hrkg.serve.sandbox`), and forks workers that evaluate one query at a time.

    python -m hrkg.serve.engine CONFIG      (started by hrkg serve, which passes its channel)

Why this shape:
- In memory, whole-graph aggregates run 9–25× faster than on the disk store (DESIGN.md).
  The store is read once, from the snapshot the build writes beside it (``snapshot.nq``,
  every named graph and the deduplicated default graph), and the workers share it: a fork
  copies no page that nobody writes.
- A worker that overruns the timeout is killed by the front and a new one is forked in
  milliseconds; a worker that crashes (or runs out of its memory limit) ends with only its
  own query lost.
- The engine never speaks HTTP. Queries arrive from the front as messages
  (:mod:`hrkg.serve.wire`), already checked and rewritten (:mod:`hrkg.serve.sparql`);
  results leave as bytes, or as a file in the front's spool folder when they are large.

Messages on the control channel, engine → front: ``ready`` (quads, seconds),
``worker`` (pid, with the front's end of a socket pair), ``exited`` (pid, status),
``failed`` (why the engine could not start). Front → engine: ``fork``.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, cast

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, RdfFormat, Store

from hrkg.serve import sandbox
from hrkg.serve.media import GRAPH_FORMATS, SOLUTION_FORMATS, negotiate
from hrkg.serve.wire import receive, send

__all__ = ["SNAPSHOT", "main"]

SNAPSHOT = "snapshot.nq"
_INLINE = 256 * 1024  # results up to this size travel in the message, larger ones as a file


class TooLarge(Exception):
    pass


class _Spool:
    """Where a result is written: memory first, then a file in the spool folder, never more
    than ``limit`` bytes."""

    def __init__(self, folder: str, name: str, limit: int) -> None:
        self.folder, self.name, self.limit = folder, name, limit
        self.size = 0
        self.buffer: bytearray | None = bytearray()
        self.fd: int | None = None

    def write(self, data: bytes) -> int:
        n = len(data)  # the writer (pyoxigraph) takes this as the count of its bytes written
        self.size += n
        if self.size > self.limit:
            raise TooLarge
        if self.buffer is not None:
            self.buffer += data
            if len(self.buffer) <= _INLINE:
                return n
            self.fd = os.open(
                os.path.join(self.folder, self.name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600
            )
            data, self.buffer = bytes(self.buffer), None
        assert self.fd is not None
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view) :]
        return n

    def flush(self) -> None:
        pass

    def close(self, keep: bool) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
            if not keep:
                os.unlink(os.path.join(self.folder, self.name))


def _load(path: Path, log: Callable[[str], None]) -> tuple[Store, int, str]:
    """The store in memory: from the build's snapshot, else read from the disk store by a
    child process (RocksDB starts threads that must not live in a process that forks)."""
    store = Store()
    snapshot = path / SNAPSHOT
    how = "snapshot"
    if snapshot.is_file():  # written and counted by the build: lenient skips re-checking IRIs
        store.bulk_load(path=str(snapshot), format=RdfFormat.N_QUADS, lenient=True)
    else:
        how = "disk store (no snapshot: built by an older hrkg)"
        with tempfile.TemporaryDirectory(prefix="hrkg-dump-") as tmp:
            out = Path(tmp) / "dump.nq"
            subprocess.run(
                [sys.executable, "-m", "hrkg.serve.engine", "--dump", str(path), str(out)],
                check=True,
            )
            store.bulk_load(path=str(out), format=RdfFormat.N_QUADS)
        if not bool(store.query("ASK { ?s ?p ?o }")):
            log(f"hrkg: {path} has no default graph: it is made here from the named graphs")
            store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store, len(store), how


def _probe(store: Store, port: int) -> None:
    """A SERVICE call must fail here: the front listens on ``port`` and checks that no
    connection arrived."""
    try:
        result = store.query(
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/probe> {{ ?s ?p ?o }} }}"
        )
        if isinstance(result, QuerySolutions):
            list(result)
    except PermissionError:
        return
    except OSError as exc:
        raise sandbox.SandboxError(
            f"the SERVICE probe failed, but not by the filter: {exc}"
        ) from exc
    raise sandbox.SandboxError("a SERVICE query ran: outbound connections are possible")


def _evaluate(store: Store, text: str, head: dict[str, Any], spool: _Spool) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if head.get("default_graph"):
        options["default_graph"] = [NamedNode(i) for i in head["default_graph"]]
    if head.get("named_graphs"):
        options["named_graphs"] = [NamedNode(i) for i in head["named_graphs"]]
    try:
        result = store.query(text, **options)
    except SyntaxError as exc:
        return {"status": 400, "message": f"the query is not valid SPARQL: {exc}"}
    if isinstance(result, (QuerySolutions, QueryBoolean)):
        offers: dict[str, Any] = SOLUTION_FORMATS
    else:
        offers = GRAPH_FORMATS
    media = negotiate(head.get("accept", ""), list(offers))
    if media is None:
        return {"status": 406, "message": "this result is available as " + ", ".join(offers)}
    fmt = offers[media]
    try:
        result.serialize(output=cast(IO[bytes], spool), format=fmt)  # a file-like writer
    except TooLarge:
        return {"status": 422, "message": "too large"}
    ctype = fmt.media_type
    if "charset" not in ctype and (ctype.startswith("text/") or ctype.endswith("json")):
        ctype += "; charset=utf-8"
    return {"status": 200, "type": ctype, "size": spool.size}


def _resident() -> int:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _worker(chan: socket.socket, store: Store, config: dict[str, Any]) -> None:
    """Answer queries on ``chan`` until it closes. Runs in a thread with a large stack: the
    engine's evaluation recurses over the query's algebra. After a query that grew the
    worker by more than 64 MB, the allocator gives the freed memory back (``malloc_trim``):
    otherwise every worker keeps the peak of the largest query it ever ran."""
    import ctypes

    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    pid = os.getpid()
    seq = 0
    baseline = _resident()
    while True:
        try:
            head, payload, _ = receive(chan)
        except EOFError:
            return
        seq += 1
        spool = _Spool(config["spool"], f"{pid}-{seq}.out", head["max_bytes"])
        keep = False
        try:
            reply = _evaluate(store, payload.decode("utf-8"), head, spool)
            body = b""
            if reply["status"] == 200 and spool.buffer is None:
                reply["file"] = spool.name
                keep = True
            elif reply["status"] == 200 and spool.buffer is not None:
                body = bytes(spool.buffer)
        except MemoryError:
            send(chan, {"status": 422, "message": "memory"})
            os._exit(3)
        except Exception as exc:  # an engine error mid-evaluation: the query's, not ours
            reply, body = {"status": 500, "message": f"{type(exc).__name__}: {exc}"}, b""
        finally:
            spool.close(keep)
        send(chan, reply, body)
        if trim is not None and _resident() > baseline + (64 << 20):
            trim(0)


def _start_worker(chan: socket.socket, store: Store, config: dict[str, Any]) -> None:
    """In the forked child: its own limits, errors to its own file, then serve."""
    sandbox.die_with_parent()
    signal.set_wakeup_fd(-1)
    for sig in (signal.SIGCHLD, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    err = os.open(
        os.path.join(config["spool"], f"worker-{os.getpid()}.err"),
        os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
        0o600,
    )
    os.dup2(err, 2)
    os.close(err)
    import resource

    resource.setrlimit(
        resource.RLIMIT_FSIZE, (head_room := config["max_bytes"] + (1 << 20), head_room)
    )
    sandbox.limit_memory(config["memory"] + config["stack"])
    threading.stack_size(config["stack"])
    thread = threading.Thread(target=_worker, args=(chan, store, config), name="worker")
    thread.start()
    thread.join()


def _serve(control: socket.socket, store: Store, config: dict[str, Any]) -> None:
    """Fork workers when asked; report the ones that end."""
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))  # nothing to flush; workers follow
    sel = selectors.DefaultSelector()
    sel.register(control, selectors.EVENT_READ)
    sel.register(wake_r, selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            if key.fileobj == wake_r:
                os.read(wake_r, 4096)
                continue
            try:
                head, _, _ = receive(control)
            except EOFError:
                return
            if head.get("fork"):
                ours, theirs = socket.socketpair()
                pid = os.fork()
                if pid == 0:
                    sel.close()
                    control.close()
                    ours.close()
                    try:
                        _start_worker(theirs, store, config)
                    finally:
                        os._exit(0)
                theirs.close()
                send(control, {"worker": pid}, fds=[ours.fileno()])
                ours.close()
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            send(
                control,
                {
                    "exited": pid,
                    "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0,
                    "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
                },
            )


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--dump":  # the disk store into a file, in a throwaway process
        Store.read_only(argv[1]).dump(output=argv[2], format=RdfFormat.N_QUADS)
        return 0
    config = json.loads(argv[0])
    control = socket.socket(fileno=config["fd"])
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the front's to handle

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        sandbox.die_with_parent()
        sandbox.not_dumpable()
        start = time.perf_counter()
        store, quads, how = _load(Path(config["store"]), log)
        seconds = time.perf_counter() - start
        sandbox.forbid_network()
        sandbox.drop_capabilities()
        sandbox.verify_no_socket()
        _probe(store, config["probe"])
        threads = int(Path("/proc/self/status").read_text().split("Threads:")[1].split()[0])
    except Exception as exc:
        send(control, {"failed": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()})
        return 1
    send(
        control,
        {
            "ready": True,
            "quads": quads,
            "seconds": round(seconds, 2),
            "from": how,
            "threads": threads,
        },
    )
    _serve(control, store, config)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
