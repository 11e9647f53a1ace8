"""init, validate, agenda, diff, apply: the coordinator's everyday commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from notifiers.tokens import owner_links
from scheduler.agenda import agenda as build_agenda
from scheduler.cli import common
from scheduler.cli.context import state
from scheduler.cli.errors import err_console
from scheduler.initdir import init_project
from timelines.config import Config
from timelines.db import session_scope
from timelines.exceptions import ValidationFailed
from timelines.problems import errors
from timelines.project import read_project
from timelines.resolve import resolve_timeline
from timelines.sync import Change, apply, diff

console = Console(highlight=False)


def init(directory: Path = typer.Argument(Path("."), help="Where to create the project.")) -> None:
    """Create fristvakt.toml and timelines/ with commented examples."""
    for path in init_project(directory, dt.date.today()):
        console.print(f"created {path}")


def validate() -> None:
    """Check fristvakt.toml and every timeline file; exit 1 on any error."""
    project = read_project(state.config_file())
    if errors(project.problems):
        raise ValidationFailed(project.problems)
    for problem in project.problems:
        err_console.print(str(problem), style="yellow", markup=False)
    tasks = sum(len(tl.doc.task) for tl in project.timelines)
    console.print(f"ok: {len(project.timelines)} timeline(s), {tasks} task(s)")


def agenda(
    owner: str = typer.Option(None, "--owner", help="Only tasks that reach this owner key."),
    days: int = typer.Option(60, "--days", help="How many days ahead."),
    now: str = typer.Option(None, "--now", help=common.NOW_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Upcoming and overdue open tasks."""
    project = common.project()
    cfg = project.config
    today = common.parse_now(now, cfg.timezone).astimezone(ZoneInfo(cfg.timezone)).date()
    timelines = [resolve_timeline(tl) for tl in project.timelines]
    items = build_agenda(cfg, timelines, today, days, owner)
    if as_json:
        common.print_json([item.as_json() for item in items])
        return
    table = Table("due", "task", "plan", "who", title=f"Agenda {today} + {days} days")
    for item in items:
        due = str(item.task.due or item.task.start)
        table.add_row(("! " if item.overdue else "") + due, item.task.title,
                      item.timeline_title, ", ".join(item.people) or "(coordinator)")
    console.print(table)
    if owner:
        _print_links(cfg, owner)


def _print_links(cfg: Config, owner: str) -> None:
    """The owner's calendar subscription, when one exists that can be shown again."""
    with Session(common.database(cfg)) as session:
        found = owner_links(session, cfg, owner)
    if found:
        typer.echo(f"calendar: {found.webcal}  ({found.https})")


def _changes(write: bool, now: str | None) -> tuple[list[Change], str]:
    project = common.project()
    cfg = project.config
    timelines = [resolve_timeline(tl) for tl in project.timelines]
    moment = common.parse_now(now, cfg.timezone)
    with session_scope(common.database(cfg)) as session:
        if not write:
            return diff(session, timelines), cfg.timezone
        changes = apply(session, cfg, timelines, moment)
        from scheduler.hooks import after_apply

        after_apply(session, cfg, changes, moment)
        return changes, cfg.timezone


def _print_changes(changes: list[Change]) -> None:
    if not changes:
        console.print("no changes")
    for c in changes:
        dates = f" {_fmt(c.old)} → {_fmt(c.new)}" if c.kind in ("moved", "restored") else ""
        console.print(f"{c.kind:8} {c.timeline_id}/{c.key}: {c.title}{dates}", markup=False)


def _fmt(dates: tuple[dt.date | None, dt.date | None] | None) -> str:
    if not dates:
        return "-"
    start, due = dates
    return f"{start or '…'}..{due or '…'}"


def diff_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """What applying the files would change (moved, new, removed tasks); changes nothing."""
    changes, _ = _changes(False, None)
    if as_json:
        common.print_json([c.as_json() for c in changes])
    else:
        _print_changes(changes)


def apply_cmd(
    now: str = typer.Option(None, "--now", help=common.NOW_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Make the database match the files, in one transaction; notify owners of moved dates."""
    changes, _ = _changes(True, now)
    if as_json:
        common.print_json([c.as_json() for c in changes])
    else:
        _print_changes(changes)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(validate)
    app.command()(agenda)
    app.command("diff")(diff_cmd)
    app.command("apply")(apply_cmd)
