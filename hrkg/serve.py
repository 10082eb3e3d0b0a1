"""``hrkg serve``: the Oxigraph server on the built store (read-only, union default graph)
behind our front (:mod:`hrkg.server`)."""

from __future__ import annotations

import asyncio
import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from hrkg.errors import HrkgError, StoreError
from hrkg.store import current_store

__all__ = ["oxigraph_binary", "server_command", "check_port", "start_engine", "stop_engine",
           "serve"]


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: the engine gets SIGTERM if hrkg serve dies without cleaning up."""
    try:
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def start_engine(root: Path, timeout: float | None) -> tuple[subprocess.Popen, str]:
    """Start the Oxigraph server on a loopback port of its own; wait until it answers."""
    port = _free_port()
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


def stop_engine(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def serve(root: Path, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30,
          cors: str | None = None, max_result_mb: int = 64) -> None:
    """Run the endpoint until SIGINT or SIGTERM: the Oxigraph engine on a private loopback
    port, our front (refusals, UI, resource pages, VoID, request log) on host:port."""
    from aiohttp import web

    from hrkg.server import Front, make_app

    current_store(root)
    check_port(host, port)
    proc, engine = start_engine(root, timeout)
    shown = f"[{host}]" if ":" in host else host
    front = Front(engine, timeout, max_result_mb * 1_000_000, cors, f"http://{shown}:{port}")
    app = make_app(front)

    async def watch(app: web.Application) -> None:
        async def loop() -> None:
            while proc.poll() is None:
                await asyncio.sleep(0.5)
            sys.stderr.write(f"hrkg: the Oxigraph engine stopped (exit {proc.returncode})\n")
            os.kill(os.getpid(), signal.SIGTERM)
        app["watch"] = asyncio.get_running_loop().create_task(loop())

    async def cleanup(app: web.Application) -> None:
        app["watch"].cancel()
        stop_engine(proc)

    app.on_startup.append(watch)
    app.on_cleanup.append(cleanup)
    try:
        web.run_app(app, host=host, port=port, access_log=None, print=None,
                    shutdown_timeout=5, handle_signals=True)
    finally:
        stop_engine(proc)
    if proc.returncode not in (0, -signal.SIGTERM, None):
        raise HrkgError(f"the Oxigraph engine stopped with exit code {proc.returncode}")
