"""Serve the built store with the Oxigraph server, read-only, over the union of its graphs."""

from __future__ import annotations

import errno
import os
import shutil
import socket
import sys
from pathlib import Path

from hrkg.errors import HrkgError, StoreError
from hrkg.store import current_store

__all__ = ["oxigraph_binary", "server_command", "check_port", "serve"]


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
    store = current_store(root)
    if not (store / "CURRENT").exists():
        raise StoreError(f"{store} is not an Oxigraph store; run `hrkg build`")
    cmd = [oxigraph_binary(), "serve-read-only", "--location", str(store),
           "--bind", f"{host}:{port}", "--union-default-graph"]
    if timeout:
        cmd += ["--timeout-s", str(int(timeout))]
    return cmd


def serve(root: Path, host: str = "127.0.0.1", port: int = 7878,
          timeout: float | None = 30) -> None:
    """Replace this process by the Oxigraph server (signals reach it directly)."""
    cmd = server_command(root, host, port, timeout)
    check_port(host, port)
    os.execv(cmd[0], cmd)
