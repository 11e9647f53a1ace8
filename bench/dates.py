"""Benchmark: timelines.dates.parse_span against dateparser.parse on the same corpus.

Run: .venv/bin/python bench/dates.py   (dateparser comes with the `bench` extra)
Prints the time per expression for both, and how many times faster parse_span is. Both sides
are sampled the same way: the same passes over the same corpus, interleaved so that both see
the same load on a shared machine; each expression's best time counts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from timelines.dates import parse_span  # noqa: E402
from timelines.dates.lexer import forget  # noqa: E402

TARGET_RATIO = 30.0
REF_YEAR = 2023

# (template, language): {m} month, {y} year, {n} small number, {d} day.
TEMPLATES = [
    ("{m} {y}", "nb"), ("{d}. {m} {y}", "nb"), ("{d}.{n:02d}.{y}", "nb"), ("{d}/{n}", "nb"),
    ("uke {n} {y}", "nb"), ("veke {n}", "nn"), ("vecka {n} {y}", "sv"), ("v{n}", "sv"),
    ("{n}. kvartal {y}", "nb"), ("Q{q} {y}", "sv"), ("{q}:a kvartalet {y}", "sv"),
    ("Tertial {t} {y}", "nb"), ("{h}. halvår {y}", "nn"), ("andra halvåret {y}", "sv"),
    ("Våren {y}", "nb"), ("Haust {y}", "nn"), ("hösten {y}", "sv"), ("vinter {y}", "nb"),
    ("primo {m} {y}", "nb"), ("i slutet av {m}", "sv"), ("innen {d}. {m}", "nb"),
    ("senast {d} {m} {y}", "sv"), ("fra {m}", "nb"), ("från {m} till {m2} {y}", "sv"),
    ("{m} – {m2} {y}", "nb"), ("uke {n}–{n2} {y}", "nb"), ("{d}-{d2}/{n}", "nb"),
    ("{y}-{y2}", "nn"), ("ca. {m} {y}", "nb"), ("{d}. {m} (eller før)", "nb"),
    ("{y}-{n:02d}-{d:02d}", "sv"), ("mellom {m} og {m2} {y}", "nb"), ("{x} mill", "nn"),
    ("Drift", "nb"), ("RV{n} og FV{n2}", "nb"), ("Løpende", "nb"), ("?", "nb"),
    # DATES.md Part 2
    ("før {d}. {m}", "nb"), ("etter påske", "nb"), ("til og med uke {n}", "nb"),
    ("frem til {d}. {m} {y}", "nb"), ("fram till hösten", "sv"), ("innan sommaren", "sv"),
    ("{d}. {m} kl. 12", "nb"), ("i {m} månad {y}", "sv"), ("H{h} {y}", "nb"),
    ("det första kvartalet {y}", "sv"), ("mot slutten av {y}", "nb"),
    ("første uke i {m}", "nb"), ("månedsskiftet januar/februar", "nb"),
    ("Vårterminen {y}", "nb"), ("vintern {y}/{yn}", "sv"), ("neste år", "nb"),
    ("fredag {d}.{n:02d}", "nb"), ("19–23 februari (vecka {n})", "sv"),
    ("våren {y} (jf. sak {n}/23)", "nb"), ("{m} eller {m2} {y}", "nb"), ("før jul", "nb"),
    ("årlig innen {d}. {m}", "nb"), ("kvartalsvis", "sv"), ("i {m} hvert år", "nb"),
    ("snarest", "nb"),
]
NB_MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
             "september", "oktober", "november", "desember"]


def corpus(size: int = 620) -> list[tuple[str, str]]:
    """A deterministic, varied corpus: every template filled with rotating values."""
    rows: list[tuple[str, str]] = []
    for index in itertools.count():
        template, lang = TEMPLATES[index % len(TEMPLATES)]
        month = index % 9
        values = {
            "m": NB_MONTHS[month], "m2": NB_MONTHS[month + 3], "y": 2016 + index % 10,
            "yn": 2017 + index % 10,
            "y2": 2027 + index % 3, "n": 1 + index % 12, "n2": 13 + index % 9,
            "d": 1 + index % 27, "d2": 28, "q": 1 + index % 4, "t": 1 + index % 3,
            "h": 1 + index % 2, "x": f"{index % 9},{index % 7}",
        }
        rows.append((template.format(**values), lang))
        if len(rows) == size:
            return rows
    raise AssertionError("unreachable")


ROUNDS = 5  # passes over the corpus per side, the two sides interleaved pass by pass


class Sample:
    """The best time of each expression over the passes, for one parser.

    Per expression, so that a pass interrupted by another process on a shared machine only
    costs the expressions it interrupted; both parsers are sampled exactly alike."""

    def __init__(self, parse: Callable[[str, str], object], rows: list[tuple[str, str]]) -> None:
        self.parse, self.rows = parse, rows
        self.best = [float("inf")] * len(rows)
        self.understood = 0

    def one_pass(self) -> None:
        clock, parse, best = time.perf_counter, self.parse, self.best
        understood = 0
        for index, (text, lang) in enumerate(self.rows):
            started = clock()
            result = parse(text, lang)
            best[index] = min(best[index], clock() - started)
            understood += result is not None
        self.understood = understood

    def per_parse(self) -> float:
        return sum(self.best) / len(self.best)


def with_parse_span(text: str, lang: str) -> object:
    span = parse_span(text, lang=lang, ref_year=REF_YEAR)
    return span if span.kind in ("dated", "recurring") else None


def with_dateparser() -> Callable[[str, str], object]:
    import dateparser  # the library one would otherwise reach for (bench extra)

    settings = {"RELATIVE_BASE": dt.datetime(REF_YEAR, 1, 1)}
    return lambda text, lang: dateparser.parse(text, languages=[lang], settings=settings)


def main() -> int:
    rows = corpus()
    other = with_dateparser()
    forget()
    started = time.perf_counter()
    for text, lang in rows:  # every chunk of text is new to the lexer
        with_parse_span(text, lang)
    cold = (time.perf_counter() - started) / len(rows)
    ours, theirs = Sample(with_parse_span, rows), Sample(other, rows)
    Sample(other, rows[:20]).one_pass()  # warm up: imports, language data
    for _ in range(ROUNDS):  # interleaved, so that both see the same load on a shared machine
        ours.one_pass()
        theirs.one_pass()
    ours_time, theirs_time = ours.per_parse(), theirs.per_parse()
    ours_dated, theirs_dated = ours.understood, theirs.understood
    ratio = theirs_time / ours_time
    print(f"corpus: {len(rows)} expressions in nb, nn, sv ({len(TEMPLATES)} shapes)")
    print(f"parse_span        {ours_time * 1e6:9.1f} µs/parse   dated: {ours_dated}"
          f"   (first pass, empty caches: {cold * 1e6:.1f} µs)")
    print(f"dateparser.parse  {theirs_time * 1e6:9.1f} µs/parse   gave a date: {theirs_dated}")
    print(f"ratio: parse_span is {ratio:.0f}x faster (target {TARGET_RATIO:.0f}x), sum over"
          f" the expressions of each one's best of {ROUNDS} interleaved passes")
    return 0 if ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
