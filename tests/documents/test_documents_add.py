"""``hrkg documents add URL…`` against a local HTTP server the test starts (never the
network): a page is saved with its sidecar; each limit refuses what passes it."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from hrkg.cli import cli

PAGE = (b"<!doctype html><html><head><title>Cuba and Chile</title></head><body>"
        b"<p>Chile ratified the CRPD on 29 July 2008.</p></body></html>")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:   # quiet
        pass

    def _send(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self) -> None:   # noqa: N802 - http.server's name
        p = self.path
        if p == "/page.html":
            self._send(200, {"Content-Type": "text/html; charset=utf-8",
                             "Content-Length": str(len(PAGE))}, PAGE)
        elif p == "/moved":
            self._send(301, {"Location": "/page.html", "Content-Length": "0"})
        elif p == "/to-file":
            self._send(302, {"Location": "file:///etc/passwd", "Content-Length": "0"})
        elif p.startswith("/loop/"):
            n = int(p.rsplit("/", 1)[1])
            self._send(302, {"Location": f"/loop/{n + 1}", "Content-Length": "0"})
        elif p == "/huge-announced":
            self._send(200, {"Content-Type": "text/html", "Content-Length": str(10 ** 12)})
        elif p == "/endless":   # no length: a body until the server closes, far past the cap
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(64):   # 4 MB at most, then stop by itself
                    self.wfile.write(b"x" * 65536)
            except OSError:
                pass
        elif p == "/longer-than-announced":
            self._send(200, {"Content-Type": "text/plain", "Content-Length": "12"},
                       b"Ghana, Togo." + b" and more" * 100000)
        elif p == "/slow":   # a byte every 0.2 s: each read is quick, the whole is not
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "200")
            self.end_headers()
            try:
                for _ in range(50):   # 10 s at most, then stop by itself
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
        elif p == "/gzip":
            self._send(200, {"Content-Type": "text/html", "Content-Encoding": "gzip",
                             "Content-Length": "20"}, b"\x1f\x8b" + b"\x00" * 18)
        elif p == "/image.png":
            self._send(200, {"Content-Type": "image/png", "Content-Length": "4"}, b"\x89PNG")
        else:
            self._send(404, {"Content-Length": "0"})


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def add(data: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["documents", "add", "--data", str(data), *args])
    return result.exit_code, result.output


def test_a_page_is_added_with_its_sidecar(server: str, tmp_path: Path) -> None:
    code, out = add(tmp_path, f"{server}/page.html")
    assert code == 0, out
    page = tmp_path / "documents" / "page.html"
    assert page.read_bytes() == PAGE
    side = json.loads((tmp_path / "documents" / "page.meta.json").read_text())
    assert side["source"] == f"{server}/page.html"
    assert side["sha256"] == hashlib.sha256(PAGE).hexdigest()
    assert side["content_type"] == "text/html" and side["encoding"] == "utf-8"
    assert side["bytes"] == len(PAGE) and side["retrieved"].endswith("Z")
    # the same again: nothing new; a redirect to it is followed and lands on the same bytes
    code, out = add(tmp_path, f"{server}/page.html", f"{server}/moved")
    assert code == 0 and out.count("unchanged:") == 2, out
    names = sorted(p.name for p in (tmp_path / "documents").iterdir())
    assert names == ["page.html", "page.meta.json"]


def test_what_is_added_is_built(server: str, tmp_path: Path) -> None:
    from hrkg.graph.build import build
    from hrkg.graph.store import open_read_only

    assert add(tmp_path, f"{server}/page.html")[0] == 0
    result = build(tmp_path, tmp_path / "store", validate=False)
    assert result.ok
    got = {tuple(t.value for t in r) for r in open_read_only(tmp_path / "store").query(
        "SELECT ?t ?s WHERE { <https://w3id.org/hrkg/id/document/page> "
        "<http://purl.org/dc/terms/title> ?t ; <http://purl.org/dc/terms/source> ?s }")}
    assert got == {("Cuba and Chile", f"{server}/page.html")}


@pytest.mark.parametrize("path, args, expected", [
    ("/to-file", [], "file:///etc/passwd (a redirect from"),
    ("/loop/0", ["--max-redirects", "3"], "more than 3 redirects"),
    ("/huge-announced", [], "1000000000000 bytes announced, more than"),
    ("/endless", ["--max-mb", "1"], "the body is larger than the 1048576 bytes allowed"),
    ("/slow", ["--timeout", "1"], "not complete within 1 s"),
    ("/gzip", [], "compressed (gzip) though none was asked for"),
    ("/image.png", [], "content type 'image/png' is not one hrkg reads"),
    ("/nothing-here", [], "the server answered 404"),
])
def test_refusals(server: str, tmp_path: Path, path: str, args: list[str], expected: str) -> None:
    code, out = add(tmp_path, *args, f"{server}{path}")
    assert code == 1
    assert expected in out, out
    assert not (tmp_path / "documents").exists() or not any((tmp_path / "documents").iterdir())


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x.html",
                                 "data:text/html,<p>Cuba</p>", "javascript:alert(1)", "/relative"])
def test_only_http_and_https(tmp_path: Path, url: str) -> None:
    code, out = add(tmp_path, url)
    assert code == 1 and "only http and https URLs are fetched" in out


def test_a_body_longer_than_announced_is_not_read_past_it(server: str, tmp_path: Path) -> None:
    code, out = add(tmp_path, f"{server}/longer-than-announced")
    assert code == 0, out
    assert (tmp_path / "documents" / "longer-than-announced.txt").read_bytes() == b"Ghana, Togo."
