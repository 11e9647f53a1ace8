"""`fristvakt dates TEXT [--lang] [--year]`: how a date text is read, as JSON (DATES.md).

A recurring text also shows its rule and its occurrences from the plan year to the default end
of a recurrence (31 December two years on: a text alone has no `until` or `period`)."""

from __future__ import annotations

import datetime as dt
import json

import typer

from scheduler.cli.context import state
from timelines.base.i18n import _
from timelines.dates import DateSpan, parse_span, recurs_until

_LANGS = ("nb", "nn", "sv")


def dates(
    text: str = typer.Argument(..., help="The date text, as written in the plan."),
    lang: str = typer.Option(None, "--lang", help="Language of the text: nb, nn or sv."),
    year: int = typer.Option(None, "--year", help="The plan's year, for texts without one."),
) -> None:
    """Show how a date text is read: kind, start, due, approximate."""
    if lang is not None and lang not in _LANGS:
        message = _(state.lang(), "must be one of {langs}", langs=", ".join(_LANGS))
        raise typer.BadParameter(message, param_hint="--lang")
    typer.echo(json.dumps(shown(parse_span(text, lang=lang, ref_year=year), year),
                          ensure_ascii=False))


def shown(span: DateSpan, year: int | None) -> dict[str, object]:
    """The span as JSON; a recurring one with its occurrences (each {start, due})."""
    result = span.as_json()
    if span.kind == "recurring" and year is not None:
        last = recurs_until(None, None, year)
        result["occurrences"] = [
            {"start": one.start.isoformat() if one.start else None,
             "due": one.due.isoformat() if one.due else None}
            for one in span.occurrences(dt.date(year, 1, 1), last)]
    return result


def register(app: typer.Typer) -> None:
    app.command("dates")(dates)
