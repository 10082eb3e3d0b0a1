"""Which instruments a text names: "ratify CEDAW", "the Optional Protocol to the CRC on ...".

Longer names win over the names they contain, so "the Optional Protocol to CEDAW" is a
mention of OP-CEDAW and not of CEDAW itself. A bare "Optional Protocol to the ICCPR" with
no ordinal names the first protocol (its title says "Optional Protocol"; the second says
"Second Optional Protocol").
"""

from __future__ import annotations

import re
from functools import cache

from hrkg.reference import instruments

__all__ = ["instruments_mentioned", "instrument_spans"]

# How each parent treaty is named in running text, besides its label and short name.
_PARENT = {
    "ICCPR": r"(?:ICCPR|International Covenant on Civil and Political Rights|Covenant on Civil and Political Rights)",
    "ICESCR": r"(?:ICESCR|International Covenant on Economic,? Social and Cultural Rights|Covenant on Economic,? Social and Cultural Rights)",
    "CEDAW": r"(?:CEDAW|Convention on the Elimination of All Forms of Discrimination against Women)",
    "CAT": r"(?:CAT|Convention against Torture(?: and Other Cruel,? Inhuman or Degrading Treatment or Punishment)?)",
    "CRC": r"(?:CRC|Convention on the Rights of the Child)",
    "CRPD": r"(?:CRPD|Convention on the Rights of Persons with Disabilities)",
}
_OP = r"Optional Protocols?(?: thereto)?(?: to| of)? (?:the )?"

# The protocols, each as the words that pick it out.
_PROTOCOLS: list[tuple[str, str]] = [
    ("ICCPR-OP2", r"Second " + _OP + _PARENT["ICCPR"]
     + r"|\bOP2\b|ICCPR-OP2|Second OP-ICCPR|OP2-ICCPR|ICCPR-OP ?2"),
    ("ICCPR-OP1", r"(?:First )?" + _OP + _PARENT["ICCPR"] + r"|ICCPR-OP ?1|First OP-ICCPR|OP1-ICCPR"),
    ("ICESCR-OP", _OP + _PARENT["ICESCR"] + r"|OP-ICESCR|ICESC?R-OP"),
    ("OP-CEDAW", _OP + _PARENT["CEDAW"] + r"|OP-?CEDAW|CEDAW-OP"),
    ("OPCAT", _OP + _PARENT["CAT"] + r"|\bOP-?CAT\b|CAT-OP"),
    ("OP-CRC-AC", _OP + _PARENT["CRC"] + r"[^.;]{0,40}?armed conflicts?|OP-CRC-AC|\bOPAC\b"),
    ("OP-CRC-SC", _OP + _PARENT["CRC"] + r"[^.;]{0,40}?sale of children|OP-CRC-SC|\bOPSC\b"),
    ("OP-CRC-IC", _OP + _PARENT["CRC"] + r"[^.;]{0,40}?communications? procedure|OP-CRC-IC|\bOPIC\b"),
    ("OP-CRPD", _OP + _PARENT["CRPD"] + r"|OP-CRPD"),
]

_TREATIES: list[tuple[str, str]] = [
    ("ICCPR", _PARENT["ICCPR"]),
    ("ICESCR", _PARENT["ICESCR"]),
    ("CEDAW", _PARENT["CEDAW"]),
    ("CAT", r"\bCAT\b|Convention against Torture"),
    ("CRC", _PARENT["CRC"]),
    ("CRPD", _PARENT["CRPD"]),
    ("ICERD", r"ICERD|\bCERD\b|Convention on the Elimination of All Forms of Racial Discrimination"),
    ("ICMW", r"ICRMW|\bICMW\b|(?:Convention on the Protection of the Rights of )?All Migrant Workers and Members of Their Families|Migrant Workers Convention"),
    ("CPED", r"CPED|ICPPED|Protection of All Persons from Enforced Disappearances?|Convention on Enforced Disappearances?"),
    ("UDHR", r"Universal Declaration of Human Rights"),
]


@cache
def _pattern() -> re.Pattern[str]:
    known = instruments()
    parts = []
    for code, rx in _PROTOCOLS + _TREATIES:
        assert code in known, code
        parts.append(f"(?P<{code.replace('-', '_')}>{rx})")
    # Word boundaries on the whole alternation; case-sensitive for acronyms ("cat" is a word).
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


def instruments_mentioned(text: str) -> list[str]:
    """Instrument codes named in ``text``, in order of first mention, without repeats.

    >>> instruments_mentioned("Ratify the Optional Protocol to CEDAW and the CRPD")
    ['OP-CEDAW', 'CRPD']
    >>> instruments_mentioned("Consider ratifying the Second Optional Protocol to the ICCPR")
    ['ICCPR-OP2']
    >>> instruments_mentioned("Ratify the Convention on the Elimination of All Forms of Discrimination against Women")
    ['CEDAW']
    """
    found: list[str] = []
    for code, _, _ in instrument_spans(text):
        if code not in found:
            found.append(code)
    return found


def instrument_spans(text: str) -> list[tuple[str, int, int]]:
    """(code, begin, end) of each instrument named in ``text``, in order.

    >>> instrument_spans("ratify the CRPD")
    [('CRPD', 11, 15)]
    """
    out = []
    for m in _pattern().finditer(text):
        code = (m.lastgroup or "").replace("_", "-")
        if code:
            out.append((code, m.start(), m.end()))
    return out
