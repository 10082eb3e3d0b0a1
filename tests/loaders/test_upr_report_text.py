"""The UPR Working Group report parser (issue 4, first part) on the real report texts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hrkg.errors import LoaderError
from hrkg.loaders.upr_report_text import decode, parse, read, split_states
from hrkg.reference.states import resolver

R = resolver()


@pytest.fixture(scope="module")
def reports(data_dir: Path) -> Path:
    return data_dir / "upr-reports" / "txt"


def test_united_states_2011(reports: Path) -> None:
    rep = read(reports / "unitedstatesofamerica2011.txt", R.resolve)
    assert (rep.session, rep.hrc_session, rep.review_date) == (9, 16, date(2010, 11, 5))
    assert R.resolve(rep.state_written) == "USA"
    assert sorted({i.paragraph for i in rep.items}, key=lambda p: int(p.split(".")[1])) == [
        f"92.{n}" for n in range(1, 229)]
    # some paragraphs hold several recommendations, each with its states
    assert len(rep.items) == 255
    assert [(i.part, i.text, i.states_written) for i in rep.items if i.paragraph == "92.12"] == [
        (1, "Ratify ICESCR", ["Democratic People’s Republic of Korea", "Ghana"]),
        (2, "Become a party to the ICESCR", ["Australia"])]
    assert all(i.states_written and all(R.resolve(s) for s in i.states_written)
               for i in rep.items)
    first = rep.items[0]
    assert first.states_written == ["Bolivarian Republic of Venezuela"]
    assert first.text.startswith("Ratify without reservations the following conventions")
    assert first.text.endswith("Inter-American Human Rights System")
    assert {i.group for i in rep.items} == {"made"}
    # the symbol A/HRC/16/11 is not in this text: reported, not guessed
    assert rep.symbol is None
    assert "no report symbol (A/HRC/n/n) in the text" in [p.message for p in rep.problems]


def test_dprk_2010_restores_lost_prefixes(reports: Path) -> None:
    rep = read(reports / "democraticpeoplesrepublicofkorea2010.txt", R.resolve)
    assert (rep.symbol, rep.session, rep.review_date) == ("A/HRC/13/13", 6, date(2009, 12, 7))
    assert R.resolve(rep.state_written) == "PRK"
    assert {k: v[0] for k, v in rep.groups.items()} == {"90": "examined", "91": "noted"}
    tops = [i.paragraph.split(".")[0] for i in rep.items]
    assert (tops.count("90"), tops.count("91")) == (117, 50)
    assert all(i.restored for i in rep.items)
    assert rep.missing_paragraphs() == []
    assert rep.items[0].paragraph == "90.1" and rep.items[0].states_written == ["Chile"]


def test_dprk_2014(reports: Path) -> None:
    rep = read(reports / "democraticpeoplesrepublicofkorea2014.txt", R.resolve)
    assert (rep.session, rep.hrc_session, rep.review_date) == (19, 27, date(2014, 5, 1))
    assert {k: v[0] for k, v in rep.groups.items()} == {"124": "examined", "125": "noted"}
    tops = [i.paragraph.split(".")[0] for i in rep.items]
    assert (tops.count("124"), tops.count("125")) == (185, 83)
    bolivia = rep.items[1]
    assert bolivia.paragraph == "124.2"
    assert bolivia.states_written == ["Bolivia (Plurinational State of)"]
    assert R.resolve(bolivia.states_written[0]) == "BOL"
    # a footnote between two items is not part of either
    assert not any("have not been edited" in i.text for i in rep.items)


def test_split_states() -> None:
    assert split_states("Trinidad and Tobago", R.resolve) == ["Trinidad and Tobago"]
    assert split_states("Algeria and Morocco", R.resolve) == ["Algeria", "Morocco"]
    assert split_states("Iran (Islamic Republic of), Chad", R.resolve) == [
        "Iran (Islamic Republic of)", "Chad"]
    assert split_states("United Kingdom of Great Britain and Northern Ireland; Chile",
                        R.resolve) == ["United Kingdom of Great Britain and Northern Ireland",
                                       "Chile"]


def test_the_corpus(reports: Path) -> None:
    """Over all 262 texts: what parses, what does not, and why (figures of this parser)."""
    items = failed = 0
    for path in sorted(reports.glob("*.txt")):
        try:
            items += len(read(path, R.resolve).items)
        except LoaderError as exc:
            failed += 1
            assert str(path) in str(exc)
    assert (items, failed) == (31666, 0)


def test_broken_input(reports: Path, tmp_path: Path) -> None:
    data = (reports / "unitedstatesofamerica2011.txt").read_bytes()
    early = tmp_path / "cut-early.txt"
    early.write_bytes(data[: len(data) // 4])
    with pytest.raises(LoaderError, match=r"cut-early\.txt: no 'Conclusions and/or "
                                          r"recommendations' section"):
        read(early)
    late = tmp_path / "cut-late.txt"
    late.write_bytes(data[: int(len(data) * 0.6)])
    rep = read(late, R.resolve)
    assert "the report ends inside its recommendations (cut short?)" in [
        p.message for p in rep.problems]
    assert 0 < len(rep.items) < 228
    for name, content, message in [
        ("empty.txt", b"", "the file is empty"),
        ("binary.txt", b"\x00\x01\x02" * 10, "the file is binary"),
        ("report.txt", b"%PDF-1.4\n...", "the file is a PDF"),
    ]:
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(LoaderError, match=message):
            read(path)


def test_mixed_encodings_per_line() -> None:
    text = decode(Path("x.txt"), "caf\u00e9\r".encode() + "Peoples\u2019".encode("mac_roman")
                  + b"\rend")
    assert text.split("\n") == ["caf\u00e9", "Peoples\u2019", "end"]


def test_parse_needs_recommendations() -> None:
    with pytest.raises(LoaderError, match="no 'Conclusions and/or recommendations'"):
        parse("Report of the Working Group\n1. Introduction\n", "x.txt")


def test_misprinted_numbers_and_groups_after_a_plain_paragraph(reports: Path) -> None:
    # Japan 2012 prints "146.18" and "146.116" inside the run of 147.x: numbered in sequence,
    # and said so
    rep = read(reports / "japan2012.txt", R.resolve)
    subs = sorted(int(i.paragraph.split(".")[1]) for i in rep.items
                  if i.paragraph.startswith("147."))
    assert {18, 116} <= set(subs) and rep.missing_paragraphs() == []
    assert any("printed as 146.18, in the sequence of 147: numbered 147.18" == p.message
               and p.line for p in rep.problems)
    # Colombia 2009: paragraph 88 is no group, 89 is one ("will be examined") and is read
    rep = read(reports / "colombia2009.txt", R.resolve)
    assert {k: v[0] for k, v in rep.groups.items()} == {"87": "supported", "89": "examined"}
    assert sum(i.paragraph.startswith("89.") for i in rep.items) > 0
    # Armenia 2010: "have been examined by Armenia and enjoy its support" is support
    rep = read(reports / "armenia2010.txt", R.resolve)
    assert {k: v[0] for k, v in rep.groups.items()} == {
        "93": "supported", "94": "supported", "95": "examined", "96": "noted"}
