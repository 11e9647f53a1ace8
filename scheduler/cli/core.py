"""init, validate, agenda, diff, apply: the coordinator's everyday commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from notifiers.i18n import t
from notifiers.tokens import owner_links
from scheduler.agenda import AgendaItem
from scheduler.agenda import agenda as build_agenda
from scheduler.cli import common
from scheduler.cli.context import state
from scheduler.cli.errors import err_console
from scheduler.initdir import init_project
from scheduler.policy import local_today
from timelines.config import Config
from timelines.db import session_scope
from timelines.exceptions import ValidationFailed
from timelines.lang import plural
from timelines.problems import errors
from timelines.project import read_project
from timelines.resolve import ResolvedTask, resolve_timeline
from timelines.sync import Change, apply, diff

console = Console(highlight=False)
CHANGE_KINDS = ("moved", "new", "changed", "removed", "restored")


def init(directory: Path = typer.Argument(Path("."), help="Where to create the project.")) -> None:
    """Create fristvakt.toml and timelines/ with commented examples."""
    lang = state.lang()
    for path in init_project(directory, dt.date.today(), lang):
        console.print(t(lang, "cli.core.created", path=path), markup=False)


def validate() -> None:
    """Check fristvakt.toml and every timeline file; exit 1 on any error."""
    lang = state.lang()
    project = read_project(state.config_file(), lang)
    if errors(project.problems):
        raise ValidationFailed(project.problems)
    for problem in project.problems:
        err_console.print(str(problem), style="yellow", markup=False)
    tasks = sum(len(tl.doc.task) for tl in project.timelines)
    console.print(valid_line(lang, len(project.timelines), tasks), markup=False)


def valid_line(lang: str, timelines: int, tasks: int) -> str:
    """`ok: 2 timelines, 14 tasks` in `lang`."""
    return t(lang, "cli.core.valid", timelines=plural(lang, "cli.core.timelines", timelines),
             tasks=plural(lang, "cli.core.tasks", tasks))


def agenda(
    owner: str = typer.Option(None, "--owner", help="Only tasks that reach this owner key."),
    days: int = typer.Option(60, "--days", help="How many days ahead."),
    now: str = typer.Option(None, "--now", help=common.NOW_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Upcoming and overdue open tasks."""
    project = common.project()
    cfg = project.config
    today = local_today(common.parse_now(now, cfg.timezone), cfg.timezone)
    timelines = [resolve_timeline(tl) for tl in project.timelines]
    items = build_agenda(cfg, timelines, today, days, owner)
    from scheduler.answers.agenda import print_statuses, with_statuses  # owners' answers

    if as_json:
        common.print_json(with_statuses(cfg, items))
        return
    lang = state.lang()
    console.print(agenda_table(lang, items, today, days))
    print_statuses(cfg, items, lang)
    if owner:
        _print_links(cfg, owner, lang)


def agenda_table(lang: str, items: list[AgendaItem], today: dt.date, days: int) -> Table:
    """The agenda as a table with headings in `lang`; `!` marks an overdue task."""
    heads = [t(lang, f"cli.core.col_{col}") for col in ("due", "task", "plan", "who")]
    title = plural(lang, "cli.core.agenda_title", days, today=today)
    table = Table(*heads, title=title)
    nobody = t(lang, "cli.core.coordinator")
    for item in items:
        table.add_row(("! " if item.overdue else "") + _due(item.task), item.task.title,
                      item.timeline_title, ", ".join(item.people) or nobody)
    return table


def _due(task: ResolvedTask) -> str:
    return str(task.due or task.start)


def _print_links(cfg: Config, owner: str, lang: str) -> None:
    """The owner's calendar subscription, when one exists that can be shown again."""
    with Session(common.database(cfg)) as session:
        found = owner_links(session, cfg, owner)
    if found:
        typer.echo(t(lang, "cli.core.calendar", webcal=found.webcal, https=found.https))


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


def change_lines(lang: str, changes: list[Change]) -> list[str]:
    """One line per change, the kind in `lang`; `no changes` when there are none."""
    if not changes:
        return [t(lang, "cli.core.no_changes")]
    kinds = {kind: t(lang, f"cli.core.change.{kind}") for kind in CHANGE_KINDS}
    width = max(len(label) for label in kinds.values())
    lines = []
    for c in changes:
        dates = f" {_fmt(c.old)} → {_fmt(c.new)}" if c.kind in ("moved", "restored") else ""
        label = kinds.get(c.kind, c.kind)
        lines.append(f"{label:{width}} {c.timeline_id}/{c.key}: {c.title}{dates}")
    return lines


def _print_changes(changes: list[Change]) -> None:
    for line in change_lines(state.lang(), changes):
        console.print(line, markup=False)


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
