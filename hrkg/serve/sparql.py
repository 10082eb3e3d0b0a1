"""What a query must be before the engine sees it: lexed by SPARQL's own grammar, checked,
and rewritten in a canonical form that is what the engine then runs.

The check used to read the query's text and look for the keyword SERVICE; five spellings got
past it, because the check and the engine's parser read some characters differently (a
``\\#`` in a prefixed name, a ``\\u0022`` in a string, ``SERVICE:a``). Here the query is cut
into the terminals of the SPARQL 1.1 grammar (section 19.8: IRIs, prefixed names, strings
with their escapes, variables, numbers, keywords, punctuation), and the engine receives not
the text but those tokens written out again, one space apart, in forms that leave no room
for a second reading:

- prefixed names expanded to full IRIs, PREFIX declarations dropped;
- strings decoded (``\\u`` and ``\\t`` escapes) and written with ``"`` and the four escapes
  ``\\\\ \\" \\n \\r`` only; IRIs decoded the same way;
- comments dropped, ``$x`` written ``?x``, keywords in capitals (they are case-insensitive,
  but for ``a``).

So what was checked is what runs: a SERVICE keyword in the engine's input is a SERVICE token
here, and is refused. This is a defence in depth; the processes that evaluate queries
cannot open a socket in any case (:mod:`hrkg.serve.sandbox`).

The same pass measures the query: its size, its nesting depth (the engine's parser recurses
on nesting and its stack overflows near 3,000 nested braces) and its form (an update is
refused with 403, anything that is not SELECT, CONSTRUCT, ASK or DESCRIBE with 400).

>>> prepare('PREFIX ex: <http://ex/> SELECT ?x WHERE { ?x ex:p "a\\\\u0022b" } # hi')
'SELECT ?x WHERE { ?x <http://ex/p> "a\\\\"b" }'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Refused", "Limits", "prepare", "UPDATE_KEYWORDS"]


class Refused(Exception):
    """The query is not run: ``status`` is the HTTP status, the message is for a person."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 256 * 1024  # the query's text, UTF-8
    max_depth: int = 128  # nesting of { ( [ together

    @property
    def max_output(self) -> int:
        """Expanded prefixes may lengthen a query: four times its limit at most."""
        return 4 * self.max_bytes


UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"})

# The terminals of SPARQL 1.1, section 19.8 (with UCHAR in strings and IRIs, as SPARQL 1.2
# and the engine read them).
_BASE_CHARS = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
    "\U00010000-\U000effff"
)
_U = _BASE_CHARS + "_"
_CHARS = _U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"""\\[tbnrf\\"']"""
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = f"[{_BASE_CHARS}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_TOKEN = re.compile(
    "|".join(
        f"(?P<{name}>{rx})"
        for name, rx in [
            ("ws", r"[ \t\r\n]+"),
            ("comment", r"#[^\r\n]*"),
            ("iri", f'<(?:[^<>"{{}}|^`\\\\\x00-\x20]|{_UCHAR})*>'),
            (
                "long",
                f"'''(?:(?:'|'')?(?:[^'\\\\]|{_ECHAR}|{_UCHAR}))*'''"
                f'|"""(?:(?:"|"")?(?:[^"\\\\]|{_ECHAR}|{_UCHAR}))*"""',
            ),
            (
                "short",
                f"'(?:[^'\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*'"
                f'|"(?:[^"\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*"',
            ),
            ("var", f"[?$](?:[{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)"),
            ("bnode", f"_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?"),
            ("pname", f"(?P<prefix>{_PREFIX})?:(?P<local>{_LOCAL})?"),
            ("langtag", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
            (
                "number",
                r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+"
                r"|[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+)",
            ),
            ("word", r"[A-Za-z][A-Za-z0-9_]*"),
            ("punct", r"\^\^|<=|>=|!=|&&|\|\||[{}()\[\].,;*+\-/=<>!^|?]"),
        ]
    )
)
_ESCAPE = re.compile(f"{_UCHAR}|{_ECHAR}")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", "\\": "\\", '"': '"', "'": "'"}
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_OPEN, _CLOSE = "{([", "})]"


def _decode(text: str, where: int) -> str:
    def one(m: re.Match[str]) -> str:
        s = m.group()
        if s[1] in "uU":
            code = int(s[2:], 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise Refused(400, f"character {where}: {s} is not a Unicode character")
            return chr(code)
        return _ECHARS[s[1]]

    return _ESCAPE.sub(one, text)


def _string(value: str) -> str:
    return (
        '"'
        + (
            value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
        + '"'
    )


def _iri(value: str, where: int) -> str:
    bad = _IRI_FORBIDDEN.search(value)
    if bad:
        raise Refused(400, f"character {where}: an IRI may not hold {bad.group()!r}")
    return f"<{value}>"


def prepare(text: str, limits: Limits = Limits()) -> str:
    """The canonical form of the query ``text``, or :class:`Refused`: 400 for what is not a
    SPARQL query (or uses SERVICE, or is too large or too deep), 403 for an update.

    >>> try:
    ...     prepare("select * { ?s ?p ?o .SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    ... except Refused as refused:
    ...     print(refused.status, refused.message[:23])
    400 SERVICE is refused here
    """
    if len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes:
        raise Refused(
            400, f"the query is longer than this server's limit of {limits.max_bytes // 1024} KB"
        )
    out: list[str] = []
    size = 0
    prefixes: dict[str, str] = {}
    stack: list[str] = []
    form: str | None = None
    bases = 0
    expect: str | None = None  # what the prologue needs next: "ns" or "iri" or "base"
    last = ""  # the kind of the token before
    pos, end = 0, len(text)
    while pos < end:
        m = _TOKEN.match(text, pos)
        if m is None:
            line = text.count("\n", 0, pos) + 1
            raise Refused(
                400,
                f"line {line}, character {pos - text.rfind(chr(10), 0, pos)}: "
                f"not SPARQL at {text[pos : pos + 20]!r}",
            )
        pos, kind = m.end(), m.lastgroup or ""
        if kind in ("ws", "comment"):
            continue
        token = m.group()
        if kind == "pname":
            kind = "ns" if m.group("local") is None else "pname"
        if expect == "ns":
            if kind != "ns":
                raise Refused(400, f"character {m.start()}: PREFIX needs a name like ex:")
            declared, expect = token[:-1], "prefix-iri"
            continue
        if expect in ("prefix-iri", "base"):
            if kind != "iri":
                raise Refused(400, f"character {m.start()}: an IRI <…> is needed here")
            iri = _decode(token[1:-1], m.start())
            _iri(iri, m.start())
            if expect == "prefix-iri":
                prefixes[declared] = iri
                expect = None
                continue
            expect = None
            token = f"<{iri}>"
        elif kind == "iri":
            token = _iri(_decode(token[1:-1], m.start()), m.start())
        elif kind == "pname":
            name = m.group("prefix") or ""
            if name not in prefixes:
                raise Refused(
                    400,
                    f"character {m.start()}: the prefix {name}: is not "
                    "declared (PREFIX " + name + ": <…>)",
                )
            local = re.sub(r"\\(.)", r"\1", m.group("local"))
            token = _iri(prefixes[name] + local, m.start())
        elif kind == "ns":
            raise Refused(
                400,
                f"character {m.start()}: {token} names no resource (the part "
                "after the colon is missing)",
            )
        elif kind in ("long", "short"):
            quote = 3 if kind == "long" else 1
            token = _string(_decode(token[quote:-quote], m.start()))
        elif kind == "var":
            token = "?" + token[1:]
        elif kind == "word":
            word = token.upper()
            if token not in ("a", "true", "false"):  # 'a' is the one case-sensitive keyword
                token = word
            if word == "SERVICE":
                raise Refused(
                    400,
                    "SERVICE is refused here: this endpoint does not query "
                    "other endpoints. Remove the SERVICE clause.",
                )
            if form is None:
                if word == "PREFIX":
                    expect = "ns"
                    continue
                if word == "BASE":
                    bases += 1
                    if bases > 1:
                        raise Refused(400, "one BASE declaration at most")
                    expect = "base"
                elif word in UPDATE_KEYWORDS:
                    raise Refused(403, f"{word} (an update) is refused: this endpoint is read-only")
                elif word in _QUERY_FORMS:
                    form = word
                else:
                    raise Refused(
                        400,
                        f"character {m.start()}: a query starts with SELECT, "
                        f"CONSTRUCT, ASK or DESCRIBE, not {token}",
                    )
        elif kind == "punct" and token in _OPEN:
            stack.append(_CLOSE[_OPEN.index(token)])
            if len(stack) > limits.max_depth:
                raise Refused(
                    400,
                    f"the query nests {{ ( [ deeper than this server's limit of {limits.max_depth}",
                )
        elif kind == "punct" and token in _CLOSE:
            if not stack or stack.pop() != token:
                raise Refused(400, f"character {m.start()}: {token} closes nothing open")
        if form is None and kind not in ("word", "iri"):
            raise Refused(
                400,
                f"character {m.start()}: a query starts with SELECT, "
                f"CONSTRUCT, ASK or DESCRIBE, not {token}",
            )
        if out and (kind == "langtag" or (token == "(" and last == "word")):
            out[-1] += token  # "a"@en; CONCAT( — the engine wants no space before either
        else:
            out.append(token)
        last = kind
        size += len(token) + 1
        if size > limits.max_output:
            raise Refused(400, "the query is too long once its prefixes are expanded")
    if expect is not None:
        raise Refused(400, "the query ends inside its PREFIX or BASE declarations")
    if form is None:
        raise Refused(400, "no query: a query starts with SELECT, CONSTRUCT, ASK or DESCRIBE")
    if stack:
        raise Refused(400, f"the query ends with {len(stack)} bracket(s) still open")
    return " ".join(out)
