"""Reading the UN documents of one UPR review as the UN issues them (PDF): which document a
file is (its symbol, printed in the masthead), its date, and what each kind says.

- the Working Group report (A/HRC/<session>/<n>): read by :mod:`upr_report_text`, in the
  format of reports since 2015 too ("(Maldives) (Portugal)"), and with the first cycle's
  "To ratify (Spain)/consider ratifying (Argentina) the Convention … (Spain, Argentina)" read
  as one recommendation per state (:func:`expand_slashes`);
- its addendum (…/Add.1): the state's positions as lists of paragraph numbers under
  headings (accepted; accepted and already implemented or in the process of implementation;
  noted), typos such as "140.35. 140.36" and ranges such as "122.17-18" or "1–5" included;
  the first cycle's addenda answer in prose, one numbered answer per recommendation
  (:func:`read_addendum`);
- the Human Rights Council's decision (A/HRC/DEC/…): the day the outcome was adopted;
- the three documents of the review (A/HRC/WG.6/<session>/<ISO3>/1–3): national report, UN
  compilation, stakeholders' summary.

A review's files sit in one folder; each is found by the symbol its first page prints (the
file name does not matter: the UN's own "g2502644.pdf" works as well as "A_HRC_59_15.pdf").
Nothing here writes triples: the ``ohchr-upr`` loader does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from hrkg.errors import LoaderError
from hrkg.loaders.upr_report_text import (
    MONTHS,
    Item,
    Report,
    parse,
    pdf_pages,
    split_states,
    without_footnotes,
)

__all__ = [
    "UNDocument",
    "Positions",
    "Decision",
    "KINDS",
    "kind_of",
    "read_document",
    "read_report",
    "read_addendum",
    "read_decision",
    "expand_slashes",
    "repair_layout",
    "documents_in",
    "day",
    "content_of",
]

# kind → (symbol pattern, hr:documentType, title)
KINDS: dict[str, tuple[re.Pattern[str], str, str]] = {
    "report": (
        re.compile(r"A/HRC/(?P<hrc>\d+)/(?P<n>\d+)"),
        "Working Group report",
        "Report of the Working Group on the Universal Periodic Review",
    ),
    "addendum": (
        re.compile(r"A/HRC/(?P<hrc>\d+)/(?P<n>\d+)/Add\.(?P<add>\d+)"),
        "Working Group report addendum",
        "Views on conclusions and/or recommendations, voluntary commitments and "
        "replies presented by the State under review",
    ),
    "decision": (
        re.compile(r"A/HRC/DEC/(?P<hrc>\d+)/(?P<n>\d+)"),
        "Human Rights Council decision",
        "Outcome of the universal periodic review",
    ),
    "national report": (
        re.compile(r"A/HRC/WG\.6/(?P<session>\d+)/(?P<iso3>[A-Z]{3})/1"),
        "national report",
        "National report",
    ),
    "compilation": (
        re.compile(r"A/HRC/WG\.6/(?P<session>\d+)/(?P<iso3>[A-Z]{3})/2"),
        "compilation of UN information",
        "Compilation of UN information",
    ),
    "stakeholders' summary": (
        re.compile(r"A/HRC/WG\.6/(?P<session>\d+)/(?P<iso3>[A-Z]{3})/3"),
        "summary of stakeholders' submissions",
        "Summary of stakeholders' submissions",
    ),
}
_DATE = (
    r"(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+(\d{4})"
)
_MASTHEAD = re.compile(r"United\s+Nations\s+(A/HRC/[A-Za-z0-9./]*\d)")
_SYMBOL = re.compile(r"\bA/HRC/(?:WG\.6/\d+/[A-Z]{3}/\d|DEC/\d+/\d+|\d+/\d+(?:/Add\.\d+)?)\b")


def kind_of(symbol: str) -> str | None:
    """The kind of UN document a symbol names.

    >>> [kind_of(s) for s in ("A/HRC/59/15", "A/HRC/59/15/Add.1", "A/HRC/DEC/59/112",
    ...                       "A/HRC/WG.6/48/SVN/3", "A/HRC/59/2/Corr.1")]
    ['report', 'addendum', 'decision', "stakeholders' summary", None]
    """
    for kind, (rx, _, _) in KINDS.items():
        if rx.fullmatch(symbol):
            return kind
    return None


def day(text: str) -> date | None:
    """The first "28 January 2025" in ``text``."""
    m = re.search(_DATE, text)
    if not m:
        return None
    try:
        return date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    except ValueError:
        return None


@dataclass
class UNDocument:
    """One UN document of a review, read from its PDF: what its first page says; the text
    of all its pages is read when asked for (:attr:`pages`)."""

    path: Path
    symbol: str
    kind: str
    first_page: str  # pypdf plain mode
    issued: date | None = None  # "Distr.: General  24 March 2025"
    state_written: str | None = None  # "Slovenia", where the title names it
    notes: list[str] = field(default_factory=list)

    @property
    def document_type(self) -> str:
        return KINDS[self.kind][1]

    @property
    def title(self) -> str:
        base = KINDS[self.kind][2]
        return f"{base}: {self.state_written}" if self.state_written else base

    def match(self) -> re.Match[str]:
        m = KINDS[self.kind][0].fullmatch(self.symbol)
        assert m is not None
        return m

    @property
    def pages(self) -> list[str]:
        """The text of each page (pypdf plain mode), lines without trailing spaces."""
        return _pages(*_key(self.path))

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


def _key(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return str(path), st.st_size, st.st_mtime_ns


@cache
def _pages(path_s: str, size: int, mtime: int) -> list[str]:
    return [_tidy(p) for p in pdf_pages(Path(path_s), "plain", "a UN document of a UPR review")]


def read_document(path: Path) -> UNDocument:
    """A UN document of a review from its PDF: its symbol (the masthead's; else the file
    name's, "A_HRC_59_15_Add.1.pdf"), kind, date of issue; its first page is read."""
    return _read_document(*_key(path))


@cache
def _read_document(path_s: str, size: int, mtime: int) -> UNDocument:
    path = Path(path_s)
    pages = pdf_pages(path, "plain", "a UN document of a UPR review", first=2)
    first = " ".join(pages[0].split())
    notes = []
    m = _MASTHEAD.search(first)
    named = path.stem.replace("_", "/")
    symbol = m.group(1).rstrip(".") if m else None
    if symbol is None or kind_of(symbol) is None:
        counts: dict[str, int] = {}
        for page in pages[1:]:
            for s in _SYMBOL.findall(page[:200]):
                counts[s] = counts.get(s, 0) + 1
        symbol = max(counts, key=lambda s: counts[s]) if counts else None
    if symbol is None or kind_of(symbol) is None:
        if kind_of(named) is None:
            raise LoaderError(
                path,
                "no UN document symbol (A/HRC/…) in the masthead, the page "
                "headers or the file name; expected a UPR document: a "
                "Working Group report, its addendum, the Council's "
                "decision or one of the review's three documents",
            )
        symbol = named
        notes.append(f"no symbol in the document; {symbol} taken from the file name")
    elif kind_of(named) and named != symbol:
        notes.append(
            f"the file name says {named}; the document prints {symbol}: the document's is kept"
        )
    kind = kind_of(symbol)
    assert kind is not None
    doc = UNDocument(path, symbol, kind, _tidy(pages[0]), notes=notes)
    m = re.search(r"Distr\.:?\s*General\s+" + _DATE, first)
    doc.issued = day(m.group(0)) if m else None
    if doc.issued is None:
        notes.append("no date of issue ('Distr.: General <date>') on the first page")
    doc.state_written = _state_named(first, kind)
    return doc


def _tidy(page: str) -> str:
    """A page's lines without trailing spaces; the whitespace pypdf puts inside them kept."""
    return "\n".join(line.rstrip() for line in page.replace("\r", "").split("\n"))


_NAME = r"(?P<s>[A-Z][\w’' ().,-]+?)"
_NAMED = {
    "report": r"Universal\s+Periodic\s+Review\s*\*?\s+"
    + _NAME
    + r"\s+(?:Addendum|\*|The annex|United Nations|Contents|GE\.|$)",
    "addendum": r"Universal\s+Periodic\s+Review\s*\*?\s+" + _NAME + r"\s+Addendum",
    "decision": r"[Oo]utcome of the [Uu]niversal [Pp]eriodic [Rr]eview:\s*"
    + _NAME
    + r"\s+The Human Rights Council",
    "national report": r"(?:resolution 16/21|resolutions 5/1 and 16/21)\s*\*?\s+"
    + _NAME
    + r"\s+(?:\*|United Nations|GE\.|$)",
    "compilation": r"(?:Compilation (?:on|of information on) "
    + _NAME
    + r"\s+(?:\*|Report|United Nations|$)|"
    + _NAME.replace("?P<s>", "?P<s2>")
    + r"\s+Compilation of information)",
    "stakeholders' summary": r"[Ss]ubmissions (?:on|for) "
    + _NAME
    + r"\s*\*?\s+(?:\*|Report|United Nations|$)",
}


def _state_named(first: str, kind: str) -> str | None:
    """The state the title names: "Report of the Working Group on the Universal Periodic
    Review: Slovenia", "Summary of stakeholders' submissions on Slovenia" …"""
    m = re.search(_NAMED[kind], first)
    if not m:
        return None
    name = m.group("s") or (m.groupdict().get("s2") or "")
    name = re.sub(r"\s+", " ", name).strip(" .*")
    # "Geneva, 20–31 January 2025 Slovenia": keep what follows the dates of the session
    name = re.split(r"\d{4}\s+", name)[-1]
    return name or None


# --- the folder of a review ---------------------------------------------------------------


def documents_in(folder: Path) -> dict[str, Path]:
    """Symbol → file, for the PDFs of a review's folder that can be read."""
    out: dict[str, Path] = {}
    for p in sorted(folder.glob("*.pdf")):
        try:
            out.setdefault(read_document(p).symbol, p)
        except LoaderError:
            continue
    return out


# --- the Working Group report --------------------------------------------------------------

_SLASHED = re.compile(r"\(([^()]+)\)\s*/\s*")
_LAYOUT_HYPHEN = re.compile(r"(?<=\w) +-(?=[a-z])")
_LAYOUT_APOSTROPHE = re.compile(r"(?<=\w) +(?=[’'](?:s|S)\b)")


def repair_layout(text: str) -> str:
    """Undo what pypdf's layout mode does to justified lines: "awareness -raising",
    "system ’s".

    >>> repair_layout("strengthening awareness   -raising across the system ’s reach")
    'strengthening awareness-raising across the system’s reach'
    """
    return _LAYOUT_APOSTROPHE.sub("", _LAYOUT_HYPHEN.sub("-", text))


def expand_slashes(item: Item, resolve: Callable[[str], str | None]) -> list[Item]:
    """The first cycle's shorthand for several recommendations in one sentence:

    "To ratify (Spain)/consider the possibility of ratifying (Argentina) the Convention (Spain,
    Argentina) and of accepting the jurisdiction of its committee (Argentina)" is two
    recommendations, "To ratify the Convention" (Spain) and "consider the possibility of
    ratifying the Convention and of accepting the jurisdiction of its committee" (Argentina):
    each verb with its state, then the words the states share, then the words of the last
    parenthesis's states. Returned unchanged where the sentence is not of that form.
    """
    heads = list(_SLASHED.finditer(item.text))
    if not heads:
        return [item]
    verbs, start = [], 0
    for m in heads:
        states = split_states(m.group(1), resolve)
        if not states or not all(resolve(s) for s in states):
            return [item]
        verbs.append((item.text[start : m.start()].strip(), states))
        start = m.end()
    last = re.match(
        r"(?P<verb>[^()]*?)\s*\((?P<states>[^()]+)\)\s*(?P<rest>.*)$", item.text[start:], re.S
    )
    if not last:
        return [item]
    states = split_states(last.group("states"), resolve)
    if not states or not all(resolve(s) for s in states):
        return [item]
    verbs.append((last.group("verb").strip(), states))
    rest = last.group("rest")
    shared, own = rest, ""
    inner = re.search(r"\s*\(([^()]+)\)\s*", rest)
    if inner and all(resolve(s) for s in split_states(inner.group(1), resolve)):
        shared, own = rest[: inner.start()], rest[inner.end() :]
    tail = {resolve(s) for s in item.states_written}
    out = []
    for n, (verb, names) in enumerate(verbs, 1):
        words = f"{verb} {shared.strip()}"
        if own.strip() and {resolve(s) for s in names} & tail:
            words += f" {own.strip()}"
        out.append(
            Item(item.paragraph, words.strip(), names, item.group, item.line, item.restored, n)
        )
    return out


@dataclass
class ReportText:
    """A Working Group report read from its PDF, with the page of each line."""

    report: Report
    page_starts: list[int]  # line (from 1) where each page starts

    def page_of(self, line: int) -> int:
        page = 1
        for n, start in enumerate(self.page_starts, 1):
            if start <= line:
                page = n
        return page


def read_report(path: Path, resolve: Callable[[str], str | None]) -> ReportText:
    """The Working Group report of a review from its PDF (layout mode, as the 2008–2014 PDFs
    are read), several recommending states in parentheses side by side, the first cycle's
    shorthand expanded, pypdf's layout spacing undone in the words."""
    return _read_report(*_key(path), resolve)


@cache
def _read_report(path_s: str, size: int, mtime: int, resolve) -> ReportText:
    path = Path(path_s)
    pages = [without_footnotes(p) for p in pdf_pages(path, "layout", "a UPR report")]
    starts, line = [], 1
    for p in pages:
        starts.append(line)
        line += p.count("\n") + 1
    rep = parse("\n".join(pages), str(path), resolve, side_by_side=True)
    items: list[Item] = []
    for item in rep.items:
        item.text = repair_layout(item.text)
        items += expand_slashes(item, resolve) if item.part == 0 else [item]
    rep.items = items
    return ReportText(rep, starts)


# --- the addendum: positions ---------------------------------------------------------------

_REF = re.compile(
    r"(?:(?P<top>\d{1,3})\.)?(?P<sub>\d{1,3})"
    r"(?:\s*[-–]\s*(?:(?P<top2>\d{1,3})\.)?(?P<sub2>\d{1,3})(?![\d.]\d))?"
)
_SEP = re.compile(r"(?:\s|,|;|\.(?!\d)|\band\b)*")
_PARA = re.compile(r"(?m)^\s*(?P<n>\d{1,2})\.\s+(?=[A-Z])")
_FURNITURE = re.compile(r"(?m)^\s*(?:A/HRC/\S+|\d{1,3}|GE\.\d\d-\d+.*|\*\d+\*)\s*$")
# "accepts the following recommendations:", "takes note of recommendations", "accepts the
# following recommendations and provides some additional information about the implementation:"
_LIST_VERB = re.compile(
    r"\b(?P<verb>accepts?|supports?|takes?\s+note\s+of|notes?)\s+"
    r"(?:the\s+|these\s+)?(?:following\s+)?recommendations\b"
    r"(?:[^:\d]{0,120}:)?",
    re.I,
)


@dataclass
class Position:
    response: str  # supported | noted
    category: str  # accepted | implemented | noted (the addendum's heading)
    paragraph: str  # the addendum's paragraph that lists it
    page: int


@dataclass
class Positions:
    """What an addendum says of each recommendation, by the report's paragraph number."""

    by_paragraph: dict[str, Position] = field(default_factory=dict)
    claimed: dict[str, int] = field(default_factory=dict)  # "supported": 217 (paragraph 2)
    unclassified: list[tuple[str, str]] = field(default_factory=list)  # (paragraph, words)
    problems: list[str] = field(default_factory=list)
    review_date: date | None = None

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.by_paragraph.values():
            out[p.response] = out.get(p.response, 0) + 1
        return out


def _page_of(offset: int, starts: list[int]) -> int:
    page = 1
    for n, s in enumerate(starts, 1):
        if s <= offset:
            page = n
    return page


def read_addendum(doc: UNDocument, groups: list[str]) -> Positions:
    """The positions an addendum gives, by the report's paragraph numbers ("140.7"). Bare
    numbers ("1–5", the second cycle's) are sub-paragraphs of the report's paragraph the
    addendum names ("follow the list in paragraph 115") or of its only group (``groups``:
    the report's paragraphs that list recommendations)."""
    pages = [_FURNITURE.sub("", p) for p in doc.pages]
    starts, offset = [], 0
    for p in pages:
        starts.append(offset)
        offset += len(p) + 1
    text = "\n".join(pages)
    out = Positions()
    m = re.search(r"Review(?: of .{0,40}?)?\s+on\s+" + _DATE, text, re.S)
    out.review_date = day(m.group(0)) if m else None
    named = re.search(r"paragraph\s+(\d{2,3})\s+of\s+the\s+[Rr]eport", text)
    top = named.group(1) if named else (groups[0] if len(groups) == 1 else None)
    paras = list(_PARA.finditer(text))
    lists = 0
    for k, pm in enumerate(paras):
        end = paras[k + 1].start() if k + 1 < len(paras) else len(text)
        body = text[pm.end() : end]
        heading = _heading_before(text, pm.start())
        flat = " ".join(body.split())
        if pm.group("n") == "2":
            _claimed(flat, out)
        verb = _LIST_VERB.search(body)
        if verb is None:
            continue
        found = _references(body, verb.end(), top, out, pm.group("n"))
        if not found:
            continue
        lists += 1
        noted = verb.group("verb").lower().startswith(("take", "note"))
        if noted or "noted" in heading.lower():
            response, category = "noted", "noted"
        elif "implement" in heading.lower():
            response, category = "supported", "implemented"
        else:
            response, category = "supported", "accepted"
        page = _page_of(pm.start(), starts)
        for ref in found:
            if ref in out.by_paragraph:
                out.problems.append(
                    f"{ref} is listed in paragraph "
                    f"{out.by_paragraph[ref].paragraph} and again in paragraph "
                    f"{pm.group('n')}; the first is kept"
                )
                continue
            out.by_paragraph[ref] = Position(response, category, pm.group("n"), page)
    if not lists:
        _prose(text, top, starts, out)
    return out


def _heading_before(text: str, offset: int) -> str:
    """The heading above a paragraph: "III. Noted recommendations", "Accepted
    recommendations that Slovenia considers already implemented …"."""
    before = text[:offset].rstrip().split("\n")
    for i in range(len(before) - 1, max(len(before) - 4, -1), -1):
        line = before[i].strip()
        if re.match(r"(?:[IVX]+\.\s*|\d\.\s+)?(?:Accepted|Supported|Noted)\b", line):
            return " ".join(x.strip() for x in before[i:])
    return ""


def _claimed(flat: str, out: Positions) -> None:
    """ "of which 217 are supported and 37 noted"; "accepts 142 recommendations … notes 21"."""
    for word, key in (("supported|accepted|accepts", "supported"), ("noted|notes", "noted")):
        pats = [
            rf"(\d+)\s+(?:are|were|is)?\s*(?:now\s+|\w+ly\s+)?(?:{word})\b",
            rf"\b(?:{word})\s+(\d+)\s+recommendations",
        ]
        for pat in pats:
            for m in re.finditer(pat, flat):
                out.claimed[key] = out.claimed.get(key, 0) + int(m.group(1))
            if key in out.claimed:
                break


def _references(body: str, at: int, top: str | None, out: Positions, para: str) -> list[str]:
    """The run of paragraph numbers from ``at``: "140.7, 140.8", "140.35. 140.36",
    "122.17-18", "1–5". The run stops at a word, or where the numbers go back (the
    explanations after a list start again from its first number: "140.11-14")."""
    refs: list[str] = []
    pos, last = at, (0, 0)
    while True:
        sep = _SEP.match(body, pos)  # matches the empty string too: never None
        pos = sep.end() if sep else pos
        m = _REF.match(body, pos)
        if not m:
            break
        t = m.group("top") or top
        if t is None:
            out.problems.append(
                f"paragraph {para}: bare number {m.group(0)!r} and no report "
                "paragraph to place it in; not read"
            )
            break
        first = (int(t), int(m.group("sub")))
        if first <= last:
            break
        t2 = m.group("top2") or t
        second = (int(t2), int(m.group("sub2"))) if m.group("sub2") else first
        if second[0] != first[0] or second < first:
            out.problems.append(f"paragraph {para}: the range {m.group(0)!r} is not read")
            break
        refs += [f"{first[0]}.{n}" for n in range(first[1], second[1] + 1)]
        last = second
        pos = m.end()
    return refs


_POSITIVE = re.compile(r"\baccepts\b|\bsupports\b", re.I)
_NEGATIVE = re.compile(
    r"\bcannot\b|\bdoes not (?:accept|support)\b|\bnot in a position\b|"
    r"\btakes? note\b|\brejects?\b|\bnot accept",
    re.I,
)
_ANSWER = re.compile(r"^\s*(?P<ns>\d{1,3}\.(?:,\s*\d{1,3}\.)*(?P<open>,)?)\s*(?P<rest>.*)$")


def _prose(text: str, top: str | None, starts: list[int], out: Positions) -> None:
    """The first cycle's answers: "12. Slovenia accepts the recommendation …" and "5., 6.,
    7. The Slovenian Government accepts these recommendations." (a list of numbers that ends
    with a comma goes on at the start of the next line: "77., 78., 82., Slovenia accepts …" /
    "83., 85. decision by …"). An answer that accepts and declines, or does neither in so
    many words, is listed as unclassified."""
    if top is None:
        out.problems.append("numbered answers, but no report paragraph to place them in")
        return
    answers: list[tuple[list[int], list[str], int]] = []  # (numbers, lines, offset)
    offset, open_list = 0, False
    for line in text.split("\n"):
        m = _ANSWER.match(line)
        if m and answers and open_list and not m.group("rest")[:1].isupper():
            answers[-1][0].extend(int(n) for n in re.findall(r"\d+", m.group("ns")))
            answers[-1][1].append(m.group("rest"))
            open_list = bool(m.group("open"))
        elif m and m.group("rest")[:1].isupper() or m and m.group("open"):
            answers.append(
                ([int(n) for n in re.findall(r"\d+", m.group("ns"))], [m.group("rest")], offset)
            )
            open_list = bool(m.group("open"))
        elif answers:
            answers[-1][1].append(line)
            open_list = False
        offset += len(line) + 1
    for numbers, lines, at in answers:
        words = " ".join(" ".join(lines).split())
        pos = bool(_POSITIVE.search(" ".join(words.split()[:25])))
        neg = bool(_NEGATIVE.search(words))
        for n in numbers:
            ref = f"{top}.{n}"
            if pos != neg:
                out.by_paragraph.setdefault(
                    ref,
                    Position(
                        "supported" if pos else "noted",
                        "accepted" if pos else "noted",
                        str(n),
                        _page_of(at, starts),
                    ),
                )
            else:
                out.unclassified.append((ref, words[:160]))


# --- the decision --------------------------------------------------------------------------


@dataclass
class Decision:
    adopted: date | None
    review_date: date | None
    report_symbol: str | None


def read_decision(doc: UNDocument) -> Decision:
    """The day the Council adopted the outcome ("25th meeting 2 July 2025", or "Decision
    adopted by the Human Rights Council on 2 July 2025"), the day of the review it names,
    and the report it adopts."""
    flat = " ".join(doc.text.split())
    m = re.search(r"\d+(?:st|nd|rd|th) meeting,?\s+" + _DATE, flat) or re.search(
        r"adopted by the Human Rights Council\s*\*?\s+on\s+" + _DATE, flat
    )
    adopted = day(m.group(0)) if m else None
    m = re.search(r"review of .{0,60}?\bon\s+" + _DATE, flat)
    review = day(m.group(0)) if m else None
    m = re.search(r"\bA/HRC/\d+/\d+\b(?!/)", flat.replace(doc.symbol, ""))
    return Decision(adopted, review, m.group(0) if m else None)


def content_of(doc: UNDocument) -> str:
    """The document's text as hr:content: its pages, each line without its trailing spaces,
    pages separated by a blank line."""
    return "\n\n".join(p.strip("\n") for p in doc.pages)
