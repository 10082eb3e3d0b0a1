"""Reading a document file (an HTML page, Markdown, plain text or a PDF) into its text and
its metadata.

The text is what mentions' offsets index: for plain text, the file decoded with its line
endings made "\\n"; for HTML, the words of the page's body as lexbor (selectolax) parses it,
one line per block element, without scripts, styles, navigation or page footers; for
Markdown, the same after markdown-it-py (CommonMark) has made it HTML, so that "# ", "**" and
link targets are no part of the text; for a PDF, the text pypdf extracts, page after page (a
blank line between pages), with the lines of a paragraph joined and words hyphenated at a line
end joined again.

Metadata the document carries is read from it (HTML ``<title>``/meta, ``<html lang>``, the
first heading; Markdown front matter or its first heading; a PDF's document information and
catalogue language) and each value says where it came from (``Page.guessed``), so that the
graph can tell a guess from what a sidecar states.

What cannot be read is refused whole with a message naming the file and what was expected:
an empty file, a binary one, text that is not UTF-8 and does not say what it is. A page is
never decoded by guessing, so no mis-decoded word reaches the graph.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from hrkg.errors import LoaderError

__all__ = ["Page", "read_page", "sentences", "line_of"]

_MAGIC = [
    (b"%PDF", "a PDF"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file)"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "gzip-compressed"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
]
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown"}
# A PDF is parsed whole before its text is used: these bound what one file may cost.
MAX_PDF_PAGES = 2000
MAX_PDF_TEXT = 20_000_000  # characters
_SKIPPED = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "object",
    "canvas",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "head",
}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "address",
    "hr",
    "body",
    "details",
    "summary",
    "caption",
}
_PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol"}


@dataclass
class Page:
    """A document's text and what it says about itself."""

    text: str
    is_html: bool
    meta: dict[str, str] = field(default_factory=dict)  # title, date, publisher, source
    notes: list[str] = field(default_factory=list)  # things a reader should know
    guessed: dict[str, str] = field(default_factory=dict)  # meta key -> where it was read
    kind: str = "text"  # text | html | markdown | pdf


def line_of(data: bytes | str, offset: int) -> tuple[int, int]:
    """(line, column), both from 1, of an offset into ``data``."""
    if isinstance(data, bytes):
        head_b = data[:offset]
        return head_b.count(b"\n") + 1, offset - (head_b.rfind(b"\n") + 1) + 1
    head = data[:offset]
    return head.count("\n") + 1, offset - (head.rfind("\n") + 1) + 1


def _declared_charset(data: bytes) -> str | None:
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", data[:4096], re.I)
    if not m:
        return None
    name = m.group(1).decode("ascii")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(path: Path, data: bytes, declared: str | None, html: bool) -> tuple[str, list[str]]:
    notes: list[str] = []
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(enc), notes
    for magic, name in _MAGIC:
        if data.startswith(magic):
            raise LoaderError(
                path,
                f"the file is {name}, not text; expected an HTML page or "
                "plain text (nothing loaded from it)",
            )
    if b"\x00" in data[:8192]:
        raise LoaderError(
            path,
            "the file is binary (it holds NUL bytes); expected an HTML page "
            "or plain text (nothing loaded from it)",
        )
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError as exc:
        bad = exc
    charset = declared or (_declared_charset(data) if html else None)
    if charset and codecs.lookup(charset).name != "utf-8":
        try:
            text = data.decode(charset)
        except UnicodeDecodeError as exc:
            line, col = line_of(data, exc.start)
            raise LoaderError(
                path,
                f"byte 0x{data[exc.start]:02X} at column {col} is not "
                f"{charset}, the encoding the file declares (nothing loaded "
                "from it)",
                line,
            ) from None
        notes.append(
            f"not UTF-8: read as {charset}, the encoding "
            f"{'the sidecar' if declared else 'the page'} declares"
        )
        return text, notes
    line, col = line_of(data, bad.start)
    raise LoaderError(
        path,
        f"the file is not UTF-8 (byte 0x{data[bad.start]:02X} at column {col}) "
        "and declares no encoding; save it as UTF-8, or declare its charset "
        '(HTML <meta charset>, or "encoding" in the sidecar). Nothing loaded '
        "from it",
        line,
    )


def _control_share(text: str) -> float:
    sample = text[:8192]
    bad = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f\v")
    return bad / max(1, len(sample))


def read_page(path: Path, data: bytes | None = None, encoding: str | None = None) -> Page:
    """The text and metadata of the document at ``path`` (``data``: its bytes, if read)."""
    data = path.read_bytes() if data is None else data
    if not data.strip():
        raise LoaderError(
            path, "the file is empty; expected an HTML page or plain text (nothing loaded from it)"
        )
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return _pdf(path, data)
    head = data[:1024].lstrip().lower()
    html = path.suffix.lower() in _HTML_SUFFIXES or head.startswith((b"<!doctype html", b"<html"))
    text, notes = _decode(path, data, encoding, html)
    if _control_share(text) > 0.01:
        raise LoaderError(
            path,
            "the file is binary (control characters in its text); expected "
            "an HTML page or plain text (nothing loaded from it)",
        )
    if suffix in MARKDOWN_SUFFIXES:
        page = _markdown(text.replace("\r\n", "\n").replace("\r", "\n"))
        page.notes[:0] = notes
        if not page.text.strip():
            raise LoaderError(path, "the Markdown file has no text (nothing loaded from it)")
        return page
    if not html:
        return Page(text.replace("\r\n", "\n").replace("\r", "\n"), False, {}, notes)
    page = _html(text)
    page.notes[:0] = notes
    if not page.text.strip():
        raise LoaderError(path, "the page has no text in its body (nothing loaded from it)")
    return page


# --- HTML ----------------------------------------------------------------------------------


def _html(source: str) -> Page:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(source)
    meta_and_guessed = _html_meta(tree)
    out: list[str] = []

    def walk(node, pre: bool) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                value = child.text_content or ""
                out.append(value if pre else re.sub(r"\s+", " ", value))
            elif tag in _SKIPPED:
                continue
            elif tag == "br":
                out.append("\n")
            elif tag.startswith("-") or tag in ("img", "input", "video", "audio", "source"):
                continue
            elif tag in _BLOCK:
                sep = "\n\n" if tag in _PARAGRAPH else "\n"
                out.append(sep)
                walk(child, pre or tag == "pre")
                out.append(sep)
            else:
                walk(child, pre)

    body = tree.body if tree.body is not None else tree.root
    if body is not None:
        walk(body, False)
    text = "".join(out)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    text = re.sub(r"[ \t]{2,}", " ", text)
    notes = []
    for tag in ("script", "style", "noscript", "iframe", "object"):
        n = len(tree.css(tag))  # in the head too, which is skipped whole
        if n:
            notes.append(f"{n} <{tag}> element(s) skipped: code, not text")
    meta, guessed = meta_and_guessed
    return Page(text, True, meta, notes, guessed, "html")


def _iso_date(value: str) -> str | None:
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def _html_meta(tree) -> tuple[dict[str, str], dict[str, str]]:
    """The page's metadata, and for each value where it was read."""
    metas: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key and attrs.get("content") and key not in metas:
            metas[key] = attrs["content"].strip()
    out: dict[str, str] = {}
    how: dict[str, str] = {}
    title_node = tree.css_first("title")
    title = metas.get("og:title") or (title_node.text(strip=True) if title_node else "")
    if title:
        out["title"] = re.sub(r"\s+", " ", title)
        how["title"] = "the page's og:title" if metas.get("og:title") else "the HTML <title>"
    else:
        for tag in ("h1", "h2", "h3"):
            node = tree.css_first(tag)
            heading = re.sub(r"\s+", " ", node.text()).strip() if node is not None else ""
            if heading:
                out["title"], how["title"] = heading[:300], f"the first <{tag}> heading"
                break
    for key in (
        "article:published_time",
        "date",
        "dcterms.date",
        "dc.date",
        "datepublished",
        "dc.date.issued",
        "pubdate",
    ):
        if d := _iso_date(metas.get(key, "")):
            out["date"], how["date"] = d, f"the page's <meta> {key}"
            break
    else:
        time_node = tree.css_first("time[datetime]")
        if time_node is not None and (d := _iso_date(time_node.attributes.get("datetime") or "")):
            out["date"], how["date"] = d, "the page's first <time datetime>"
    for key in ("og:site_name", "publisher", "dc.publisher"):
        if metas.get(key):
            out["publisher"], how["publisher"] = metas[key], f"the page's <meta> {key}"
            break
    root = tree.css_first("html")
    lang = (root.attributes.get("lang") or "").strip() if root is not None else ""
    if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", lang):
        out["language"], how["language"] = lang, "the <html lang> attribute"
    canonical = tree.css_first('link[rel="canonical"]')
    url = (canonical.attributes.get("href") if canonical is not None else None) or metas.get(
        "og:url"
    )
    if url and re.match(r"https?://", url):
        out["source"], how["source"] = url.strip(), "the page's canonical link"
    return out, how


# --- Markdown ------------------------------------------------------------------------------

_FRONT = re.compile(r"---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)", re.S)
_FRONT_KEYS = {
    "title": "title",
    "date": "date",
    "publisher": "publisher",
    "author": "publisher",
    "lang": "language",
    "language": "language",
}


def front_matter(source: str) -> tuple[dict[str, str], int]:
    """The scalar ``key: value`` pairs of a Markdown file's YAML front matter (a value may go
    on over indented lines), and where the body starts. Only plain scalars are read: no YAML
    parser meets the file's bytes, so no alias or tag of it is ever expanded."""
    m = _FRONT.match(source)
    if not m:
        return {}, 0
    out: dict[str, str] = {}
    key = None
    for line in m.group(1).split("\n"):
        kv = re.match(r"([A-Za-z_][\w-]*):\s*(.*)$", line)
        if kv:
            key = kv.group(1).lower()
            out[key] = kv.group(2).strip()
        elif (
            key
            and line.startswith((" ", "\t"))
            and line.strip()
            and not line.strip().startswith("- ")
        ):
            out[key] = (out[key] + " " + line.strip()).strip()
        else:
            key = None
    scalars = {
        k: v.strip("'\"") for k, v in out.items() if v and not v.startswith(("[", "{", "|", ">"))
    }
    return scalars, m.end()


def _markdown(source: str) -> Page:
    from markdown_it import MarkdownIt

    front, start = front_matter(source)
    page = _html(MarkdownIt("commonmark").render(source[start:]))
    page.kind = "markdown"
    meta, how = {}, {}
    if "title" in page.meta:
        meta["title"] = page.meta["title"]
        how["title"] = "the first Markdown heading"
    for key, target in _FRONT_KEYS.items():
        value = front.get(key)
        if not value or target in how and how[target].startswith("the front matter"):
            continue
        if target == "date":
            value = _iso_date(value) or ""
            if not value:
                continue
        meta[target], how[target] = value, f"the front matter's {key}"
    page.meta, page.guessed = meta, how
    return page


# --- PDF -----------------------------------------------------------------------------------

_PARAGRAPH_START = re.compile(r"(?:\d{1,3}\.|[IVXL]{1,5}\.|[A-Z]\.|[•*\u2022-])\s")


def _unwrap(page: str) -> str:
    """A PDF page's lines made paragraphs: a line goes on the line before it unless that one
    is blank, short (a heading, a paragraph's last line: under two thirds of the page's usual
    line) or ends a sentence, or this one opens a numbered paragraph or a heading; a word
    hyphenated at the end of a line is joined again, hyphen kept ("Inter-|Ministerial")."""
    lines = [
        re.sub(r"[ \t]+", " ", raw).strip()
        for raw in page.replace("\r", "\n").replace("\xa0", " ").split("\n")
    ]
    widths = sorted(len(ln) for ln in lines if ln)
    usual = widths[int(len(widths) * 0.8)] if widths else 0
    out: list[str] = []
    last = 0  # the length of the last line added, as the PDF had it
    for line in lines:
        if not line:
            if out and out[-1]:
                out.append("")
            continue
        if (
            out
            and out[-1]
            and last >= 0.66 * usual
            and not _PARAGRAPH_START.match(line)
            and not (re.search(r"[.!?:;][”\"’)]?$", out[-1]) and line[:1].isupper())
        ):
            glue = "" if re.search(r"[A-Za-z]-$", out[-1]) and line[:1].isalpha() else " "
            out[-1] += glue + line
        else:
            out.append(line)
        last = len(line)
    return "\n".join(out).strip()


def _pdf_title(info: dict[str, str], text: str) -> tuple[str, str] | None:
    title = (info.get("/Title") or "").strip()
    junk = r"\.(?:docx?|pdf|rtf|indd)$|^(?:untitled|microsoft word)"
    if title and not re.search(junk, title, re.I):
        return title, "the PDF's document information (Title)"
    for line in text.split("\n")[:40]:
        words = re.findall(r"[A-Za-z][A-Za-z'’-]+", line)
        if len(words) >= 3 and sum(map(len, words)) >= 0.6 * len(line.replace(" ", "")):
            return line[:300], "the first line of the PDF's text that reads as a title"
    return None


def _pdf(path: Path, data: bytes) -> Page:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    if b"%PDF-" not in data[:1024]:
        raise LoaderError(
            path,
            "not a PDF (no %PDF- header in its first kilobyte); expected a "
            "PDF (nothing loaded from it)",
        )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise LoaderError(
                path, "the PDF is encrypted; expected an open PDF (nothing loaded from it)"
            )
        if len(reader.pages) > MAX_PDF_PAGES:
            raise LoaderError(
                path,
                f"the PDF has {len(reader.pages)} pages, more than the "
                f"{MAX_PDF_PAGES} a document may have (nothing loaded from it)",
            )
        pages, size = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            size += len(text)
            if size > MAX_PDF_TEXT:
                raise LoaderError(
                    path,
                    f"the PDF's text is longer than {MAX_PDF_TEXT} "
                    "characters (nothing loaded from it)",
                )
            pages.append(text)
        info = {k: str(v) for k, v in (reader.metadata or {}).items()}
        created = reader.metadata.creation_date if reader.metadata else None
        root = reader.trailer.get("/Root")
        lang = str(root.get_object().get("/Lang") or "") if root is not None else ""
    except LoaderError:
        raise
    except (
        PdfReadError,
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
        RecursionError,
        ZeroDivisionError,
    ) as exc:
        raise LoaderError(
            path,
            f"the PDF cannot be read ({type(exc).__name__}: {exc}); is it "
            "cut short? (nothing loaded from it)",
        ) from None
    text = "\n\n".join(t for t in (_unwrap(p) for p in pages) if t)
    if not text.strip():
        raise LoaderError(
            path,
            "the PDF holds no text (a scanned image?); expected a PDF with "
            "text (nothing loaded from it)",
        )
    if _control_share(text) > 0.01:
        raise LoaderError(
            path,
            "the PDF's text is mostly control characters (a font without a "
            "Unicode map?); nothing loaded from it",
        )
    meta, how = {}, {}
    if title := _pdf_title(info, text):
        meta["title"], how["title"] = title
    if created is not None:
        meta["date"], how["date"] = created.date().isoformat(), "the PDF's creation date"
    if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", lang.strip()):
        meta["language"], how["language"] = lang.strip(), "the PDF catalogue's /Lang"
    return Page(text, False, meta, [], how, "pdf")


# --- sentences -----------------------------------------------------------------------------

_ABBREV = re.compile(
    r"(?:\b(?:[A-Z]\.){1,4}|\b(?:Mr|Mrs|Ms|Dr|St|No|Nos|Art|para|paras|H\.E|Jr|Sr|"
    r"Inc|Ltd|Co|Gen|Gov|Sen|Rep|Amb|Prof|vs|etc|cf|e\.g|i\.e|Jan|Feb|Mar|Apr|"
    r"Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$"
)


_STARTERS = {
    "The",
    "These",
    "This",
    "That",
    "Those",
    "It",
    "Its",
    "He",
    "She",
    "They",
    "We",
    "In",
    "On",
    "At",
    "For",
    "But",
    "And",
    "As",
    "A",
    "An",
    "There",
    "Under",
    "With",
}


def sentences(text: str) -> list[tuple[int, int]]:
    """(begin, end) of each sentence: a line is never part of two sentences; inside a line a
    sentence ends at ".", "!" or "?" before a space and a capital (not after "U.S." or "Mr.")."""
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        start = m.start()
        line = m.group()
        for b in re.finditer(r"[.!?][”\"’)]?\s+(?=[A-Z“\"(])", line):
            head = line[: b.start() + 1]
            if _ABBREV.search(head[-12:]):
                # "U.S. Department": one sentence; "... the D.P.R.K. These reports": two
                nxt = re.match(r"\w+", line[b.end() :])
                if not (re.search(r"(?:[A-Z]\.){2,}$", head) and nxt and nxt.group() in _STARTERS):
                    continue
            end = m.start() + b.start() + len(b.group().rstrip())
            if end > start:
                out.append((start, end))
            start = m.start() + b.end()
        if start < m.end():
            out.append((start, m.end()))
    return [(b, e) for b, e in ((b, len(text[b:e].rstrip()) + b) for b, e in out) if e > b]
