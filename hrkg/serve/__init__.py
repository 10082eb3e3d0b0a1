"""``hrkg serve``: the SPARQL endpoint, safe by construction.

Three kinds of process:

- the **front** (this process): aiohttp on ``--host:--port``, the only one that speaks
  HTTP and the only one with a network socket (:mod:`hrkg.serve.app`);
- the **engine**: the built store in memory, walled in by a seccomp filter that forbids it
  every socket, checked at start (:mod:`hrkg.serve.engine`, :mod:`hrkg.serve.sandbox`);
- its **workers**, forked from the engine, each evaluating one query at a time under an
  address-space limit; one that overruns the timeout is killed and replaced
  (:mod:`hrkg.serve.pool`).

A query goes from the front to a worker only as the canonical text of its tokens
(:mod:`hrkg.serve.sparql`), never as raw bytes, and comes back as bytes or a spool file.
Limits (all options of ``hrkg serve``): connections, header/idle, body and send timeouts,
query size and nesting, query timeout, memory per query, result size, and the bytes held
for slow clients in total.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import resource
import signal
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from hrkg.errors import HrkgError
from hrkg.graph.store import current_store

__all__ = ["Options", "serve", "free_port", "bind"]

log = logging.getLogger("hrkg.serve")
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class Options:
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30
    cors: str | None = None
    max_result_mb: int = 64
    workers: int = 2
    memory_mb: int = 2048
    buffer_mb: int = 1024
    max_query_kb: int = 256
    max_depth: int = 128
    max_connections: int = 1024
    idle_timeout: float = 15
    body_timeout: float = 30
    send_timeout: float = 30
    cache_mb: int = 64
    allow_hosts: tuple[str, ...] = field(default_factory=tuple)


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def bind(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """The listening socket, bound now (SO_REUSEADDR: a restart right after a stop works);
    a clear error when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise HrkgError(
                f"port {port} on {host} is already in use; stop what listens there or give --port"
            ) from None
        raise HrkgError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(backlog)
    sock.setblocking(False)
    return sock


def _hosts(opts: Options) -> set[str]:
    names = set(_LOOPBACK) | set(opts.allow_hosts)
    if opts.host in ("0.0.0.0", "::", ""):
        names |= {socket.gethostname(), socket.getfqdn()}
    else:
        names.add(opts.host)
    return {n.lower() for n in names}


def _open_files(need: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = need if hard == resource.RLIM_INFINITY else min(need, hard)
    if soft != resource.RLIM_INFINITY and soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


class _RefusedRequests(logging.Filter):
    """aiohttp logs each request its parser refuses (400) with a traceback; the access log
    already has a line for it, and a refused request is not an error of the server."""

    def filter(self, record: logging.LogRecord) -> bool:
        from aiohttp.http_exceptions import HttpProcessingError

        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, HttpProcessingError)


def serve(root: Path, opts: Options) -> None:
    """Run the endpoint until SIGINT or SIGTERM."""
    from hrkg.serve import sandbox

    logging.getLogger("aiohttp.server").addFilter(_RefusedRequests())
    current_store(root)  # a clear error before anything starts
    sock = bind(opts.host, opts.port)
    _open_files(2 * opts.max_connections + 256)
    try:
        sandbox.not_dumpable()
    except sandbox.SandboxError as exc:
        raise HrkgError(str(exc)) from None
    try:
        _fast_loop()
        asyncio.run(_run(root, opts, sock))
    finally:
        sock.close()


async def _run(root: Path, opts: Options, sock: socket.socket) -> None:
    from aiohttp import web

    from hrkg.serve.app import AccessLog, Front, make_app
    from hrkg.serve.pool import Pool, Settings
    from hrkg.serve.sparql import Limits

    mb = 1_000_000
    limits = Limits(max_bytes=opts.max_query_kb * 1024, max_depth=opts.max_depth)
    pool = Pool(
        root,
        Settings(
            workers=opts.workers,
            timeout=opts.timeout,
            max_result=opts.max_result_mb * mb,
            memory=opts.memory_mb * mb,
            buffer=opts.buffer_mb * mb,
            limits=limits,
        ),
    )
    shown = f"[{opts.host}]" if ":" in opts.host else opts.host
    front = Front(
        pool,
        cors=opts.cors,
        public=f"http://{shown}:{opts.port}",
        hosts=_hosts(opts),
        limits=limits,
        body_timeout=opts.body_timeout,
        send_timeout=opts.send_timeout,
        cache_bytes=opts.cache_mb * mb,
    )
    runner = web.AppRunner(
        make_app(front),
        access_log_class=AccessLog,
        access_log=log,
        handle_signals=False,
        keepalive_timeout=opts.idle_timeout,
        max_line_size=64 * 1024,
        max_field_size=8190,
    )
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        starting = loop.create_task(pool.start())
        stopping = loop.create_task(stop.wait())
        await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not starting.done():
            starting.cancel()
            return
        starting.result()  # an EngineError stops here, with its message
        await runner.setup()
        server_factory = runner.server
        assert server_factory is not None

        def limited() -> asyncio.Protocol:
            if len(server_factory.connections) >= opts.max_connections:
                return _Refuse()
            return server_factory()

        server = await loop.create_server(limited, sock=sock, backlog=1024)
        watch = loop.create_task(pool.watch())
        try:
            await stop.wait()
        finally:
            watch.cancel()
            server.close()
            await runner.cleanup()
    finally:
        pool.stop()


class _Refuse(asyncio.Protocol):
    """Past ``--max-connections``: a fixed answer, then close."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        body = b"too many connections; retry later\n"
        transport = cast(asyncio.WriteTransport, transport)  # uvloop's is not a subclass
        transport.write(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
            b"Connection: close\r\nRetry-After: 1\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\n\r\n"
            + body
        )
        transport.close()


def _fast_loop() -> None:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency where it exists
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
