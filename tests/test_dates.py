"""parse_span against the tables of DATES.md, unit by unit and language by language.

Expected spans are derived from the rules (calendar arithmetic on the unit tables), not copied
from the parser's output. The big mixed corpus of realistic variants is in test_dates_corpus.py.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from timelines.dates import DateSpan, parse_span

D = dt.date.fromisoformat


def month_span(year: int, first: int, last: int | None = None) -> tuple[dt.date, dt.date]:
    """First day of month `first` .. last day of month `last` (default: the same month)."""
    last = last or first
    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def dated(span: DateSpan) -> tuple[dt.date | None, dt.date | None]:
    assert span.kind == "dated", span
    return span.start, span.due


# -- DATES.md: "Examples from the seed documents" ------------------------------------------------

SEED_EXAMPLES = [  # text, language of the seed document it comes from, ref_year, start, due, ~
    ("2020-04-07 och 2020-04-24", "sv", 2020, "2020-04-07", "2020-04-24", False),
    ("2020-04-27", "sv", 2020, "2020-04-27", "2020-04-27", False),
    ("Första kvartalet 2021", "sv", 2021, "2021-01-01", "2021-03-31", False),
    ("2022-2024", "nn", 2022, "2022-01-01", "2024-12-31", False),
    ("Vår – sommar 2022", "nn", 2022, "2022-03-01", "2022-08-31", False),
    ("Haust 2022", "nn", 2022, "2022-09-01", "2022-11-30", False),
    ("Våren 2022", "nn", 2022, "2022-03-01", "2022-05-31", False),
    ("2018 - 2019", "nb", 2018, "2018-01-01", "2019-12-31", False),
    ("22/5", "nb", 2017, "2017-05-22", "2017-05-22", False),
    ("30/8-1/9", "nb", 2017, "2017-08-30", "2017-09-01", False),
    ("Mai – 1. september", "nb", 2017, "2017-05-01", "2017-09-01", False),
    ("September – 20. oktober", "nb", 2017, "2017-09-01", "2017-10-20", False),
    ("25-26/10", "nb", 2017, "2017-10-25", "2017-10-26", False),
    ("8. desember (eller før)", "nb", 2017, None, "2017-12-08", True),
    ("Desember 2017 og januar 2018", "nb", 2017, "2017-12-01", "2018-01-31", False),
    ("Fra februar", "nb", 2018, "2018-02-01", None, False),
    ("vår 2018", "nb", 2018, "2018-03-01", "2018-05-31", False),
]


@pytest.mark.parametrize("known_lang", [True, False])
@pytest.mark.parametrize(("text", "lang", "ref", "start", "due", "approx"), SEED_EXAMPLES)
def test_seed_examples(text: str, lang: str, ref: int, start: str | None, due: str | None,
                       approx: bool, known_lang: bool) -> None:
    span = parse_span(text, lang=lang if known_lang else None, ref_year=ref)
    expected = DateSpan(text, "dated", D(start) if start else None, D(due) if due else None, approx)
    assert span == expected


def test_seed_placeholders() -> None:
    assert parse_span("?", lang="nb", ref_year=2017) == DateSpan("?", "undated")
    assert parse_span("0,1 mill", lang="nn", ref_year=2022) == DateSpan("0,1 mill", "unparsed")


def test_text_is_kept_untouched() -> None:
    assert parse_span("  **Haust 2022** ", lang="nn").text == "  **Haust 2022** "


# -- DATES.md: "Kinds" ---------------------------------------------------------------------------

ONGOING = ["løpende", "fortløpende", "pågående", "kontinuerlig", "kontinuerligt", "løpande",
           "löpande", "Løpende", "Pågående."]
UNDATED = ["?", "-", "", "   ", "–", "—", "ikke avklart", "må avklares", "må avklarast",
           "ej fastställt", "ej klart", "Ikke avklart", "Må avklares."]
UNPARSED = ["Drift", "0,1 mill", "4,8 mill", "RV3 og FV30", "Anna Omberg", "AU / regionrådgiver",
            "Ansvar: SR Deltaking: Kommunane", "Prosjekt og drift", "2.250.000", "45 minutt"]


@pytest.mark.parametrize("text", ONGOING)
def test_ongoing(text: str) -> None:
    assert parse_span(text, ref_year=2022) == DateSpan(text, "ongoing")


@pytest.mark.parametrize("text", UNDATED)
def test_undated(text: str) -> None:
    assert parse_span(text, ref_year=2022) == DateSpan(text, "undated")


@pytest.mark.parametrize("lang", [None, "nb", "nn", "sv"])
@pytest.mark.parametrize("text", UNPARSED)
def test_unparsed(text: str, lang: str | None) -> None:
    assert parse_span(text, lang=lang, ref_year=2022) == DateSpan(text, "unparsed")


# -- DATES.md: "Units" ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "day"), [
    ("2020-04-27", "2020-04-27"), ("15.02.2016", "2016-02-15"), ("3.2.2022", "2022-02-03"),
    ("31.12.22", "2022-12-31"), ("20. oktober", "2021-10-20"), ("1 mars 2022", "2022-03-01"),
    ("den 15 juni 2023", "2023-06-15"), ("22/5", "2021-05-22"), ("15:e juni 2023", "2023-06-15"),
    ("den 22/5 2023", "2023-05-22"), ("15.02.", "2021-02-15"), ("15.02", "2021-02-15"),
])
def test_day(text: str, day: str) -> None:
    assert dated(parse_span(text, ref_year=2021)) == (D(day), D(day))


NB_MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
             "oktober", "november", "desember"]
SV_MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
             "september", "oktober", "november", "december"]
NB_ABBR = ["jan", "feb", "mar", "apr", "mai", "jun", "jul.", "aug", "sep", "okt", "nov", "des"]
SV_ABBR = ["jan", "feb", "mar", "apr", "maj", "jun", "jul.", "aug", "sep", "okt", "nov", "dec"]


@pytest.mark.parametrize(("lang", "names"), [
    ("nb", NB_MONTHS), ("nn", NB_MONTHS), ("sv", SV_MONTHS), ("nb", NB_ABBR), ("sv", SV_ABBR)])
def test_month_names_in_each_language(lang: str, names: list[str]) -> None:
    for month, name in enumerate(names, start=1):
        for text in (f"{name} 2024", f"{name.capitalize()} 2024", f"{name.upper()} 2024"):
            assert dated(parse_span(text, lang=lang)) == month_span(2024, month), text
        if not name.endswith("."):
            assert dated(parse_span(f"{name}. 2024", lang=lang)) == month_span(2024, month)


@pytest.mark.parametrize(("lang", "names", "pattern"), [
    ("nb", NB_MONTHS, "{d}. {m} {y}"), ("nn", NB_MONTHS, "den {d}. {m} {y}"),
    ("sv", SV_MONTHS, "{d} {m} {y}"), ("sv", SV_MONTHS, "den {d}:e {m} {y}")])
def test_days_in_each_language(lang: str, names: list[str], pattern: str) -> None:
    for month, name in enumerate(names, start=1):
        last = calendar.monthrange(2024, month)[1]
        for day in (1, 10, last):
            text = pattern.format(d=day, m=name, y=2024)
            expected = dt.date(2024, month, day)
            assert dated(parse_span(text, lang=lang)) == (expected, expected), text
        too_late = pattern.format(d=last + 1, m=name, y=2024)
        assert parse_span(too_late, lang=lang).kind == "unparsed", too_late


@pytest.mark.parametrize("text", ["mars 2022", "Maj 2023", "des. 2022", "okt 2023", "sept. 2021"])
def test_month_examples(text: str) -> None:
    year = int(text[-4:])
    month = {"mars": 3, "maj": 5, "des.": 12, "okt": 10, "sept.": 9}[text.split()[0].lower()]
    assert dated(parse_span(text)) == month_span(year, month)


def test_year() -> None:
    assert dated(parse_span("2022")) == (D("2022-01-01"), D("2022-12-31"))


QUARTER_WORDS = {
    "nb": [("{n}. kvartal {y}", None), ("{o} kvartal {y}", ["første", "andre", "tredje",
                                                            "fjerde"]),
           ("kvartal {n} {y}", None), ("Q{n} {y}", None), ("{n}. kv. {y}", None)],
    "nn": [("{o} kvartal {y}", ["fyrste", "andre", "tredje", "fjerde"]),
           ("{n}. kvartal {y}", None)],
    "sv": [("{o} kvartalet {y}", ["första", "andra", "tredje", "fjärde"]),
           ("{n}:{s} kvartalet {y}", None), ("kvartal {n} {y}", None), ("Q{n} {y}", None)],
}


@pytest.mark.parametrize("lang", ["nb", "nn", "sv"])
def test_quarters_in_each_language(lang: str) -> None:
    for pattern, ordinals in QUARTER_WORDS[lang]:
        for n in range(1, 5):
            text = pattern.format(n=n, y=2024, o=ordinals[n - 1] if ordinals else "",
                                  s="a" if n < 3 else "e")
            assert dated(parse_span(text, lang=lang)) == month_span(2024, 3 * n - 2, 3 * n), text


@pytest.mark.parametrize(("lang", "patterns"), [
    ("nb", ["{n}. tertial {y}", "Tertial {n} {y}"]), ("nn", ["{n}. tertial {y}"]),
    ("sv", ["{n}. tertialet {y}", "tertial {n} {y}"])])
def test_tertials_in_each_language(lang: str, patterns: list[str]) -> None:
    for pattern in patterns:
        for n in range(1, 4):
            text = pattern.format(n=n, y=2023)
            assert dated(parse_span(text, lang=lang)) == month_span(2023, 4 * n - 3, 4 * n), text


@pytest.mark.parametrize(("lang", "patterns"), [
    ("nb", ["{n}. halvår {y}", "{o} halvår {y}"]), ("nn", ["{o} halvår {y}"]),
    ("sv", ["{o} halvåret {y}", "{n}:a halvåret {y}"])])
def test_half_years_in_each_language(lang: str, patterns: list[str]) -> None:
    ordinals = {"nb": ["første", "andre"], "nn": ["fyrste", "andre"], "sv": ["första", "andra"]}
    for pattern in patterns:
        for n in (1, 2):
            text = pattern.format(n=n, y=2023, o=ordinals[lang][n - 1])
            assert dated(parse_span(text, lang=lang)) == month_span(2023, 6 * n - 5, 6 * n), text


SEASONS = {
    "nb": {"vår": (3, 5), "våren": (3, 5), "sommer": (6, 8), "sommeren": (6, 8),
           "høst": (9, 11), "høsten": (9, 11), "vinter": (1, 2), "vinteren": (1, 2)},
    "nn": {"vår": (3, 5), "våren": (3, 5), "sommar": (6, 8), "sommaren": (6, 8),
           "haust": (9, 11), "hausten": (9, 11), "vinter": (1, 2), "vinteren": (1, 2)},
    "sv": {"vår": (3, 5), "våren": (3, 5), "sommar": (6, 8), "sommaren": (6, 8),
           "höst": (9, 11), "hösten": (9, 11), "vinter": (1, 2), "vintern": (1, 2)},
}


@pytest.mark.parametrize("lang", ["nb", "nn", "sv"])
@pytest.mark.parametrize("year", [2023, 2024])
def test_seasons_in_each_language(lang: str, year: int) -> None:
    for word, (first, last) in SEASONS[lang].items():
        expected = month_span(year, first, last)
        assert dated(parse_span(f"{word.capitalize()} {year}", lang=lang)) == expected, word
        assert dated(parse_span(word, lang=lang, ref_year=year)) == expected, word


def iso_week(year: int, week: int) -> tuple[dt.date, dt.date]:
    monday = dt.date.fromisocalendar(year, week, 1)
    return monday, monday + dt.timedelta(days=6)


@pytest.mark.parametrize(("lang", "word"), [
    ("nb", "uke"), ("nn", "veke"), ("sv", "vecka"), ("nb", "v."), ("sv", "v"), ("nn", "v")])
def test_weeks_in_each_language(lang: str, word: str) -> None:
    for week in (1, 10, 22, 36, 52):
        assert dated(parse_span(f"{word} {week} 2023", lang=lang)) == iso_week(2023, week)
        assert dated(parse_span(f"{word}{week}", lang=lang, ref_year=2023)) == iso_week(
            2023, week)


@pytest.mark.parametrize(("lang", "words"), [
    ("nb", {"primo": (1, 10), "begynnelsen av": (1, 10), "medio": (11, 20),
            "midten av": (11, 20), "ultimo": (21, 0), "slutten av": (21, 0)}),
    ("nn", {"primo": (1, 10), "byrjinga av": (1, 10), "midten av": (11, 20),
            "slutten av": (21, 0)}),
    ("sv", {"primo": (1, 10), "i början av": (1, 10), "medio": (11, 20),
            "i mitten av": (11, 20), "ultimo": (21, 0), "i slutet av": (21, 0)}),
])
def test_part_of_month_in_each_language(lang: str, words: dict[str, tuple[int, int]]) -> None:
    month = "februar" if lang != "sv" else "februari"
    for word, (first, last) in words.items():
        for year, end in ((2024, 29), (2023, 28)):
            expected = (dt.date(year, 2, first), dt.date(year, 2, last or end))
            assert dated(parse_span(f"{word} {month} {year}", lang=lang)) == expected, word


# -- leap years and ISO week 53 -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "due"), [
    ("februar 2024", "2024-02-29"), ("februar 2023", "2023-02-28"), ("vinter 2024", "2024-02-29"),
    ("vintern 2023", "2023-02-28"), ("29.2.2024", "2024-02-29"), ("29. februar 2000", "2000-02-29"),
    ("ultimo februar 2028", "2028-02-29"),
])
def test_leap_years(text: str, due: str) -> None:
    assert parse_span(text).due == D(due)


@pytest.mark.parametrize("text", ["29.2.2023", "29. februar 2100", "29/2", "31. april 2023",
                                  "31.06.2023", "0. mars 2023", "32. mars 2023"])
def test_days_that_do_not_exist(text: str) -> None:
    assert parse_span(text, ref_year=2023).kind == "unparsed"


@pytest.mark.parametrize("year", [2015, 2020, 2026, 2032])
def test_week_53_in_long_years(year: int) -> None:
    assert dated(parse_span(f"uke 53 {year}")) == iso_week(year, 53)
    assert dated(parse_span("vecka 53", lang="sv", ref_year=year)) == iso_week(year, 53)


@pytest.mark.parametrize("year", [2021, 2022, 2023, 2024, 2025])
def test_week_53_that_does_not_exist(year: int) -> None:
    assert parse_span(f"uke 53 {year}").kind == "unparsed"
    assert parse_span("veke 53", lang="nn", ref_year=year).kind == "unparsed"


def test_week_1_may_start_in_the_year_before() -> None:
    assert dated(parse_span("uke 1 2025")) == (D("2024-12-30"), D("2025-01-05"))


# -- ref_year: never guessed --------------------------------------------------------------------

@pytest.mark.parametrize("text", ["uke 45", "hösten", "Fra august", "22/5", "mars", "Q3",
                                  "3. kvartal", "medio juni", "desember – januar", "innen 1. mars",
                                  "første halvår", "25-26/10"])
def test_text_without_a_year_needs_ref_year(text: str) -> None:
    assert parse_span(text).kind == "unparsed"
    assert parse_span(text, ref_year=2030).kind == "dated"
    span = parse_span(text, ref_year=2030)
    assert 2030 in {day.year for day in (span.start, span.due) if day}
