"""Messages between the front and the engine's processes over Unix socket pairs: a JSON head
and a byte payload, each preceded by its length, and sockets passed along where a message
needs them (``SCM_RIGHTS``). Nothing here speaks HTTP: the engine never sees a request."""

from __future__ import annotations

import asyncio
import json
import socket
import struct
from typing import Any

__all__ = ["send", "receive", "areceive", "asend", "MAX_HEAD", "MAX_PAYLOAD"]

_PREFIX = struct.Struct(">II")
MAX_HEAD = 64 * 1024
MAX_PAYLOAD = 64 * 1024 * 1024


def _frame(head: dict[str, Any], payload: bytes) -> tuple[bytes, bytes]:
    data = json.dumps(head, separators=(",", ":")).encode()
    return _PREFIX.pack(len(data), len(payload)) + data, payload


def send(
    sock: socket.socket, head: dict[str, Any], payload: bytes = b"", fds: list[int] | None = None
) -> None:
    first, rest = _frame(head, payload)
    if fds:
        sent = socket.send_fds(sock, [first], fds)
        first = first[sent:]
    sock.sendall(first + rest if len(rest) < 65536 else first)
    if len(rest) >= 65536:
        sock.sendall(rest)


def _exactly(sock: socket.socket, n: int, fds: list[int]) -> bytes:
    parts, got = [], 0
    while got < n:
        data, more, _, _ = socket.recv_fds(sock, min(n - got, 1 << 20), 4)
        if not data:
            raise EOFError("the other end closed the channel")
        fds.extend(more)
        parts.append(data)
        got += len(data)
    return b"".join(parts)


def receive(sock: socket.socket) -> tuple[dict[str, Any], bytes, list[int]]:
    """One message (blocking): (head, payload, passed file descriptors)."""
    fds: list[int] = []
    head_len, payload_len = _PREFIX.unpack(_exactly(sock, _PREFIX.size, fds))
    if head_len > MAX_HEAD or payload_len > MAX_PAYLOAD:
        raise ValueError("message larger than the channel allows")
    head = json.loads(_exactly(sock, head_len, fds))
    payload = _exactly(sock, payload_len, fds) if payload_len else b""
    return head, payload, fds


async def asend(writer: asyncio.StreamWriter, head: dict[str, Any], payload: bytes = b"") -> None:
    first, rest = _frame(head, payload)
    writer.write(first + rest)
    await writer.drain()


async def areceive(reader: asyncio.StreamReader) -> tuple[dict[str, Any], bytes]:
    """One message (asyncio; no descriptors on this path)."""
    head_len, payload_len = _PREFIX.unpack(await reader.readexactly(_PREFIX.size))
    if head_len > MAX_HEAD or payload_len > MAX_PAYLOAD:
        raise ValueError("message larger than the channel allows")
    head = json.loads(await reader.readexactly(head_len))
    payload = await reader.readexactly(payload_len) if payload_len else b""
    return head, payload
