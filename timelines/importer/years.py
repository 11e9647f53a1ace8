"""Which year a text without a year belongs to, and the plan's period.

In order: --year; the title ("Handlingsplan 2019-2020", "Rapportering pr. 15.02.2016"); the
document's full dates (a day with a year); the first year stated in a list of milestones;
any year stated in a date cell. A milestone list is read in order, so in a list that ends
"Desember 2017 og januar 2018", "Fra februar", February is 2018.
"""

from __future__ import annotations

import datetime as dt

from timelines.dates import DateSpan, parse_span
from timelines.importer.milestones import MAX_DATE_WORDS, explicit
from timelines.importer.model import Candidate, YearChoice

LISTS = ("milestone", "bullet")
YEARS = range(1900, 2201)  # what a timeline file accepts as ref_year


def title_date(title: str, lang: str | None) -> tuple[str, DateSpan] | None:
    """The first date with a year in the title, longest reading first."""
    words = title.split()
    for start in range(len(words)):
        for size in range(min(MAX_DATE_WORDS, len(words) - start), 0, -1):
            text = " ".join(words[start:start + size]).strip(".,;:()")
            span = explicit(text, lang)
            if span is not None:
                return text, span
    return None


def is_day(span: DateSpan) -> bool:
    return span.start is not None and span.start == span.due


def whole_years(span: DateSpan) -> bool:
    return (
        span.start is not None and span.due is not None
        and (span.start.month, span.start.day, span.due.month, span.due.day) == (1, 1, 12, 31)
    )


def choose_year(
    title: tuple[str, int], found: list[Candidate], lang: str | None, override: int | None
) -> YearChoice:
    choice = _choose(title, found, lang, override)
    return choice if choice.year is None or choice.year in YEARS else YearChoice(None, "year_none")


def _choose(
    title: tuple[str, int], found: list[Candidate], lang: str | None, override: int | None
) -> YearChoice:
    if override is not None:
        return _year(override, "year_option", None, lang)
    from_title = _from_title(title, lang)
    if from_title:
        return from_title
    for reason, pick in (("year_full_dates", _full_dates), ("year_list_order", _list_order),
                         ("year_stated", _stated)):
        hit = pick(found, lang)
        if hit:
            return _year(hit[0], reason, hit[1], lang)
    return YearChoice(None, "year_none")


def _from_title(title: tuple[str, int], lang: str | None) -> YearChoice | None:
    hit = title_date(title[0], lang)
    if hit is None:
        return None
    text, span = hit
    year = _first_year(span)
    period = span if whole_years(span) else _whole_year(year, lang)
    return YearChoice(year, "year_title", title[1], period)


def _year(year: int, reason: str, line: int | None, lang: str | None) -> YearChoice:
    return YearChoice(year, reason, line, _whole_year(year, lang))


def _whole_year(year: int, lang: str | None) -> DateSpan:
    return parse_span(str(year), lang=lang, ref_year=year)


def _first_year(span: DateSpan) -> int:
    day = span.start or span.due
    assert day is not None  # an explicit span is dated: one end is set
    return day.year


def _full_dates(found: list[Candidate], lang: str | None) -> tuple[int, int] | None:
    days = [(s, c.line) for c in found if c.when and (s := explicit(c.when, lang)) and is_day(s)]
    return min((_first_year(s), line) for s, line in days) if days else None


def _list_order(found: list[Candidate], lang: str | None) -> tuple[int, int] | None:
    for c in found:
        span = explicit(c.when, lang) if c.origin in LISTS and c.when else None
        if span is not None:
            return _first_year(span), c.line
    return None


def _stated(found: list[Candidate], lang: str | None) -> tuple[int, int] | None:
    years = [(_first_year(s), c.line) for c in found if c.when and (s := explicit(c.when, lang))]
    return min(years) if years else None


def list_years(found: list[Candidate], year: int | None, lang: str | None) -> dict[int, int]:
    """Reference year per candidate index, for candidates in milestone lists."""
    lists: dict[str, list[int]] = {}
    for index, c in enumerate(found):
        if c.origin in LISTS and c.when:
            lists.setdefault(c.list_key, []).append(index)
    out: dict[int, int] = {}
    for members in lists.values():
        out.update(_order_years([found[i].when for i in members], members, year, lang))
    return out


def _order_years(
    texts: list[str], members: list[int], year: int | None, lang: str | None
) -> dict[int, int]:
    stated = [explicit(t, lang) for t in texts]
    first = next((i for i, s in enumerate(stated) if s is not None), None)
    if first is None and year is None:
        return {}
    out: dict[int, int] = {}
    if first is None:
        _forward(texts, 0, year or 0, lang, out)
    else:
        anchor = stated[first]
        assert anchor is not None
        _backward(texts, first, anchor, lang, out)
        _forward(texts, first, _first_year(anchor), lang, out)
    return {members[i]: y for i, y in out.items()}


def _key(span: DateSpan) -> dt.date | None:
    return span.start or span.due


def _forward(
    texts: list[str], first: int, year: int, lang: str | None, out: dict[int, int]
) -> None:
    previous: DateSpan | None = None
    for index in range(first, len(texts)):
        span = parse_span(texts[index], lang=lang, ref_year=year)
        here, before = _key(span), previous and _key(previous)
        if here and before and here < before:
            year += 1
            span = parse_span(texts[index], lang=lang, ref_year=year)
        out[index] = year
        if _key(span):
            previous = span
            year = (span.due or span.start or dt.date(year, 1, 1)).year


def _backward(texts: list[str], first: int, anchor: DateSpan, lang: str | None,
              out: dict[int, int]) -> None:
    following, year = anchor, _first_year(anchor)
    for index in range(first - 1, -1, -1):
        span = parse_span(texts[index], lang=lang, ref_year=year)
        limit = following.due or following.start
        here = _key(span)
        if here and limit and here > limit:
            year -= 1
            span = parse_span(texts[index], lang=lang, ref_year=year)
        out[index] = year
        if _key(span):
            following = span
