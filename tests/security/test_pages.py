"""The pages and the browser's view: headers that forbid inline script and framing, a
Host allow-list against DNS rebinding, no cross-site requests, no javascript: links, no
query run from a link."""

from __future__ import annotations

import json
import re

from hrkg.serve.app import SECURITY_HEADERS, _term
from tests.servers import COUNT_MEMBERS, get, q


def test_every_answer_carries_the_security_headers(guarded) -> None:
    for path in ("/", "/static/ui.js", "/id/state/PRK", "/.well-known/void", "/examples.json",
                 "/query?query=ASK%7B%7D", "/nowhere"):
        status, headers, _ = get(guarded.url + path)
        for name, value in SECURITY_HEADERS.items():
            assert headers.get(name) == value, (path, name, headers)
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    status, headers, body = get(guarded.url + "/")
    assert b"<script>" not in body and b"<style>" not in body
    assert not re.search(rb"\son[a-z]+=", body)  # no inline event handlers


def test_unknown_paths_are_404_and_bad_resource_names_400(guarded) -> None:
    assert get(guarded.url + "/nowhere")[0] == 404
    assert get(guarded.url + "/query/x")[0] == 404
    for bad in ("PRK%0A%3E%20%7B", "PRK%3E%20%7B", "PRK%00", "PRK%22"):
        status, _, body = get(guarded.url + "/id/state/" + bad)
        assert status == 400 and b"not a resource name" in body, bad
    assert get(guarded.url + "/id/state/NOWHERE", "text/html")[0] == 404


def test_a_foreign_host_is_refused(guarded) -> None:
    """DNS rebinding: a page on evil.example whose name now points at 127.0.0.1."""
    status, _, body = get(guarded.url + "/query?query=ASK%7B%7D",
                          headers={"Host": f"evil.example:{guarded.port}"})
    assert status == 421 and b"evil.example" in body
    for host in (f"localhost:{guarded.port}", f"127.0.0.1:{guarded.port}", "localhost"):
        assert get(guarded.url + "/query?query=ASK%7B%7D", headers={"Host": host})[0] == 200


def test_cross_site_requests_are_refused(guarded) -> None:
    form = f"query={COUNT_MEMBERS}".encode()
    for headers in ({"Origin": "https://evil.example"},
                    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}):
        status, _, body = get(guarded.url + "/query", data=form,
                              ctype="application/x-www-form-urlencoded", headers=headers)
        assert status == 403 and b"from another site is refused" in body
    status, _, _ = get(guarded.url + "/query?query=ASK%7B%7D",
                       headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors"})
    assert status == 403
    # a link followed by a person (a top-level navigation) and same-origin requests work
    assert get(guarded.url + "/id/state/PRK", "text/html",
               headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"})[0] == 200
    status, _, _ = get(guarded.url + "/query", data=form,
                       ctype="application/x-www-form-urlencoded",
                       headers={"Origin": guarded.url, "Sec-Fetch-Site": "same-origin"})
    assert status == 200


def test_only_web_iris_become_links() -> None:
    for iri in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                "JaVaScRiPt:alert(1)", "vbscript:x"):
        cell = _term({"type": "uri", "value": iri})
        assert "<a " not in cell and "href" not in cell
    assert _term({"type": "uri", "value": "https://example.org/x"}).startswith(
        '<a href="https://example.org/x">')
    assert _term({"type": "uri", "value": "https://w3id.org/hrkg/id/state/PRK"}).startswith(
        '<a href="/id/state/PRK">')


def test_a_query_iri_with_a_script_scheme_is_only_text_in_results(guarded) -> None:
    status, _, body = q(guarded.url, 'SELECT ?x WHERE { BIND(IRI("javascript:alert(1)") AS ?x) }')
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["x"] == {
        "type": "uri", "value": "javascript:alert(1)"}
    ui = get(guarded.url + "/static/ui.js")[2].decode()
    assert "/^https?:\\/\\//i.test(iri)" in ui  # the UI links only http(s) IRIs
