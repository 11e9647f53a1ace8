"""init, validate, agenda, diff, apply: the coordinator's everyday commands."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from scheduler.cli import common
from scheduler.cli.context import state
from scheduler.cli.errors import err_console, print_problems
from scheduler.cli.output import make_console
from timelines.base.collector import few_full_collections
from timelines.base.i18n import LANGS, N_, _, _n, named, translate
from timelines.base.lang import ui_lang
from timelines.base.status import status_word

if TYPE_CHECKING:  # each command imports what it uses when it runs: a fast start (__init__)
    from rich.table import Table
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from scheduler.agenda import AgendaItem
    from scheduler.cli.summary import PlanState, Span
    from timelines.config import Config
    from timelines.occurrences import OccurrenceChange
    from timelines.project import Known, Project
    from timelines.resolve import ResolvedTask
    from timelines.sync import Change

console = make_console()
# The kinds of change `diff` and `apply` tell, as the reader names them.
CHANGE_KINDS = {"moved": N_("moved"), "new": N_("new"), "changed": N_("changed"),
                "removed": N_("removed"), "restored": N_("restored")}


def init(
    directory: Path = typer.Argument(Path("."), help="Where to create the project."),
    today: dt.datetime = typer.Option(None, "--today", formats=["%Y-%m-%d"],
                                      help="Date the example plan from this day (YYYY-MM-DD)."),
    lang: str = typer.Option(None, "--lang", help="The coordinator's language: nb, nn, sv or "
                             "en (default: FRISTVAKT_LANG, else your locale)."),
) -> None:
    """Create fristvakt.toml and timelines/ with commented examples."""
    from scheduler.initdir import init_project

    said = state.lang()
    if lang is not None and lang not in LANGS:
        message = _(said, "must be one of {langs}", langs=", ".join(LANGS))
        raise typer.BadParameter(message, param_hint="--lang")
    # A new project speaks the language of the person making it, not of a project around it.
    chosen = lang or ui_lang(os.environ)
    day = today.date() if today else dt.date.today()
    for path in init_project(directory, day, said, chosen):
        console.print(_(said, "created {path}", path=path), markup=False)


def validate() -> None:
    """Check fristvakt.toml and every timeline file; exit 1 on any error."""
    from timelines.base.exceptions import ValidationFailed
    from timelines.base.problems import errors
    from timelines.project import read_project

    lang = state.lang()
    project = read_project(state.config_file(), lang)
    if errors(project.problems):
        raise ValidationFailed(project.problems)
    print_problems(project.problems)
    tasks = sum(len(tl.doc.task) for tl in project.timelines)
    console.print(valid_line(lang, len(project.timelines), tasks), markup=False)


def valid_line(lang: str, timelines: int, tasks: int) -> str:
    """`ok: 2 timelines, 14 tasks` in `lang`."""
    return _(lang, "ok: {timelines}, {tasks}",
             timelines=_n(lang, "{n} timeline", "{n} timelines", timelines),
             tasks=_n(lang, "{n} task", "{n} tasks", tasks))


def agenda(
    owner: str = typer.Option(None, "--owner", help="Only tasks that reach this owner key."),
    days: int = typer.Option(60, "--days", help="How many days ahead."),
    now: str = typer.Option(None, "--now", help=common.NOW_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Upcoming and overdue open tasks."""
    from scheduler.agenda import agenda as build_agenda
    from scheduler.policy import local_today

    project = common.project()
    cfg = project.config
    today = local_today(common.parse_now(now, cfg.timezone), cfg.timezone)
    timelines = project.resolutions()
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
    from rich.table import Table

    from scheduler.reports import printable  # a title may hold terminal escapes

    heads = [_(lang, "due"), _(lang, "task"), _(lang, "plan"), _(lang, "who")]
    title = _n(lang, "Agenda from {today}, {n} day ahead", "Agenda from {today}, {n} days ahead",
               days, today=today)
    table = Table(*heads, title=title)
    nobody = _(lang, "(coordinator)")
    for item in items:
        cells = (("! " if item.overdue else "") + _due(item.task),
                 named(item.task.title, item.occurrence, lang),
                 item.timeline_title, ", ".join(item.people) or nobody)
        table.add_row(*map(printable, cells))
    return table


def _due(task: ResolvedTask) -> str:
    return str(task.due or task.start)


def _print_links(cfg: Config, owner: str, lang: str) -> None:
    """The owner's calendar subscription, when one exists that can be shown again."""
    from sqlmodel import Session

    from notifiers.feeds.tokens import owner_links

    with Session(common.database(cfg)) as session:
        found = owner_links(session, cfg, owner)
    if found:
        typer.echo(_(lang, "calendar: {webcal}  ({https})", webcal=found.webcal, https=found.https))


@dataclass
class Outcome:
    """What `diff` or `apply` found: the task changes and, for apply, the reminder plan."""

    changes: list[Change]
    project: Project
    moment: dt.datetime
    before: PlanState | None = None
    after: PlanState | None = None
    replanned: int = 0  # waiting reminder rows the apply added or superseded
    # Each plan's first and last open date, in the order of the files (read or kept), and
    # how many open tasks of the files kept unread have no date.
    spans: list[Span | None] = field(default_factory=list)
    undated: int = 0


@dataclass
class _Opened:
    """The database and the instant of a diff or apply, found once the config is read."""

    write: bool
    now: str | None
    engine: Engine | None = None
    moment: dt.datetime | None = None

    def known(self, cfg: Config) -> Known:
        """What the last apply read (a diff may skip a file applied at any instant)."""
        from timelines.db import read_session
        from timelines.sync import known_files

        self.engine = common.database(cfg)
        self.moment = common.parse_now(self.now, cfg.timezone)
        with read_session(self.engine) as session:
            return known_files(session, cfg, self.moment if self.write else None)


def _changes(write: bool, now: str | None) -> Outcome:
    """The changes the files make, written when `write` (with the reminders they plan, a
    file per transaction: `hooks.apply_in_steps`). A file whose bytes are those the last
    apply read (under the same config) is not read again: it has nothing to change."""
    opened = _Opened(write, now)
    project = common.project(opened.known)
    # The files read and resolved live until the changes are made: frozen out of the
    # garbage collector's view meanwhile, and its full collections (each walking every
    # change found so far) made rare; young garbage is collected as usual. Its full
    # collections were a fifth of a first apply's CPU at 100k tasks.
    with few_full_collections(freeze=True):
        return _made(project, opened, write, now)


def _made(project: Project, opened: _Opened, write: bool, now: str | None) -> Outcome:
    """`_changes` once the files are read."""
    from scheduler.answers.store import kept_done
    from scheduler.cli.summary import plan_state
    from scheduler.hooks import apply_in_steps
    from timelines.db import read_session, session_scope
    from timelines.sync import diff

    cfg, timelines = project.config, project.resolutions()
    engine = opened.engine or common.database(cfg)
    moment = opened.moment or common.parse_now(now, cfg.timezone)
    kept = set(project.kept.values())
    if not write:
        with session_scope(engine) as session:
            found = Outcome(diff(session, timelines, kept, kept_done(session)), project, moment)
            return _with_kept(session, found)
    files = {tl.id: project.hashes[tl.path] for tl in project.timelines
             if tl.path in project.hashes}
    with read_session(engine) as session:
        before = plan_state(session)
    applied = apply_in_steps(engine, cfg, timelines, moment, kept, files)
    with read_session(engine) as session:
        after = plan_state(session)
        found = Outcome(applied.changes, project, moment, before, after, applied.replanned)
        return _with_kept(session, found)


def _with_kept(session: Session, found: Outcome) -> Outcome:
    """The dates of every plan in the order of its file, those of a file kept unread as
    stored; and the undated tasks of the files kept unread."""
    from scheduler.cli.summary import span, stored_spans, stored_undated

    project = found.project
    kept = set(project.kept.values())
    stored = stored_spans(session, kept) if kept else {}
    read = zip(project.timelines, project.resolutions(), strict=True)
    order = sorted([*((tl.path, span(resolved)) for tl, resolved in read),
                    *((path, stored.get(tl_id)) for path, tl_id in project.kept.items())],
                   key=lambda pair: pair[0])
    found.spans = [found_span for _, found_span in order]
    found.undated = stored_undated(session, kept) if kept else 0
    return found


def _warn(found: Outcome) -> None:
    """What validate warns of a date that could not be read or a task without one, so no
    date is dropped silently (of a file kept unread: how many, told when it was read)."""
    from scheduler.cli.summary import undated_line

    print_problems(found.project.undated)
    line = undated_line(state.lang(), found.undated)
    if line:
        err_console.print(line, style="yellow", markup=False)


def change_lines(lang: str, changes: list[Change]) -> list[str]:
    """One line per change, the kind in `lang`; `no changes` when there are none."""
    from scheduler.reports import printable  # a title may hold terminal escapes

    if not changes:
        return [_(lang, "no changes")]
    kinds = {kind: translate(lang, word) for kind, word in CHANGE_KINDS.items()}
    width = max(len(label) for label in kinds.values())
    lines = []
    for c in changes:
        dates = f" {_fmt(c.old)} → {_fmt(c.new)}" if c.kind in ("moved", "restored") else ""
        label = kinds.get(c.kind, c.kind)
        lines.append(printable(f"{label:{width}} {c.timeline_id}/{c.key}: {c.title}{dates}"))
        lines += [printable(_occurrence_line(lang, c, o, width)) for o in c.occurrences]
    return lines


def _occurrence_line(lang: str, c: Change, o: OccurrenceChange, width: int) -> str:
    """`  moved  plan/arsmelding@2026: Årsmelding 2026 2026-03-01 → 2026-03-15 (planned)`."""
    kind = _(lang, "moved") if o.old != o.new else _(lang, "changed")
    old, new = (status_word(s, lang) for s in (o.old_status, o.new_status))
    status = "" if old == new else f" ({old} → {new})"
    title = named(c.title, o.label, lang)
    return (f"{kind:{width}} {c.timeline_id}/{c.key}@{o.label}: {title} "
            f"{_fmt(o.old)} → {_fmt(o.new)}{status}")


def _print_changes(changes: list[Change]) -> None:
    for line in change_lines(state.lang(), changes):
        console.print(line, markup=False)


def _fmt(dates: tuple[dt.date | None, dt.date | None] | None) -> str:
    if not dates:
        return "-"
    start, due = dates
    if not (start or due):
        return "(" + _(state.lang(), "no date") + ")"
    return f"{start or '…'}..{due or '…'}"


def diff_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """What applying the files would change (moved, new, removed tasks); changes nothing."""
    found = _changes(False, None)
    _warn(found)
    if as_json:
        common.print_json([c.as_json() for c in found.changes])
    else:
        _print_changes(found.changes)


def apply_cmd(
    now: str = typer.Option(None, "--now", help=common.NOW_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Make the database match the files, in one transaction; notify owners of moved dates."""
    found = _changes(True, now)
    _warn(found)
    if as_json:
        common.print_json([c.as_json() for c in found.changes])
        return
    _print_lines(apply_lines(state.lang(), found))


def _print_lines(lines: list[str]) -> None:
    """To a pipe or a file as they are (rich's console there writes them unwrapped anyway,
    at 20 µs a line: 2 s for a first apply's 100k "new" lines); to a terminal a rich print
    per thousand lines (four times cheaper than a print each; one print of all costs more
    memory)."""
    if not console.is_terminal:
        typer.echo("\n".join(lines))
        return
    for i in range(0, len(lines), 1000):
        console.print("\n".join(lines[i:i + 1000]), markup=False)


def apply_lines(lang: str, found: Outcome) -> list[str]:
    """The changes, then what became of the reminder plan (and how to replay a past plan)."""
    from scheduler.cli.summary import past_hints, planned_line, replanned_line
    from scheduler.policy import local_today

    assert found.before is not None and found.after is not None
    zone = found.project.config.timezone
    replanned = replanned_line(lang, found.before, found.after, found.replanned)
    lines = change_lines(lang, found.changes) if found.changes or not replanned else [replanned]
    lines.append(planned_line(lang, found.after, zone))
    return lines + past_hints(lang, found.spans, local_today(found.moment, zone))


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(validate)
    app.command()(agenda)
    app.command("diff")(diff_cmd)
    app.command("apply")(apply_cmd)
