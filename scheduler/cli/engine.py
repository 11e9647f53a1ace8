"""plan, run, serve, log, demo: the reminder engine's commands."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import typer
from rich.table import Table
from sqlmodel import Session

from notifiers.feeds.tokens import feed_url_function
from scheduler.cli import common
from scheduler.cli.context import state
from scheduler.cli.output import make_console, print_lines, write_json_array
from scheduler.cli.summary import next_line
from scheduler.clock import ShiftedClock
from scheduler.ledger import Requeue, dead_rows, next_due
from scheduler.ledger import requeue as requeue_rows
from scheduler.reports import (
    KINDS,
    PASS_STATUSES,
    count_attempts,
    count_rows,
    describe,
    ledger_rows,
    log_rows,
    padded,
    printable,
    word,
)
from scheduler.runner import EngineOptions, Outcome, PassReport, ReminderEngine, Service, serve
from timelines.base.exceptions import DeliveryError, FristvaktError
from timelines.base.i18n import N_, _, named, translate
from timelines.config import Config, load_config
from timelines.db import session_scope

console = make_console()

# The columns of `plan` and `log`, with their headings.
PLAN_COLUMNS = {"send_at": N_("send at (local)"), "kind": N_("kind"), "task": N_("task"),
                "to": N_("to"), "status": N_("status")}
LOG_COLUMNS = {"at": N_("at (UTC)"), "outcome": N_("outcome"), "kind": N_("kind"),
               "task": N_("task"), "to": N_("to"), "detail": N_("detail")}
# What `serve` says when the mail server or the database stops working, and when it is back.
_OUTAGE = {
    "mail": (N_("the mail server cannot be used, reminders wait: {detail}"),
             N_("the mail server works again; waiting reminders are being sent")),
    "database": (N_("the database cannot be used, nothing is sent until it is back: {detail}"),
                 N_("the database is back")),
}

INTERVAL = typer.Option(60.0, "--interval", help="Seconds between scheduler ticks.")
LEASE = typer.Option(300.0, "--lease", help="Seconds a claimed reminder stays reserved.")
BATCH = typer.Option(50, "--batch", help="Reminders claimed at a time; while many are due, "
                                         "claims grow to four times this.")
NOW = typer.Option(None, "--now", help=common.NOW_HELP)

def _local(moment: dt.datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")

def _heads(lang: str, columns: dict[str, str]) -> list[str]:
    return [translate(lang, heading) for heading in columns.values()]

def plan_table(lang: str, rows: list[dict[str, Any]], title: str) -> Table:
    """The ledger rows `plan` shows, headings and words in `lang`."""
    table = Table(*_heads(lang, PLAN_COLUMNS), title=title)
    for r in rows:
        sent = dt.datetime.fromisoformat(r["send_at"])
        table.add_row(_local(sent, r["zone"]), word(lang, "kind", r["kind"]),
                      named(r["title"], r.get("occurrence") or "", lang),
                      f"{r['recipient']} <{r['email']}>",
                      word(lang, "status", r["status"]))
    return table


# Rows the `plan` table shows unless told (`--limit`): the soonest; a table of a whole
# country's ledger (800,000 rows) would take minutes and gigabytes to lay out, and nobody
# reads it. `--json` always prints every row.
TABLE_ROWS = 1000
LIMIT = typer.Option(TABLE_ROWS, "--limit", min=0,
                     help="Rows the table shows, the soonest first (0: all); --json prints all.")


def plan(now: str = NOW, as_json: bool = typer.Option(False, "--json", help="Print JSON."),
         every: bool = typer.Option(False, "--all", help="Include sent and finished rows."),
         limit: int = LIMIT) -> None:
    """Which reminders will go out, when and to whom (from the ledger `apply` planned)."""
    cfg = common.config()
    moment = common.parse_now(now, cfg.timezone)
    with session_scope(common.database(cfg)) as session:
        if as_json:
            write_json_array(ledger_rows(session, moment, every))
            return
        rows, total = _first_rows(session, moment, every, limit)
    lang = state.lang()
    title = _(lang, "Reminders as of {time}", time=_local(moment, cfg.timezone))
    console.print(plan_table(lang, rows, title))
    if total > len(rows):
        console.print(_(lang, "The first {shown} of {total} reminders: --limit N shows more, "
                              "--json all of them.", shown=len(rows), total=total), markup=False)


Rows = list[dict[str, Any]]


def _limited(fetch: Callable[[int | None], Iterable[dict[str, Any]]], count: Callable[[], int],
             limit: int) -> tuple[Rows, int]:
    """The first `limit` rows `fetch` gives (every row with 0), and how many there are in
    all (counted only when there are more than it shows)."""
    rows = list(fetch(limit + 1 if limit else None))
    if limit and len(rows) > limit:
        return rows[:limit], count()
    return rows, len(rows)


def _first_rows(session: Session, moment: dt.datetime, every: bool,
                limit: int) -> tuple[Rows, int]:
    """The first `limit` rows of the plan (every row with 0), and how many it has in all."""
    return _limited(lambda n: ledger_rows(session, moment, every, n),
                    lambda: count_rows(session, every), limit)


def _engine(cfg: Config, now: str | None, interval: float, lease: float,
            batch: int) -> ReminderEngine:
    clock = ShiftedClock(common.parse_now(now, cfg.timezone))
    options = EngineOptions(lease_seconds=lease, batch=batch, interval=interval)
    database = common.database(cfg)
    # Reminders carry the owner's subscription link when one can be shown again.
    return ReminderEngine(database, cfg, clock, options=options,
                  feed_url=feed_url_function(cfg, database))

def outcome_line(lang: str, o: Outcome) -> str:
    """One handled reminder: status and kind in `lang`, the task, the recipient, the key."""
    detail = f"  ({printable(describe(lang, o.detail))})" if o.detail and o.status != "sent" \
        else ""
    what = f"{printable(o.title)!r} " if o.title else ""
    return (f"{padded(lang, 'status', PASS_STATUSES, o.status)} "
            f"{padded(lang, 'kind', KINDS, o.kind)} {what}→ {o.recipient} <{o.email}> "
            f"[{o.idem_key}]{detail}")

def print_report(report: PassReport) -> None:
    lang = state.lang()
    print_lines(console, [outcome_line(lang, o) for o in report.outcomes])

serve_log = logging.getLogger("fristvakt.serve")

def _logging() -> None:
    """Our own lines at INFO, in the reader's language; APScheduler's tick and the mail
    channel's per-message lines only with --debug (each pass is reported by `Reporter`)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    quiet = logging.DEBUG if state.debug else logging.WARNING
    for name in ("apscheduler", "fristvakt.mail", "fristvakt.runner"):
        logging.getLogger(name).setLevel(quiet)

class Reporter:
    """What `serve` tells about each pass: the handled reminders, and an outage of the mail
    server or of the database once when it begins and once when it ends, not every tick."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.down: dict[str, str] = {}

    def __call__(self, report: PassReport) -> None:
        print_report(report)
        self._track("mail", report.outage, bool(report.outcomes))
        self._track("database", report.db_error, not report.db_error)

    def _track(self, what: str, problem: str, working: bool) -> None:
        if problem and what not in self.down:
            self.down[what] = problem
            serve_log.warning(translate(self.lang, _OUTAGE[what][0], detail=problem))
        elif not problem and working and self.down.pop(what, None) is not None:
            serve_log.info(translate(self.lang, _OUTAGE[what][1]))

class Reloader:
    """Re-reads fristvakt.toml for a running `serve` when the file changed (or on SIGHUP);
    an edit that does not validate keeps the config in force and says why."""

    def __init__(self, engine: ReminderEngine, path: Path, lang: str) -> None:
        self.engine, self.path, self.lang = engine, path, lang
        self.stamp = _stamp(path)

    def __call__(self, force: bool) -> None:
        stamp = _stamp(self.path)
        if stamp == self.stamp and not force:
            return
        self.stamp = stamp
        try:
            config = load_config(self.path, self.lang)
        except FristvaktError as exc:
            reason = "; ".join(str(p) for p in getattr(exc, "problems", ())) or str(exc)
            serve_log.warning(_(self.lang, "{path} changed but is not valid, the previous settings "
                                           "stay in force: {reason}", path=self.path,
                                reason=reason))
            return
        self.engine.use_config(config)
        serve_log.info(_(self.lang, "{path} changed: the new settings are in force",
                         path=self.path))

def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size

def _serve(cfg: Config, engine: ReminderEngine, services: list[Service]) -> None:
    """`serve` and `run` without --once: say where and what next, then run until stopped."""
    lang = state.lang()
    _logging()
    console.print(_(lang, "Fristvakt is running (config: {config}).\nCalendar feeds: "
                          "{url}<token>.ics\nNext steps: `fristvakt feeds token create --owner "
                          "KEY` gives an owner their calendar link; `fristvakt plan` shows what "
                          "will be sent and when; `fristvakt log` what was sent. Edits to "
                          "fristvakt.toml are read while it runs. Stop with Ctrl+C.",
                    url=cfg.base_url.rstrip("/") + "/feeds/",
                    config=state.config_file()), markup=False, soft_wrap=True)
    reload = Reloader(engine, state.config_file(), lang)
    asyncio.run(serve(engine, Reporter(lang), services, reload))
    console.print(_(lang, "Fristvakt stopped."), markup=False)

def run(once: bool = typer.Option(False, "--once", help="One pass, then exit (for cron)."),
        now: str = NOW, interval: float = INTERVAL, lease: float = LEASE,
        batch: int = BATCH) -> None:
    """The scheduler: send every reminder that is due, then (without --once) keep going."""
    cfg = common.config()
    engine = _engine(cfg, now, interval, lease, batch)
    if once:
        report = asyncio.run(engine.run_pass())
        print_report(report)
        console.print(_(state.lang(), "{sent} sent, {expired} expired, {handled} handled",
                        sent=len(report.of("sent")),
                        expired=len(report.of("expired")), handled=len(report.outcomes)),
                      markup=False)
        if report.outage:  # cron must see it: nothing could go out
            raise DeliveryError(_(state.lang(),
                                  "no message could be sent, the mail server cannot be used: "
                                  "{detail}. Nothing was lost: the reminders wait and go out when "
                                  "the server works again (the coordinator gets one alert).",
                                  detail=report.outage))
        if not report.outcomes:
            _print_next(cfg)
        return
    _serve(cfg, engine, [])

def _print_next(cfg: Config) -> None:
    """Nothing was due: say when something will be, so an empty pass is not a riddle."""
    with session_scope(common.database(cfg)) as session:
        first = next_due(session)
    console.print(next_line(state.lang(), first, cfg.timezone), markup=False)

def serve_cmd(now: str = NOW, interval: float = INTERVAL, lease: float = LEASE,
              batch: int = BATCH) -> None:
    """The scheduler and the services that run beside it, until SIGTERM."""
    cfg = common.config()
    engine = _engine(cfg, now, interval, lease, batch)
    # Made (and their ports bound) before the scheduler starts: a taken port is an error here.
    _serve(cfg, engine, [web_service(cfg, lang=state.lang())])

def web_service(config: Config, *, lang: str) -> Service:
    """The feed server with the owners' and the coordinator's pages beside the feeds."""
    from notifiers.feeds.server import feed_service
    from scheduler.web.app import answer_routes

    return feed_service(config, lang=lang, routes=answer_routes)

def log_table(lang: str, rows: list[dict[str, Any]]) -> Table:
    """The delivery attempts `log` shows, headings and words in `lang`."""
    table = Table(*_heads(lang, LOG_COLUMNS))
    for r in rows:
        detail = "" if r["outcome"] == "sent" else describe(lang, r["detail"])
        if r["possible_duplicate"] and r["outcome"] == "sent":
            detail = _(lang, "possible duplicate (resent after a lost lease or a dropped line)")
        table.add_row(r["at"].strftime("%Y-%m-%d %H:%M"), word(lang, "status", r["outcome"]),
                      word(lang, "kind", r["kind"]), r["title"], r["email"], detail)
    return table

LOG_LIMIT = typer.Option(TABLE_ROWS, "--limit", min=0,
                         help="Attempts the table shows, the latest (0: all); --json prints all.")


def log(task: str = typer.Option(None, "--task", help="Task id (or timeline/id)."),
        owner: str = typer.Option(None, "--owner", help="Recipient key."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        limit: int = LOG_LIMIT) -> None:
    """What was sent, when, to whom, and what failed or expired."""
    cfg = common.config()
    with session_scope(common.database(cfg)) as session:
        if as_json:
            write_json_array(log_rows(session, task, owner))
            return
        rows, total = _latest_attempts(session, task, owner, limit)
    lang = state.lang()
    console.print(log_table(lang, rows))
    if total > len(rows):
        console.print(_(lang, "The latest {shown} of {total} attempts: --limit N shows more, "
                              "--json all of them.", shown=len(rows), total=total), markup=False)


def _latest_attempts(session: Session, task: str | None, owner: str | None,
                     limit: int) -> tuple[Rows, int]:
    """The latest `limit` attempts, oldest first (every one with 0), and how many in all."""
    rows, total = _limited(lambda n: log_rows(session, task, owner, latest=n),
                           lambda: count_attempts(session, task, owner), limit)
    return (rows[::-1] if limit else rows), total  # `latest` reads the newest first


def requeue(key: str = typer.Option(None, "--key", help="Idempotency key of one reminder."),
            task: str = typer.Option(None, "--task", help="Task id (or timeline/id)."),
            since: str = typer.Option(None, "--dead-since",
                                      help="Every reminder that failed since (ISO 8601)."),
            dry_run: bool = typer.Option(False, "--dry-run", help="Only list them."),
            now: str = NOW) -> None:
    """Send failed reminders again (after the cause, e.g. a wrong password, is fixed)."""
    cfg, lang = common.config(), state.lang()
    if not (key or task or since):
        raise FristvaktError(_(lang, "name what to send again: --key, --task or --dead-since"))
    which = Requeue(key, task, common.parse_now(since, cfg.timezone) if since else None)
    with session_scope(common.database(cfg)) as session:
        found = dead_rows(session, which)
        for row in found:
            console.print(f"{row.idem_key}  → {row.recipient} <{row.email}>", markup=False,
                          soft_wrap=True)
        armed = 0 if dry_run else requeue_rows(session, found, common.parse_now(now,
                                                                                cfg.timezone))
    said = (_(lang, "{n} failed reminders would be sent again (nothing changed: --dry-run)",
              n=len(found)) if dry_run
            else _(lang, "{n} failed reminders will be sent again by the next run", n=armed))
    console.print(said, markup=False)

def demo(directory: str = typer.Option(None, "--dir", help="Keep the demo project here.")
         ) -> None:
    """The påverkansagenda plan replayed 2020-04-01..2021-03-31 into a local mail catcher."""
    from scheduler.cli.demo import run_demo

    run_demo(directory, console)

def register(app: typer.Typer) -> None:
    app.command()(plan)
    app.command()(run)
    app.command("serve")(serve_cmd)
    app.command()(log)
    app.command()(requeue)
    app.command()(demo)
