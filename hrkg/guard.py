"""What the endpoint refuses before a query reaches the engine: SERVICE (federation, which
would make the server open outbound connections) and updates.

The check is lexical, after SPARQL's own \\u escapes are decoded: strings, IRIs and comments
are blanked out, and what remains is searched for the keywords as bare tokens. A word that
only looks like one (``?service``, ``ex:SERVICE``, ``"SERVICE"``) is allowed; anything that the
engine could read as the keyword is refused.
"""

from __future__ import annotations

import re

__all__ = ["decode_escapes", "blank_out", "uses_service", "update_keyword"]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LEXEMES = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''"      # long strings
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n\r]|\\.)*'"              # short strings
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"         # IRIs
    r"|#[^\n\r]*",                         # comments
    re.S)
_SERVICE = re.compile(r"(?<![\w:?$\-.])SERVICE(?![\w:\-])", re.I)
_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*)*", re.I)  # IRIs are blanked
_UPDATE = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)


def decode_escapes(text: str) -> str:
    """SPARQL decodes \\uXXXX and \\UXXXXXXXX everywhere in a query before parsing it."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def blank_out(text: str) -> str:
    """The query with strings, IRIs and comments replaced by a space."""
    return _LEXEMES.sub(" ", decode_escapes(text))


def uses_service(query: str) -> bool:
    return _SERVICE.search(blank_out(query)) is not None


def update_keyword(query: str) -> str | None:
    """The update operation the text starts with (after its prologue), if any."""
    text = blank_out(query)
    m = _UPDATE.match(text, _PROLOGUE.match(text).end())
    return m.group(1).upper() if m else None
