"""The shortcut for the commonest shapes ("mars 2023", "innen 15. mars", "Q2 2024", "til og med
uke 25") reads every text exactly as the Part 1 grammar does, or leaves it to the grammar; never
another reading."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timelines.dates import phrases
from timelines.dates.lexer import clean, lex
from timelines.dates.phrases import operated_shape
from timelines.dates.shortcut import fast
from timelines.dates.spans import Found, read_grammar
from timelines.dates.vocab import vocabulary

_ENTRIES = vocabulary().single


def _words(*categories: str) -> list[str]:
    return sorted(word for word, entry in _ENTRIES.items() if entry.category in categories)


def _number(value: int, ending: str) -> str:
    return f"{value}{ending}"


# The pieces of every shape the shortcut reads, and of shapes next to them that it must leave
# to the grammar (multi-word phrases, ranges, markers, words of other rules).
WORDS = st.sampled_from(
    _words("month", "season", "week", "quarter", "tertial", "half", "q", "ordinal", "pom",
           "deadline", "until", "open", "during", "approx", "den", "sep", "between")
    + ["i løpet av", "mot slutten av", "til og med", "t.o.m.", "fra og med", "innen utgangen av",
       "senest innen", "tidlig i", "i.l.a.", "eller før", "jul", "?", "-", "–", "/", "løpende"])
NUMBERS = st.builds(_number, st.integers(min_value=0, max_value=60),
                    st.sampled_from(["", ".", ":a", ":e"]))
YEARS = st.integers(min_value=1890, max_value=2210).map(str)
DATES = st.builds(
    lambda day, month, year, form: form.format(d=day, m=month, y=year),
    st.integers(min_value=0, max_value=32), st.integers(min_value=0, max_value=13),
    st.integers(min_value=1890, max_value=2210),
    st.sampled_from(["{d}.{m}.{y}", "{y}-{m:02d}-{d:02d}", "{d}/{m}", "{d}.{m}.", "{m:02d}.{y}",
                     "{y}-{m:02d}", "{d}/{m}/{y}", "{d}.{m:02d}"]))
PIECE = st.one_of(WORDS, WORDS, NUMBERS, YEARS, DATES)
TEXTS = st.lists(PIECE, min_size=1, max_size=4).map(" ".join)
REF_YEARS = st.one_of(st.none(), st.sampled_from([0, 1, 9999]),
                      st.integers(min_value=1900, max_value=2200))


def _same_as_grammar(text: str, ref_year: int | None) -> Found | None:
    tokens, symbols = lex(clean(text))
    if not tokens:
        return None
    shortcut = fast(tokens, symbols, ref_year)
    if shortcut is False:  # the grammar finds the same parts, and no days for them
        assert read_grammar(tokens, ref_year) is None, text
        return None
    if shortcut is not None:
        assert shortcut == read_grammar(tokens, ref_year), text
    return shortcut


@settings(max_examples=1500, deadline=None)
@given(text=TEXTS, ref_year=REF_YEARS)
def test_the_shortcut_reads_as_the_grammar_reads(text: str, ref_year: int | None) -> None:
    _same_as_grammar(text, ref_year)


@settings(max_examples=500, deadline=None)  # days whose ISO week's year is a year (1900-2199)
@given(day=st.dates(min_value=dt.date(1900, 1, 8), max_value=dt.date(2199, 12, 24)),
       prefix=st.sampled_from(["", "innen ", "fra ", "i ", "ca. ", "senast ", "tom. ", "c:a "]))
def test_every_day_of_the_calendar_reads_as_the_grammar_reads(day: dt.date, prefix: str) -> None:
    for form in ("{d}. {m} {y}", "{d} {m}", "{d}.{mm}.{y}", "{y}-{mm:02d}-{d:02d}", "{d}/{mm}",
                 "{m} {y}", "uke {w} {iy}", "{q}. kvartal {y}", "Q{q}", "primo {m} {y}"):
        text = prefix + form.format(
            d=day.day, m=("jan", "februar", "mars", "april", "maj", "juni", "jul.", "augusti",
                          "sept.", "okt", "november", "desember")[day.month - 1],
            mm=day.month, y=day.year, w=day.isocalendar()[1], iy=day.isocalendar()[0],
            q=(day.month + 2) // 3)
        assert _same_as_grammar(text, day.year) is not None, text


@pytest.mark.parametrize("text", [
    "mars 2023", "15. mars 2023", "15 mars", "15:e juni", "31.12.2023", "2023-12-31", "22/5",
    "15.03 2024", "03.2023", "2023", "våren 2024", "vinter 2024", "uke 12", "v12 2024", "Q2 2024",
    "H1", "T2 2023", "tertial 3", "2. kvartal 2023", "3:e kvartalet", "andra halvåret 2023",
    "siste kvartal", "andre uke 2023", "primo mars", "ultimo desember 2024", "innen 15. mars",
    "fra mars", "i mars", "i 2023", "ca. mars 2023", "c:a uke 12", "senast 1 juni 2023",
    "tom. uke 25", "Innen 1.12.2023", "i løpet av mars", "til og med uke 25", "t.o.m. 2024",
    "fra og med 1. mars", "innen utgangen av 2. kvartal", "i slutet av mars", "t 2 2023",
    "mars – mai 2023", "uke 3–14 2023", "3-28/4", "2019-2027", "3.–5. oktober", "2022-24",
    "från mars till juni 2023", "mellom mars og juni 2023", "fra uke 3 til og med uke 5",
    "innen 1. mars – 15. april", "desember – januar", "ca. 19–23 februari", "mars/april",
    "2023/2024", "2. halvår 2023/1. halvår 2024"])
def test_the_commonest_shapes_take_the_shortcut(text: str) -> None:
    assert _same_as_grammar(text, 2023) is not None


@pytest.mark.parametrize("text", ["31. april 2023", "uke 53 2021", "5. kvartal", "mars – 2024",
                                  "mellom mars", "29. februar 2023", "mars og februar",
                                  "vintern 2023/2024"])
def test_days_that_are_not_in_the_calendar_are_not_asked_again(text: str) -> None:
    tokens, symbols = lex(clean(text))
    assert fast(tokens, symbols, 2023) is False
    assert read_grammar(tokens, 2023) is None


@pytest.mark.parametrize("text", [
    "Q0", "siste uke i mars", "mars 2300",
    "mars – mai 2022 – 2023", "i løpet", "til og", "til mars", "mellom mars – mai",
    "uke 12/2023", "mellom mars 2023", "jul", "mars?",
    "den 15. mars", "fra innen mars", "vecka 1:a"])
def test_other_texts_are_left_to_the_grammar(text: str) -> None:
    assert _same_as_grammar(text, 2023) is None


# An operator of DATES.md Part 2 before a text the shortcut reads ("før 1. mars"): read as the
# whole Part 2 path reads it.
OPERATORS = st.sampled_from(["før", "före", "inför", "etter", "efter", "inntil", "frem til",
                             "fram til", "fram till", "fram tills", "til", "innan", "før.",
                             "frem  til", "fram"])


def _outcome(read: Callable[[], object]) -> object:
    """What a reading gives, or the calendar error it raises (parse_span makes it `unparsed`)."""
    try:
        return read()
    except (ValueError, OverflowError) as error:
        return type(error)


def _operated_as_part2(text: str, ref_year: int | None) -> object:
    cleaned = clean(text)
    lexed = lex(cleaned)
    if not lexed[0]:
        return None
    shortcut = _outcome(lambda: operated_shape(cleaned, lexed, ref_year))
    if shortcut is not None:
        assert shortcut == _outcome(lambda: phrases._checked(
            cleaned, lexed, phrases._NO_REMARKS, "nb", ref_year)), text
    return shortcut


@settings(max_examples=1000, deadline=None)
@given(operator=OPERATORS, rest=TEXTS, ref_year=REF_YEARS)
def test_an_operator_before_a_common_shape_reads_as_part_2_reads_it(
        operator: str, rest: str, ref_year: int | None) -> None:
    _operated_as_part2(f"{operator} {rest}", ref_year)


@pytest.mark.parametrize("text", [
    "før 1. mars 2023", "frem til uke 25", "fram till hösten", "etter 15. mai", "inför Q2",
    "inntil mars – mai 2023", "efter vecka 12 2024", "før primo mars", "etter i slutten av mars"])
def test_the_commonest_operated_shapes_take_the_shortcut(text: str) -> None:
    assert _operated_as_part2(text, 2023) is not None


@pytest.mark.parametrize("text", [
    "før jul", "før. 1 mars", "frem  til mars", "til uke 34", "innan sommaren", "før uke 3/4",
    "før 1. mars kl. 12", "før fredag 1. mars", "før 1. mars (jf. sak 12/23)", "etter påske",
    "før vinter 2023/24"])
def test_other_operated_texts_take_the_whole_path(text: str) -> None:
    assert _operated_as_part2(text, 2023) is None
