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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from hrkg.doctext import sentences
from hrkg.mentions import instrument_spans
from hrkg.reference import instruments, read_tsv, resolver
from hrkg.resources import resource_dir
from hrkg.terms import slug
from hrkg.upr_schedule import reviews_of

__all__ = ["Span", "Person", "Action", "Extraction", "extract", "person_key", "org_key",
           "known_org_key", "organizations", "dates_in"]

# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    begin: int
    end: int
    kind: str   # state | instrument | law | review | person | org | action
    key: str    # ISO3, instrument code, law slug, "session/ISO3", person or org slug, action key


@dataclass
class Person:
    key: str
    names: set[str] = field(default_factory=set)
    positions: list[tuple[str, str | None]] = field(default_factory=list)  # (title, org key)


@dataclass(frozen=True)
class Action:
    kind: str        # Signature | Ratification | Accession
    state: str
    instrument: str
    when: str        # YYYY-MM-DD or YYYY
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
    orgs: dict[str, str] = field(default_factory=dict)           # key -> name as written
    laws: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (offset, message)

    def keys(self, kind: str) -> set[str]:
        return {s.key for s in self.spans if s.kind == kind}


# --- tokens and gazetteers -----------------------------------------------------------------

_TOKEN = re.compile(r"\w+(?:-\w+)*(?:['’](?!s\b)\w+)*|['’]s\b|[^\w\s]")


def _norm(tok: str) -> str:
    return tok.replace("’", "'")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(_norm(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


class Gazetteer:
    """Phrases → keys, matched on token sequences; longest match wins at each position.
    Phrases of two or more words also match in lower case."""

    def __init__(self) -> None:
        self.exact: dict[tuple[str, ...], str] = {}
        self.folded: dict[tuple[str, ...], str] = {}
        self.lengths: dict[str, set[int]] = defaultdict(set)

    def add(self, phrase: str, key: str) -> None:
        toks = tuple(t for t, _, _ in _tokens(phrase))
        if not toks:
            return
        self.exact.setdefault(toks, key)
        self.lengths[toks[0]].add(len(toks))
        words = [t for t in toks if t[0].isalnum()]
        if len(words) >= 2:
            low = tuple(t.lower() for t in toks)
            self.folded.setdefault(low, key)
            self.lengths[low[0]].add(len(toks))

    def find(self, toks: list[tuple[str, int, int]]) -> Iterator[tuple[int, int, str]]:
        """(first token, last token + 1, key) of each match, left to right, not overlapping."""
        i, n = 0, len(toks)
        while i < n:
            hit = None
            first = toks[i][0]
            for length in sorted(self.lengths.get(first, set()) | self.lengths.get(first.lower(), set()),
                                 reverse=True):
                if i + length > n:
                    continue
                seq = tuple(t for t, _, _ in toks[i:i + length])
                key = self.exact.get(seq) or self.folded.get(tuple(t.lower() for t in seq))
                if key:
                    hit = (i, i + length, key)
                    break
            if hit:
                yield hit
                i = hit[1]
            else:
                i += 1


AMBIGUOUS_STATES = {"Korea": "the Republic of Korea or the DPRK", "Georgia": "the state of Georgia or the US state",
                    "Congo": "the Republic of the Congo or the Democratic Republic of the Congo",
                    "Macedonia": "North Macedonia or the Greek region"}


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
    return {r["short"]: r["full"] for r in read_tsv(resource_dir("data") / "reference" / "nicknames.tsv")}


# --- words ---------------------------------------------------------------------------------

TITLE_HEADS = {
    "Secretary", "Ambassador", "Envoy", "Representative", "Rapporteur", "Spokesperson",
    "Spokesman", "Spokeswoman", "Advisor", "Adviser", "Director", "Coordinator", "Chair",
    "Chairman", "Chairwoman", "Chairperson", "Vice-Chair", "President", "Vice-President",
    "Minister", "Chief", "Head", "Commissioner", "Counsel", "Officer", "Judge", "Senator",
    "Congressman", "Congresswoman", "Governor", "Mayor", "founder", "Founder", "co-founder",
    "Co-founder", "Deputy", "Administrator", "Ombudsman", "Ombudsperson", "Attorney",
    "Prosecutor", "Chancellor", "Premier", "Member", "Vice", "Executive", "Rector", "Dean",
    "Professor", "Manager", "Lead", "Leader", "Expert", "Attaché", "Consul",
    "Undersecretary", "Under-Secretary-General", "Secretary-General",
}
HONORIFICS = {"Ambassador", "Mr", "Mrs", "Ms", "Dr", "Prof", "Sir", "Dame", "H.E", "Excellency",
              "Hon", "Honorable", "Honourable", "Rev", "Judge", "Senator"}
ORG_HEADS = {
    "Network", "Council", "Department", "Bureau", "Office", "Institute", "Committee",
    "Commission", "Collective", "University", "Mission", "Congress", "Assembly", "Agency",
    "Foundation", "Association", "Organization", "Organisation", "Society", "Center", "Centre",
    "Party", "Court", "Ministry", "Embassy", "Fund", "Union", "Coalition", "Alliance",
    "Federation", "Secretariat", "Parliament", "Senate", "Programme", "Tribunal", "Watch",
    "Division", "Directorate", "Authority", "Academy", "School", "College", "Forum",
    "Consulate", "Corporation", "Trust", "Caucus", "Board",
}
_RIGHT_EXTEND = {"Ministry", "Office", "Bureau", "Commission", "Committee", "Council",
                 "Secretariat", "Institute", "Department", "Agency", "Secretary"}
_CONNECT = {"of", "for", "on", "and", "the", "&", "to", "with", "in"}
# Capitalised words that are never a person's name (headings, bodies, topics).
NOT_NAMES = {
    "Human", "Rights", "State", "States", "Security", "Department", "Council", "Office",
    "Affairs", "Justice", "Policy", "Issues", "Foreign", "Relations", "Nations", "United",
    "General", "Assembly", "Commission", "Committee", "Development", "International",
    "National", "Disability", "Equality", "Women", "Children", "Peace", "Labor", "Labour",
    "Democracy", "Refugees", "Republic", "Government", "Korea", "Korean", "North", "South",
    "Read", "More", "Press", "Release", "Report", "Fact", "Sheet", "News", "The", "This", "That",
    "These", "Those", "In", "On", "At", "For", "And", "But", "A", "An", "Of", "To", "With",
    "Special", "Envoy", "Secretary", "Ambassador", "Representative", "Director", "Minister",
    "Permanent", "Deputy", "Vice", "Chief", "Advisor", "Adviser", "Spokesperson", "Bureau",
    "Universal", "Periodic", "Review", "Working", "Group", "Declaration", "Convention",
    "Covenant", "Protocol", "Act", "Law", "Congress", "Senate", "House", "Network", "Institute",
    "University", "Project", "Programme", "Program", "Executive", "Summary", "Year", "End",
    "Remarks", "Explanation", "Vote", "Draft", "Resolution", "Apology", "Conversation",
    "Transcript", "Heroes", "Administration", "Province", "Ministry", "Division", "Inspection",
    "Organization", "Guidance", "Propaganda", "Agitation", "Embassy", "Mission", "Public",
    "Diplomacy", "Defenders", "Defender", "Civil", "Society", "Global", "Record", "Scrutiny",
    "Black", "Sex", "Worker", "Collective", "School", "Week", "Award", "Day", "Month",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Oct",
    "Nov", "Dec", "UN", "UPR", "US", "U", "S", "His", "Her", "Their", "Our", "My", "Your",
    "Contact", "Person", "Breaking", "Direct", "Link", "Focus", "Featured", "Quote",
    "All", "See", "Recent", "Posts", "About", "Who", "Uses", "Inquiry", "Council's", "Chair",
    "Secretariat", "Tier", "Country", "Particular", "Concern", "Arab", "Spring", "Square",
}
_NAME_TOKEN = r"(?:[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Za-z][a-z]+)?|[A-Z]\.)"
_NAME = re.compile(rf"(?<![\w.]){_NAME_TOKEN}(?:[ \u00a0]{_NAME_TOKEN}){{1,3}}")
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
_MON = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE = re.compile(rf"\b(?:(?P<m1>{_MON})\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}})"
                   rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MON})\s+(?P<y2>\d{{4}})"
                   rf"|(?P<m3>{_MON})\s+(?P<y3>\d{{4}})"
                   rf"|(?<![\d/.-])(?P<y4>(?:19|20)\d{{2}})(?![\d/-]))\b")


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
            if w.day:
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
        words = [words[0]] + [w for w in words[1:-1] if not re.fullmatch(r"[A-Z]\.", w)] + [words[-1]]
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


class _Doc:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.x = Extraction()
        self.sents = sentences(text)
        self.by_kind: dict[str, list[tuple[int, int]]] = defaultdict(list)  # sorted spans
        self.longest: dict[str, int] = defaultdict(int)
        self.keys_at: dict[tuple[str, int, int], str] = {}

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
        for b, e in self.sents:
            if b <= offset < e:
                return b, e
        return offset, offset


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
    toks = d.toks
    for i, j, key in _states().find(toks):
        b, e = toks[i][1], toks[j - 1][2]
        if key.startswith("?"):
            name = key[1:]
            # "North Korea", "South Korea" are whole names found before this; "Korean" is no name
            d.x.problems.append((b, f"{name!r} may name {AMBIGUOUS_STATES[name]}: not linked"))
            continue
        if j < len(toks) and toks[j][0] == "$":   # "US$90 million"
            continue
        d.add(b, e, "state", key)


_EXTRA_INSTRUMENTS = [
    (("ICCPR", "ICESCR"), r"(?:the\s+)?(?:two\s+)?International\s+Covenants(?:\s+on\s+Human\s+Rights)?"
                          r"|\bthe\s+(?:two\s+)?Covenants\b"),
    (("UDHR",), r"Universal\s+Declaration\s+(?:of|on)\s+Human\s+Rights"),
    (("UNCHARTER",), r"\b(?:UN|United\s+Nations)\s+Charter\b|Charter\s+of\s+the\s+United\s+Nations"),
    (("DHRD",), r"(?:UN\s+)?Declaration\s+on\s+Human\s+Rights\s+Defenders"),
]


def _find_instruments(d: _Doc) -> None:
    for code, b, e in instrument_spans(d.text):
        d.add(b, e, "instrument", code)
    for codes, rx in _EXTRA_INSTRUMENTS:
        for m in re.finditer(rx, d.text):
            if len(codes) == 1 and d.overlaps(m.start(), m.end(), "instrument"):
                continue   # the shared recognizer named it already
            for code in codes:
                d.add(m.start(), m.end(), "instrument", code)


_LAW = re.compile(r"\b((?:[A-Z][\w'’.-]*\s+)(?:(?:of|on|for|and|the|to|in)\s+|[A-Z][\w'’.-]*\s+)*?"
                  r"Act)(?:\s+of\s+(\d{4}))?\b")


def _find_laws(d: _Doc) -> None:
    named: dict[str, str] = {}   # law name without year -> key (a later "the X Act" is that law)
    for m in _LAW.finditer(d.text):
        name = re.sub(r"^(?:The|This|That|An?|Under|In|By)\s+", "", m.group(1))
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


def _find_orgs(d: _Doc) -> None:
    toks, text = d.toks, d.text
    for i, j, key in _orgs().find(toks):
        b, e = toks[i][1], toks[j - 1][2]
        d.add(b, e, "org", key)
        d.x.orgs.setdefault(key, text[b:e])
    # bodies by their form
    found: list[tuple[int, int]] = []
    for k, (tok, _, _) in enumerate(toks):
        if tok not in ORG_HEADS:
            continue
        i = k
        while i > 0:
            prev = toks[i - 1][0]
            if prev in TITLE_HEADS or prev in HONORIFICS or d.overlaps(toks[i - 1][1], toks[i - 1][2], "org"):
                break
            if prev[0].isupper() or prev in ("and", "&") and i > 1 and toks[i - 2][0][0].isupper():
                if prev in ("The",):
                    break
                i -= 1
                continue
            if prev == "." and i > 1 and re.fullmatch(r"[A-Z]", toks[i - 2][0]):
                i -= 1
                continue
            break
        while i < k and toks[i][0] in ("and", "&", "."):
            i += 1
        j = k + 1
        if tok in _RIGHT_EXTEND or tok == "Embassy":
            m = j
            while m < len(toks) and toks[m][0] in _CONNECT | {","}:
                m += 1
            if m > j and m < len(toks) and toks[m][0][0].isupper() and toks[j][0] in ("of", "for", "on", "in"):
                while m < len(toks) and (toks[m][0][0].isupper() or toks[m][0] in ("and", "the", "of", "for", "with", "on")
                                         and m + 1 < len(toks) and toks[m + 1][0][0].isupper()):
                    m += 1
                j = m
            elif tok == "Embassy" and j < len(toks) and toks[j][0][0].isupper() and toks[j][0] not in NOT_NAMES:
                j += 1
        if j - i < 2:
            continue
        found.append((toks[i][1], toks[j - 1][2]))
    for b, e in sorted(found, key=lambda x: (x[0], -(x[1] - x[0]))):
        if d.overlaps(b, e, "org"):
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
        m = re.match(r"\s*\(([A-Z]{2,8})\)", text[s.end:s.end + 12])
        if m:
            acronyms[m.group(1)] = s.key
        words = [w for w in re.findall(r"[\w.]+", text[s.begin:s.end]) if w not in _CONNECT]
        initials = "".join(w.replace(".", "") if w.replace(".", "").isupper() else w[0] for w in words)
        if len(initials) >= 3 and initials.isupper():
            acronyms.setdefault(initials, s.key)
    if acronyms:
        for m in re.finditer(r"\b[A-Z]{3,8}\b", text):
            key = acronyms.get(m.group())
            if key and not d.overlaps(m.start(), m.end(), "org"):
                d.add(m.start(), m.end(), "org", key)


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

    def run(w: str) -> bool:   # a capitalised word of the post, not the end of a sentence
        return (w[0].isupper() or w in ("founder", "co-founder")) and (
            not w.endswith(".") or re.fullmatch(r"(?:[A-Z]\.)+", w) is not None)

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
    for s in reversed(inner):   # a body that ends the phrase: "... of the X", "Vice Director KWP X"
        rel_b, rel_e = s.begin - base, s.end - base
        tail = phrase[rel_e:].strip()
        if rel_b > 0 and (tail in ("", ")") or re.fullmatch(r"\([A-Z]{2,8}\)", tail)):
            before = phrase[:rel_b]
            m = re.search(r"\s+(?:(?:of|at)\s+(?:the\s+)?)?$", before)
            if m and (m.group().strip() or not before.rstrip().endswith((" to", " the"))):
                org, phrase = s.key, before[:m.start()]
                for o in reversed([o for o in inner if o.end - base <= len(phrase)]):
                    if not m.group().strip() and phrase.rstrip().endswith(d.text[o.begin:o.end]):
                        phrase = phrase.rstrip()[: -len(d.text[o.begin:o.end])]   # "Vice Director KWP"
                break
    if org is None:
        for s in inner:   # "... Policy of state department Senate ...", "USHRN UPR Coordinator"
            rel_b, rel_e = s.begin - base, s.end - base
            m = re.search(r"\s+(?:of|at)\s+(?:the\s+)?$", phrase[:rel_b])
            if m:
                org, phrase = s.key, phrase[:m.start()]
                break
            if rel_b == 0 and rel_e < len(phrase):
                org, phrase = s.key, phrase[rel_e:].strip()
                break
    if org is None:
        m = re.match(r"(?:UN|U\.N\.|United Nations)\s+(?=[A-Z])", phrase)
        if m:
            org, phrase = "united-nations", phrase[m.end():]
    phrase = phrase.strip().rstrip(",;:")
    titles = [t.strip() for t in re.split(r"\s+and\s+(?=[A-Za-z-]+\s*(?:[A-Z]|$))", phrase) if t.strip()]
    if len(titles) > 1 and not all(any(w in TITLE_HEADS for w in t.split()) for t in titles):
        titles = [phrase.strip()]
    return [(re.sub(r"\s+", " ", t), org) for t in titles if any(w in TITLE_HEADS for w in t.split())]


_POST = (r"(?:(?:[A-Z][\w.'’-]*|of|for|on|the|to|in|at|and|with|a|human|rights|situation)\s+)*?"
         r"(?:" + "|".join(sorted((re.escape(t) for t in TITLE_HEADS), key=len, reverse=True)) + r")\b"
         r"(?:\s+(?:[A-Z][\w.'’-]*|of|for|on|the|to|in|at|and|with|human|rights|situation)\b)*")


def _find_people(d: _Doc) -> None:
    text = d.text
    found: list[tuple[int, int, str, list[tuple[str, str | None]]]] = []

    def person(b: int, e: int, posts: list[tuple[str, str | None]] = ()) -> None:
        name = _clean_name(text[b:e])
        if name is None:
            return
        shift = text[b:e].find(name)
        b += shift
        e = b + len(name)
        if d.overlaps(b, e, "state") or d.overlaps(b, e, "org") or d.overlaps(b, e, "instrument"):
            return
        found.append((b, e, name, list(posts)))

    name = rf"(?P<name>(?:(?:Ambassador|Mr\.|Mrs\.|Ms\.|Dr\.|H\.E\.)\s+)*{_NAME.pattern})"
    # "Position, Name" at the end of a clause ("State Department Deputy Spokesperson, Mark C. Toner")
    for m in re.finditer(rf"(?P<post>{_POST}),\s+{name}(?=\s*(?:[.,;:)\n]|$))", text):
        post_b = m.start("post")
        person(m.start("name"), m.end("name"), _position(d, m.group("post"), post_b))
    # "Name, Position" ("JoAnn Kamuf Ward, Director of ..., states", "Kerry McLean, USHRN UPR Coordinator")
    for m in re.finditer(rf"(?:^|(?<=[\n.;:])\s*|\b(?:says?|said|stated|states|according to)\s+)"
                         rf"(?P<name>{_NAME.pattern}|[A-Z][a-z]{{3,}}),\s+(?P<post>{_POST}(?:\s+[a-z]+(?=\s)(?:\s+[A-Z][\w.'’-]*)*)*)(?=\s*[,.;:(\n]|$)",
                         text, re.M):
        person(m.start("name"), m.end("name"), _position(d, m.group("post"), m.start("post")))
    # "Name (Position)" ("Kim Won Hong (Minister of State Security)")
    for m in re.finditer(rf"(?P<name>{_NAME.pattern})\s+\((?P<post>[^()\n]{{2,120}}?)(?P<close>\)|\s*\.\.\.)", text):
        post = m.group("post")
        if not re.match(r"(?:" + "|".join(map(re.escape, TITLE_HEADS)) + r")\b", post):
            continue
        posts = _position(d, post, m.start("post")) if m.group("close") == ")" else []
        person(m.start("name"), m.end("name"), posts)
    # "Position Name" ("Secretary of State John Kerry", "Special Envoy ... Issues Robert King")
    for m in re.finditer(rf"(?P<post>{_POST})[ \t]+(?P<name>[A-Z][a-z]+[ \t]+(?:[A-Z]\.[ \t]+)?[A-Z][a-z]+(?:[A-Z][a-z]+)?)\b(?![ \t]+[A-Z][a-z])",
                         text):
        post = m.group("post")
        words = m.group("name").split()
        if post.split()[-1] in ("of", "the", "for") or len(words) < 2:
            continue
        posts = _position(d, post, m.start("post")) if post.split()[0] not in HONORIFICS or len(post.split()) > 1 else []
        posts = [(t, o) for t, o in posts if t not in HONORIFICS]
        person(m.start("name"), m.end("name"), posts)
    # speech and transcripts: "says Akynos, founder ...", "JUDY HEUMANN:", "My name is Judy Heumann"
    for m in re.finditer(rf"\b(?:says|said)\s+(?P<name>[A-Z][a-z]{{3,}}|{_NAME.pattern})(?=,)", text):
        person(m.start("name"), m.end("name"))
    for m in re.finditer(r"^(?P<name>[A-Z]{2,}(?:\s+[A-Z]{2,}){1,2}):", text, re.M):
        person(m.start("name"), m.end("name"))
    for m in re.finditer(rf"\b(?:[Mm]y name is|(?:[Cc]onversation|[Ii]nterview|[Dd]ialogue|[Mm]eeting)\b[^.\n]{{0,80}}?\bwith)\s+(?P<name>{_NAME.pattern})", text):
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
    for m in re.finditer(r"\b(?:his|her|their) capacity as (?P<post>[^,.;]+)", text):
        sb, se = d.sentence_of(m.start())
        inside = {person_key(w) for b, e, w, _ in found if sb <= b < se}
        first_names = {k for k, p in people.items() for n in p.names if re.search(rf"\b{re.escape(n.split()[0])}\b", text[sb:se])}
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
    rx = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, sorted(forms, key=len, reverse=True))) + r")(?![\w-])")
    for m in rx.finditer(text):
        b, e = m.start(), m.end()
        if d.overlaps(b, e, "person") or d.overlaps(b, e, "org") or d.overlaps(b, e, "state"):
            continue
        if " " not in m.group():
            nxt = re.match(r"\s+([A-Z][a-z]+)", text[e:e + 20])
            prv = re.search(r"([A-Z][a-z]+)\s+$", text[max(0, b - 20):b])
            if (nxt and nxt.group(1) not in NOT_NAMES) or (prv and prv.group(1) not in NOT_NAMES | TITLE_HEADS | HONORIFICS):
                continue  # part of another name
        d.add(b, e, "person", forms[m.group()])


# --- reviews -------------------------------------------------------------------------------

_UPR = re.compile(r"Universal\s+Periodic\s+Review|\bUPR\b")
_REVIEWED = re.compile(r"\breview(?:ed|s)?\b", re.I)


def _find_reviews(d: _Doc) -> None:
    if not _UPR.search(d.text):
        return
    states = [s for s in d.x.spans if s.kind == "state"]
    for sb, se in d.sents:
        sentence = d.text[sb:se]
        if not (_UPR.search(sentence) or _REVIEWED.search(sentence)):
            continue
        here = sorted({s.key for s in states if sb <= s.begin < se})
        if not here:
            continue
        linked, unlinked = 0, []
        for w in dates_in(d.text, sb, se):
            hits = set()
            for iso3 in here:
                for r in reviews_of(iso3):
                    if w.day and r.date == date(w.year, w.month, w.day):
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
        if not linked and unlinked and _UPR.search(sentence) and len(here) == 1:
            w = unlinked[0]
            d.x.problems.append((w.begin, f"a UPR of {here[0]} in {d.text[w.begin:w.end]!r} is not in "
                                          "the schedule of reviews (data/reference/upr-reviews.tsv): not linked"))


# --- treaty actions ------------------------------------------------------------------------

_VERB = re.compile(r"\b(?P<sig>sign(?:ed|s|ing)?|signature)\b|\b(?P<rat>ratif(?:y|ied|ies|ying|ication))\b"
                   r"|\b(?P<acc>acced(?:e|ed|es|ing)|accession)\b", re.I)
_NOT_DONE = re.compile(r"\b(?:not|never|yet to|will|would|should|shall|must|may|urge[sd]?|"
                       r"recommend(?:ed|s)?|consider(?:ing|s)?|intend(?:s|ed)?|plan(?:s|ned)?|"
                       r"process for the|process of)\b[^.;]{0,25}$", re.I)
_ANAPHOR = re.compile(r"\b(?:both|them|these|all three|each)\b", re.I)


def _find_actions(d: _Doc) -> None:
    ins = instruments()
    treaties = {s for s in d.x.spans if s.kind == "instrument"
                and ins[s.key].kind in ("Treaty", "OptionalProtocol")}
    states = [s for s in d.x.spans if s.kind == "state"]
    previous: list[str] = []
    for sb, se in d.sents:
        verbs = list(_VERB.finditer(d.text, sb, se))
        if not verbs:
            continue
        sent_dates = dates_in(d.text, sb, se)
        for n, v in enumerate(verbs):
            vb = v.start()
            ve = verbs[n + 1].start() if n + 1 < len(verbs) else se
            if _NOT_DONE.search(d.text[sb:vb]):
                continue
            kind = "Signature" if v.group("sig") else "Ratification" if v.group("rat") else "Accession"
            codes: list[tuple[str, int]] = []
            for s in sorted(treaties, key=lambda s: s.begin):
                if vb <= s.begin < ve and s.key not in [c for c, _ in codes]:
                    codes.append((s.key, s.begin))
            if not codes and _ANAPHOR.search(d.text[v.end():min(ve, v.end() + 20)]):
                codes = [(c, v.end()) for c in previous]
            subject = [s for s in states if sb <= s.begin < vb]
            if not codes or not subject:
                continue
            state = subject[-1].key
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
