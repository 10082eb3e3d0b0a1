"""``hrkg documents add URL…``: download a web page or a PDF into the data directory's
``documents/`` with its sidecar (the URL, the retrieval time, the SHA-256, the content type),
so that the next ``hrkg build`` reads it.

Everything fetched is treated as hostile, and each limit holds by construction:

- only ``http`` and ``https`` URLs, at the start and at every redirect (no ``file:``, ``ftp:``,
  ``data:``…); at most ``max_redirects`` redirects;
- one deadline for the whole download (connect, headers, body, every redirect): a watchdog
  shuts the socket down when it passes, so a server that trickles bytes cannot hold it;
- at most ``max_bytes``: a larger ``Content-Length`` is refused before the body is read, and
  the body is read in bounded chunks that stop past the cap (a body longer than announced
  is never read beyond what was announced);
- no compression is asked for (``Accept-Encoding: identity``) and a compressed answer is
  refused, so no gzip bomb is ever inflated;
- only the content types the document loader reads (HTML, plain text, Markdown, PDF).

The standard library's ``http.client`` does the HTTP: it follows nothing by itself, so every
redirect passes the checks above.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from hrkg import __version__
from hrkg.errors import HrkgError
from hrkg.terms import slug

__all__ = ["FetchError", "Fetched", "fetch", "add", "Added", "TYPES"]

TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/x-markdown": ".md",
    "application/pdf": ".pdf",
}
_REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(HrkgError):
    """A URL that was not fetched, and why."""


@dataclass(frozen=True)
class Fetched:
    url: str  # the URL asked for
    final: str  # the URL the body came from, after redirects
    body: bytes
    content_type: str  # without parameters, lower case
    charset: str | None
    retrieved: str  # ISO 8601 UTC

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


def _checked(url: str, original: str) -> tuple[str, str, int | None, str]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        where = "" if url == original else f" (a redirect from {original})"
        raise FetchError(
            f"{url}{where}: only http and https URLs are fetched, not {scheme or 'a relative URL'}:"
        )
    try:
        port = parts.port
    except ValueError:
        raise FetchError(f"{url}: the port is not a number") from None
    if not parts.hostname:
        raise FetchError(f"{url}: no host in the URL")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname, port, target


def fetch(
    url: str, max_bytes: int = 20 << 20, timeout: float = 30.0, max_redirects: int = 5
) -> Fetched:
    """GET ``url`` within the limits the module describes; the body and what the server
    said it is. Raises :class:`FetchError` naming the URL and the limit it passed."""
    deadline = time.monotonic() + timeout
    current = url
    for _hop in range(max_redirects + 1):
        scheme, host, port, target = _checked(current, url)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"{url}: no answer within {timeout:g} s")
        cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        conn = cls(host, port, timeout=remaining)
        timed_out = threading.Event()

        def stop(
            conn: http.client.HTTPConnection = conn, flag: threading.Event = timed_out
        ) -> None:
            flag.set()
            sock = conn.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        watchdog = threading.Timer(remaining, stop)
        watchdog.daemon = True
        watchdog.start()
        try:
            conn.request(
                "GET",
                target,
                headers={
                    "Accept-Encoding": "identity",
                    "User-Agent": f"hrkg/{__version__}",
                    "Accept": "text/html, application/xhtml+xml, application/pdf, text/markdown, "
                    "text/plain;q=0.9",
                },
            )
            resp = conn.getresponse()
            if resp.status in _REDIRECTS:
                location = resp.getheader("Location")
                if not location:
                    raise FetchError(f"{current}: a redirect ({resp.status}) without a Location")
                current = urljoin(current, location.strip())
                continue
            if resp.status != 200:
                raise FetchError(f"{current}: the server answered {resp.status} {resp.reason}")
            encoding = (resp.getheader("Content-Encoding") or "identity").strip().lower()
            if encoding not in ("identity", ""):
                raise FetchError(
                    f"{current}: the answer is compressed ({encoding}) though "
                    "none was asked for; not inflated, not saved"
                )
            raw_type = resp.getheader("Content-Type") or ""
            ctype = raw_type.split(";")[0].strip().lower()
            if ctype not in TYPES:
                raise FetchError(
                    f"{current}: content type {ctype or 'none'!r} is not one hrkg "
                    f"reads; expected one of {', '.join(sorted(TYPES))}"
                )
            length = resp.getheader("Content-Length")
            if length is not None:
                if not length.strip().isdigit():
                    raise FetchError(f"{current}: Content-Length {length!r} is not a number")
                if int(length) > max_bytes:
                    raise FetchError(
                        f"{current}: {int(length)} bytes announced, more than the "
                        f"{max_bytes} allowed (--max-mb); nothing read"
                    )
            body = bytearray()
            while True:
                chunk = resp.read(min(65536, max_bytes + 1 - len(body)))
                if not chunk:
                    break
                body += chunk
                if len(body) > max_bytes:
                    raise FetchError(
                        f"{current}: the body is larger than the {max_bytes} bytes "
                        "allowed (--max-mb); not saved"
                    )
            if timed_out.is_set():
                raise FetchError(f"{url}: not complete within {timeout:g} s")
            charset = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", raw_type, re.I)
            return Fetched(
                url,
                current,
                bytes(body),
                ctype,
                charset.group(1) if charset else None,
                time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            )
        except FetchError:
            raise
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if timed_out.is_set() or isinstance(exc, TimeoutError):
                raise FetchError(f"{url}: not complete within {timeout:g} s") from None
            raise FetchError(f"{current}: {type(exc).__name__}: {exc}") from None
        finally:
            watchdog.cancel()
            conn.close()
    raise FetchError(f"{url}: more than {max_redirects} redirects")


@dataclass(frozen=True)
class Added:
    url: str
    path: Path | None
    error: str | None = None
    unchanged: bool = False


def _name(fetched: Fetched) -> str:
    parts = urlsplit(fetched.final)
    last = parts.path.rstrip("/").rsplit("/", 1)[-1]
    stem = slug(re.sub(r"\.[A-Za-z0-9]{1,5}$", "", last)) or slug(parts.hostname or "") or "page"
    return stem[:80] + TYPES[fetched.content_type]


def save(fetched: Fetched, folder: Path) -> tuple[Path, bool]:
    """Write the body and its sidecar into ``folder``; (path, whether the same bytes were
    there already). A different file of the same name is kept: the new one gets "-2", "-3"…"""
    folder.mkdir(parents=True, exist_ok=True)
    name = _name(fetched)
    stem, suffix = name[: -len(TYPES[fetched.content_type])], TYPES[fetched.content_type]
    for n in range(1, 1000):
        path = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        if not path.exists():
            break
        if hashlib.sha256(path.read_bytes()).hexdigest() == fetched.sha256:
            return path, True
    else:
        raise FetchError(f"{fetched.url}: 999 files named {stem}-N{suffix} already")
    sidecar = {
        "source": fetched.final,
        "retrieved": fetched.retrieved,
        "sha256": fetched.sha256,
        "content_type": fetched.content_type,
        "bytes": len(fetched.body),
    }
    if fetched.final != fetched.url:
        sidecar["requested"] = fetched.url
    if fetched.charset and fetched.content_type != "application/pdf":
        sidecar["encoding"] = fetched.charset
    for target, data in (
        (path.with_name(path.stem + ".meta.json"), (json.dumps(sidecar, indent=1) + "\n").encode()),
        (path, fetched.body),
    ):
        tmp = target.with_name(f".{target.name}.part")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    return path, False


def add(
    urls: Iterable[str],
    data: Path,
    max_bytes: int = 20 << 20,
    timeout: float = 30.0,
    max_redirects: int = 5,
) -> list[Added]:
    """Fetch each URL into ``data/documents/``; one result per URL, refusals included."""
    out = []
    for url in urls:
        try:
            fetched = fetch(url, max_bytes, timeout, max_redirects)
            path, same = save(fetched, data / "documents")
            out.append(Added(url, path, unchanged=same))
        except FetchError as exc:
            out.append(Added(url, None, str(exc)))
    return out
