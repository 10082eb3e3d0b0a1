"""hrkg's instrument tagger (:mod:`hrkg.text.mentions`, which the loaders use for
``hr:mentionsInstrument``) on the hand-annotated gold sample (issue 13): the goals are
≥ 0.97 micro precision and recall, and ≥ 0.9 for each instrument with 20 or more gold
mentions (13 of the 38 instruments the sample holds; the others are too rare in it to be
measured one by one, and count in the micro figures). The table is printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrkg.text.mentions import instruments_mentioned
from tests.gold.score_instruments import report, score

FREQUENT = {"OPCAT", "CPED", "CRPD", "CAT", "ICCPR-OP2", "ROME-STATUTE", "CRC", "ICCPR",
            "ICESCR", "ICMW", "OP-CEDAW", "CEDAW", "ICERD"}


def hrkg_tagger(text: str, session: int) -> set[str]:
    return set(instruments_mentioned(text, session))


@pytest.fixture(scope="module")
def result(data_dir: Path) -> dict:
    return score(hrkg_tagger, base=data_dir)


def test_the_table(result: dict, capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print("\n\nhrkg.mentions on the instrument gold sample (tests/gold/instruments.tsv):")
        print(report(result, errors=True))
    assert result["rows"] == 400


def test_micro_goal(result: dict) -> None:
    m = result["micro"]
    assert m.gold == 552
    assert m.precision >= 0.97 and m.recall >= 0.97, (m.precision, m.recall)


def test_each_frequent_instrument_at_goal(result: dict) -> None:
    frequent = {code for code, t in result["per_code"].items() if t.gold >= 20}
    assert frequent == FREQUENT
    for code in sorted(frequent):
        t = result["per_code"][code]
        assert t.precision >= 0.9 and t.recall >= 0.9, (code, t)


def test_the_issue_cases() -> None:
    """The misses and mis-tags the issue measured, one text each."""
    cases = [
        ("Ratify CED and OP-CAT", 12, {"CPED", "OPCAT"}),
        ("Ratify the CRPD and its Optional Protocol", 8, {"CRPD", "OP-CRPD"}),
        ("Ratify the second optional protocol to the ICCPR", 10, {"ICCPR-OP2"}),
        ("Ratify the 2nd Optional Protocol to the International Covenant on Civil and "
         "Political Rights", 17, {"ICCPR-OP2"}),
        ("Sign the third Optional Protocol to the CRC on a communications procedure", 14,
         {"OP-CRC-IC"}),
        ("Accede to the Rome Statute of the International Criminal Court", 5,
         {"ROME-STATUTE"}),
        ("Ratify the 1951 Convention relating to the Status of Refugees and its 1967 Protocol",
         9, {"CSR1951", "CSR1967"}),
        ("Ratify ILO Conventions Nos. 138 and 182 and the Palermo Protocol", 11,
         {"ILO-C138", "ILO-C182", "UNTOC-TIP"}),
        ("Ratify the UNESCO Convention against Discrimination in Education", 16, {"CADE"}),
        ("Implement the recommendations of the CEDAW Committee", 3, set()),
        ("Ratify the Optional Protocols to the CRC", 9, {"OP-CRC-AC", "OP-CRC-SC"}),
        ("Ratify the Optional Protocols to the CRC", 15,
         {"OP-CRC-AC", "OP-CRC-SC", "OP-CRC-IC"}),
        ("Ratify the Optional Protocol to CAT and bring its law in line with the Convention", 6,
         {"OPCAT", "CAT"}),
        ("Cooperate with the ICC and execute its arrest warrants", 6, set()),
        # found on 60 texts outside the gold (see INSTRUMENTS.md, "on unseen texts")
        ("Accede to the second Optional Protocol to the International Covenant on Economic, "
         "Social and Cultural Rights on the abolition of capital punishment", 11, {"ICCPR-OP2"}),
        ("Act in line with its commitments under ILO-Convention 169", 13, {"ILO-C169"}),
        ("Implement the Additional Protocol to the United Nations Convention on Organized "
         "Transnational Crime to prevent, prosecute and punish human trafficking", 9,
         {"UNTOC-TIP"}),
        ("Continue its work towards the speedy ratification of CPRD", 20, {"CRPD"}),
    ]
    for text, session, codes in cases:
        assert hrkg_tagger(text, session) == codes, text
