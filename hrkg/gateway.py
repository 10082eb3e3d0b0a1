"""The socket-level front of ``hrkg serve``: the hot path of SPARQL queries in as little Python
as it takes, everything else handed to the aiohttp application (:mod:`hrkg.server`).

For ``/query`` and ``/sparql`` (GET, POST form, POST ``application/sparql-query``) the gateway
reads the request, refuses SERVICE and updates (:mod:`hrkg.guard`), passes the request to the
Oxigraph engine over a pool of kept-alive connections, enforces the timeout and the result
cap, and answers. Other requests (the UI, ``/id/…``, VoID, ``/update``, ``/store``, CORS
preflight) go, as they came, to the aiohttp application on a private loopback port. One log
line per request, whichever path it took.

Measured on this project's 2-core machines, an aiohttp-to-aiohttp proxy cost about 270 µs of
CPU per query; the engine itself spends about 650 µs on a light example query.
"""

from __future__ import annotations

import asyncio
import sys
import time
from urllib.parse import parse_qs

from hrkg.guard import update_keyword, uses_service

__all__ = ["Gateway", "Upstream", "TooLarge", "request_head", "timeout_message",
           "too_large_message", "ENGINE_ERRORS"]

_REASONS = {200: "OK", 204: "No Content", 400: "Bad Request", 403: "Forbidden",
            404: "Not Found", 405: "Method Not Allowed", 411: "Length Required",
            413: "Content Too Large", 415: "Unsupported Media Type",
            422: "Unprocessable Content", 431: "Request Header Fields Too Large",
            500: "Internal Server Error", 502: "Bad Gateway", 504: "Gateway Timeout"}
_MAX_HEAD = 64 * 1024
_MAX_BODY = 4 * 1024 * 1024
_SERVICE_REFUSED = (b"SERVICE is refused here: this endpoint does not query other endpoints "
                    b"(federation is switched off). Remove the SERVICE clause.\n")


class Upstream:
    """Kept-alive HTTP/1.1 connections to one server."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def exchange(self, head: bytes, body: bytes, limit: int, head_only: bool = False
                       ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """Send one request, read the whole response (body de-chunked, at most ``limit``;
        none for a HEAD request, whose Content-Length is kept among the headers)."""
        conn = self.idle.pop() if self.idle else await asyncio.open_connection(self.host,
                                                                                self.port)
        reader, writer = conn
        try:
            writer.write(head + body)
            status_line = await reader.readline()
            if not status_line:  # the server closed a kept-alive connection: retry once, fresh
                writer.close()
                reader, writer = conn = await asyncio.open_connection(self.host, self.port)
                writer.write(head + body)
                status_line = await reader.readline()
            status = int(status_line.split(None, 2)[1])
            headers: list[tuple[bytes, bytes]] = []
            length, chunked, close = None, False, False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b"\n", b""):
                    break
                raw_name, _, value = line.partition(b":")
                raw_name, value = raw_name.strip(), value.strip()
                name = raw_name.lower()
                if name == b"content-length" and not head_only:
                    length = int(value)
                elif name == b"transfer-encoding":
                    chunked = b"chunked" in value.lower()
                elif name == b"connection":
                    close = value.lower() == b"close"
                else:
                    headers.append((raw_name, value))
            if head_only or status in (204, 304) or 100 <= status < 200:
                payload = b""
            elif chunked:
                parts, size = [], 0
                while True:
                    n = int((await reader.readline()).split(b";")[0], 16)
                    if n == 0:
                        while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                            pass
                        break
                    size += n
                    if size > limit:
                        raise TooLarge
                    parts.append((await reader.readexactly(n + 2))[:-2])
                payload = b"".join(parts)
            elif length is not None:
                if length > limit:
                    raise TooLarge
                payload = await reader.readexactly(length)
            else:
                payload = await reader.read(limit + 1)
                close = True
                if len(payload) > limit:
                    raise TooLarge
        except BaseException:
            writer.close()
            raise
        if close:
            writer.close()
        else:
            self.idle.append(conn)
        return status, headers, payload

    def close(self) -> None:
        for _, writer in self.idle:
            writer.close()
        self.idle.clear()


class TooLarge(Exception):
    """The answer is larger than the cap."""


# what a client reads when the engine cannot give its answer (the pages use them too)
def timeout_message(timeout: float) -> str:
    return f"the query was stopped at the timeout of {timeout:g} s; narrow it or add LIMIT\n"


def too_large_message(cap: int) -> str:
    return (f"the result is larger than this server's cap of {cap // 1_000_000} MB; add LIMIT "
            "or narrow the query\n")


ENGINE_ERRORS = (OSError, ValueError, asyncio.IncompleteReadError)


def request_head(method: str, target: str, accept: str, content_type: str | None = None,
                 length: int | None = None) -> bytes:
    """The head of a request to the engine."""
    lines = [f"{method} {target} HTTP/1.1", "Host: engine", f"Accept: {accept}"]
    if length is not None:
        lines += [f"Content-Type: {content_type or ''}", f"Content-Length: {length}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class Gateway:
    def __init__(self, engines, app_port: int, max_bytes: int, cors: str | None,
                 log=sys.stderr) -> None:
        self.engines = engines  # hrkg.serve.Engines
        self.app = Upstream("127.0.0.1", app_port)
        self.max_bytes = max_bytes
        self.cors = cors.encode() if cors else None
        self.log = log

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        remote = peer[0] if peer else "-"
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except asyncio.IncompleteReadError:
                    return
                except asyncio.LimitOverrunError:
                    await self._send(writer, 431, b"request head too large\n", remote, "-", 0.0)
                    return
                start = time.perf_counter()
                lines = head.decode("latin-1").split("\r\n")
                try:
                    method, target, version = lines[0].split(" ", 2)
                except ValueError:
                    await self._send(writer, 400, b"malformed request line\n", remote, "-", start)
                    return
                headers = {}
                for line in lines[1:]:
                    if line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                if "chunked" in headers.get("transfer-encoding", "").lower():
                    await self._send(writer, 411, b"send a Content-Length\n", remote,
                                     f"{method} {target}", start)
                    return
                length = int(headers.get("content-length", "0") or 0)
                if length > _MAX_BODY:
                    await self._send(writer, 413, b"request body too large\n", remote,
                                     f"{method} {target}", start)
                    return
                if length and headers.get("expect", "").lower() == "100-continue":
                    writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")  # curl waits for it
                body = await reader.readexactly(length) if length else b""
                keep = headers.get("connection", "").lower() != "close" and version == "HTTP/1.1"
                path = target.split("?", 1)[0]
                if path in ("/query", "/sparql") and method in ("GET", "POST"):
                    await self._query(writer, method, target, headers, body, remote, start, keep)
                else:
                    await self._to_app(writer, head, body, remote, f"{method} {target}", start,
                                       keep, method == "HEAD")
                if not keep:
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    async def _query(self, writer, method: str, target: str, headers: dict[str, str],
                     body: bytes, remote: str, start: float, keep: bool) -> None:
        what = f"{method} {target}"
        query_string = target.split("?", 1)[1] if "?" in target else ""
        params = parse_qs(query_string) if query_string else {}
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        texts = params.get("query", [])
        if "update" in params:
            return await self._send(writer, 403, b"an update is refused: this endpoint is "
                                    b"read-only\n", remote, what, start, keep)
        if method == "POST":
            if ctype == "application/x-www-form-urlencoded":
                form = parse_qs(body.decode("utf-8", "replace"))
                if "update" in form:
                    return await self._send(writer, 403, b"an update is refused: this endpoint "
                                            b"is read-only\n", remote, what, start, keep)
                texts = texts + form.get("query", [])
            elif ctype == "application/sparql-query":
                texts = texts + [body.decode("utf-8", "replace")]
            elif ctype == "application/sparql-update":
                return await self._send(writer, 403, b"an update is refused: this endpoint is "
                                        b"read-only\n", remote, what, start, keep)
            else:
                return await self._send(
                    writer, 415, f"a POST to /query is application/x-www-form-urlencoded or "
                    f"application/sparql-query, not {ctype or 'untyped'}\n".encode(),
                    remote, what, start, keep)
        for text in texts:
            if uses_service(text):
                return await self._send(writer, 400, _SERVICE_REFUSED, remote, what, start, keep)
            keyword = update_keyword(text)
            if keyword:
                return await self._send(writer, 403, f"{keyword} (an update) is refused: this "
                                        "endpoint is read-only\n".encode(), remote, what,
                                        start, keep)
        raw = request_head(method, target, headers.get("accept", "*/*"),
                           headers.get("content-type"), len(body) if method == "POST" else None)
        try:
            status, out_headers, payload = await self.engines.ask(raw, body, self.max_bytes)
        except TimeoutError:
            return await self._send(writer, 504, timeout_message(self.engines.timeout).encode(),
                                    remote, what, start, keep)
        except TooLarge:
            return await self._send(writer, 422, too_large_message(self.max_bytes).encode(),
                                    remote, what, start, keep)
        except ENGINE_ERRORS as exc:
            return await self._send(writer, 502, f"the SPARQL engine did not answer: "
                                    f"{exc}\n".encode(), remote, what, start, keep)
        ctype_out = next((v for k, v in out_headers if k.lower() == b"content-type"),
                         b"text/plain")
        await self._send(writer, status, payload, remote, what, start, keep, ctype_out)

    async def _to_app(self, writer, head: bytes, body: bytes, remote: str, what: str,
                      start: float, keep: bool, head_only: bool = False) -> None:
        try:
            status, headers, payload = await self.app.exchange(head, body, 1 << 30, head_only)
        except ENGINE_ERRORS as exc:
            return await self._send(writer, 502, f"internal error: {exc}\n".encode(), remote,
                                    what, start, keep)
        await self._send(writer, status, payload, remote, what, start, keep, extra=headers)

    async def _send(self, writer, status: int, payload: bytes, remote: str, what: str,
                    start: float, keep: bool = False, ctype: bytes = b"text/plain; charset=utf-8",
                    extra: list[tuple[bytes, bytes]] | None = None) -> None:
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}".encode()]
        if extra is None:
            lines.append(b"Content-Type: " + ctype)
            if self.cors:
                lines.append(b"Access-Control-Allow-Origin: " + self.cors)
                lines.append(b"Vary: Origin")
        else:
            lines += [k + b": " + v for k, v in extra
                      if k.lower() not in (b"date", b"server")
                      and (k.lower() != b"content-length" or not payload)]
        if not any(k.lower() == b"content-length" for k, _ in extra or ()):
            lines.append(b"Content-Length: " + str(len(payload)).encode())
        lines.append(b"Server: hrkg")
        if not keep:
            lines.append(b"Connection: close")
        writer.write(b"\r\n".join(lines) + b"\r\n\r\n" + payload)
        await writer.drain()
        ms = (time.perf_counter() - start) * 1000 if start else 0.0
        self.log.write(f'{remote} "{what[:300]}" {status} {len(payload)} {ms:.1f}ms\n')
