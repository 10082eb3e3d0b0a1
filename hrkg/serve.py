"""``hrkg serve``: the Oxigraph server on the built store (read-only, union default graph)
behind our front (:mod:`hrkg.server`)."""

from __future__ import annotations

import asyncio
import errno
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from hrkg.errors import HrkgError, StoreError
from hrkg.store import current_store

__all__ = ["oxigraph_binary", "server_command", "check_port", "free_port", "start_engine",
           "stop_engine", "Engines", "serve"]


def oxigraph_binary() -> str:
    """The ``oxigraph`` executable of the PyPI package, next to this Python or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise HrkgError("the `oxigraph` server is not installed; `pip install oxigraph`")
    return found


def check_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise HrkgError(f"port {port} on {host} is already in use; "
                                "stop what listens there or give --port") from None
            raise HrkgError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def server_command(root: Path, host: str, port: int, timeout: float | None) -> list[str]:
    """The bare Oxigraph server on the built store: read-only, union default graph."""
    store = current_store(root)
    if not (store / "CURRENT").exists():
        raise StoreError(f"{store} is not an Oxigraph store; run `hrkg build`")
    cmd = [oxigraph_binary(), "serve-read-only", "--location", str(store),
           "--bind", f"{host}:{port}", "--union-default-graph"]
    if timeout:
        cmd += ["--timeout-s", str(int(timeout))]
    return cmd


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: the engine gets SIGTERM if hrkg serve dies without cleaning up."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def start_engine(root: Path, timeout: float | None) -> tuple[subprocess.Popen, str]:
    """Start the Oxigraph server on a loopback port of its own; wait until it answers."""
    port = free_port()
    cmd = server_command(root, "127.0.0.1", port, timeout)
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, preexec_fn=_die_with_parent)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode("utf-8", "replace").strip() if proc.stderr else ""
            raise StoreError(f"the Oxigraph server stopped at start on {cmd[3]}: {err}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, url
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise StoreError("the Oxigraph server did not start within 30 s")


def stop_engine(proc: subprocess.Popen, grace: float = 10) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Engine:
    """A running Oxigraph engine, its kept-alive connections and its queries in flight."""

    def __init__(self, proc: subprocess.Popen, url: str) -> None:
        from hrkg.gateway import Upstream

        self.proc, self.url, self.inflight = proc, url, 0
        self.pool = Upstream("127.0.0.1", int(url.rsplit(":", 1)[1]))


class Engines:
    """The running Oxigraph engine, replaced by a fresh one when a query overruns."""

    def __init__(self, root: Path, timeout: float, log=sys.stderr) -> None:
        self.root, self.timeout, self.log = root, timeout, log
        self.current = Engine(*start_engine(root, None))
        self._retiring: set[Engine] = set()
        self._lock = asyncio.Lock()

    async def ask(self, head: bytes, body: bytes, limit: int):
        """One request to the current engine within the timeout: (status, headers, body).
        A request that overruns raises TimeoutError and retires its engine."""
        engine = self.current
        engine.inflight += 1
        try:
            async with asyncio.timeout(self.timeout):
                return await engine.pool.exchange(head, body, limit)
        except TimeoutError:
            asyncio.get_running_loop().create_task(self.overran(engine))
            raise
        finally:
            engine.inflight -= 1

    async def overran(self, engine: Engine) -> None:
        """Replace ``engine`` (once) and stop it when its other queries are answered."""
        async with self._lock:
            if engine is not self.current:
                return
            loop = asyncio.get_running_loop()
            self.current = Engine(*await loop.run_in_executor(None, start_engine, self.root,
                                                               None))
            self._retiring.add(engine)
        self.log.write(f"hrkg: a query overran {self.timeout:g} s: engine {engine.proc.pid} "
                       f"retired, engine {self.current.proc.pid} serves\n")
        deadline = time.monotonic() + self.timeout
        while engine.inflight and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.get_running_loop().run_in_executor(None, stop_engine, engine.proc, 2)
        self._retiring.discard(engine)

    async def watch(self) -> None:
        """Restart the engine if it dies under us."""
        while True:
            await asyncio.sleep(0.5)
            engine = self.current
            if engine.proc.poll() is not None and engine not in self._retiring:
                self.log.write(f"hrkg: engine {engine.proc.pid} stopped (exit "
                               f"{engine.proc.returncode}); starting another\n")
                await self.overran(engine)

    def stop(self) -> None:
        for engine in (self.current, *self._retiring):
            stop_engine(engine.proc)


def serve(root: Path, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30,
          cors: str | None = None, max_result_mb: int = 64) -> None:
    """Run the endpoint until SIGINT or SIGTERM: the Oxigraph engine on a private loopback
    port; the gateway (SPARQL queries, refusals, timeout, request log) on host:port; the
    pages (UI, resource pages, VoID) on another private port behind it."""
    current_store(root)
    check_port(host, port)
    engines = Engines(root, timeout)
    try:
        _fast_loop()
        asyncio.run(_run(engines, host, port, cors, max_result_mb * 1_000_000))
    finally:
        engines.stop()


async def _run(engines: Engines, host: str, port: int, cors: str | None,
               max_bytes: int) -> None:
    from aiohttp import web

    from hrkg.gateway import Gateway
    from hrkg.server import Front, make_app

    shown = f"[{host}]" if ":" in host else host
    front = Front(engines, max_bytes, cors, f"http://{shown}:{port}")
    runner = web.AppRunner(make_app(front), access_log=None, handle_signals=False)
    await runner.setup()
    app_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", app_port).start()
    gateway = Gateway(engines, app_port, max_bytes, cors)
    server = await asyncio.start_server(gateway.handle, host, port, reuse_address=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    watch = loop.create_task(engines.watch())
    try:
        await stop.wait()
    finally:
        server.close()
        watch.cancel()
        await runner.cleanup()
def _fast_loop() -> None:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency where it exists
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
