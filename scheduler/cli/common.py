"""Helpers every command uses: the project, the database, the clock, JSON output."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import typer

from scheduler.cli.context import state
from timelines.base.exceptions import DatabaseError, FristvaktError
from timelines.base.i18n import _

if TYPE_CHECKING:  # imported by the commands that use them (a fast start, see __init__)
    from sqlalchemy.engine import Engine

    from timelines.config import Config
    from timelines.project import KnownFor, Project

NOW_HELP = "Pretend it is this instant (ISO 8601; without an offset: the config's time zone)."


def project(known: KnownFor | None = None) -> Project:
    """The config and every timeline, or ValidationFailed. `known`: what the last apply
    read, to leave the files it read as they are unread (`read_project`)."""
    from timelines.project import load_project

    return load_project(state.config_file(), state.lang(), known)


def config() -> Config:
    """The config alone, or ValidationFailed."""
    from timelines.config import load_config

    return load_config(state.config_file(), state.lang())


def database(cfg: Config) -> Engine:
    """The project's database, up to date; a failure is told in this run's language (the
    driver's own words follow, quoted)."""
    from timelines.db import open_database

    url = cfg.resolved_database_url()
    try:
        return open_database(url)
    except DatabaseError as exc:
        cause = getattr(exc.__cause__, "orig", None) or exc.__cause__ or exc
        message = _(state.lang(), "cannot open the database {url}: {error}", url=safe_url(url),
                    error=cause)
        raise DatabaseError(message) from exc


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def parse_now(text: str | None, zone: str, lang: str | None = None) -> dt.datetime:
    """The instant `--now` names, made aware where it enters; the real clock without it.
    A bad value is told in `lang` (default: this run's language)."""
    if not text:
        return dt.datetime.now(dt.UTC)
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        message = _(lang or state.lang(), "--now {text}: expected ISO 8601, like 2026-03-28T08:00",
                    text=repr(text))
        raise FristvaktError(message) from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(dt.UTC)


def _default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, set | tuple):
        return list(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def json_text(data: Any, indent: int | None = 2) -> str:
    """`data` as JSON text: dates in ISO 8601, sets and tuples as lists."""
    return json.dumps(data, ensure_ascii=False, indent=indent, default=_default)


def print_json(data: Any) -> None:
    typer.echo(json_text(data))
