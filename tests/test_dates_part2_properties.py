"""Part 2 of DATES.md as properties: a span written in each Part 2 form reads back as that span
(or `unparsed`, never another date), and a weekday is checked against its date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from timelines.dates import DateSpan, parse_span

NB_MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
             "september", "oktober", "november", "desember"]
SV_MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
             "september", "oktober", "november", "december"]
WEEKDAY_NAMES = [
    ("mandag", "måndag", "måndagen", "man", "man.", "mån"),
    ("tirsdag", "tysdag", "tisdag", "tisdagen", "tir", "tirs.", "tis"),
    ("onsdag", "onsdagen", "ons", "ons."),
    ("torsdag", "torsdagen", "tor", "tors."),
    ("fredag", "fredagen", "fre", "fre."),
    ("lørdag", "laurdag", "lördag", "lördagen", "lør", "lör."),
    ("søndag", "sundag", "söndag", "söndagen", "søn", "sön."),
]
DAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2150, 12, 31))
YEARS = st.integers(min_value=1990, max_value=2150)
ONE = dt.timedelta(days=1)

Span = tuple[dt.date | None, dt.date | None]


def reads_back(found: DateSpan, expected: Span) -> bool:
    """The property: the span itself, or nothing; never another date."""
    return found.kind == "unparsed" or (found.kind == "dated" and (found.start, found.due)
                                        == expected)


def month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - ONE


def day_text(day: dt.date) -> str:
    return f"{day.day}. {NB_MONTHS[day.month - 1]} {day.year}"


# A day written in each Part 2 form -> the span it must read as.
DAY_FORMS: list[tuple[str, Callable[[dt.date], Span]]] = [
    ("i {day}", lambda d: (d, d)),
    ("ila {day}", lambda d: (d, d)),
    ("{day} kl. 12", lambda d: (d, d)),
    ("{day} kl 10.00–14.00", lambda d: (d, d)),
    ("{day} 13:00", lambda d: (d, d)),
    ("{day} (jf. sak 12/23)", lambda d: (d, d)),
    ("{day} (utsatt fra mars 2020)", lambda d: (d, d)),
    ("{day} (vecka {week})", lambda d: (d, d)),
    ("før {day}", lambda d: (None, d - ONE)),
    ("före {day}", lambda d: (None, d - ONE)),
    ("etter {day}", lambda d: (d + ONE, None)),
    ("efter {day}", lambda d: (d + ONE, None)),
    ("frem til {day}", lambda d: (None, d)),
    ("inntil {day}", lambda d: (None, d)),
    ("til og med {day}", lambda d: (None, d)),
    ("t.o.m. {day}", lambda d: (None, d)),
    ("fra og med {day}", lambda d: (d, None)),
    ("fom {day}", lambda d: (d, None)),
    ("sedan {day}", lambda d: (d, None)),
    ("innen fristen {day}", lambda d: (None, d)),
    ("{weekday} {day}", lambda d: (d, d)),
]


@settings(max_examples=150, deadline=None)
@given(day=DAYS)
def test_a_day_in_every_form_reads_back(day: dt.date) -> None:
    for form, expected in DAY_FORMS:
        text = form.format(day=day_text(day), week=day.isocalendar()[1],
                           weekday=WEEKDAY_NAMES[day.weekday()][0])
        found = parse_span(text, lang="nb", ref_year=day.year)
        assert reads_back(found, expected(day)), text
        assert found.kind == "dated" or "vecka" in text, text  # only a week may disagree


@settings(max_examples=150, deadline=None)
@given(day=DAYS)
def test_a_day_without_its_year_takes_the_plan_year(day: dt.date) -> None:
    for text in (f"den {day.day:02d}.{day.month:02d}", f"den {day.day}/{day.month}",
                 f"{day.day}.{SV_MONTHS[day.month - 1]}"):
        found = parse_span(text, lang="sv", ref_year=day.year)
        assert (found.kind, found.start, found.due) == ("dated", day, day), text


@settings(max_examples=150, deadline=None)
@given(year=YEARS, month=st.integers(min_value=1, max_value=12))
def test_a_month_in_every_form_reads_back(year: int, month: int) -> None:
    first, last = dt.date(year, month, 1), month_end(year, month)
    name = NB_MONTHS[month - 1]
    forms: list[tuple[str, Span]] = [
        (f"i {name} {year}", (first, last)),
        (f"i {SV_MONTHS[month - 1]} månad {year}", (first, last)),
        (f"tidlig i {name} {year}", (first, first.replace(day=10))),
        (f"sent i {name} {year}", (first.replace(day=21), last)),
        (f"før {name} {year}", (None, first - ONE)),
        (f"etter {name} {year}", (last + ONE, None)),
        (f"til {name} {year}", (first, last)),
        (f"frem til {name} {year}", (None, first - ONE)),
        (f"{name} {year} (jf. sak 1/2)", (first, last)),
        (f"{name} {year} ({year})", (first, last)),
    ]
    for text, expected in forms:
        found = parse_span(text, lang="nb")
        assert (found.kind, found.start, found.due) == ("dated", *expected), text


@settings(max_examples=100, deadline=None)
@given(year=YEARS, quarter=st.integers(min_value=1, max_value=4))
def test_a_quarter_half_and_tertial_in_every_form_reads_back(year: int, quarter: int) -> None:
    ordinals = ["första", "andra", "tredje", "fjärde"]
    suffixes = ["1:a", "2:a", "3:e", "4:e"]
    q_span = (dt.date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter))
    half = (quarter + 1) // 2
    h_span = (dt.date(year, 6 * half - 5, 1), month_end(year, 6 * half))
    tertial = min(quarter, 3)
    t_span = (dt.date(year, 4 * tertial - 3, 1), month_end(year, 4 * tertial))
    forms: list[tuple[str, Span]] = [
        (f"det {ordinals[quarter - 1]} kvartalet {year}", q_span),
        (f"under det {ordinals[quarter - 1]} kvartalet {year}", q_span),
        (f"{suffixes[quarter - 1]} kvartalet {year}", q_span),
        (f"{quarter}. kv {year}", q_span),
        (f"H{half} {year}", h_span),
        (f"T{tertial} {year}", t_span),
        (f"før {quarter}. kvartal {year}", (None, q_span[0] - ONE)),
        (f"etter {quarter}. kvartal {year}", (q_span[1] + ONE, None)),
    ]
    for text, expected in forms:
        found = parse_span(text)
        assert (found.kind, found.start, found.due) == ("dated", *expected), text


@settings(max_examples=100, deadline=None)
@given(year=YEARS)
def test_a_year_in_every_form_reads_back(year: int) -> None:
    whole = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    forms: list[tuple[str, int | None, Span]] = [
        (f"i {year}", None, whole),
        (f"i.l.a. {year}", None, whole),
        ("i år", year, whole),
        ("neste år", year - 1, whole),
        ("året etter", year - 1, whole),
        ("innen neste år", year - 1, (None, whole[1])),
        (f"før {year}", None, (None, whole[0] - ONE)),
        (f"etter {year}", None, (whole[1] + ONE, None)),
        (f"årsskiftet {year - 1}/{year}", None, (dt.date(year - 1, 12, 31), whole[0])),
    ]
    for text, ref_year, expected in forms:
        found = parse_span(text, ref_year=ref_year)
        assert (found.kind, found.start, found.due) == ("dated", *expected), text


@settings(max_examples=200, deadline=None)
@given(day=DAYS, lang=st.sampled_from([None, "nb", "nn", "sv"]))
def test_every_wrong_weekday_is_rejected(day: dt.date, lang: str | None) -> None:
    for weekday, names in enumerate(WEEKDAY_NAMES):
        for name in names:
            for text in (f"{name} {day_text(day)}", f"{name} den {day.day}/{day.month}"):
                found = parse_span(text, lang=lang, ref_year=day.year)
                if weekday == day.weekday():
                    assert (found.kind, found.start, found.due) == ("dated", day, day), text
                else:
                    assert found.kind == "unparsed", text


@settings(max_examples=100, deadline=None)
@given(day=DAYS, length=st.integers(min_value=1, max_value=20),
       left=st.integers(min_value=0, max_value=6), right=st.integers(min_value=0, max_value=6))
def test_both_weekdays_of_a_range_are_checked(day: dt.date, length: int, left: int,
                                              right: int) -> None:
    last = day + dt.timedelta(days=length)
    text = (f"{WEEKDAY_NAMES[left][0]} {day_text(day)} – "
            f"{WEEKDAY_NAMES[right][0]} {day_text(last)}")
    found = parse_span(text, lang="nb")
    if (left, right) == (day.weekday(), last.weekday()):
        assert (found.kind, found.start, found.due) == ("dated", day, last)
    else:
        assert found.kind == "unparsed"
