"""`fristvakt dates TEXT [--lang] [--year]`: how a date text is read, as JSON (DATES.md)."""

from __future__ import annotations

import json

import typer

from notifiers.i18n import t
from scheduler.cli.context import state
from timelines.dates import parse_span

_LANGS = ("nb", "nn", "sv")


def dates(
    text: str = typer.Argument(..., help="The date text, as written in the plan."),
    lang: str = typer.Option(None, "--lang", help="Language of the text: nb, nn or sv."),
    year: int = typer.Option(None, "--year", help="The plan's year, for texts without one."),
) -> None:
    """Show how a date text is read: kind, start, due, approximate."""
    if lang is not None and lang not in _LANGS:
        message = t(state.lang(), "cli.dates.bad_lang", langs=", ".join(_LANGS))
        raise typer.BadParameter(message, param_hint="--lang")
    typer.echo(json.dumps(parse_span(text, lang=lang, ref_year=year).as_json(), ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.command("dates")(dates)
