"""Which instruments a text names: "ratify CEDAW", "the second Optional Protocol to the
ICCPR", "the CRPD and its Optional Protocol", "ILO Conventions Nos. 138 and 182".

The rules follow the guidelines of the hand-annotated gold sample (``tests/gold/
INSTRUMENTS.md``), which scores them (``tests/gold/test_instrument_tagger.py``):

1. **Names.** Every instrument of ``data/reference/instruments.tsv`` is found by its names,
   short names, acronyms and the misspellings met in the sources (``_NAMES``). Acronyms are
   matched case-sensitively ("cat" is a word), names in any case.
2. **A protocol's name names the protocol, not its parent.** "The Optional Protocol to the
   Convention against Torture" is OPCAT alone; the parent inside the phrase is consumed.
   "CAT and its Optional Protocol", "the CRPD and the Optional Protocol thereto" name both.
   Which protocol: the ordinal ("second", "2nd", "Second" → ICCPR-OP2; "third", "new" → the
   CRC's communications procedure), the subject ("on the sale of children"), a plural ("the
   Optional Protocols to the CRC": every protocol of the treaty in force at the session),
   else the treaty's first protocol. A list after "Optional Protocols to" is distributive only
   where it says so ("… to the ICCPR, the CEDAW and to the CRPD").
3. **A body is not its instrument.** An acronym shared by a treaty and its committee (CEDAW,
   CERD, CRC, CESCR, CED, CMW) is the committee where the text says so: "the CEDAW
   Committee", "the Committee on the CRC", "as recommended by CERD", "CERD's observations".
4. **Back-references.** "The Convention", "the Covenant", "the Protocol", "the Statute" name
   the instrument of that kind named last before them in the same text; with none, nothing.
   (Documents are long: :func:`instrument_spans` resolves these only where asked.)

Extending: add the instrument to ``instruments.tsv``, its names to ``_NAMES`` (and, for a
protocol, its parent to ``_PROTOCOLS_OF``); the gold test says what the change did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from hrkg.reference.states import instruments

__all__ = ["instruments_mentioned", "instrument_spans", "OP_CRC_IC_FROM_SESSION"]

# The communications procedure to the CRC opened for signature in February 2012: from UPR
# session 13 (May 2012) on, "the Optional Protocols to the CRC" include it.
OP_CRC_IC_FROM_SESSION = 13

_I = "(?i:{})".format  # a case-insensitive part of a case-sensitive pattern

# --- names of the instruments ----------------------------------------------------------------
# code -> regular expression of its names. Order within a code does not matter: the longest
# match at a position wins (see _names).
_THE = r"(?:the\s+)?"
_UN = r"(?:(?:the\s+)?(?:United\s+Nations|UN)\s+)?"
_CONV = r"[Cc]onvention"

_NAMES: dict[str, str] = {
    "ICERD": _I(
        r"International\s+Convention\s+on\s+(?:the\s+)?Elimination\s+of\s+(?:all\s+)?"
        r"(?:forms\s+of\s+)?Racial\s+Discrimination|Convention\s+(?:on|for)\s+the\s+"
        r"Elimination\s+of\s+(?:all\s+)?(?:forms\s+of\s+)?Racial\s+Discrimination|"
        r"Convention\s+against\s+(?:all\s+forms\s+of\s+)?Racial\s+Discrimination|"
        r"(?:Convention\s+on\s+)?Racial\s+Discrimination\s+Convention"
    )
    + r"|ICERD|CERD",
    "ICCPR": _I(
        r"International\s+(?:Covenant|Convention|Pact)\s+(?:on|of)\s+Civil\s+and\s+"
        r"Political\s+Rights|Covenant\s+(?:on|of)\s+Civil\s+and\s+Political\s+Rights"
    )
    + r"|ICCPR|ICPPR|ICCCPR",
    "ICESCR": _I(
        r"International\s+(?:Covenant|Convention|Pact)\s+(?:on|of)\s+Economic,?\s+"
        r"Social\s+and\s+Cultural\s+Rights|Covenant\s+(?:on|of)\s+Economic,?\s+Social\s+"
        r"and\s+Cultural\s+Rights"
    )
    + r"|ICESCR|ICESR|ICSECR|ICESRC|CESCR",
    "CEDAW": _I(
        r"(?:International\s+)?Convention\s+(?:on|for)\s+(?:the\s+)?Elimination\s+of\s+"
        r"(?:all\s+)?(?:forms\s+(?:of\s+)?)?Discriminations?\s+against\s+Wom[ae]n|"
        r"Convention\s+against\s+(?:all\s+forms\s+of\s+)?Discrimination\s+against\s+"
        r"Wom[ae]n|Women'?s\s+Convention"
    )
    + r"|CEDAW|UNCEDAW",
    "CAT": _I(
        r"(?:United\s+Nations\s+|UN\s+)?Convention\s+(?:against|on)\s+Torture(?:\s+and\s+"
        r"(?:other\s+)?Cruel,?\s+Inhuman\s+(?:or|and)\s+Degrading\s+Treatment(?:\s+or\s+"
        r"Punishment)?)?"
    )
    + r"|CAT|UNCAT",
    "CRC": _I(
        r"(?:International\s+|UN\s+|United\s+Nations\s+)?Convention\s+(?:on|of|for)\s+"
        r"the\s+Rights?\s+of\s+(?:the\s+)?Child(?:ren)?|Children'?s\s+Convention|"
        r"Convention\s+on\s+Children'?s\s+Rights"
    )
    + r"|CRC|UNCRC",
    "ICMW": _I(
        r"(?:International\s+)?Convention\s+(?:on|for)\s+(?:the\s+)?Protection\s+of\s+"
        r"(?:the\s+)?(?:Rights\s+\w{1,3}\s+)?(?:the\s+)?(?:all\s+)?Migrants?\s+Workers"
        r"(?:\s+and\s+(?:(?:the\s+)?Members\s+of\s+)?(?:Their|the)\s+Famil(?:y|ies))?|"
        r"(?:International\s+)?Convention\s+(?:on|for)\s+(?:the\s+)?Protection\s+of\s+"
        r"(?:the\s+)?Rights\s+of\s+(?:all\s+)?Migrants(?:\s+and\s+(?:(?:the\s+)?Members\s+"
        r"of\s+)?(?:Their|the)\s+Famil(?:y|ies))?|Convention\s+on\s+(?:the\s+)?(?:Rights\s+of\s+)?"
        r"(?:all\s+)?Migrant\s+Workers(?:\s+and\s+(?:Members\s+of\s+)?(?:Their|the)\s+"
        r"Famil(?:y|ies))?|Migrant\s+Workers'?\s+Convention|Migrants?\s+Convention|"
        r"Convention\s+on\s+(?:the\s+Rights\s+of\s+)?Migrants"
    )
    + r"|ICRMW|ICMW|ICPRMW|CMW|MWC|ICPMW",
    "CRPD": _I(
        r"(?:International\s+|UN\s+|United\s+Nations\s+)?Convention\s+on\s+(?:the\s+)?"
        r"Rights\s+of\s+(?:Persons|People)\s+with\s+Disabilit(?:y|ies)|Convention\s+on\s+"
        r"(?:Persons|People)\s+with\s+Disabilit(?:y|ies)|Disabilit(?:y|ies)\s+Convention|"
        r"Convention\s+on\s+(?:the\s+Rights\s+of\s+)?Disabled\s+Persons"
    )
    + r"|CRPD|UNCRPD|CRDP|CPRD",
    "CPED": _I(
        r"(?:International\s+)?Convention\s+(?:for|on)\s+the\s+Protection\s+of\s+(?:all|"
        r"the)\s+Persons\s+(?:from\s+|against\s+)?(?:Forced\s+|Enforced\s+)?"
        r"Disapp?e?a?rr?ances?|"
        r"(?:International\s+)?Convention\s+(?:on|against)\s+(?:the\s+)?(?:Forced\s+|"
        r"Enforced\s+)?Disappearances?|(?:International\s+)?Convention\s+for\s+the\s+"
        r"Protection\s+of\s+all\s+Persons\s+against\s+(?:Forced\s+|Enforced\s+)?"
        r"Disappearances?|Protection\s+of\s+All\s+Persons\s+(?:from|against)\s+"
        r"Enforced\s+Disappearances?"
    )
    + r"|CPED|ICPPED|ICPED|CED|ICED|CPPED|ICCPED",
    "UDHR": _I(r"Universal\s+Declaration\s+(?:of|on)\s+Human\s+Rights") + r"|UDHR",
    "UNCHARTER": _I(
        r"Charter\s+of\s+the\s+United\s+Nations|(?<!European\s)(?:UN|United\s+"
        r"Nations)\s+Charter"
    ),
    "DHRD": _I(
        r"Declaration\s+on\s+(?:the\s+(?:Protection\s+of\s+)?)?Human\s+Rights\s+"
        r"Defenders|Declaration\s+on\s+(?:the\s+)?(?:Protection\s+of\s+)?HRDs|"
        r"Declaration\s+on\s+the\s+Right\s+and\s+Responsibility\s+of\s+Individuals,?\s+"
        r"Groups\s+and\s+Organs\s+of\s+Society"
    ),
    # international criminal law
    "ROME-STATUTE": _I(
        r"Rome\s+Stat(?:ute|ue|e)(?:\s+of\s+(?:the\s+)?(?:International\s+"
        r"Criminal\s+Court|ICC))?|Statute\s+of\s+Rome|(?:the\s+)?Statute\s+of\s+"
        r"the\s+(?:International\s+Criminal\s+Court|ICC)|ICC\s+Statute|"
        r"International\s+Criminal\s+Court\s+Statute"
    ),
    "APIC": _I(
        r"Agreement\s+on\s+(?:the\s+)?Privileges\s+and\s+Immunities\s+of\s+the\s+"
        r"(?:International\s+Criminal\s+)?Court"
    )
    + r"|APIC",
    "GENOCIDE": _I(
        r"Convention\s+(?:on|for)\s+the\s+Prevention\s+(?:and\s+(?:the\s+)?"
        r"Punishment\s+)?of\s+(?:the\s+)?Crimes?\s+of\s+Genocide|Convention\s+"
        r"(?:on|for)\s+the\s+Prevention\s+(?:and\s+(?:the\s+)?Punishment\s+)?of\s+Genocide|Genocide\s+"
        r"Convention|Convention\s+(?:against|on)\s+Genocide"
    ),
    # refugees and statelessness
    "CSR1951": _I(
        r"(?:1951\s+|UN\s+|United\s+Nations\s+|Geneva\s+)*Convention\s+(?:relating|"
        r"related|relative)\s+to\s+the\s+Status\s+of\s+Refug\w*(?:\s+of\s+1951)?|"
        r"(?:1951\s+)?Convention\s+(?:on|of)\s+(?:the\s+)?(?:Status\s+of\s+)?Refug\w*"
        r"(?:\s+of\s+1951)?|(?:1951\s+)?(?:Geneva\s+)?Refug\w*\s+Convention|"
        r"1951\s+(?:Geneva\s+|UN\s+)?Convention"
    ),
    "CSR1967": _I(
        r"(?:1967\s+)?Protocol\s+(?:relating|related|relative)\s+to\s+the\s+Status\s+"
        r"of\s+Refug\w*|1967\s+(?:Optional\s+|Additional\s+)?Protocol|(?:Optional\s+"
        r"|Additional\s+)?Protocol\s+of\s+1967|New\s+York\s+Protocol"
    ),
    "CSSP1954": _I(
        r"(?:1954\s+|UN\s+|United\s+Nations\s+)*Convention\s+(?:relating|related|"
        r"relative|on)\s+to\s+the\s+Status\s+of\s+Stateless\s+Persons(?:\s+of\s+1954)?|"
        r"(?:1954\s+)?Convention\s+on\s+(?:the\s+)?Status\s+of\s+Stateless\s+Persons"
        r"(?:\s+of\s+1954)?|(?:1954\s+)?Convention\s+(?:relating|related)\s+to\s+"
        r"Stateless\s+Persons|(?:1954\s+)?Convention\s+on\s+Stateless\s+Persons|"
        r"1954\s+(?:UN\s+)?Convention(?=[^.;]{0,80}stateless)"
    ),
    "CRS1961": _I(
        r"(?:1961\s+|UN\s+|United\s+Nations\s+)*Convention\s+(?:on|relating\s+to|"
        r"for|related\s+to)\s+(?:the\s+)?Reduction\s+of\s+(?:Cases\s+of\s+)?"
        r"Statelessness(?:\s+of\s+1961)?|1961\s+(?:UN\s+)?Convention"
        r"(?=[^.;]{0,80}stateless)|(?<=stateless)[^.;]{0,80}?\b1961\s+Convention"
    ),
    "CADE": _I(r"(?:UNESCO\s+)?Convention\s+(?:against|on)\s+Discrimination\s+in\s+Education"),
    "UNTOC": _I(
        r"(?:United\s+Nations\s+|UN\s+)?Convention\s+(?:against|on)\s+(?:Transnational\s+"
        r"Organi[sz]ed|Organi[sz]ed\s+Transnational)\s+Crimes?|Palermo\s+Convention"
    )
    + r"|UNTOC",
    "UNTOC-TIP": _I(
        r"Protocol\s+to\s+Prevent,?\s+Suppress\s+and\s+Punish\s+Trafficking\s+in\s+"
        r"Persons(?:,?\s+Especially\s+Women\s+and\s+Children)?(?:,?\s+supplementing\s+"
        r"the\s+(?:United\s+Nations\s+|UN\s+)?Convention\s+against\s+Transnational\s+"
        r"Organi[sz]ed\s+Crimes?)?|Palermo\s+Protocol(?!s)(?:\s+on\s+(?:human\s+)?"
        r"trafficking(?:\s+in\s+persons)?)?|(?:Optional\s+|UN\s+)?Protocol\s+on\s+"
        r"(?:the\s+)?(?:Prevention\s+of\s+)?Trafficking\s+in\s+(?:Human\s+Beings|"
        r"Persons)|Trafficking\s+(?:in\s+Persons\s+)?Protocol"
    ),
    "UNTOC-SOM": _I(
        r"Protocol\s+against\s+the\s+Smuggling\s+of\s+Migrants(?:\s+by\s+Land,?\s+"
        r"Sea\s+and\s+Air)?(?:,?\s+supplementing\s+the\s+(?:United\s+Nations\s+|UN\s+)?"
        r"Convention\s+against\s+Transnational\s+Organi[sz]ed\s+Crimes?)?|Smuggling\s+"
        r"(?:of\s+Migrants\s+)?Protocol"
    ),
    "UNCAC": _I(
        r"(?<!American\s)(?<!Union\s)(?:United\s+Nations\s+|UN\s+)?Convention\s+against\s+"
        r"Corruption"
    )
    + r"|UNCAC",
    # ILO conventions by title (by number: _ilo_numbers)
    "ILO-C029": _I(
        r"(?<!Abolition\sof\s)(?:ILO\s+)?Forced\s+Labou?r\s+Convention|(?:ILO\s+)?"
        r"Convention\s+(?:concerning|on)\s+Forced\s+(?:or\s+Compulsory\s+)?Labou?r"
    ),
    "ILO-P029": _I(
        r"Protocol\s+of\s+2014\s+to\s+the\s+(?:ILO\s+)?Forced\s+Labou?r\s+Convention"
        r"(?:,?\s+1930)?|Protocol\s+to\s+the\s+(?:ILO\s+)?Forced\s+Labou?r\s+Convention"
        r"(?:,?\s+1930)?"
    ),
    "ILO-C087": _I(
        r"Freedom\s+of\s+Association\s+and\s+Protection\s+of\s+the\s+Right\s+to\s+"
        r"Organi[sz]e\s+Convention"
    ),
    "ILO-C098": _I(r"Right\s+to\s+Organi[sz]e\s+and\s+Collective\s+Bargaining\s+Convention"),
    "ILO-C100": _I(r"Equal\s+Remuneration\s+Convention"),
    "ILO-C105": _I(
        r"Abolition\s+of\s+Forced\s+Labou?r\s+Convention|Convention\s+(?:concerning|on)"
        r"\s+the\s+Abolition\s+of\s+Forced\s+Labou?r"
    ),
    "ILO-C111": _I(r"Discrimination\s+\(Employment\s+and\s+Occupation\)\s+Convention"),
    "ILO-C138": _I(
        r"Minimum\s+Age\s+Convention|ILO\s+Convention\s+(?:concerning|on)\s+(?:the\s+)?"
        r"Minimum\s+Age(?:\s+for\s+Admission\s+to\s+Employment)?"
    ),
    "ILO-C169": _I(
        r"Indigenous\s+and\s+Tribal\s+Peoples\s+Convention|ILO\s+Convention\s+"
        r"(?:concerning|on)\s+(?:the\s+Rights\s+of\s+)?Indigenous\s+and\s+Tribal\s+"
        r"Peoples"
    ),
    "ILO-C182": _I(
        r"Worst\s+Forms\s+of\s+Child\s+Labou?r\s+Convention|ILO\s+Convention\s+"
        r"(?:concerning|on)\s+(?:the\s+(?:Prohibition\s+and\s+Immediate\s+Action\s+for\s+"
        r"the\s+Elimination\s+of\s+the\s+)?)?Worst\s+Forms\s+of\s+Child\s+Labou?r"
    ),
    "ILO-C189": _I(
        r"Domestic\s+Workers\s+Convention|ILO\s+Convention\s+(?:concerning|on)\s+"
        r"(?:Decent\s+Work\s+for\s+)?Domestic\s+Workers"
    ),
    "UNDRIP": _I(
        r"(?:United\s+Nations\s+|UN\s+)?Declaration\s+(?:on|of)\s+the\s+Rights\s+of\s+"
        r"(?:the\s+)?Indigenous\s+Peoples?|(?:United\s+Nations\s+|UN\s+)?Declaration\s+"
        r"on\s+Indigenous\s+Peoples?(?:'\s+Rights)?"
    )
    + r"|UNDRIP",
    "ISTANBUL": _I(
        r"Istanbul\s+Convention|(?:Council\s+of\s+Europe\s+)?Convention\s+on\s+"
        r"(?:Preventing\s+and\s+Combating|the\s+Prevention\s+of|Combating)\s+Violence\s+"
        r"against\s+Women(?:\s+and\s+Domestic\s+Violence)?|Council\s+of\s+Europe\s+"
        r"Convention\s+(?:on|against)\s+(?:the\s+)?Violence\s+against\s+Women"
        r"(?:\s+and\s+Domestic\s+Violence)?"
    ),
    "ATT": _I(r"Arms\s+Trade\s+Treaty") + r"|ATT",
}
# Protocol acronyms: a name of the protocol alone.
_PROTOCOL_ACRONYMS: dict[str, str] = {
    "ICCPR-OP2": r"ICCPR[- ]?OP[- ]?2|OP[- ]?2[- ]?ICCPR|OP[- ]?ICCPR[- ]?2|ICCPR[- ]+OP2|"
    r"Second\s+OP[- ]?ICCPR|OP2",
    "ICCPR-OP1": r"ICCPR[- ]?OP[- ]?1|OP[- ]?1[- ]?ICCPR|OP[- ]?ICCPR[- ]?1|First\s+OP[- ]?ICCPR|"
    r"OP1",
    "ICESCR-OP": r"OP[- ]?ICESC?R|ICESC?R[- ]?OP|OP[- ]?CESCR|OP[- ]?ESCR",
    "OP-CEDAW": r"OP[- ]?CEDAW|CEDAW[- ]?OP",
    "OPCAT": r"OP[- ]?CAT|CAT[- ]?OP|OPCAT",
    "OP-CRC-AC": r"OP[- ]?CRC[- ]?AC|OPAC|OP[- ]?AC|CRC[- ]?OP[- ]?AC",
    "OP-CRC-SC": r"OP[- ]?CRC[- ]?SC|OPSC|OP[- ]?SC|CRC[- ]?OP[- ]?SC|OC[- ]CRC[- ]SC",
    "OP-CRC-IC": r"OP[- ]?CRC[- ]?IC|OPIC|OP[- ]?IC|OP3[- ]?CRC|CRC[- ]?OP[- ]?IC|"
    r"OP[- ]?CRC[- ]?CP",
    "OP-CRPD": r"OP[- ]?CRPD|CRPD[- ]?OP",
}

# The protocols of each treaty, in order; the first is the one an unnumbered singular names.
_PROTOCOLS_OF: dict[str, tuple[str, ...]] = {
    "ICCPR": ("ICCPR-OP1", "ICCPR-OP2"),
    "ICESCR": ("ICESCR-OP",),
    "CEDAW": ("OP-CEDAW",),
    "CAT": ("OPCAT",),
    "CRC": ("OP-CRC-AC", "OP-CRC-SC", "OP-CRC-IC"),
    "CRPD": ("OP-CRPD",),
    "CSR1951": ("CSR1967",),
    "UNTOC": ("UNTOC-TIP", "UNTOC-SOM"),
    "ILO-C029": ("ILO-P029",),
}
# What a CRC protocol is about, as texts name it.
_CRC_SUBJECT = [
    (
        "OP-CRC-AC",
        r"armed\s+conflicts?|child(?:ren)?\s+soldiers?|(?:recruitment|involvement)\s+"
        r"of\s+children",
    ),
    (
        "OP-CRC-SC",
        r"sale\s+of\s+child(?:ren)?|child\s+prostitution|child\s+pornography|"
        r"trafficking\s+(?:of|in)\s+children|sexual\s+exploitation",
    ),
    (
        "OP-CRC-IC",
        r"communications?\s+procedures?|individual\s+(?:complaints?|communications?|"
        r"petitions?)|complaints?\s+(?:procedure|mechanism)",
    ),
]
_ILO_NUMBERS = {
    29: "ILO-C029",
    87: "ILO-C087",
    98: "ILO-C098",
    100: "ILO-C100",
    105: "ILO-C105",
    111: "ILO-C111",
    138: "ILO-C138",
    169: "ILO-C169",
    182: "ILO-C182",
    189: "ILO-C189",
}
# Acronyms that are also the names of treaty bodies: a committee where the text says so.
_SHARED = {"CEDAW", "CERD", "CRC", "CESCR", "CED", "CMW", "CAT"}
_COMMITTEE_BEFORE = re.compile(
    r"(?i:(?:committee|sub-?committee)\s+(?:on|of|against|for|under)\s+(?:the\s+)?|"
    r"(?:recommend(?:ed|ations?)|expressed|requested|raised|observ(?:ed|ations?)|comments?|"
    r"concerns?|views|made|issued|noted|formulated|adopted|urged|called\s+for|suggested|"
    r"required|stated|outlined|indicated|highlighted|voiced|reports?|dialogue|"
    r"cooperat(?:e|ion))\s+(?:of\s+|by\s+|from\s+|with\s+|to\s+)(?:the\s+)?|"
    # "reservations from the CEDAW": the Convention
    r"by\s+the\s+|(?<!reservations\s)(?<!reservation\s)from\s+the\s+|"
    r"experts?\s+of\s+(?:the\s+)?)$"
)
_COMMITTEE_AFTER = re.compile(
    r"^(?:\s*\)?\s*(?i:committee|sub-?committee|'s\s+(?:concluding|recommendation|observation|"
    r"general\s+(?:recommendation|comment)|comment|concern|views|request|decision|"
    r"jurisprudence)|\s+(?:concluding|recommendations?|general\s+(?:recommendation|comment)|"
    r"observations?|views|in\s+(?:its|their)\s+(?:concluding|recommendation|observation|"
    r"general)|experts?|members?|secretariat)))"
)

# --- protocols as phrases -------------------------------------------------------------------
_ORDINAL = r"(?P<ordinal>first|second|third|1st|2nd|3rd|new|newest|latest|two|both|three)"
_PROTOCOL_WORD = re.compile(
    r"(?<![\w-])(?:"
    + _I(_ORDINAL)
    + r"\s+)?(?:"
    + _I(
        r"(?:international\s+)?(?:optional|"
        r"additional|facultative)\s+"
    )
    + r")?(?P<word>"
    + _I(r"protocols?")
    + r"|OPs?)(?![\w-])"
)
_OP_CRC = re.compile(r"(?<![\w-])OPs?[- ]CRC(?![\w-])")
_TO = re.compile(
    r"\s*(?:,\s*)?(?i:to|of|on|under|for|additional\s+to|relating\s+to|in)\s+"
    r"(?:(?i:the)\s+)?"
)
_THERETO = re.compile(
    r"^\s*(?i:thereto|to\s+it|to\s+them|to\s+(?:this|that|the\s+said|these)\s+"
    r"(?:convention|covenant|instruments?|treat(?:y|ies)))\b"
)
_ITS = re.compile(
    r"(?i:\b(?:its|their|the\s+related|related|the\s+relevant|respective|and\s+"
    r"the|and|with\s+the|with\s+its|with|as\s+well\s+as\s+(?:its|the))\s+"
    r"(?:(?:two|both|three)\s+)?)$"
)
_REFERENCE = re.compile(
    r"(?<![\w-])(?i:(?:the|this|that|said|aforementioned|above-?mentioned|same)\s+)"
    r"(?:(?i:said|aforementioned|above-?mentioned|same)\s+)?"
    r"(?P<word>(?i:convention|covenant|statute|charter|declaration))(?![\w-])"
)
_REFERS_TO = {
    "convention": "Convention",
    "covenant": "Covenant",
    "statute": "Statute",
    "charter": "Charter",
    "declaration": "Declaration",
}
_PLURAL_PAIRS: list[tuple[tuple[str, ...], str]] = [
    (
        ("ICCPR", "ICESCR"),
        _I(
            r"(?:the\s+)?(?:two|both)\s+(?:international\s+|UN\s+|United\s+"
            r"Nations\s+)?Covenants|(?:the\s+)?International\s+Covenants|"
            r"Covenants\s+on\s+(?:Civil\s+and\s+Political|Economic)"
        ),
    ),
    (
        ("CSSP1954", "CRS1961"),
        _I(
            r"(?:two\s+|both\s+|1954\s+and\s+1961\s+|UN\s+|United\s+"
            r"Nations\s+)*(?:conventions|Conventions)\s+(?:on|relating\s+to|"
            r"related\s+to|concerning)\s+(?:the\s+reduction\s+of\s+)?"
            r"statelessness|statelessness\s+conventions|1954\s+and\s+1961\s+"
            r"(?:UN\s+)?Conventions"
        ),
    ),
    (("CSR1951", "CSSP1954"), _I(r"conventions\s+on\s+refugees\s+and\s+stateless\s+persons")),
    (("UNTOC-TIP", "UNTOC-SOM"), _I(r"Palermo\s+Protocols")),
]

_PLURAL_TRIGGERS = (
    ("covenants",),
    ("statelessness", "1954 and 1961"),
    ("stateless",),
    ("palermo",),
)


@dataclass(frozen=True)
class _Span:
    code: str
    begin: int
    end: int
    kind: str = "name"  # name | protocol | reference


def _family_word(code: str) -> str:
    """What a back-reference calls an instrument: "Convention", "Covenant", ..."""
    if code in ("ICCPR", "ICESCR"):
        return "Covenant"
    if code == "ROME-STATUTE":
        return "Statute"
    if code == "UNCHARTER":
        return "Charter"
    if code in ("UDHR", "DHRD", "UNDRIP"):
        return "Declaration"
    if (
        code in ("APIC", "ATT")
        or code in _PROTOCOL_ACRONYMS
        or code in ("CSR1967", "UNTOC-TIP", "UNTOC-SOM", "ILO-P029")
    ):
        return ""
    return "Convention"


# Words one of which every name of the instrument holds: a text without any of them is not
# searched for it (speed: 55 patterns on 40,000 texts). Lower-case words are looked for in the
# text in lower case with its spaces collapsed, acronyms (upper case) as written.
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "ICERD": ("racial", "CERD"),
    "ICCPR": ("civil and political", "ICCPR", "ICPPR", "ICCCPR"),
    "ICESCR": ("economic", "ICESCR", "ICESR", "ICSECR", "ICESRC", "CESCR"),
    "CEDAW": ("wom", "CEDAW"),
    "CAT": ("tortur", "CAT"),
    "CRC": ("child", "CRC"),
    "ICMW": ("migrant", "MW"),
    "CRPD": ("disab", "CRPD", "CRDP", "CPRD"),
    "CPED": ("disap", "CED", "CPED", "PPED"),
    "UDHR": ("universal declaration", "UDHR"),
    "UNCHARTER": ("charter",),
    "DHRD": ("defenders", "hrds", "responsibility of individuals"),
    "ROME-STATUTE": ("statute", "rome stat", "statue"),
    "APIC": ("privileges", "APIC"),
    "GENOCIDE": ("genocide",),
    "CSR1951": ("refug", "1951"),
    "CSR1967": ("1967", "refug", "new york protocol"),
    "CSSP1954": ("stateless",),
    "CRS1961": ("stateless",),
    "CADE": ("education",),
    "UNTOC": ("organi", "UNTOC", "palermo"),
    "UNTOC-TIP": ("traffick", "palermo"),
    "UNTOC-SOM": ("smuggl",),
    "UNCAC": ("corruption", "UNCAC"),
    "ILO-C029": ("forced",),
    "ILO-P029": ("forced",),
    "ILO-C087": ("freedom of association",),
    "ILO-C098": ("collective bargaining",),
    "ILO-C100": ("equal remuneration",),
    "ILO-C105": ("forced",),
    "ILO-C111": ("employment and occupation",),
    "ILO-C138": ("minimum age",),
    "ILO-C169": ("tribal",),
    "ILO-C182": ("worst forms",),
    "ILO-C189": ("domestic workers",),
    "UNDRIP": ("indigenous", "UNDRIP"),
    "ISTANBUL": ("istanbul", "violence against women"),
    "ATT": ("arms trade", "ATT"),
}
_PROTOCOL_TRIGGERS = ("OP", "OC")


@cache
def _name_patterns() -> tuple[
    tuple[tuple[str, bool, tuple[str, ...]], ...], dict[str, re.Pattern[str]]
]:
    """The trigger words (word, whether an acronym, the codes it stands for), and the pattern
    of each code's names."""
    known = instruments()
    by_trigger: dict[str, list[str]] = {}
    patterns: dict[str, re.Pattern[str]] = {}
    for code, rx in list(_PROTOCOL_ACRONYMS.items()) + list(_NAMES.items()):
        assert code in known, code
        for t in _PROTOCOL_TRIGGERS if code in _PROTOCOL_ACRONYMS else _TRIGGERS[code]:
            by_trigger.setdefault(t, []).append(code)
        patterns[code] = re.compile(r"(?<![\w-])(?:" + rx + r")(?![\w-])")
    triggers = tuple((t, t.isupper(), tuple(codes)) for t, codes in by_trigger.items())
    return triggers, patterns


def _candidates(text: str) -> list[str]:
    """The codes whose trigger words the text holds, in the order of the patterns."""
    triggers, patterns = _name_patterns()
    low = " ".join(text.lower().split())
    codes: set[str] = set()
    for word, acronym, of in triggers:
        if word in (text if acronym else low):
            codes.update(of)
    return [c for c in patterns if c in codes]


_ILO = re.compile(
    r"(?<![\w-])(?:"
    + _I(r"ILO|International\s+Labou?r\s+Organi[sz]ation(?:'s)?|ILO's")
    + r")?[\s-]*(?:\(ILO\)\s*)?"
    + _I(r"(?:fundamental\s+|core\s+)?Conventions?")
    + r"\s*(?:"
    + _I(r"Nos?|Numbers?|n[º°o]s?")
    + r"\.?\s*)?(?P<nums>C?\d{2,3}(?:\s*\(\d{4}\))?"
    r"(?:\s*(?:,|and|&|or|/)\s*(?:" + _I(r"Nos?\.?") + r"\s*)?C?\d{2,3}(?:\s*\(\d{4}\))?)*)"
    r"(?![\w-])|(?<![\w-])ILO\s*(?:" + _I(r"Conventions?\s*") + r")?(?P<nums2>C?\d{2,3}"
    r"(?:\s*(?:,|and|&)\s*C?\d{2,3})*)(?![\w-])|(?<![\w-])C(?P<nums3>029|087|098|100|105|111|"
    r"138|169|182|189)(?![\w-])"
)


def _ilo_numbers(text: str) -> list[_Span]:
    """ILO conventions by number: "ILO Convention No. 169", "ILO Conventions Nos. 138 and
    182", "Convention 169 concerning Indigenous and Tribal Peoples", "ILO 189"."""
    out = []
    for m in _ILO.finditer(text):
        nums = m.group("nums") or m.group("nums2") or m.group("nums3")
        head = text[m.start() : m.start("nums") if m.group("nums") else m.end()]
        if m.group("nums") and not re.search(r"(?i)ILO|Labou?r", head):
            # "Convention No. 169" without "ILO": only where the text is about work or
            # indigenous peoples (the numbered conventions the recommendations name are ILO's)
            if not re.search(
                r"(?i)\bILO\b|labou?r|indigenous|tribal|worker|employment|"
                r"occupation|remuneration|freedom\s+of\s+association|"
                r"collective\s+bargaining|minimum\s+age",
                text,
            ):
                continue
        for n in re.findall(r"C?(\d{2,3})(?!\d)(?!\))", re.sub(r"\(\d{4}\)", "", nums)):
            code = _ILO_NUMBERS.get(int(n))
            if code:
                out.append(_Span(code, m.start(), m.end()))
    return out


def _committee(text: str, m_begin: int, m_end: int) -> bool:
    """Whether an acronym shared with a treaty body stands for the body here."""
    before = text[max(0, m_begin - 60) : m_begin]
    after = text[m_end : m_end + 60]
    return bool(_COMMITTEE_BEFORE.search(before) or _COMMITTEE_AFTER.match(after))


def _names(text: str) -> list[_Span]:
    """Every instrument name, the longest at each place, not overlapping."""
    found: list[_Span] = []
    bodies: list[tuple[int, int]] = []
    patterns = _name_patterns()[1]
    for code in _candidates(text):
        for m in patterns[code].finditer(text):
            if m.group(0) in _SHARED and _committee(text, m.start(), m.end()):
                bodies.append((m.start(), m.end()))
                continue
            found.append(_Span(code, m.start(), m.end()))
    # "as recommended by CERD, CESCR and the CRC": the list goes on naming committees
    queue = sorted(end for _, end in bodies)
    while queue:
        end = queue.pop(0)
        after = [s for s in found if text[s.begin : s.end] in _SHARED and s.begin >= end]
        nxt = min(after, key=lambda s: s.begin, default=None)
        if nxt is not None and re.fullmatch(
            r"\s*(?:,\s*(?:and\s+)?|and\s+)(?:the\s+)?", text[end : nxt.begin]
        ):
            found.remove(nxt)
            queue.append(nxt.end)
    low = " ".join(text.lower().split())
    for (codes, words), triggers in zip(_PLURAL_PAIRS, _PLURAL_TRIGGERS, strict=True):
        if not any(t in low for t in triggers):
            continue
        for m in re.finditer(words, text):
            found += [_Span(c, m.start(), m.end()) for c in codes]
    if re.search(r"\d\d", text):
        found += _ilo_numbers(text)
    found.sort(key=lambda s: (s.begin, -(s.end - s.begin)))
    out: list[_Span] = []
    end = -1
    for s in found:
        if s.begin >= end:
            out.append(s)
            end = s.end
        elif out and (s.begin, s.end) == (out[-1].begin, out[-1].end) and s.code != out[-1].code:
            out.append(s)  # one phrase, several instruments ("the two Covenants")
    return out


def _which(
    parent: str, ordinal: str | None, plural: bool, after: str, session: int | None
) -> list[str]:
    """The protocols of ``parent`` a protocol phrase names."""
    protocols = _PROTOCOLS_OF[parent]
    o = (ordinal or "").lower()
    if o in ("second", "2nd") and re.match(
        r"[^.;]{0,80}(?i:abolition\s+of\s+(?:the\s+)?"
        r"(?:death\s+penalty|capital\s+punishment))",
        after,
    ):
        # "the second Optional Protocol to the ICESCR on the abolition of capital punishment":
        # the description picks out the ICCPR's, whatever treaty the text names
        return ["ICCPR-OP2"]
    if parent == "CRC":
        subjects = [code for code, rx in _CRC_SUBJECT if re.search(rx, after[:160], re.I)]
        if subjects and not (
            plural
            and o in ("two", "both", "three")
            and len(subjects) < 2
            and not re.match(r"\W*(?i:on|relating|concerning)", after)
        ):
            return subjects
        if o in ("third", "3rd", "new", "newest", "latest"):
            return ["OP-CRC-IC"]
        if o in ("two", "both"):
            return ["OP-CRC-AC", "OP-CRC-SC"]
        if plural or o == "three":
            return list(
                protocols if session is None or session >= OP_CRC_IC_FROM_SESSION else protocols[:2]
            )
        if o in ("first", "1st"):
            return ["OP-CRC-AC"]
        if o in ("second", "2nd"):
            return ["OP-CRC-SC"]
        return []  # "the Optional Protocol to the CRC": which one is not said
    if parent == "ICCPR":
        if o in ("second", "2nd") or re.match(
            r"[^.;]{0,80}(?i:death\s+penalty|capital\s+"
            r"punishment)",
            after,
        ):
            return ["ICCPR-OP2"]
        if o in ("first", "1st"):
            return ["ICCPR-OP1"]
        if plural or o in ("two", "both"):
            return list(protocols)
        return ["ICCPR-OP1"]
    if parent == "UNTOC":
        if re.match(r"[^.;]{0,60}(?i:traffick)", after):
            return ["UNTOC-TIP"]
        if re.match(r"[^.;]{0,60}(?i:smuggl)", after):
            return ["UNTOC-SOM"]
        return list(protocols) if plural else []
    return list(protocols)


def _protocols(text: str, names: list[_Span], session: int | None) -> tuple[list[_Span], set[int]]:
    """The protocols that phrases name ("the Optional Protocol to CAT", "and its Optional
    Protocols"), and the indices of the parent names they consume."""
    out: list[_Span] = []
    consumed: set[int] = set()
    starts = {s.begin: i for i, s in enumerate(names)}
    covered = [(s.begin, s.end) for s in names]
    for m in _PROTOCOL_WORD.finditer(text):
        if any(b <= m.start("word") < e for b, e in covered):
            continue  # part of a name ("Protocol relating to the Status of Refugees")
        ordinal = m.group("ordinal")
        word = m.group("word")
        plural = word.lower().endswith("s") or (ordinal or "").lower() in ("two", "both", "three")
        if word.startswith("OP") and not re.match(
            _TO.pattern + "|" + r"\s*(?:thereto)", text[m.end() :]
        ):
            if not _ITS.search(text[: m.start()]):
                continue  # "OP" alone is no protocol phrase
        pos = m.end()
        to = _TO.match(text, pos)
        parent_idx: list[int] = []
        if to and to.end() in starts and names[starts[to.end()]].code in _PROTOCOLS_OF:
            first = starts[to.end()]
            parent_idx = [first]
            # "Optional Protocols to the ICCPR, the CEDAW, the CAT and to the CRPD":
            # distributive only where a later item repeats "to"
            j, chain = first, [first]
            while j + 1 < len(names):
                gap = text[names[j].end : names[j + 1].begin]
                if not re.fullmatch(
                    r"\s*(?:\([^()]{0,20}\))?\s*(?:,|;|and|as\s+well\s+as)?\s*"
                    r"(?:(?:and\s+)?(?i:to)\s+)?(?:(?i:the)\s+)?",
                    gap,
                ):
                    break
                j += 1
                chain.append(j)
                if re.search(r"(?i:\bto\s+(?:the\s+)?)$", gap) and plural:
                    parent_idx = [c for c in chain if names[c].code in _PROTOCOLS_OF]
            end = names[parent_idx[-1]].end
        elif to and to.end() in starts:
            continue  # a protocol to an instrument without protocols of ours
        elif to and re.match(
            r"(?i:the\s+)?(?:African|American|European|Inter-American|"
            r"Geneva|Hague|Additional|Protocol|Convention\s+(?!on\s+the\s+"
            r"Rights\s+of\s+the\s+Child)|ILO|Council|Kyoto|Montreal|"
            r"Maputo)",
            text[to.end() : to.end() + 40],
        ):
            continue  # a protocol to another instrument
        else:
            # "its/the Optional Protocol(s) (thereto)", "CAT and its OP": the treaty before
            before = [
                i for i, s in enumerate(names) if s.end <= m.start() and s.code in _PROTOCOLS_OF
            ]
            thereto = _THERETO.match(text[pos:])
            near = bool(before) and (
                thereto is not None
                or _ITS.search(text[names[before[-1]].end : m.start()]) is not None
                or re.fullmatch(r"\W{0,3}", text[names[before[-1]].end : m.start()]) is not None
            )
            crc = next(
                (
                    c
                    for c, rx in _CRC_SUBJECT
                    if re.match(
                        r"\s*(?i:on|relating\s+to|concerning)\s+(?:the\s+)?"
                        r"(?:involvement\s+of\s+children\s+in\s+)?(?:" + rx + ")",
                        text[pos:],
                    )
                ),
                None,
            )
            if crc and not (near and names[before[-1]].code == "CRC"):
                out.append(_Span(crc, m.start(), pos, "protocol"))
                continue
            if not near:
                if before and re.match(
                    r"\s*(?:of\s+1967|relating\s+to\s+the\s+Status\s+of\s+"
                    r"Refug)",
                    text[pos:],
                    re.I,
                ):
                    out.append(_Span("CSR1967", m.start(), pos, "protocol"))
                continue
            parent_idx = [before[-1]]
            if re.search(r"(?i:\btheir\s+(?:\w+\s+)?)$", text[: m.start()]):
                # "ICESCR, ICCPR and their Optional Protocols": every treaty of the list
                j = before[-1]
                while j > 0 and re.fullmatch(
                    r"\s*(?:,|and|,\s*and)\s*(?:(?i:the)\s+)?",
                    text[names[j - 1].end : names[j].begin],
                ):
                    j -= 1
                    if names[j].code in _PROTOCOLS_OF:
                        parent_idx.insert(0, j)
            end = pos + (thereto.end() if thereto else 0)
            for i in parent_idx:
                for code in _which(names[i].code, ordinal, plural, text[end:], session):
                    out.append(_Span(code, m.start(), end, "protocol"))
            continue
        for i in parent_idx:
            codes = _which(names[i].code, ordinal, plural, text[names[i].end :], session)
            if codes:
                consumed.add(i)
            for code in codes:
                out.append(
                    _Span(
                        code, m.start(), end if len(parent_idx) == 1 else names[i].end, "protocol"
                    )
                )
    for m in _OP_CRC.finditer(text):
        # "OP-CRC on the sale of children", "OPs-CRC": which protocol the words after say
        if not any(b <= m.start() < e for b, e in covered):
            for code in _which("CRC", None, m.group(0)[2] == "s", text[m.end() :], session):
                out.append(_Span(code, m.start(), m.end(), "protocol"))
    return out, consumed


def _references(text: str, spans: list[_Span]) -> list[_Span]:
    """ "The Convention", "the Covenant" …: the instrument of that kind named last before."""
    out = []
    for m in _REFERENCE.finditer(text):
        if any(s.begin <= m.start("word") < s.end for s in spans):
            continue
        if re.match(
            r"\s+(?i:on|of|for|against|relating|concerning|to\s+(?:prevent|combat))\b",
            text[m.end() :],
        ):
            continue  # the start of a name we do not know: "the Convention on ..."
        if re.match(r"(?i)s\b", text[m.end() :]):
            continue
        word = _REFERS_TO[m.group("word").lower()]
        before = [s for s in spans if s.end <= m.start() and _family_word(s.code) == word]
        if before:
            last = before[-1]
            out.append(_Span(last.code, m.start(), m.end(), "reference"))
    return out


def _spans(text: str, session: int | None, references: bool) -> list[_Span]:
    names = _names(text)
    low = text.lower()
    if "protocol" in low or "OP" in text:
        protocols, consumed = _protocols(text, names, session)
    else:
        protocols, consumed = [], set()
    for i in sorted(consumed):
        # "… to the International Covenant on Civil and Political Rights (ICCPR)": the
        # acronym in brackets is the same parent
        if (
            i + 1 < len(names)
            and names[i + 1].code == names[i].code
            and re.fullmatch(r"\s*\(", text[names[i].end : names[i + 1].begin])
        ):
            consumed.add(i + 1)
    kept = [s for i, s in enumerate(names) if i not in consumed]
    spans = sorted(kept + protocols, key=lambda s: (s.begin, s.end, s.code))
    if references and any(w in low for w in _REFERS_TO):
        parents = [s for i, s in enumerate(names) if i in consumed]
        refs = _references(text, sorted(spans + parents, key=lambda s: (s.begin, s.end)))
        spans = sorted(spans + refs, key=lambda s: (s.begin, s.end, s.code))
    return spans


def instruments_mentioned(text: str, session: int | None = None) -> list[str]:
    """Instrument codes named in ``text``, in order of first mention, without repeats. The
    UPR session (if known) decides which protocols "the Optional Protocols to the CRC" are.

    >>> instruments_mentioned("Ratify the Optional Protocol to CEDAW and the CRPD")
    ['OP-CEDAW', 'CRPD']
    >>> instruments_mentioned("Consider ratifying the second Optional Protocol to the ICCPR")
    ['ICCPR-OP2']
    >>> instruments_mentioned("Ratify the CRPD and its Optional Protocol, and CED")
    ['CRPD', 'OP-CRPD', 'CPED']
    >>> instruments_mentioned("Ratify the Optional Protocols to the CRC", session=9)
    ['OP-CRC-AC', 'OP-CRC-SC']
    >>> instruments_mentioned("Implement the recommendations of the CEDAW Committee")
    []
    """
    found: list[str] = []
    for span in _spans(text, session, references=True):
        if span.code not in found:
            found.append(span.code)
    return found


def instrument_spans(
    text: str, session: int | None = None, references: bool = False
) -> list[tuple[str, int, int]]:
    """(code, begin, end) of each instrument named in ``text``, in order. A phrase that names
    several instruments ("the two Covenants") gives one span per instrument. Back-references
    ("the Convention") only with ``references``: in a long document the last convention named
    is too often not the one meant.

    >>> instrument_spans("ratify the CRPD")
    [('CRPD', 11, 15)]
    """
    return [(s.code, s.begin, s.end) for s in _spans(text, session, references)]
