"""Reading a UPR Working Group report (A/HRC/…) as text: its symbol, state, sessions, review
date, and every recommendation with its paragraph number, its text, its recommending states
as written and the group the report puts it in.

The texts are as the PDF extractor left them: Mac Roman or mixed encodings, CR or CRLF line
ends, page headers and footers, words hyphenated across lines, and in some reports the
paragraph prefix lost ("1." for "90.1."). Nothing here is specific to one report; what could
not be read is listed in ``Report.problems``, never dropped silently.

This module parses; a loader (issue 4) turns a :class:`Report` into triples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from hrkg.errors import LoaderError

__all__ = [
    "Report",
    "Item",
    "Problem",
    "decode",
    "parse",
    "pdf_text",
    "read",
    "split_states",
    "recommendations_in",
    "pdf_pages",
    "without_footnotes",
    "ORDINALS",
    "MONTHS",
]

_UNITS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = [
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_TENS = {"twent": 20, "thirt": 30, "fort": 40, "fift": 50}


def _ordinals() -> dict[str, int]:
    out = {w: i for i, w in enumerate(_UNITS) if w}
    out.update({w: 10 + i for i, w in enumerate(_TEENS)})
    for stem, n in _TENS.items():
        out[stem + "ieth"] = n
        for i, w in enumerate(_UNITS[1:], 1):
            out[f"{stem}y-{w}"] = n + i
    return out


ORDINALS = _ordinals()
MONTHS = {  # month name in lower case -> number (the reports write "7 April 2008")
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}

_FURNITURE = re.compile(
    r"^\s*(A/HRC/\d+/\d+(/Add\.\d+)?\*?|GE\.\d\d-\d+.*|\*\d{6,}\*|Page\s?\d+|\d{1,3}|"
    r"United Nations\s+A/HRC/\S+)\s*$"
)
# a page header or footer the PDF layout puts on one line: "22  GE.09-16273  A/HRC/11/22"
_FURNITURE_TOKEN = re.compile(
    r"A/HRC/\d+/\d+(/Add\.\d+)?\*?|GE\.\d\d-\d+(\(E\))?|\(E\)|"
    r"\*\d{6,}\*|\d{6}|Page\s?\d+|\d{1,3}"
)
# a footnote at the foot of a PDF page: "2   The original recommendation …", "**  The …"
_FOOTNOTE = re.compile(r"^\s*(\d{1,2}|\*{1,3})\s{2,}\S")
# a footnote's reference after a recommendation's states: "(Slovakia);1"
_NOTE_REF = re.compile(r"(?<=[);])\d{1,2}\s*$")


def _furniture(line: str) -> bool:
    if _FURNITURE.match(line):
        return True
    tokens = line.split()
    return (
        len(tokens) > 1
        and all(_FURNITURE_TOKEN.fullmatch(t) for t in tokens)
        and any(not t.isdigit() for t in tokens)
    )


_SPLIT_COMPOUND = re.compile(r"\b([a-z]{2,}|[A-Z][a-z]+)- (?!(?:and|or|to)\b)([a-z])")
# a compound's hyphen that one extraction turned into a full stop: "non.discrimination"
_DOT_HYPHEN = re.compile(
    r"(?<![\w./@])([a-z]{2,})\."
    r"(?!(?:org|com|int|net|gov|edu|aspx|html?|pdf)\b)([a-z]{3,})(?![\w./@])"
)
_ITEM = re.compile(r"^\s*(\d{1,3})\.(\d{1,3})\.?(?:\s+|$)")
_NUMBER = re.compile(r"^\s*(\d{1,3})\.(?:\s+|$)")
_END = re.compile(r"All conclusions and/or recommendations (\w+ ){1,2}in the present report", re.I)


@dataclass(frozen=True)
class Problem:
    """Something the parser could not read, with the line of the file where known."""

    message: str
    line: int | None = None

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


@dataclass
class Item:
    paragraph: str  # "92.1"
    text: str  # without the trailing "(State);"
    states_written: list[str]
    group: str  # supported | examined | noted | made
    line: int  # line of the file where the item starts
    restored: bool = False  # the prefix was lost in extraction and restored
    part: int = 0  # n-th recommendation of a paragraph that holds several (else 0)


@dataclass
class Report:
    path: str
    symbol: str | None = None
    hrc_session: int | None = None
    session: int | None = None  # the Working Group session (the UPR session)
    state_written: str | None = None  # the state under the report's title
    state_reviewed: str | None = None  # "The review of <state> was held at …"
    review_date: date | None = None
    groups: dict[str, tuple[str, str]] = field(default_factory=dict)  # "92" → (group, intro)
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(message, line))

    def missing_paragraphs(self) -> list[str]:
        """Gaps in the numbering of each group (92.1, 92.2, 92.4 → 92.3 missing)."""
        missing = []
        for top in self.groups:
            subs = {
                int(i.paragraph.split(".")[1])
                for i in self.items
                if i.paragraph.split(".")[0] == top
            }
            if subs:
                missing += [f"{top}.{n}" for n in range(1, max(subs) + 1) if n not in subs]
        return missing


def decode(path: Path, data: bytes) -> str:
    """UTF-8 where a line is valid UTF-8, Mac Roman where it is not (the files mix them)."""
    if not data.strip():
        raise LoaderError(path, "the file is empty; expected the text of a UPR report")
    if b"\x00" in data[:4096]:
        raise LoaderError(path, "the file is binary (NUL bytes); expected text")
    if data.startswith(b"%PDF"):
        raise LoaderError(path, "the file is a PDF; expected the extracted text (.txt)")
    lines = re.split(rb"\r\n|\r|\n", data)
    out = []
    for raw in lines:
        try:
            out.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(raw.decode("mac_roman"))
    return "\n".join(out)


MAX_PDF_BYTES = 64 * 1024 * 1024  # a UN document is < 5 MB
MAX_PDF_PAGES = 400  # a Working Group report: 20-40 pages


def pdf_pages(
    path: Path,
    mode: Literal["layout", "plain"] = "layout",
    what: str = "a UPR report",
    first: int | None = None,
) -> list[str]:
    """The text of each page of a PDF (pypdf; ``mode`` "layout" or "plain"; only the
    ``first`` pages where given). A file that is empty, not a PDF, encrypted, cut short, too
    large, or has no text layer is a :class:`LoaderError` naming the file."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    with path.open("rb") as f:
        head = f.read(1024)
    if not head.strip():
        raise LoaderError(path, f"the file is empty; expected a PDF of {what}")
    if b"%PDF-" not in head:
        raise LoaderError(path, f"not a PDF (no %PDF- header); expected the PDF of {what}")
    if path.stat().st_size > MAX_PDF_BYTES:
        raise LoaderError(
            path,
            f"the PDF has {path.stat().st_size} bytes, more than the "
            f"{MAX_PDF_BYTES} read; expected {what}",
        )
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise LoaderError(path, "the PDF is encrypted; expected an open PDF")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise LoaderError(
                path,
                f"the PDF has {len(reader.pages)} pages, more than the "
                f"{MAX_PDF_PAGES} read; expected {what}",
            )
        pages = [
            page.extract_text(extraction_mode=mode) if mode == "layout" else page.extract_text()
            for page in list(reader.pages)[:first]
        ]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise LoaderError(path, f"the PDF cannot be read ({exc}); is it cut short?") from exc
    if not "".join(pages).strip():
        raise LoaderError(path, "the PDF holds no text (a scanned image?); expected a text PDF")
    return pages


def pdf_text(path: Path) -> str:
    """The text of a report's PDF, page by page in reading order (pypdf's layout mode keeps
    the words whole and the paragraph numbers before their paragraphs), without the footnotes
    at the foot of each page."""
    return "\n".join(without_footnotes(page) for page in pdf_pages(path))


def without_footnotes(page: str) -> str:
    """A page without the footnotes at its foot: from the last line that opens a footnote
    ("2   The original …") after a blank line, when no numbered paragraph follows it."""
    lines = page.split("\n")
    for i in range(len(lines) - 1, 0, -1):
        if _FOOTNOTE.match(lines[i]) and not lines[i - 1].strip():
            if not any(re.match(r"\s*\d{1,3}\.(\d{1,3}\.?)?\s", ln) for ln in lines[i + 1 :]):
                return "\n".join(lines[:i])
            break
    return page


def _clean(text: str) -> list[str]:
    """Lines without page furniture, hyphenation across lines undone. Removed lines become
    empty so that line numbers stay those of the file."""
    text = text.replace("\t", " ").replace("\xa0", " ").replace("\f", "\n")
    lines = [("" if _furniture(ln) else _NOTE_REF.sub("", ln.rstrip())) for ln in text.split("\n")]
    for i, ln in enumerate(lines):  # a footnote: a line of asterisks, then its text
        if re.match(r"\s*\*{1,3}\s{2,}\S", ln):  # or both on one line
            lines[i] = ""
        elif re.fullmatch(r"\s*\*{1,3}\s*", ln):
            lines[i] = ""
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and not re.match(r"\s*\d", lines[j]):
                lines[j] = ""
    # A hyphen at the end of a line is a compound's ("non-|discrimination", "ill-|treatment"):
    # UN documents do not hyphenate words across lines. The word is joined, hyphen kept; so is
    # "ill- treatment" where an extractor turned the line break into a space ("short- and
    # medium-term" keeps its space).
    for i in range(len(lines) - 1):
        if re.search(r"[A-Za-z]-$", lines[i]):
            j = i + 1
            while j < len(lines) and not lines[j].strip() and j - i < 4:
                j += 1
            title = re.search(r"\b[A-Z][a-z]+-$", lines[i])  # "Inter-|Ministerial"
            if (
                j < len(lines)
                and re.match(r"\s*[a-z]" if not title else r"\s*[A-Za-z]", lines[j])
                and not re.match(r"\s*(and|or|to)\b", lines[j])
            ):
                word = re.match(r"\s*(\S+)\s?", lines[j])
                assert word is not None  # lines[j] begins with a letter (matched above)
                lines[i] = lines[i] + word.group(1)
                lines[j] = lines[j][word.end() :]
    return [_DOT_HYPHEN.sub(r"\1-\2", _SPLIT_COMPOUND.sub(r"\1-\2", ln)) for ln in lines]


def _ordinal(word: str) -> int | None:
    return ORDINALS.get(word.lower().replace("\u2010", "-").replace("\u2011", "-"))


def _header(report: Report, text: str) -> None:
    flat = re.sub(r"\s+", " ", text)
    m = re.search(r"\bA/HRC/(\d+)/(\d+)\b(?!/|\.\d)", flat)
    if m and "WG" not in m.group(0):
        report.symbol = f"A/HRC/{m.group(1)}/{m.group(2)}"
    else:
        report.problem("no report symbol (A/HRC/n/n) in the text")
    m = re.search(r"Human Rights Council\s+(\S+)\s+session", flat, re.I)
    if m:
        report.hrc_session = _ordinal(m.group(1))
    m = re.search(r"held its\s+(\S+)\s+session", flat, re.I)
    if m and _ordinal(m.group(1)):
        report.session = _ordinal(m.group(1))
    else:
        m = re.search(r"A/HRC/WG\.6/(\d+)/", flat)
        if m:
            report.session = int(m.group(1))
        else:
            report.problem("no Working Group session in the text")
    m = re.search(
        r"Report of the Working Group on\s+the\s+Universal\s*Periodic Review\s*\*?\s*"
        r"(.+?)\s*(?:Addendum|Contents|Distr\.|GE\.\d|$)",
        flat[:6000],
        re.I,
    )
    if m:
        written = re.sub(
            r"The annex to the present report is circulated as received\.?", " ", m.group(1)
        )
        pieces = [
            p.strip(" .;")
            for p in re.split(
                r"\*|Previously issued|A/HRC/|minor revisions|Late submission", written
            )
        ]
        written = next((p for p in pieces if p), "")
        report.state_written = re.sub(r"[\s.]+", " ", written).strip(" .*\u2217")
    else:
        report.problem("no state under review after the report's title")
    m = re.search(
        r"review of (.{2,80}?) was held at the (?:\d+\w*|\w+) meeting,? (?:held )?on "
        r"(\d{1,2}) (\w+) (\d{4})",
        flat,
    )
    if m:
        report.state_reviewed = m.group(1).strip()
    if m and m.group(3).lower() in MONTHS:
        report.review_date = date(int(m.group(4)), MONTHS[m.group(3).lower()], int(m.group(2)))
    else:
        report.problem("no date of the review in the text")


def group_of(intro: str) -> str | None:
    """The group an introductory paragraph announces, whatever its wording."""
    s = re.sub(r"\s+", " ", intro).lower()
    if re.search(
        r"(did|do|does|will) not (enjoy|receive|obtain|have) (the|its) support|"
        r"not (been )?accepted|(be|been|were|are) noted|rejected|"
        r"could not (accept|support)|cannot (accept|support)",
        s,
    ):
        return "noted"
    if re.search(
        r"will be examined|will examine|will (provide|give) (its |the )?responses?|"
        r"will be considered|will consider|in due time|"
        r"^the response of .{1,60} to the following recommendations will be",
        s,
    ):
        return "examined"
    if re.search(r"\b(noted|takes? note of) the following recommendations", s):
        # "Viet Nam noted the following recommendations and indicated that they pertain to
        # measures which have been implemented": UPR Info records them as noted
        return "noted"
    if re.search(
        r"enjoy(s|ed)? (the|its) support|(were|are|have been) (accepted|supported)|"
        r"has accepted|accepts|already implemented|in the process of implementation|"
        r"agreed (on|to|with) the following|agrees? to follow up",
        s,
    ):
        return "supported"
    if re.search(
        r"recommendations (were|have been) made|were formulated|following "
        r"recommendations|it was recommended that|recommendations as follows",
        s,
    ):
        return "made"
    return None


def _balanced_tail(text: str) -> tuple[str, str] | None:
    """Split 'Do X (Iran (Islamic Republic of), Chad)' into ('Do X', 'Iran (…), Chad')."""
    if not text.endswith(")"):
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return text[:i].rstrip(), text[i + 1 : -1].strip()
    return None


def _known_states(written: str, resolve) -> list[str]:
    """The states a parenthesis names, as written, if it names only known states; else []."""
    states = split_states(written, resolve)
    return states if states and all(resolve(s) for s in states) else []


def _ends_with_states(body: str, resolve) -> bool:
    """Whether a paragraph ends in a parenthesis of known states, as a recommendation does."""
    tail = _balanced_tail(body.rstrip(" ;.,"))
    return tail is not None and bool(_known_states(tail[1], resolve))


def _state_groups(
    body: str, resolve, side_by_side: bool = False
) -> list[tuple[int, int, list[str]]]:
    """(start, end, states) of every parenthesis that names only known states. With
    ``side_by_side``, parentheses next to each other are one group: reports since 2015 write
    several recommending states so, "… (Maldives) (Portugal);"."""
    out: list[tuple[int, int, list[str]]] = []
    for begin, end, states in _parentheses_of_states(body, resolve):
        if side_by_side and out and not body[out[-1][1] : begin].strip():
            out[-1] = (out[-1][0], end, out[-1][2] + states)
        else:
            out.append((begin, end, states))
    return out


def _parentheses_of_states(body: str, resolve) -> list[tuple[int, int, list[str]]]:
    out, depth, begin = [], 0, 0
    for i, c in enumerate(body):
        if c == "(":
            if depth == 0:
                begin = i
            depth += 1
        elif c == ")" and depth:
            depth -= 1
            if depth == 0:
                states = _known_states(body[begin + 1 : i], resolve)
                if states:
                    out.append((begin, i + 1, states))
    return out


def _recommendations(
    body: str, resolve, after: int = 0, side_by_side: bool = False
) -> list[tuple[str, list[str]]]:
    """The recommendations of one paragraph: usually one, "… (Chile);"; some paragraphs hold
    several, "Ratify ICESCR (Ghana); Become a party to the ICESCR (Australia);"."""
    body = body.strip()
    out, start = [], 0
    for begin, end, states in _state_groups(body, resolve, side_by_side):
        rest = body[end:]
        note = re.match(r"\s*[;.]?\s*(\d{1,2})\s+[A-Z“\"]", rest)
        if note and int(note.group(1)) != after:
            # a footnote from the foot of the page: "(Morocco); 1 The recommendation …" (the
            # number of the next paragraph, its prefix lost, is not one)
            body = body[:end]
            rest = ""
        if re.match(r"\s*[;.,]?\s*$", rest) or re.match(r"\s*[;.]\s+(and\s+)?[A-Za-z]", rest):
            text = body[start:begin].strip(" ;.,")
            if text:
                out.append((text, states))
            start = end
    remainder = body[start:].strip(" ;.,")
    if remainder or not out:
        tail = _balanced_tail(remainder)
        if tail is None:
            out.append((remainder, []))
        else:
            out.append((tail[0].rstrip(" ;,"), split_states(tail[1], resolve)))
    return out


def _split_orphan(body: str, resolve, side_by_side: bool = False) -> tuple[str, str]:
    """Split off the text after the last "(States);" of a paragraph."""
    groups = _state_groups(body, resolve, side_by_side)
    if not groups:
        return body, ""
    end = groups[-1][1]
    m = re.match(r"\s*[;.]?", body[end:])
    cut = end + (m.end() if m else 0)
    return body[:cut].strip(), body[cut:].strip()


def split_states(written: str, resolve) -> list[str]:
    """The states named in a closing parenthesis, as written: commas and semicolons first,
    then " and " where the whole does not name one state ("Trinidad and Tobago" does)."""
    out = []
    for part in re.split(r"\s*[;,]\s*(?![^()]*\))", written):
        part = part.strip().removeprefix("and ").strip()
        if not part:
            continue
        if "/" in part and not resolve(part):  # "Brazil/Spain"
            pieces = [p.strip() for p in part.split("/")]
            if all(resolve(p) for p in pieces):
                out += pieces
                continue
        if resolve(part) or " and " not in part:
            out.append(part)
            continue
        pieces = [p.strip() for p in re.split(r"\s+and\s+", part)]
        out += pieces if all(resolve(p) for p in pieces) else [part]
    return out


_HEADING = re.compile(r"^\s*(?:[IVX]+\.\s*)?Conclusions\s+and/or\s+recommendations\W*$", re.I)


def _section_start(lines: list[str]) -> int | None:
    """The line after the heading of the recommendations section; where a report lost its
    heading, the first numbered paragraph that announces a group of recommendations."""
    for i in range(len(lines) - 1, -1, -1):
        if _HEADING.match(lines[i]):
            following = "\n".join(lines[i + 1 : i + 40])
            if re.search(r"^\s*\d{2,3}\.(\s|$)", following, re.M):
                return i + 1
    for i, ln in enumerate(lines):
        if re.match(r"^\s*\d{2,3}\.(\s|$)", ln):
            body = " ".join(x.strip() for x in lines[i : i + 6]).split(" 1. ")[0]
            if (
                "recommendations" in body.lower()
                and group_of(body)
                and re.search(r":\s", body + " ")
            ):
                return i
    return None


def parse(text: str, name: str, resolve=lambda s: None, side_by_side: bool = False) -> Report:
    """A report from its text. ``side_by_side``: several recommending states each in its own
    parentheses, "(Maldives) (Portugal)", as reports write them since 2015 (off for the
    2008–2014 extractions, whose results the corpus figures pin)."""
    report = Report(path=name)
    _header(report, text[:20000])
    lines = _clean(text)
    start = _section_start(lines)
    if start is None:
        raise LoaderError(
            Path(name),
            "no 'Conclusions and/or recommendations' section with "
            "numbered paragraphs; expected a UPR Working Group report",
        )
    blocks: list[tuple[int, str, str]] = []  # (line, number, text)
    pending = ""  # text before its paragraph number (PDF extractors put "92." after a line)
    for i in range(start, len(lines)):
        ln = lines[i]
        if _END.search(ln) or re.match(r"^\s*Annex\s*$", ln):
            if blocks and not blocks[-1][2]:
                blocks.pop()  # the number of the closing paragraph ("73. All conclusions …")
            break
        m = _ITEM.match(ln) or _NUMBER.match(ln)
        if m:
            number = m.group(0).strip().rstrip(".")
            if "." not in number and blocks:
                # a PDF extractor may put "93." after the first line of its paragraph: the
                # text after the last item's states belongs to the new paragraph
                line, prev, body = blocks[-1]
                kept, orphan = _split_orphan(body, resolve, side_by_side)
                blocks[-1] = (line, prev, kept)
                pending = (orphan + " " + pending).strip()
            blocks.append((i + 1, number, (pending + " " + ln[m.end() :]).strip()))
            pending = ""
        elif blocks and ln.strip():
            line, number, body = blocks[-1]
            blocks[-1] = (line, number, (body + " " + ln.strip()).strip())
        elif ln.strip():
            pending += " " + ln.strip()
    else:
        report.problem("the report ends inside its recommendations (cut short?)")
    top: str | None = None
    past_a_group = False
    for line, number, body in blocks:
        body = re.sub(r"\s+", " ", body).strip()
        if "." not in number:
            kind = (
                group_of(body)
                if (
                    body.endswith(":")
                    or "recommendation" in body.lower()
                    and len(body) < 600
                    and not _balanced_tail(body.rstrip(" ;."))
                )
                else None
            )
            if kind:
                top = number
                report.groups[top] = (kind, body)
                continue
            if (
                top is not None
                and int(number) == int(top) + 1
                and not _ends_with_states(body, resolve)
            ):
                # the paragraph after a group ("93. The response … will"); another group
                # may follow it ("89. The following recommendations …")
                top = None
                past_a_group = True
                continue
            if top is None:
                if not past_a_group:
                    report.problem(
                        f"numbered paragraph {number} before any group of recommendations", line
                    )
                continue
            paragraph, restored = f"{top}.{number}", True
        else:
            paragraph, restored = number, False
            head, sub = number.split(".")
            last = report.items[-1].paragraph.split(".") if report.items else None
            if (
                last
                and head != top
                and head not in report.groups
                and last[0] == top
                and int(sub) == int(last[1]) + 1
            ):
                # a misprint of the group's number ("146.18" between 147.17 and 147.19)
                paragraph, head = f"{top}.{sub}", top
                report.problem(
                    f"printed as {number}, in the sequence of {top}: numbered {paragraph}", line
                )
            if head not in report.groups:
                report.groups[head] = (group_of(body) or "made", "")
            top = head
        parts = _recommendations(body, resolve, int(paragraph.split(".")[1]) + 1, side_by_side)
        for n, (text, states) in enumerate(parts, 1):
            if not text:
                report.problem(f"{paragraph} has no text", line)
                continue
            if not states:
                report.problem(f"{paragraph} names no recommending state", line)
            report.items.append(
                Item(
                    paragraph,
                    text,
                    states,
                    report.groups[top][0],
                    line,
                    restored,
                    n if len(parts) > 1 else 0,
                )
            )
    if not report.items:
        raise LoaderError(
            Path(name), "the recommendations section holds no numbered recommendation"
        )
    return report


def read(path: Path, resolve=lambda s: None, side_by_side: bool = False) -> Report:
    """A report from its extracted text (.txt) or its PDF (.pdf)."""
    if path.suffix.lower() == ".pdf":
        return parse(pdf_text(path), str(path), resolve, side_by_side)
    return parse(decode(path, path.read_bytes()), str(path), resolve, side_by_side)


def recommendations_in(body: str, resolve) -> list[tuple[str, list[str]]]:
    """The recommendations of one paragraph's words, each as (words, recommending states as
    written), in the format of reports since 2015 ("… (Maldives) (Portugal);")."""
    return _recommendations(re.sub(r"\s+", " ", body), resolve, side_by_side=True)
