"""Reading OHCHR's "Thematic list of recommendations" of one UPR review: a Word table (DOCX,
as OHCHR publishes it for every review of cycles 3 and 4) or its text rendering in Markdown.

Each recommendation comes with its paragraph number and words, its recommending states in
parentheses ("(Maldives) (Portugal)" is two states), the position of the state under review
(Supported / Noted) with the document and paragraph that give it ("Source of Position:
A/HRC/59/15/Add.1 - Para.3"), its themes, its SDGs and the groups of persons it concerns.
Rows under a "Theme: …" row belong to that theme's section.

The columns differ between cycles (cycle 3: "Recommendation | Position | Full list of themes
| Assessment/comments on level of implementation", themes, SDGs and affected persons in one
cell; cycle 4: "Recommendation and recommending State | Position of the State under review |
Human rights themes and groups of persons | Relevant SDGs"), so they are read by header
(:data:`COLUMNS`); a header not in that table is an error of the file that names it, and the
other columns are read. What cannot be read is listed in ``ThematicList.problems``.

This module reads; the ``ohchr-thematic-list`` loader turns a :class:`ThematicList` into
triples. A DOCX is a zip of XML: its sizes are checked before it is opened
(:data:`MAX_UNPACKED`), and python-docx's parser does not resolve XML entities.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from hrkg.errors import LoaderError
from hrkg.loaders.upr_report_text import recommendations_in

__all__ = [
    "ThematicList",
    "Entry",
    "Sdg",
    "read",
    "read_docx",
    "read_markdown",
    "COLUMNS",
    "MAX_UNPACKED",
]

# Header (lower case, single spaces) → what the column holds.
COLUMNS = {
    "recommendation": "recommendation",
    "recommendation and recommending state": "recommendation",
    "position": "position",
    "position of the state under review": "position",
    "full list of themes": "themes",
    "human rights themes and groups of persons": "themes",
    "themes": "themes",
    "relevant sdgs": "sdgs",
    "sdgs": "sdgs",
    "assessment/comments on level of implementation": "assessment",
}
MAX_UNPACKED = 64 * 1024 * 1024  # bytes a DOCX may unpack to (OHCHR's lists: < 2 MB)
MAX_RATIO = 200  # unpacked / packed size of one member (a zip bomb: 1000s)

_HEADER = re.compile(
    r"UPR of (?P<state>.+?) \((?P<cycle>\d+)\w* Cycle\s*-\s*(?P<session>\d+)\w* "
    r"Session\)",
    re.I,
)
_MD_HEADER = re.compile(
    r"UPR (?P<session>\d+)\w* Session\s*-\s*(?P<state>[^-]+?)\s*-\s*"
    r"Thematic List",
    re.I,
)
_PARAGRAPH = re.compile(r"^\s*(\d{1,3}\.\d{1,3})\.?\s+(?=\S)")
_SOURCE = re.compile(
    r"^\s*Source of Position:\s*(?P<symbol>A/HRC/[\w./]+?)\s*"
    r"(?:-\s*Para\.?\s*(?P<para>\d+)(?P<junk>\S*))?\s*$",
    re.I,
)
_SDG = re.compile(r"^(?P<goal>\d{1,2})(?:\.(?P<target>[0-9a-z]{1,2}))?\s*-\s*(?P<label>.+)$")
_MARKERS = {"sdgs:": "sdgs", "affected persons:": "persons", "groups of persons:": "persons"}


@dataclass(frozen=True)
class Sdg:
    goal: int
    target: str | None  # "3" of "16.3", where the list gives a target
    label: str  # as written ("16 - PEACE, JUSTICE AND STRONG INSTITUTIONS" → label)

    @property
    def code(self) -> str:
        return f"{self.goal}.{self.target}" if self.target else str(self.goal)


@dataclass
class Entry:
    """One recommendation of the list."""

    paragraph: str  # "140.7"
    words: str  # as printed, with its states: "Ratify … (Spain);"
    parts: list[tuple[str, list[str]]]  # (words without the states, states as written)
    position: str | None = None  # "Supported", "Noted" … as written
    source_symbol: str | None = None  # "A/HRC/59/15/Add.1"
    source_paragraph: str | None = None  # "3"
    themes: list[str] = field(default_factory=list)
    sdgs: list[Sdg] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    section: str | None = None  # the "Theme: …" row above it
    row: int = 0  # table row (DOCX) or line (Markdown), from 1

    @property
    def states_written(self) -> list[str]:
        return [s for _, states in self.parts for s in states]

    @property
    def text(self) -> str:
        """The words without the recommending states; several recommendations of one
        paragraph joined by "; "."""
        return "; ".join(words for words, _ in self.parts if words)


@dataclass
class Problem:
    message: str
    row: int | None = None


@dataclass
class ThematicList:
    path: str
    state_written: str | None = None
    cycle: int | None = None
    session: int | None = None
    columns: list[str] = field(default_factory=list)  # the headers as written
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, message: str, row: int | None = None) -> None:
        self.problems.append(Problem(message, row))


def _clean(text: str) -> str:
    return re.sub(r"[ \t\xa0]+", " ", html.unescape(text)).strip()


def _items(lines: list[str], into: dict[str, list[str]], start: str) -> None:
    """Lines "- item" into ``into[kind]``; "SDGs:" and "Affected persons:" switch the kind."""
    kind = start
    for line in lines:
        s = _clean(line)
        if not s:
            continue
        marker = _MARKERS.get(s.lower())
        if marker:
            kind = marker
            continue
        into.setdefault(kind, []).append(s[2:].strip() if s.startswith("- ") else s)


def _sdgs(values: list[str], entry: Entry, lst: ThematicList) -> None:
    for value in values:
        m = _SDG.match(value)
        if m and 1 <= int(m.group("goal")) <= 17:
            entry.sdgs.append(
                Sdg(int(m.group("goal")), m.group("target"), m.group("label").strip())
            )
        else:
            lst.problem(
                f"{entry.paragraph}: SDG {value!r} is not 'n - NAME' with n from 1 to 17; not read",
                entry.row,
            )


def _entry(
    cell_lines: list[str], row: int, section: str | None, lst: ThematicList, resolve
) -> Entry | None:
    """An entry from the lines of its recommendation cell: "140.7 Ratify … (Spain);", then
    "Source of Position: …"."""
    lines = [_clean(x) for x in cell_lines if _clean(x)]
    if not lines:
        return None
    words, source = [], None
    for line in lines:
        m = _SOURCE.match(line)
        if m:
            source = m
        elif line.lower().startswith("source of position"):
            lst.problem(
                f"'{line}' is not 'Source of Position: A/HRC/n/n[/Add.1] - Para.n'; not read", row
            )
        else:
            words.append(line)
    body = " ".join(words)
    m = _PARAGRAPH.match(body)
    if not m:
        lst.problem(
            f"a recommendation without its paragraph number ('{body[:60]}…'); "
            "expected 'nnn.n Text (State);'",
            row,
        )
        return None
    rest = body[m.end() :]
    entry = Entry(m.group(1), rest, recommendations_in(rest, resolve), section=section, row=row)
    if not entry.states_written:
        lst.problem(f"{entry.paragraph} names no recommending state in parentheses", row)
    if source:
        entry.source_symbol = source.group("symbol")
        entry.source_paragraph = source.group("para")
        if source.group("junk"):
            lst.problem(
                f"{entry.paragraph}: 'Para.{source.group('para')}"
                f"{source.group('junk')}' read as paragraph {source.group('para')}",
                row,
            )
    else:
        lst.problem(f"{entry.paragraph} has no 'Source of Position'", row)
    return entry


def _fill(entry: Entry, roles: dict[str, list[str]], lst: ThematicList) -> None:
    positions = [_clean(x) for x in roles.get("position", []) if _clean(x)]
    if len(positions) == 1:
        entry.position = positions[0]
    elif positions:
        lst.problem(f"{entry.paragraph}: several positions {positions}; none taken", entry.row)
    else:
        lst.problem(f"{entry.paragraph}: no position", entry.row)
    found: dict[str, list[str]] = {}
    _items(roles.get("themes", []), found, "themes")
    _items(roles.get("sdgs", []), found, "sdgs")
    entry.themes = found.get("themes", [])
    entry.persons = found.get("persons", [])
    _sdgs(found.get("sdgs", []), entry, lst)


def _add(lst: ThematicList, entry: Entry | None) -> None:
    if entry is None:
        return
    if any(e.paragraph == entry.paragraph for e in lst.entries):
        lst.problem(f"paragraph {entry.paragraph} is listed again; the first is kept", entry.row)
        return
    lst.entries.append(entry)


# --- DOCX ----------------------------------------------------------------------------------


def _open_docx(path: Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_UNPACKED:
                raise LoaderError(
                    path,
                    f"the DOCX unpacks to {total} bytes, more than the "
                    f"{MAX_UNPACKED} a thematic list may; not read",
                )
            for i in infos:
                if i.file_size > 1_000_000 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                    raise LoaderError(
                        path,
                        f"{i.filename} in the DOCX is compressed "
                        f"{i.file_size // max(i.compress_size, 1)}:1 (a zip "
                        "bomb?); not read",
                    )
            if "word/document.xml" not in z.namelist():
                raise LoaderError(
                    path,
                    "a zip without word/document.xml: not a Word document; "
                    "expected OHCHR's thematic list as .docx",
                )
    except zipfile.BadZipFile as exc:
        raise LoaderError(
            path, f"not a readable DOCX ({exc}); expected OHCHR's thematic list as a Word .docx"
        ) from None
    try:
        return docx.Document(str(path))
    except (
        PackageNotFoundError,
        KeyError,
        ValueError,
        LxmlError,
        zipfile.BadZipFile,
        OSError,
    ) as exc:
        raise LoaderError(
            path,
            f"not a readable DOCX ({type(exc).__name__}: {exc}); expected "
            "OHCHR's thematic list as a Word .docx",
        ) from None


def _cell_lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


def read_docx(path: Path, resolve=lambda s: None) -> ThematicList:
    lst = ThematicList(str(path))
    document = _open_docx(path)
    for section in document.sections:
        text = " ".join(p.text for p in section.header.paragraphs)
        m = _HEADER.search(_clean(text))
        if m:
            lst.state_written = m.group("state").strip()
            lst.cycle, lst.session = int(m.group("cycle")), int(m.group("session"))
            break
    if lst.session is None:
        raise LoaderError(
            path,
            "no 'UPR of <State> (<n>th Cycle - <n>th Session)' in the page "
            "header; expected OHCHR's thematic list of one review",
        )
    if not document.tables:
        raise LoaderError(
            path,
            "the document holds no table; expected OHCHR's thematic list "
            "(a table of recommendations)",
        )
    row_no = 0
    roles: list[str | None] = []
    section_name: str | None = None
    for t, table in enumerate(document.tables, 1):
        for r, row in enumerate(table.rows):
            row_no += 1
            cells = row.cells
            texts = [_clean(c.text) for c in cells]
            if r == 0 and (not roles or _looks_like_header(texts)):
                roles = _roles(texts, lst, row_no, f"table {t}")
                continue
            if texts and texts[0].lower().startswith("theme:") and len(set(texts)) == 1:
                section_name = texts[0].split(":", 1)[1].strip()
                continue
            if not any(texts):
                continue
            by_role: dict[str, list[str]] = {}
            for role, cell in zip(roles, cells, strict=False):
                if role is not None:
                    by_role.setdefault(role, []).extend(_cell_lines(cell))
            if len(cells) > len(roles):
                lst.problem(
                    f"the row has {len(cells)} cells, the header {len(roles)}: the "
                    "cells past the header are not read",
                    row_no,
                )
            entry = _entry(by_role.get("recommendation", []), row_no, section_name, lst, resolve)
            if entry is not None:
                _fill(entry, by_role, lst)
                if by_role.get("assessment") and any(_clean(x) for x in by_role["assessment"]):
                    lst.problem(
                        f"{entry.paragraph}: an assessment of implementation is given and not read",
                        row_no,
                    )
            _add(lst, entry)
    if not lst.entries:
        raise LoaderError(path, "the table holds no recommendation ('nnn.n Text (State);')")
    return lst


def _looks_like_header(texts: list[str]) -> bool:
    return any(_norm_header(t) in COLUMNS for t in texts)


def _norm_header(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _roles(headers: list[str], lst: ThematicList, row: int, where: str) -> list[str | None]:
    roles: list[str | None] = []
    lst.columns = headers
    for h in headers:
        role = COLUMNS.get(_norm_header(h))
        if role is None:
            lst.problem(
                f"{where}: unknown column {h!r}: not read (known: "
                + ", ".join(repr(k) for k in COLUMNS)
                + ")",
                row,
            )
        roles.append(role)
    if "recommendation" not in roles:
        raise LoaderError(
            lst.path,
            f"{where}: no recommendation column among {headers}; "
            "expected one of "
            + ", ".join(repr(k) for k, v in COLUMNS.items() if v == "recommendation"),
            row,
        )
    return roles


# --- Markdown rendering --------------------------------------------------------------------


def read_markdown(path: Path, resolve=lambda s: None) -> ThematicList:
    """The text rendering of a list: the table's cells one per line, entries separated by
    blank lines, "Theme: …" lines between them."""
    data = path.read_bytes()
    if not data.strip():
        raise LoaderError(path, "the file is empty; expected a thematic list in Markdown")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoaderError(path, f"not UTF-8 at byte {exc.start}; expected UTF-8 text") from None
    lines = re.split(r"\r\n|\r|\n", text)
    lst = ThematicList(str(path))
    m = _MD_HEADER.search(" ".join(lines[:5]))
    if not m:
        raise LoaderError(
            path,
            "no '# UPR <n>th Session - <State> - Thematic List' heading; "
            "expected the rendering of OHCHR's thematic list",
            1,
        )
    lst.state_written, lst.session = m.group("state").strip(), int(m.group("session"))
    section: str | None = None
    block: list[tuple[int, str]] = []

    def flush() -> None:
        if not block:
            return
        row = block[0][0]
        cell = [s for _, s in block]
        head = [s for s in cell if not s.startswith("- ") and not _MARKERS.get(s.lower())]
        rec: list[str] = []
        position: list[str] = []
        for s in head:
            (position if s.lower() in _POSITIONS else rec).append(s)
        entry = _entry(rec, row, section, lst, resolve)
        if entry is not None:
            rest = [s for s in cell if s not in head]
            _fill(entry, {"position": position, "themes": rest}, lst)
        _add(lst, entry)
        block.clear()

    started = False
    for n, raw in enumerate(lines, 1):
        s = _clean(raw)
        if not started:
            if _norm_header(s) in COLUMNS:
                lst.columns.append(s)
            if s.lower().startswith("theme:"):
                started = True
            else:
                continue
        if s.lower().startswith("theme:"):
            flush()
            section = s.split(":", 1)[1].strip()
        elif not s:
            flush()
        else:
            block.append((n, s))
    flush()
    for h in lst.columns:
        if COLUMNS.get(_norm_header(h)) is None:  # pragma: no cover - columns are by name
            lst.problem(f"unknown column {h!r}")
    if not lst.entries:
        raise LoaderError(
            path, "no recommendation ('nnn.n Text (State);') after the first 'Theme:' line"
        )
    return lst


_POSITIONS = {"supported", "noted", "supported/noted", "partially supported"}


def read(path: Path, resolve=lambda s: None) -> ThematicList:
    """A thematic list from its DOCX or its Markdown rendering."""
    if path.suffix.lower() == ".docx":
        return read_docx(path, resolve)
    return read_markdown(path, resolve)
