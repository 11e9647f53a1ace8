"""`fristvakt dates TEXT [--lang] [--year]` prints the span as JSON."""

from __future__ import annotations

import json

import pytest

from scheduler.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main(["dates", *argv])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def test_prints_a_dated_span(capsys: pytest.CaptureFixture[str]) -> None:
    code, shown = run(capsys, "Första kvartalet 2021", "--lang", "sv", "--year", "2021")
    assert code == 0
    assert shown == {"kind": "dated", "start": "2021-01-01", "due": "2021-03-31",
                     "approximate": False}


def test_deadline_only_and_approximate(capsys: pytest.CaptureFixture[str]) -> None:
    code, shown = run(capsys, "8. desember (eller før)", "--year", "2017")
    assert (code, shown) == (0, {"kind": "dated", "start": None, "due": "2017-12-08",
                                 "approximate": True})


def test_year_comes_from_the_option_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "uke 45", "--lang", "nb")[1]["kind"] == "unparsed"
    assert run(capsys, "uke 45", "--year", "2023")[1]["start"] == "2023-11-06"


@pytest.mark.parametrize(("text", "kind"), [("Løpende", "ongoing"), ("?", "undated"),
                                             ("0,1 mill", "unparsed"), ("", "undated")])
def test_other_kinds(capsys: pytest.CaptureFixture[str], text: str, kind: str) -> None:
    code, shown = run(capsys, text, "--year", "2022")
    assert (code, shown) == (0, {"kind": kind, "start": None, "due": None, "approximate": False})


def test_unknown_language_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dates", "mars 2023", "--lang", "da"]) != 0
    assert capsys.readouterr().out == ""


def test_a_recurring_text_shows_its_rule_and_next_occurrences(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, shown = run(capsys, "årlig innen 1. mars", "--year", "2024")
    assert code == 0
    assert shown == {
        "kind": "recurring", "start": None, "due": "2024-03-01", "approximate": False,
        "recurrence": "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1",
        "occurrences": [{"start": None, "due": f"{year}-03-01"} for year in (2024, 2025, 2026)],
    }


def test_a_recurring_text_without_a_year_is_unparsed(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "kvartalsvis", "--lang", "sv")[1]["kind"] == "unparsed"
