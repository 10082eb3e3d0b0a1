"""What a document's text names: states, instruments, domestic laws, UPR reviews, people with
their positions, organisations, and the treaty actions it states with their dates.

Every finding is a span of the text (begin, end) with the key of the resource it names, so
that ``text[begin:end]`` is the anchor text. Rules, not lists of sentences:

- states, instruments and bodies by name, from the reference tables (every spelling), matched
  on word boundaries, longest first; a name that can mean two states ("Korea", "Georgia",
  "Congo") is reported, not linked;
- domestic laws by their form ("... Act of 1998"); bodies not in the table by theirs
  ("... Network", "Ministry of ..."), acronyms in parentheses or by initials;
- people only where the text says they are people: a title before the name ("Secretary of
  State John Kerry"), a post beside it ("Kerry McLean, USHRN UPR Coordinator", "Kim Won Hong
  (Minister of State Security)"), speech ("says Akynos, founder"), a transcript's speaker;
  then every later use of the name, the surname or the given name in the same document;
- reviews where a sentence names the UPR (or a review, in a document about the UPR), a state
  and a time that fits one of that state's reviews (``data/reference/upr-reviews.tsv``);
- treaty actions where a sentence has a verb of signing, ratifying or acceding, a state, a
  treaty and a date; "both" and "them" take the treaties of the sentence before.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Protocol

from hrkg.reference.states import instruments, read_tsv, resolver
from hrkg.reference.upr_schedule import reviews_of
from hrkg.resources import resource_dir
from hrkg.terms import slug
from hrkg.text.doctext import sentences
from hrkg.text.mentions import instrument_spans

__all__ = [
    "Span",
    "Person",
    "Action",
    "Extraction",
    "extract",
    "person_key",
    "org_key",
    "known_org_key",
    "organizations",
    "dates_in",
]

# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    begin: int
    end: int
    kind: str  # state | instrument | law | review | person | org | action
    key: str  # ISO3, instrument code, law slug, "session/ISO3", person or org slug, action key


@dataclass
class Person:
    key: str
    names: set[str] = field(default_factory=set)
    positions: list[tuple[str, str | None]] = field(default_factory=list)  # (title, org key)


@dataclass(frozen=True)
class Action:
    kind: str  # Signature | Ratification | Accession
    state: str
    instrument: str
    when: str  # YYYY-MM-DD or YYYY
    sentence: tuple[int, int]

    @property
    def key(self) -> str:
        """The act's IRI key, the ratification tables' for the same act: a ratification or an
        accession is the state's consent to be bound (``…/LBR/ICCPR/consent``), one node
        with a provenance from each source."""
        kind = "signature" if self.kind == "Signature" else "consent"
        return f"{self.state}/{self.instrument}/{kind}"


@dataclass
class Extraction:
    spans: list[Span] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    orgs: dict[str, str] = field(default_factory=dict)  # key -> name as written
    laws: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (offset, message)

    def keys(self, kind: str) -> set[str]:
        return {s.key for s in self.spans if s.kind == kind}


# --- tokens and gazetteers -----------------------------------------------------------------

_TOKEN = re.compile(r"\w+(?:-\w+)*(?:['’](?!s\b)\w+)*|['’]s\b|[^\w\s]")


_NORM_TOKEN = re.compile(r"\w+(?:-\w+)*(?:'(?!s\b)\w+)*|'s\b|[^\w\s]")  # _TOKEN, "’" made "'"


def _norm(tok: str) -> str:
    return tok.replace("’", "'")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    # "’" and "'" are one code point each: normalising the text first keeps every offset
    return [(m.group(), *m.span()) for m in _TOKEN.finditer(_norm(text))]


class TokenSeq(Protocol):
    """Tokens as (text, begin, end) by index: a list of them, or :class:`_Tokens`."""

    def __len__(self) -> int: ...

    def __getitem__(self, k: int, /) -> tuple[str, int, int]: ...


class _Tokens:
    """A document's tokens as (text, begin, end), made only when asked for: most are only
    ever looked at as words (``words``)."""

    def __init__(self, text: str) -> None:
        self._m = self.matches = list(_NORM_TOKEN.finditer(_norm(text)))
        self.words = [m[0] for m in self._m]

    def __len__(self) -> int:
        return len(self._m)

    def __getitem__(self, k: int) -> tuple[str, int, int]:
        m = self._m[k]
        return m[0], m.start(), m.end()

    def at(self, offset: int) -> int:
        """The index of the last token that begins at or before ``offset``."""
        return bisect.bisect_right(self._m, offset, key=_start) - 1


def _start(m: re.Match[str]) -> int:
    return m.start()


class Gazetteer:
    """Phrases → keys, matched on token sequences; longest match wins at each position.
    Phrases of two or more words also match in lower case."""

    def __init__(self) -> None:
        self.exact: dict[tuple[str, ...], str] = {}
        self.folded: dict[tuple[str, ...], str] = {}
        self.lengths: dict[str, set[int]] = defaultdict(set)
        self._tries: dict[str, tuple[int, ...]] = {}  # first token -> lengths, longest first
        self._pairs: set[tuple[str, str]] = set()  # the first two tokens of longer phrases
        self._singles: set[str] = set()  # phrases of one token

    def add(self, phrase: str, key: str) -> None:
        toks = tuple(t for t, _, _ in _tokens(phrase))
        if not toks:
            return
        self.exact.setdefault(toks, key)
        self.lengths[toks[0]].add(len(toks))
        if len(toks) >= 2:
            self._pairs.add((toks[0], toks[1]))
        else:
            self._singles.add(toks[0])
        words = [t for t in toks if t[0].isalnum()]
        if len(words) >= 2:
            low = tuple(t.lower() for t in toks)
            self.folded.setdefault(low, key)
            self.lengths[low[0]].add(len(toks))
            self._pairs.add((low[0], low[1]))
        self._tries.clear()

    def _lengths_for(self, first: str) -> tuple[int, ...]:
        got = self._tries.get(first)
        if got is None:
            both = self.lengths.get(first, set()) | self.lengths.get(first.lower(), set())
            got = tuple(sorted(both, reverse=True))
            self._tries[first] = got
        return got

    def find(
        self, toks: TokenSeq, words: list[str] | None = None, lower: dict[str, str] | None = None
    ) -> Iterator[tuple[int, int, str]]:
        """(first token, last token + 1, key) of each match, left to right, not overlapping.
        ``words``: the tokens' strings, when the caller has them already; ``lower``: each of
        them in lower case.

        Only tokens that begin a phrase (as written or in lower case) are tried: the words of
        the document that do are found first, then their places."""
        if words is None:
            words = [toks[k][0] for k in range(len(toks))]
        if lower is None:
            lower = {w: w.lower() for w in set(words)}
        n = len(words)
        firsts = self.lengths
        exact, folded, pairs, singles = self.exact, self.folded, self._pairs, self._singles
        starting = {w for w, low in lower.items() if w in firsts or low in firsts}
        nxt = 0
        for i in [i for i, w in enumerate(words) if w in starting]:
            if i < nxt:
                continue
            # no phrase of two tokens or more starts with these two: try the one-token ones
            longer = i + 1 < n and (
                (words[i], words[i + 1]) in pairs or (lower[words[i]], lower[words[i + 1]]) in pairs
            )
            if not longer and words[i] not in singles:
                continue
            for length in self._lengths_for(words[i]):
                if i + length > n or (length > 1 and not longer):
                    continue
                seq = tuple(words[i : i + length])
                key = exact.get(seq)
                if key is None and length > 1:  # folded phrases have two words or more
                    key = folded.get(tuple(map(lower.__getitem__, seq)))
                if key:
                    yield i, i + length, key
                    nxt = i + length
                    break


AMBIGUOUS_STATES = {
    "Korea": "the Republic of Korea or the DPRK",
    "Georgia": "the state of Georgia or the US state",
    "Congo": "the Republic of the Congo or the Democratic Republic of the Congo",
    "Macedonia": "North Macedonia or the Greek region",
}


@cache
def _states() -> Gazetteer:
    g = Gazetteer()
    for iso3, names in sorted(resolver().labels.items()):
        for name in sorted(names):
            for variant in {name, re.sub(r"^the ", "", name), re.sub(r"^the ", "The ", name)}:
                if variant in AMBIGUOUS_STATES or len(variant) < 2:
                    continue
                g.add(variant, iso3)
                if len(variant) >= 5 and " " not in variant.strip():
                    g.add(variant.upper(), iso3)
    for name in AMBIGUOUS_STATES:
        g.add(name, "?" + name)
    return g


@dataclass(frozen=True)
class Org:
    key: str
    label: str
    names: tuple[str, ...]


@cache
def organizations() -> dict[str, Org]:
    out = {}
    for r in read_tsv(resource_dir("data") / "reference" / "organizations.tsv"):
        names = tuple(n for n in (r["names"] or "").split("|") if n)
        out[r["slug"]] = Org(r["slug"], r["label"], names)
    return out


@cache
def _orgs() -> Gazetteer:
    g = Gazetteer()
    for org in organizations().values():
        for name in (org.label, *org.names):
            g.add(name, org.key)
            if name.startswith("the "):
                g.add("The " + name[4:], org.key)
    return g


@cache
def nicknames() -> dict[str, str]:
    return {
        r["short"]: r["full"]
        for r in read_tsv(resource_dir("data") / "reference" / "nicknames.tsv")
    }


# --- words ---------------------------------------------------------------------------------

TITLE_HEADS = {
    "Secretary",
    "Ambassador",
    "Envoy",
    "Representative",
    "Rapporteur",
    "Spokesperson",
    "Spokesman",
    "Spokeswoman",
    "Advisor",
    "Adviser",
    "Director",
    "Coordinator",
    "Chair",
    "Chairman",
    "Chairwoman",
    "Chairperson",
    "Vice-Chair",
    "President",
    "Vice-President",
    "Minister",
    "Chief",
    "Head",
    "Commissioner",
    "Counsel",
    "Officer",
    "Judge",
    "Senator",
    "Congressman",
    "Congresswoman",
    "Governor",
    "Mayor",
    "founder",
    "Founder",
    "co-founder",
    "Co-founder",
    "Deputy",
    "Administrator",
    "Ombudsman",
    "Ombudsperson",
    "Attorney",
    "Prosecutor",
    "Chancellor",
    "Premier",
    "Member",
    "Vice",
    "Executive",
    "Rector",
    "Dean",
    "Professor",
    "Manager",
    "Lead",
    "Leader",
    "Expert",
    "Attaché",
    "Consul",
    "Undersecretary",
    "Under-Secretary-General",
    "Secretary-General",
}
HONORIFICS = {
    "Ambassador",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Prof",
    "Sir",
    "Dame",
    "H.E",
    "Excellency",
    "Hon",
    "Honorable",
    "Honourable",
    "Rev",
    "Judge",
    "Senator",
}
ORG_HEADS = {
    "Network",
    "Council",
    "Department",
    "Bureau",
    "Office",
    "Institute",
    "Committee",
    "Commission",
    "Collective",
    "University",
    "Mission",
    "Congress",
    "Assembly",
    "Agency",
    "Foundation",
    "Association",
    "Organization",
    "Organisation",
    "Society",
    "Center",
    "Centre",
    "Party",
    "Court",
    "Ministry",
    "Embassy",
    "Fund",
    "Union",
    "Coalition",
    "Alliance",
    "Federation",
    "Secretariat",
    "Parliament",
    "Senate",
    "Programme",
    "Tribunal",
    "Watch",
    "Division",
    "Directorate",
    "Authority",
    "Academy",
    "School",
    "College",
    "Forum",
    "Consulate",
    "Corporation",
    "Trust",
    "Caucus",
    "Board",
}
_RIGHT_EXTEND = {
    "Ministry",
    "Office",
    "Bureau",
    "Commission",
    "Committee",
    "Council",
    "Secretariat",
    "Institute",
    "Department",
    "Agency",
    "Secretary",
    "Center",
    "Centre",
    "Congress",
    "Confederation",
}
_CONNECT = {"of", "for", "on", "and", "the", "&", "to", "with", "in"}
# What a text calls a person just before or after the name (lower case: a role, not a title).
ROLES = [
    "journalist",
    "reporter",
    "editor",
    "blogger",
    "activist",
    "defender",
    "lawyer",
    "attorney",
    "leader",
    "tourist",
    "student",
    "teacher",
    "farmer",
    "worker",
    "politician",
    "opposition figure",
    "dissident",
    "critic",
    "priest",
    "pastor",
    "imam",
    "monk",
    "writer",
    "poet",
    "artist",
    "musician",
    "photographer",
    "researcher",
    "scholar",
    "professor",
    "official",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "victim",
    "prisoner",
    "detainee",
    "businessman",
    "businesswoman",
    "candidate",
    "lawmaker",
    "legislator",
    "senator",
    "president",
    "chairman",
    "chairwoman",
    "chairperson",
    "director",
    "founder",
    "member",
    "organizer",
    "unionist",
    "husband",
    "wife",
    "son",
    "daughter",
]
# Acts done to or by a person named right after the verb.
ACTS = [
    "arrested",
    "detained",
    "convicted",
    "sentenced",
    "released",
    "abducted",
    "killed",
    "charged",
    "acquitted",
    "summoned",
    "interrogated",
    "deported",
    "pardoned",
    "tortured",
]
# Capitalised words that are never a person's name (headings, bodies, topics).
NOT_NAMES = {
    "Human",
    "Rights",
    "State",
    "States",
    "Security",
    "Department",
    "Council",
    "Office",
    "Affairs",
    "Justice",
    "Policy",
    "Issues",
    "Foreign",
    "Relations",
    "Nations",
    "United",
    "General",
    "Assembly",
    "Commission",
    "Committee",
    "Development",
    "International",
    "National",
    "Disability",
    "Equality",
    "Women",
    "Children",
    "Peace",
    "Labor",
    "Labour",
    "Democracy",
    "Refugees",
    "Republic",
    "Government",
    "Korea",
    "Korean",
    "North",
    "South",
    "Read",
    "More",
    "Press",
    "Release",
    "Report",
    "Fact",
    "Sheet",
    "News",
    "The",
    "This",
    "That",
    "These",
    "Those",
    "In",
    "On",
    "At",
    "For",
    "And",
    "But",
    "A",
    "An",
    "Of",
    "To",
    "With",
    "Special",
    "Envoy",
    "Secretary",
    "Ambassador",
    "Representative",
    "Director",
    "Minister",
    "Permanent",
    "Deputy",
    "Vice",
    "Chief",
    "Advisor",
    "Adviser",
    "Spokesperson",
    "Bureau",
    "Universal",
    "Periodic",
    "Review",
    "Working",
    "Group",
    "Declaration",
    "Convention",
    "Covenant",
    "Protocol",
    "Act",
    "Law",
    "Congress",
    "Senate",
    "House",
    "Network",
    "Institute",
    "University",
    "Project",
    "Programme",
    "Program",
    "Executive",
    "Summary",
    "Year",
    "End",
    "Remarks",
    "Explanation",
    "Vote",
    "Draft",
    "Resolution",
    "Apology",
    "Conversation",
    "Transcript",
    "Heroes",
    "Administration",
    "Province",
    "Ministry",
    "Division",
    "Inspection",
    "Organization",
    "Guidance",
    "Propaganda",
    "Agitation",
    "Embassy",
    "Mission",
    "Public",
    "Diplomacy",
    "Defenders",
    "Defender",
    "Civil",
    "Society",
    "Global",
    "Record",
    "Scrutiny",
    "Black",
    "Sex",
    "Worker",
    "Collective",
    "School",
    "Week",
    "Award",
    "Day",
    "Month",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
    "UN",
    "UPR",
    "US",
    "U",
    "S",
    "His",
    "Her",
    "Their",
    "Our",
    "My",
    "Your",
    "Contact",
    "Person",
    "Breaking",
    "Direct",
    "Link",
    "Focus",
    "Featured",
    "Quote",
    "All",
    "See",
    "Recent",
    "Posts",
    "About",
    "Who",
    "Uses",
    "Inquiry",
    "Council's",
    "Chair",
    "Secretariat",
    "Tier",
    "Country",
    "Particular",
    "Concern",
    "Arab",
    "Spring",
    "Square",
}
_NAME_TOKEN = r"(?:[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Za-z][a-z]+)?|[A-Z]\.)"
_NAME = re.compile(rf"(?<![\w.]){_NAME_TOKEN}(?:[ \u00a0]{_NAME_TOKEN}){{1,3}}")
_MONTHS = {
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
_MON = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MON})\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MON})\s+(?P<y2>\d{{4}})"
    rf"|(?P<m3>{_MON})\s+(?P<y3>\d{{4}})"
    rf"|(?<![\d/.-])(?P<y4>(?:19|20)\d{{2}})(?![\d/-]))\b"
)


def _month(name: str) -> int:
    name = name.rstrip(".").lower()
    return next(v for k, v in _MONTHS.items() if k.startswith(name[:3]))


@dataclass(frozen=True)
class When:
    begin: int
    end: int
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        if self.day and self.month:
            return date(self.year, self.month, self.day).isoformat()
        return str(self.year)


def dates_in(text: str, begin: int = 0, end: int | None = None) -> list[When]:
    out = []
    for m in _DATE.finditer(text, begin, len(text) if end is None else end):
        g = m.groupdict()
        try:
            if g["y1"]:
                w = When(m.start(), m.end(), int(g["y1"]), _month(g["m1"]), int(g["d1"]))
            elif g["y2"]:
                w = When(m.start(), m.end(), int(g["y2"]), _month(g["m2"]), int(g["d2"]))
            elif g["y3"]:
                w = When(m.start(), m.end(), int(g["y3"]), _month(g["m3"]))
            else:
                w = When(m.start(), m.end(), int(g["y4"]))
            if w.day and w.month:
                date(w.year, w.month, w.day)
        except (ValueError, StopIteration):
            continue
        out.append(w)
    return out


# --- keys ----------------------------------------------------------------------------------


def person_key(name: str) -> str:
    """The IRI key of a person: honorifics and middle initials dropped, a short given name
    written in full, case folded. "Mark C. Toner" → mark-toner; "JUDY HEUMANN" → judith-heumann."""
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    words = [w for w in words if w.rstrip(".") not in HONORIFICS]
    if len(words) > 2:
        words = (
            [words[0]] + [w for w in words[1:-1] if not re.fullmatch(r"[A-Z]\.", w)] + [words[-1]]
        )
    if words and words[0].isupper() and len(words[0]) > 1:
        words = [w.capitalize() if w.isupper() else w for w in words]
    if len(words) >= 2 and words[0] in nicknames():
        words[0] = nicknames()[words[0]]
    return slug(" ".join(words))


def known_org_key(name: str) -> str:
    """The key of the body ``name`` names as a whole: the table's where it is one of its
    names ("State Department" → us-department-of-state), else :func:`org_key`."""
    toks = _tokens(name)
    for i, j, key in _orgs().find(toks):
        if i == 0 and j == len(toks):
            return key
    return org_key(name)


def org_key(name: str) -> str:
    name = re.sub(r"^(?:the|The)\s+", "", name.strip())
    name = re.sub(r"\bU\.S\.(?=\s|$)", "US", name)
    name = re.sub(r"\bU\.N\.(?=\s|$)", "UN", name)
    return slug(name)


# --- the extractor -------------------------------------------------------------------------


# --- trying a pattern only where it can match ----------------------------------------------
# Python's re tries a pattern at every position of the text unless the pattern begins with a
# literal, and most patterns here begin with \b, a lookbehind or an optional part and match
# rarely. Each is tried instead only at the positions from which a match can begin: a
# superset found from an anchor every match holds (a title, a role, "(", ", a"), which a
# literal-led regex finds fast. Tried in order and resumed after each match, as finditer
# does, they give the same matches.


def _starts(anchor: re.Pattern[str], text: str) -> list[int]:
    """Every position where ``anchor`` matches, overlapping ones included, in order."""
    out: list[int] = []
    for m in anchor.finditer(text):
        a, b = m.span()
        out.append(a)
        out += [p for p in range(a + 1, b) if anchor.match(text, p)]
    return out


def _matches_at(rx: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``, given (in order) every position where a match can begin."""
    end = 0
    for p in starts:
        if p < end:
            continue
        m = rx.match(text, p)
        if m:
            yield m
            end = max(m.end(), p + 1)


def _occurrences(phrases: Iterable[str], text: str) -> Iterator[tuple[int, int, str]]:
    r"""What ``re.finditer(r"(?<![\w-])(?:phrase|…)(?![\w-])")`` finds, phrases longest
    first: (begin, end, phrase). A document's own names (people, acronyms) differ from one
    document to the next, and compiling their alternation cost more than the search; this
    looks only where a word begins with a phrase's first two characters."""
    by_lead: dict[str, list[str]] = defaultdict(list)
    for phrase in sorted(phrases, key=len, reverse=True):
        if len(phrase) < 2 or _WORD_CHAR.match(phrase) is None:
            yield from _occurrences_slowly(phrases, text)  # not met in practice
            return
        by_lead[phrase[:2]].append(phrase)
    if not by_lead:
        return
    lead = re.compile("[" + "".join(sorted({re.escape(p[0]) for p in by_lead})) + "]")
    end = 0
    for m in lead.finditer(text):
        b = m.start()
        if b < end or b > 0 and _WORD_CHAR.match(text, b - 1):
            continue
        for phrase in by_lead.get(text[b : b + 2], ()):
            e = b + len(phrase)
            if text.startswith(phrase, b) and not _WORD_CHAR.match(text, e):
                yield b, e, phrase
                end = e
                break


def _occurrences_slowly(phrases: Iterable[str], text: str) -> Iterator[tuple[int, int, str]]:
    rx = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(map(re.escape, sorted(phrases, key=len, reverse=True)))
        + r")(?![\w-])"
    )
    for m in rx.finditer(text):
        yield m.start(), m.end(), m.group()


_WORD_CHAR = re.compile(r"[\w-]")


def _words_before(text: str, h: int, word: re.Pattern[str], memo: dict[int, int]) -> int:
    r"""The first position from which ``(?:word\s+)*`` can reach ``h``: the start of the last
    run of non-space characters before ``h`` that is not one whole ``word`` (a match may begin
    inside it), or of the text. ``memo`` holds earlier answers (each walk is done once)."""
    if h == 0 or not text[h - 1].isspace():
        return h
    j = h
    while True:
        got = memo.get(j)
        if got is not None:
            break
        ws = j
        while ws > 0 and text[ws - 1].isspace():
            ws -= 1
        cb = ws
        while cb > 0 and not text[cb - 1].isspace():
            cb -= 1
        if ws == 0 or not word.fullmatch(text, cb, ws):
            got = cb
            break
        j = cb
    memo[h] = got
    return got


def _run_start(d: _Doc, at: int, other: re.Pattern[str]) -> int:
    """The start of the run of characters ``other`` does not match that ends at ``at``."""
    m = other.search(d.rev, len(d.text) - at)
    return len(d.text) - m.start() if m else 0


def _near(
    d: _Doc, anchor: re.Pattern[str], other: re.Pattern[str], first: str, then: int = 0
) -> list[int]:
    """Positions whose character is in ``first`` within the run (of characters ``other``
    does not match) that ends at each match of ``anchor`` (plus ``then``), and the matches'
    own positions: where a pattern made of such characters before the anchor can begin."""
    text = d.text
    out: set[int] = set()
    firsts = re.compile("[" + re.escape(first) + "]")
    for a in _starts(anchor, text):
        out.add(a)
        c = a + then
        out.update(m.start() for m in firsts.finditer(text, _run_start(d, c, other), c))
    return sorted(out)


class _Doc:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _Tokens(text)
        self.words = self.toks.words
        self._lower: dict[str, str] | None = None
        self.x = Extraction()
        self._sents: list[tuple[int, int]] | None = None
        self.by_kind: dict[str, list[tuple[int, int]]] = defaultdict(list)  # sorted spans
        self.longest: dict[str, int] = defaultdict(int)
        self.keys_at: dict[tuple[str, int, int], str] = {}
        self._rev: str | None = None
        self._post: list[tuple[int, int, int]] | None = None
        self.post_starts: list[int] | None = None

    @property
    def sents(self) -> list[tuple[int, int]]:
        if self._sents is None:
            self._sents = sentences(self.text)
        return self._sents

    def sentence_index(self, offset: int) -> int:
        """The index of the sentence that holds ``offset``, or -1."""
        k = bisect.bisect_right(self.sents, (offset, len(self.text) + 1)) - 1
        return k if k >= 0 and self.sents[k][0] <= offset < self.sents[k][1] else -1

    @property
    def lower(self) -> dict[str, str]:
        """Each word of the document in lower case (each distinct word lowered once)."""
        if self._lower is None:
            self._lower = {w: w.lower() for w in set(self.words)}
        return self._lower

    @property
    def rev(self) -> str:
        """The text backwards: the start of a run before an offset is one search away."""
        if self._rev is None:
            self._rev = self.text[::-1]
        return self._rev

    def post_regions(self) -> list[tuple[int, int, int]]:
        """(begin, end of the word run before it, title) for every title a post can end in:
        a post (``_POST``) begins between ``begin`` and the title, and ``end`` is where the
        first run of non-space characters there ends (its last character is the one before
        the post, when the post begins after it)."""
        if self._post is None:
            text = self.text
            memo: dict[int, int] = {}
            out = []
            for h in _starts(_TITLE, text):
                b = _words_before(text, h, _POST_WORD, memo)
                e = b
                while e < h and not text[e].isspace():
                    e += 1
                out.append((b, e, h))
            self._post = out
        return self._post

    def within(self, kind: str, begin: int, end: int) -> list[Span]:
        """The spans of ``kind`` inside [begin, end), in order."""
        spans = self.by_kind[kind]
        i = bisect.bisect_left(spans, (begin, -1))
        out = []
        while i < len(spans) and spans[i][0] < end:
            b, e = spans[i]
            if e <= end:
                out.append(Span(b, e, kind, self.keys_at[(kind, b, e)]))
            i += 1
        return out

    def add(self, begin: int, end: int, kind: str, key: str) -> None:
        self.x.spans.append(Span(begin, end, kind, key))
        bisect.insort(self.by_kind[kind], (begin, end))
        self.keys_at[(kind, begin, end)] = key
        self.longest[kind] = max(self.longest[kind], end - begin)

    def overlaps(self, begin: int, end: int, kind: str) -> bool:
        spans = self.by_kind[kind]
        j = bisect.bisect_left(spans, (end, -1)) - 1
        floor = begin - self.longest[kind]
        while j >= 0 and spans[j][0] >= floor:
            if spans[j][1] > begin:
                return True
            j -= 1
        return False

    def sentence_of(self, offset: int) -> tuple[int, int]:
        k = self.sentence_index(offset)
        return self.sents[k] if k >= 0 else (offset, offset)


def extract(text: str) -> Extraction:
    d = _Doc(text)
    _find_states(d)
    _find_instruments(d)
    _find_laws(d)
    _find_orgs(d)
    _find_people(d)
    _find_reviews(d)
    _find_actions(d)
    d.x.spans.sort(key=lambda s: (s.begin, s.end, s.kind, s.key))
    return d.x


def _find_states(d: _Doc) -> None:
    toks, ms = d.toks, d.toks.matches
    for i, j, key in _states().find(toks, d.words, d.lower):
        b, e = ms[i].start(), ms[j - 1].end()
        if key.startswith("?"):
            name = key[1:]
            # "North Korea", "South Korea" are whole names found before this; "Korean" is no name
            d.x.problems.append((b, f"{name!r} may name {AMBIGUOUS_STATES[name]}: not linked"))
            continue
        if j < len(toks) and d.words[j] == "$":  # "US$90 million"
            continue
        d.add(b, e, "state", key)


_EXTRA_INSTRUMENTS = [  # codes, pattern, a word every match holds, the letters one begins with
    (
        ("ICCPR", "ICESCR"),
        r"(?:the\s+)?(?:two\s+)?International\s+Covenants"
        r"(?:\s+on\s+Human\s+Rights)?|\bthe\s+(?:two\s+)?Covenants\b",
        "Covenants",
        "tI",
    ),
    (("UDHR",), r"Universal\s+Declaration\s+(?:of|on)\s+Human\s+Rights", "Universal", "U"),
    (
        ("UNCHARTER",),
        r"\b(?:UN|United\s+Nations)\s+Charter\b|Charter\s+of\s+the\s+United\s+Nations",
        "Charter",
        "U",
    ),
    (("DHRD",), r"(?:UN\s+)?Declaration\s+on\s+Human\s+Rights\s+Defenders", "Declaration", "U"),
]
_NOT_WORDS_RUN = re.compile(r"[^A-Za-z\s]")


def _find_instruments(d: _Doc) -> None:
    for code, b, e in instrument_spans(d.text):
        d.add(b, e, "instrument", code)
    for codes, rx, word, first in _EXTRA_INSTRUMENTS:
        # a match begins at ``word`` or at one of ``first`` in the words and blanks before it
        starts = _near(d, re.compile(word), _NOT_WORDS_RUN, first) if word in d.text else []
        for m in _matches_at(re.compile(rx), d.text, starts):
            if len(codes) == 1 and d.overlaps(m.start(), m.end(), "instrument"):
                continue  # the shared recognizer named it already
            for code in codes:
                d.add(m.start(), m.end(), "instrument", code)


_LAW = re.compile(
    r"\b((?:[A-Z][\w'’.-]*\s+)(?:(?:of|on|for|and|the|to|in|against)\s+|[A-Z][\w'’.-]*\s+)*?"
    r"Act)(?:\s+of\s+(\d{4}))?\b"
)


_LAW_WORD = re.compile(r"[A-Z][\w'’.-]*|of|on|for|and|the|to|in|against")


def _law_starts(d: _Doc) -> list[int]:
    """Where ``_LAW`` can begin: a capital letter in the run of words before an "Act"."""
    text = d.text
    memo: dict[int, int] = {}
    out: list[int] = []
    last = -1
    for m in re.finditer("Act", text):
        h = m.start()
        if h == 0 or not text[h - 1].isspace():
            continue
        b = max(_words_before(text, h, _LAW_WORD, memo), last + 1)
        out += [p for p in range(b, h) if text[p] in _UPPER]
        last = max(last, h - 1)
    return out


def _find_laws(d: _Doc) -> None:
    named: dict[str, str] = {}  # law name without year -> key (a later "the X Act" is that law)
    for m in _matches_at(_LAW, d.text, _law_starts(d)):
        name = re.sub(r"^(?:The|This|That|An?|Under|In|By|With|Since)\s+", "", m.group(1))
        name = re.sub(r"^[A-Z]\w+\s+(?:and|with)\s+the\s+(?=[A-Z]\w+\s+\S)", "", name)
        if len(name.split()) < 2:
            continue
        b = m.start(1) + (len(m.group(1)) - len(name))
        year = int(m.group(2)) if m.group(2) else None
        full = f"{name} of {year}" if year else name
        key = slug(full) if year else named.get(name, slug(name))
        if year:
            named.setdefault(name, key)
        d.x.laws.setdefault(key, (full, year))
        d.add(b, m.end(), "law", key)


def _inside_longer_name(toks: TokenSeq, i: int, j: int) -> bool:
    """Whether tokens i..j are part of a longer capitalised name: "Congress" in "Zimbabwe
    Congress of Trade Unions", "Association and Collective" in "Freedom of Association and
    Collective Bargaining" (a fragment of a name is no name). A name found in lower case
    ("Policy of state department Senate …") is no part of a capitalised one."""
    if toks[i][0][:1].islower():
        return False
    k = i - 1
    if k > 0 and toks[k][0] == "the":
        k -= 1  # "Resolution on the National Programme"
    prev = toks[k][0] if k >= 0 else ""
    before = toks[k - 1][0] if k > 0 else ""
    after = toks[j][0] if j < len(toks) else ""
    beyond = toks[j + 1][0] if j + 1 < len(toks) else ""
    if (
        prev in ("of", "for", "on")
        and before[:1].isupper()
        and before not in ("The", "A", "An")
        and before not in TITLE_HEADS
        and before not in ORG_HEADS
    ):
        return True
    if (
        prev[:1].isupper()
        and prev not in ("The", "A", "An", "the")
        and prev[0].isalpha()
        and not re.fullmatch(r"[A-Z]{2,}|U\.S|US|UN", prev)
        and toks[i - 1][2] + 1 == toks[i][1]
    ):
        return j - i == 1  # a one-word name after a capitalised word
    if after in ("Convention", "Universal") and j < len(toks) and toks[j - 1][2] + 1 == toks[j][1]:
        return True  # "ILO Convention No. 189", "United Nations Universal Periodic Review"
    return after in ("of", "for") and beyond[:1].isupper() and j - i == 1


_FOOTNOTE_MARK = re.compile(r"(?<=[A-Z]{3})\d{1,2}$")  # "OHCHR1": a footnote's mark
_CAPS_DIGIT = re.compile(r"[A-Z]{3}\d")
_ORG_HEAD = re.compile("|".join(sorted(ORG_HEADS, key=len, reverse=True)))


def _find_orgs(d: _Doc) -> None:
    toks, text, words, ms = d.toks, d.text, d.words, d.toks.matches
    plain_words, lower = words, d.lower
    # a token the footnote mark can change holds three capitals and a digit
    marked = sorted({toks.at(m.start() + 3) for m in _CAPS_DIGIT.finditer(text)})
    if marked:  # footnote marks off: "OHCHR1" is OHCHR
        plain_words, lower = list(words), dict(lower)
        for k in marked:
            plain_words[k] = _FOOTNOTE_MARK.sub("", words[k])
            lower[plain_words[k]] = plain_words[k].lower()
    for i, j, key in _orgs().find(toks, plain_words, lower):
        b, e = ms[i].start(), ms[j - 1].start() + len(plain_words[j - 1])
        if _inside_longer_name(toks, i, j) or d.overlaps(b, e, "law"):
            continue
        d.add(b, e, "org", key)
        d.x.orgs.setdefault(key, text[b:e])
    # bodies by their form
    found: list[tuple[int, int, int, int]] = []  # begin, end, first token, last + 1 or -1
    heads = []  # the tokens that are a head word: found in the text, not token by token
    for m in _ORG_HEAD.finditer(text):
        k = toks.at(m.start())
        if k >= 0 and words[k] in ORG_HEADS and ms[k].start() == m.start():
            heads.append(k)
    for k in heads:
        tok = words[k]
        i = k
        while i > 0:
            prev = words[i - 1]
            if (
                prev in TITLE_HEADS
                or prev in HONORIFICS
                or d.overlaps(ms[i - 1].start(), ms[i - 1].end(), "org")
            ):
                break
            if prev[0].isupper() or prev in ("and", "&") and i > 1 and words[i - 2][0].isupper():
                if prev in ("The",):
                    break
                i -= 1
                continue
            if prev == "." and i > 1 and re.fullmatch(r"[A-Z]", words[i - 2]):
                i -= 1
                continue
            break
        while i < k and words[i] in ("and", "&", "."):
            i += 1
        j = k + 1
        if j < len(toks) and words[j] in ("Member", "Members", "member", "members"):
            continue  # "NCD Board Member", "Council Members": a post
        if tok in _RIGHT_EXTEND or tok == "Embassy":
            n = j
            while n < len(toks) and words[n] in _CONNECT | {","}:
                n += 1
            if (
                n > j
                and n < len(toks)
                and words[n][0].isupper()
                and words[j] in ("of", "for", "on", "in")
            ):
                while (
                    n < len(toks)
                    and not re.fullmatch(r"[A-Z]{2,}s", words[n])
                    and not (
                        words[n] in TITLE_HEADS and n + 1 < len(toks) and words[n + 1][:1].isupper()
                    )
                    and (
                        words[n][0].isupper()
                        or words[n] in ("and", "the", "of", "for", "with", "on")
                        and n + 1 < len(toks)
                        and words[n + 1][0].isupper()
                    )
                ):
                    n += 1
                j = n
            elif (
                tok == "Embassy"
                and j < len(toks)
                and words[j][0].isupper()
                and words[j] not in NOT_NAMES
            ):
                j += 1
        while j - 1 > k and words[j - 1] in _CONNECT:
            j -= 1  # "... Human Rights and" before "NGOs"
        if j - i < 2 or (j < len(toks) and words[j] in ("Act", "Law", "Code")):
            continue
        end = ms[j - 1].end()
        if re.fullmatch(r"[A-Za-z]+\d{1,2}", words[j - 1]):
            end -= len(words[j - 1]) - len(words[j - 1].rstrip("0123456789"))  # a footnote mark
        found.append((ms[i].start(), end, i, j if end == ms[j - 1].end() else -1))
    for b, e, i, j in sorted(found, key=lambda x: (x[0], -(x[1] - x[0]))):
        if text[b:e].startswith(("A ", "An ")):
            b += text[b:e].index(" ") + 1
            i = i + 1 if ms[i + 1].start() == b else -1
        if d.overlaps(b, e, "org") or d.overlaps(b, e, "law") or d.overlaps(b, e, "instrument"):
            continue
        if i >= 0 and j >= 0 and _inside_longer_name(toks, i, j):
            continue
        name = text[b:e]
        if name.split()[0] in ("Human", "Rights") and len(name.split()) <= 3:
            continue
        key = org_key(name)
        d.add(b, e, "org", key)
        d.x.orgs.setdefault(key, re.sub(r"^(?:the|The)\s+", "", name))
    # acronyms: "Black Sex Worker Collective (BSWC)", or the initials of a body named here
    acronyms: dict[str, str] = {}
    for s in d.within("org", 0, len(text)):
        am = re.match(
            r"\s*\(([A-Z][A-Za-z-]{1,10}|[A-Z][a-z]+(?: (?:of|for|and|[A-Z][a-z]+)){1,4})\)",
            text[s.end : s.end + 60],
        )
        if am:
            acronyms[am.group(1)] = s.key
        words = [w for w in re.findall(r"[\w.]+", text[s.begin : s.end]) if w not in _CONNECT]
        initials = "".join(
            w.replace(".", "") if w.replace(".", "").isupper() else w[0] for w in words
        )
        if len(initials) >= 3 and initials.isupper():
            acronyms.setdefault(initials, s.key)
    # a short form defined in parentheses is the body's own name: "Ministry of Labor and
    # Vocational Training (Ministry of Labor)" -- its other uses are that body
    alias = {
        org_key(short): key
        for short, key in acronyms.items()
        if " " in short and org_key(short) != key
    }
    if alias:
        for n, sp in enumerate(d.x.spans):
            if sp.kind == "org" and sp.key in alias:
                d.x.spans[n] = Span(sp.begin, sp.end, "org", alias[sp.key])
                d.keys_at[("org", sp.begin, sp.end)] = alias[sp.key]
        for short in alias:
            d.x.orgs.pop(short, None)
    if acronyms:
        for b, e, short in _occurrences(acronyms, text):
            if not d.overlaps(b, e, "org"):
                d.add(b, e, "org", acronyms[short])


# --- people --------------------------------------------------------------------------------


def _clean_name(name: str) -> str | None:
    words = name.split()
    while words and words[0].rstrip(".") in HONORIFICS:
        words = words[1:]
    if not words or any(w in NOT_NAMES or w.rstrip("'s’") in NOT_NAMES for w in words):
        return None
    if len(words) == 1 and len(words[0]) < 3:
        return None
    if all(re.fullmatch(r"[A-Z]\.", w) for w in words[1:]) and len(words) > 1:
        return None
    return " ".join(words)


def _post_start(phrase: str) -> str:
    """The post itself: the capitalised words before its last title word, and what follows
    ("... and with the UN Special Rapporteur on ..." → "UN Special Rapporteur on ...")."""
    words = phrase.split()
    heads = [i for i, w in enumerate(words) if w.strip(",") in TITLE_HEADS]
    if not heads:
        return phrase
    i = heads[-1]

    def run(w: str) -> bool:  # a capitalised word of the post, not the end of a sentence
        return (w[0].isupper() or w in ("founder", "co-founder")) and (
            not w.endswith(".") or re.fullmatch(r"(?:[A-Z]\.)+", w) is not None
        )

    while i > 0 and run(words[i - 1]):
        i -= 1
    while i > 1 and words[i - 1] == "and" and words[i - 2].strip(",") in TITLE_HEADS:
        i -= 2
        while i > 0 and run(words[i - 1]):
            i -= 1
    return " ".join(words[i:])


def _position(d: _Doc, phrase: str, base: int) -> list[tuple[str, str | None]]:
    """Titles and the body of a position phrase: "founder and Executive Director of the X"
    → [("founder", X), ("Executive Director", X)]; "State Department Deputy Spokesperson" →
    [("Deputy Spokesperson", State Department)]; a "UN" prefix is the body too."""
    phrase = phrase.strip().rstrip(",;:")
    post = _post_start(phrase)
    base += phrase.rfind(post)
    phrase = post
    org = None
    inner = d.within("org", base, base + len(phrase))
    for s in reversed(inner):  # a body that ends the phrase: "... of the X", "Vice Director KWP X"
        rel_b, rel_e = s.begin - base, s.end - base
        tail = phrase[rel_e:].strip()
        if rel_b > 0 and (tail in ("", ")") or re.fullmatch(r"\([A-Z]{2,8}\)", tail)):
            before = phrase[:rel_b]
            m = re.search(r"\s+(?:(?:of|at)\s+(?:the\s+)?)?$", before)
            if m and (m.group().strip() or not before.rstrip().endswith((" to", " the"))):
                org, phrase = s.key, before[: m.start()]
                for o in reversed([o for o in inner if o.end - base <= len(phrase)]):
                    if not m.group().strip() and phrase.rstrip().endswith(d.text[o.begin : o.end]):
                        phrase = phrase.rstrip()[
                            : -len(d.text[o.begin : o.end])
                        ]  # "Vice Director KWP"
                break
    if org is None:
        for s in inner:  # "... Policy of state department Senate ...", "USHRN UPR Coordinator"
            rel_b, rel_e = s.begin - base, s.end - base
            m = re.search(r"\s+(?:of|at)\s+(?:the\s+)?$", phrase[:rel_b])
            if m:
                org, phrase = s.key, phrase[: m.start()]
                break
            if rel_b == 0 and rel_e < len(phrase):
                org, phrase = s.key, phrase[rel_e:].strip()
                break
    if org is None:
        m = re.match(r"(?:UN|U\.N\.|United Nations)\s+(?=[A-Z])", phrase)
        if m:
            org, phrase = "united-nations", phrase[m.end() :]
    phrase = phrase.strip().rstrip(",;:")
    titles = [
        t.strip() for t in re.split(r"\s+and\s+(?=[A-Za-z-]+\s*(?:[A-Z]|$))", phrase) if t.strip()
    ]
    if len(titles) > 1 and not all(any(w in TITLE_HEADS for w in t.split()) for t in titles):
        titles = [phrase.strip()]
    return [
        (re.sub(r"\s+", " ", t), org) for t in titles if any(w in TITLE_HEADS for w in t.split())
    ]


_POST = (
    r"(?:(?:[A-Z][\w.'’-]*|of|for|on|the|to|in|at|and|with|a|human|rights|situation)\s+)*?"
    r"(?:" + "|".join(sorted((re.escape(t) for t in TITLE_HEADS), key=len, reverse=True)) + r")\b"
    r"(?:\s+(?:[A-Z][\w.'’-]*|of|for|on|the|to|in|at|and|with|human|rights|situation)\b)*"
)


_TITLE = re.compile(
    r"(?:" + "|".join(sorted((re.escape(t) for t in TITLE_HEADS), key=len, reverse=True)) + r")\b"
)
_TITLE_FIRST = re.compile(r"(?:" + "|".join(map(re.escape, TITLE_HEADS)) + r")\b")
_POST_WORD = re.compile(r"[A-Z][\w.'’-]*|of|for|on|the|to|in|at|and|with|a|human|rights|situation")
_HONOURED_NAME = rf"(?P<name>(?:(?:Ambassador|Mr\.|Mrs\.|Ms\.|Dr\.|H\.E\.)\s+)*{_NAME.pattern})"
_POST_COMMA_NAME = re.compile(rf"(?P<post>{_POST}),\s+{_HONOURED_NAME}(?=\s*(?:[.,;:)\n]|$))")
_NAME_COMMA_POST = re.compile(
    rf"(?:^|(?<=[\n.;:])\s*|\b(?:says?|said|stated|states|according to)\s+)"
    rf"(?P<name>{_NAME.pattern}|[A-Z][a-z]{{3,}}),\s+(?P<post>{_POST}(?:\s+[a-z]+(?=\s)(?:\s+[A-Z][\w.'’-]*)*)*)"
    rf"(?=\s*[,.;:(\n]|$)",
    re.M,
)
_NAME_PAREN_POST = re.compile(
    rf"(?P<name>{_NAME.pattern})\s+\((?P<post>[^()\n]{{2,120}}?)(?P<close>\)|\s*\.\.\.)"
)
_POST_NAME = re.compile(
    rf"(?P<post>{_POST})[ \t]+"
    rf"(?P<name>[A-Z][a-z]+[ \t]+(?:[A-Z]\.[ \t]+)?[A-Z][a-z]+(?:[A-Z][a-z]+)?)\b"
    rf"(?![ \t]+[A-Z][a-z])"
)
_PERSON_NAME = (
    r"(?P<name>[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?"
    r"(?:[ \t]+[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?){1,2})\b"
)
_ROLE_NAME = re.compile(
    rf"\b(?:{'|'.join(ROLES)}|{'|'.join(ACTS)})[ \t]+{_PERSON_NAME}"
    rf"(?![ \t]+[A-Z][a-z])(?![ \t]*(?:Act|Law|Report|Court|Council|Ministry)\b)"
)
_NAME_A_ROLE = re.compile(
    rf"{_PERSON_NAME},[ \t]+(?:a|an|the)[ \t]+(?:[a-z-]+[ \t]+){{0,3}}"
    rf"(?:{'|'.join(ROLES)})\b"
)
_POSSESSIVE_NAME = re.compile(rf"\b[A-Z][A-Za-z]+['’]s[ \t]+{_PERSON_NAME}(?![ \t]+[A-Z])")
_SAYS_NAME = re.compile(rf"\b(?:says|said)\s+(?P<name>[A-Z][a-z]{{3,}}|{_NAME.pattern})(?=,)")
_NEXT_WORD = re.compile(r"\s+([A-Z][a-z]+)")
_PREVIOUS_WORD = re.compile(r"([A-Z][a-z]+)\s+$")
_SPEAKER = re.compile(r"^(?P<name>[A-Z]{2,}(?:\s+[A-Z]{2,}){1,2}):", re.M)
_NAME_IS = re.compile(
    rf"\b(?:[Mm]y name is|(?:[Cc]onversation|[Ii]nterview|[Dd]ialogue|[Mm]eeting)\b"
    rf"[^.\n]{{0,80}}?\bwith)\s+(?P<name>{_NAME.pattern})"
)
_CAPACITY = re.compile(r"\b(?:his|her|their) capacity as (?P<post>[^,.;]+)")
# anchors: what each pattern above holds, found fast (see "trying a pattern only where it can
# match"); and the characters the run before an anchor cannot hold
_ROLE_FIRSTS = frozenset(r.split()[0] for r in ROLES + ACTS)
_JOINED_LOWER = re.compile(r"[-'’](?=[a-z])")
_A_PAREN = re.compile(r"\(")
_A_A_ROLE = re.compile(r",[ \t]+(?:a|an|the)[ \t]")
_A_POSSESSIVE = re.compile(r"['’]s[ \t]")
_A_SAYS = re.compile(r"says|said")
_A_NAME_IS = ("y name is", "onversation", "nterview", "ialogue", "eeting")  # one letter in
_A_CAPACITY = re.compile(r"(?:his|her|their) capacity as ")
_NOT_NAME_RUN = re.compile(r"[^A-Za-z.\-\s]")
_NOT_ROLE_NAME_RUN = re.compile(r"[^A-Za-z\- \t]")
_NOT_LETTER = re.compile(r"[^A-Za-z]")
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# a short word of a post that ends a run of non-space characters, or a title in lower case
_SHORT_RUN = re.compile(
    r"(?:of|for|on|the|to|in|at|and|with|a|human|rights|situation)\s"
    r"|(?:founder|co-founder)\b"
)
_SHORT_FIRSTS = "oftiawhrsc"


def _found(text: str, literals: Iterable[str], shift: int = 0) -> list[int]:
    """Where any of ``literals`` occurs (plus ``shift``), in order: str.find is fastest."""
    out = []
    for lit in literals:
        at = text.find(lit)
        while at >= 0:
            out.append(at + shift)
            at = text.find(lit, at + 1)
    return sorted(p for p in set(out) if p >= 0)


def _role_starts(d: _Doc) -> list[int]:
    """Where "role Name" (``_ROLE_NAME``) can begin: a role or act (or the first word of a
    two-word role) is a word of its own followed by a blank, so it is a token, unless a
    hyphen or an apostrophe joins it to the word before ("co-founder")."""
    ms, text = d.toks.matches, d.text
    out = {
        ms[k].start()
        for k, w in enumerate(d.words)
        if w in _ROLE_FIRSTS and text[ms[k].end() : ms[k].end() + 1] in (" ", "\t")
    }  # a blank follows a role
    out.update(m.end() for m in _JOINED_LOWER.finditer(d.text))
    return sorted(out)


def _post_starts(d: _Doc) -> list[int]:
    """Where a pattern that begins with a post (``_POST``) can begin: from the start of the
    run of words before each title to the title, where a word of the post can begin (a
    capital letter, a run's start, a short word ending a run: "Station" ends with "on")."""
    if d.post_starts is None:
        text = d.text
        out: list[int] = []
        last = -1
        for b, _, h in d.post_regions():
            out += [
                p
                for p in range(max(b, last + 1), h + 1)
                if p == b
                or text[p] in _UPPER
                or text[p - 1].isspace()
                or text[p] in _SHORT_FIRSTS
                and _SHORT_RUN.match(text, p)
            ]
            last = max(last, h)
        d.post_starts = out
    return d.post_starts


def _name_comma_starts(d: _Doc) -> list[int]:
    """Where "Name, Post" (``_NAME_COMMA_POST``) can begin: the post follows ", " right after
    the run of words before a title; the match begins in the run of name characters before
    that comma, at its start, after a line end or [.;:], or at "says", "stated", "according"."""
    text = d.text
    out: set[int] = set()
    for b, e, _ in d.post_regions():
        if e > b and text[e - 1] == ",":
            c = e - 1
            q = _run_start(d, c, _NOT_NAME_RUN)
            out.add(q)
            out.update(p for p in range(q + 1, c + 1) if text[p - 1] in "\n.;:" or text[p] in "sa")
    return sorted(out)


def _find_people(d: _Doc) -> None:
    text = d.text
    found: list[tuple[int, int, str, list[tuple[str, str | None]]]] = []

    def person(b: int, e: int, posts: Sequence[tuple[str, str | None]] = ()) -> None:
        name = _clean_name(text[b:e])
        if name is None:
            return
        shift = text[b:e].find(name)
        b += shift
        e = b + len(name)
        if d.overlaps(b, e, "state") or d.overlaps(b, e, "org") or d.overlaps(b, e, "instrument"):
            return
        found.append((b, e, name, list(posts)))

    # "Position, Name" at the end of a clause ("State Department Deputy Spokesperson, Mark C.
    # Toner")
    for m in _matches_at(_POST_COMMA_NAME, text, _post_starts(d)):
        post_b = m.start("post")
        person(m.start("name"), m.end("name"), _position(d, m.group("post"), post_b))
    # "Name, Position" ("JoAnn Kamuf Ward, Director of ..., states", "Kerry McLean, USHRN UPR
    # Coordinator")
    for m in _matches_at(_NAME_COMMA_POST, text, _name_comma_starts(d)):
        person(m.start("name"), m.end("name"), _position(d, m.group("post"), m.start("post")))
    # "Name (Position)" ("Kim Won Hong (Minister of State Security)")
    for m in _matches_at(_NAME_PAREN_POST, text, _near(d, _A_PAREN, _NOT_NAME_RUN, _UPPER)):
        post = m.group("post")
        if not _TITLE_FIRST.match(post):
            continue
        posts = _position(d, post, m.start("post")) if m.group("close") == ")" else []
        person(m.start("name"), m.end("name"), posts)
    # "Position Name" ("Secretary of State John Kerry", "Special Envoy ... Issues Robert King")
    for m in _matches_at(_POST_NAME, text, _post_starts(d)):
        post = m.group("post")
        words = m.group("name").split()
        if post.split()[-1] in ("of", "the", "for") or len(words) < 2:
            continue
        posts = (
            _position(d, post, m.start("post"))
            if post.split()[0] not in HONORIFICS or len(post.split()) > 1
            else []
        )
        posts = [(t, o) for t, o in posts if t not in HONORIFICS]
        person(m.start("name"), m.end("name"), posts)
    # a role or an act before a name, a role after it: "journalist Sydney Mubaiwa", "CPP
    # leader Hun Sen", "police arrested Mech Dara, a prominent journalist", "NewsDay's Stephen
    # Chadenga" (the text says what the name is; two or three capitalised words)
    for m in _matches_at(_ROLE_NAME, text, _role_starts(d)):
        person(m.start("name"), m.end("name"))
    for m in _matches_at(_NAME_A_ROLE, text, _near(d, _A_A_ROLE, _NOT_ROLE_NAME_RUN, _UPPER)):
        person(m.start("name"), m.end("name"))
    for m in _matches_at(_POSSESSIVE_NAME, text, _near(d, _A_POSSESSIVE, _NOT_LETTER, _UPPER)):
        person(m.start("name"), m.end("name"))
    # speech and transcripts: "says Akynos, founder ...", "JUDY HEUMANN:", "My name is Judy Heumann"
    for m in _matches_at(_SAYS_NAME, text, _starts(_A_SAYS, text)):
        person(m.start("name"), m.end("name"))
    for m in _SPEAKER.finditer(text):
        person(m.start("name"), m.end("name"))
    for m in _matches_at(_NAME_IS, text, _found(text, _A_NAME_IS, -1)):
        person(m.start("name"), m.end("name"))

    people = d.x.people
    for _b, _e, written, posts in sorted(found):
        key = person_key(written)
        p = people.setdefault(key, Person(key))
        p.names.add(written)
        for post in posts:
            if post not in p.positions:
                p.positions.append(post)
    # "in her capacity as Vice-Chair of ..." in a sentence that names one person
    for m in _matches_at(_CAPACITY, text, _starts(_A_CAPACITY, text)):
        sb, se = d.sentence_of(m.start())
        inside = {person_key(w) for b, e, w, _ in found if sb <= b < se}
        first_names = {
            k
            for k, p in people.items()
            for n in p.names
            if re.search(rf"\b{re.escape(n.split()[0])}\b", text[sb:se])
        }
        who = inside or first_names
        if len(who) == 1:
            key = who.pop()
            for post in _position(d, m.group("post"), m.start("post")):
                if post not in people[key].positions:
                    people[key].positions.append(post)
    # every use of the name, its surname or given name (when only one person here has it)
    forms: dict[str, str] = {}
    parts: dict[str, set[str]] = defaultdict(set)
    for key, p in people.items():
        for n in p.names:
            forms[n] = key
            forms[n.title() if n.isupper() else n] = key
            words = n.title().split() if n.isupper() else n.split()
            if len(words) >= 2:
                parts[words[-1]].add(key)
                parts[words[0]].add(key)
    for w, keys in parts.items():
        if len(keys) == 1 and len(w) >= 3 and w not in NOT_NAMES and not w.endswith("."):
            forms.setdefault(w, next(iter(keys)))
    if not forms:
        return
    for b, e, form in _occurrences(forms, text):
        if d.overlaps(b, e, "person") or d.overlaps(b, e, "org") or d.overlaps(b, e, "state"):
            continue
        if " " not in form:
            nxt = _NEXT_WORD.match(text[e : e + 20])
            prv = _PREVIOUS_WORD.search(text[max(0, b - 20) : b])
            if (nxt and nxt.group(1) not in NOT_NAMES) or (
                prv and prv.group(1) not in NOT_NAMES | TITLE_HEADS | HONORIFICS
            ):
                continue  # part of another name
        d.add(b, e, "person", forms[form])


# --- reviews -------------------------------------------------------------------------------

_UPR = re.compile(r"Universal\s+Periodic\s+Review|\bUPR\b")
_REVIEWED = re.compile(r"\breview(?:ed|s)?\b", re.I)
_A_UPR = re.compile("Universal|UPR")
_A_REVIEWED = re.compile("rev", re.I)  # what "review" matches, case folded as re.I does


def _find_reviews(d: _Doc) -> None:
    upr = list(_matches_at(_UPR, d.text, _starts(_A_UPR, d.text)))
    if not upr:
        return
    states = [s for s in d.x.spans if s.kind == "state"]  # in the text's order
    begins = [s.begin for s in states]
    # the sentences that hold a match (whole: "Universal Periodic\nReview" is in none)
    named_upr: set[int] = set()
    reviewed: set[int] = set()
    for matches, into in (
        (upr, named_upr),
        (_matches_at(_REVIEWED, d.text, _starts(_A_REVIEWED, d.text)), reviewed),
    ):
        for m in matches:
            k = d.sentence_index(m.start())
            if k >= 0 and m.end() <= d.sents[k][1]:
                into.add(k)
    for k in sorted(named_upr | reviewed):
        sb, se = d.sents[k]
        inside = states[bisect.bisect_left(begins, sb) : bisect.bisect_left(begins, se)]
        here = sorted({s.key for s in inside})
        if not here:
            continue
        linked, unlinked = 0, []
        for w in dates_in(d.text, sb, se):
            hits = set()
            for iso3 in here:
                for r in reviews_of(iso3):
                    if w.day and w.month and r.date == date(w.year, w.month, w.day):
                        hits.add(r)
                    elif not w.day and w.month and (r.date.year, r.date.month) == (w.year, w.month):
                        hits.add(r)
                    elif not w.month and r.date.year == w.year:
                        hits.add(r)
            if not hits and not w.month:
                hits = {r for iso3 in here for r in reviews_of(iso3) if r.adopted_year == w.year}
            if len(hits) == 1:
                r = hits.pop()
                d.add(w.begin, w.end, "review", f"{r.session}/{r.iso3}")
                linked += 1
            else:
                unlinked.append(w)
        if not linked and unlinked and k in named_upr and len(here) == 1:
            w = unlinked[0]
            d.x.problems.append(
                (
                    w.begin,
                    f"a UPR of {here[0]} in {d.text[w.begin : w.end]!r} is not in "
                    "the schedule of reviews (data/reference/upr-reviews.tsv): not linked",
                )
            )


# --- treaty actions ------------------------------------------------------------------------

_VERB = re.compile(
    r"\b(?P<sig>sign(?:ed|s|ing)?|signature)\b|\b(?P<rat>ratif(?:y|ied|ies|ying|ication))\b"
    r"|\b(?P<acc>acced(?:e|ed|es|ing)|accession)\b",
    re.I,
)
_NOT_DONE = re.compile(
    r"\b(?:not|never|yet to|will|would|should|shall|must|may|urge[sd]?|"
    r"recommend(?:ed|s)?|consider(?:ing|s)?|intend(?:s|ed)?|plan(?:s|ned)?|"
    r"process for the|process of)\b[^.;]{0,25}$",
    re.I,
)
_ANAPHOR = re.compile(r"\b(?:both|them|these|all three|each)\b", re.I)
_OWN_CLAUSE = re.compile(r",?\s+and\s+(?:in|since)\s+(?=\d{4}\b)", re.I)


def _find_actions(d: _Doc) -> None:
    ins = instruments()
    # in the text's order; two treaties named by one span ("the Covenants") in key order
    treaties = sorted(
        {
            s
            for s in d.x.spans
            if s.kind == "instrument" and ins[s.key].kind in ("Treaty", "OptionalProtocol")
        },
        key=lambda s: (s.begin, s.key),
    )
    t_begins = [s.begin for s in treaties]
    states = [s for s in d.x.spans if s.kind == "state"]
    s_begins = [s.begin for s in states]
    by_sentence: dict[int, list[re.Match[str]]] = defaultdict(list)
    for v in _VERB.finditer(d.text):  # a verb is one word: it is in one sentence
        k = d.sentence_index(v.start())
        if k >= 0:
            by_sentence[k].append(v)
    previous: list[str] = []
    for k in sorted(by_sentence):
        sb, se = d.sents[k]
        verbs = by_sentence[k]
        sent_dates = dates_in(d.text, sb, se)
        for n, v in enumerate(verbs):
            vb = v.start()
            ve = verbs[n + 1].start() if n + 1 < len(verbs) else se
            if _NOT_DONE.search(d.text[sb:vb]):
                continue
            kind = (
                "Signature" if v.group("sig") else "Ratification" if v.group("rat") else "Accession"
            )
            codes: list[tuple[str, int]] = []
            for s in treaties[bisect.bisect_left(t_begins, vb) : bisect.bisect_left(t_begins, ve)]:
                if s.key not in [c for c, _ in codes]:
                    codes.append((s.key, s.begin))
            if not codes and _ANAPHOR.search(d.text[v.end() : min(ve, v.end() + 20)]):
                codes = [(c, v.end()) for c in previous]
            subject = states[bisect.bisect_left(s_begins, sb) : bisect.bisect_left(s_begins, vb)]
            if not codes or not subject:
                continue
            state = subject[-1].key
            # a clause of its own after the treaties ("ratified the Rome Statute and in 2006,
            # set up a commission"): its time is not the act's
            other = _OWN_CLAUSE.search(d.text, max(at for _, at in codes), ve)
            if other is not None:
                ve = other.start()
            seg_dates = [w for w in sent_dates if vb <= w.begin < ve]
            lead = [w for w in sent_dates if w.begin < vb and n == 0]
            for i, (code, at) in enumerate(codes):
                if len(seg_dates) == len(codes) and len(codes) > 1:
                    when = seg_dates[i]
                elif seg_dates:
                    when = next((w for w in seg_dates if w.begin > at), seg_dates[0])
                elif lead:
                    when = lead[-1]
                else:
                    continue
                action = Action(kind, state, code, when.iso, (sb, se))
                if action not in d.x.actions:
                    d.x.actions.append(action)
                    d.add(sb, se, "action", action.key)
            previous = [c for c, _ in codes]
