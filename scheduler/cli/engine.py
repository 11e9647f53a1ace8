"""plan, run, serve, log, demo: the reminder engine's commands."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table

from notifiers.tokens import feed_url_function
from scheduler.cli import common
from scheduler.clock import ShiftedClock
from scheduler.reports import ledger_rows, log_rows
from scheduler.runner import Engine, EngineOptions, PassReport, Service, serve
from timelines.config import Config
from timelines.db import session_scope

console = Console(highlight=False)

# Extra long-running services `fristvakt serve` starts beside the scheduler (the feed
# server of #7 appends its factory here); `run` starts none.
SERVE_SERVICES: list[Callable[[Config], Service]] = []

INTERVAL = typer.Option(60.0, "--interval", help="Seconds between scheduler ticks.")
LEASE = typer.Option(300.0, "--lease", help="Seconds a claimed reminder stays reserved.")
BATCH = typer.Option(50, "--batch", help="Reminders claimed per transaction.")
NOW = typer.Option(None, "--now", help=common.NOW_HELP)


def _local(moment: dt.datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def plan(now: str = NOW, as_json: bool = typer.Option(False, "--json", help="Print JSON."),
         every: bool = typer.Option(False, "--all", help="Include sent and finished rows.")
         ) -> None:
    """Which reminders will go out, when and to whom (from the ledger `apply` planned)."""
    cfg = common.config()
    moment = common.parse_now(now, cfg.timezone)
    with session_scope(common.database(cfg)) as session:
        rows = ledger_rows(session, moment, every)
    if as_json:
        common.print_json(rows)
        return
    table = Table("send at (local)", "kind", "task", "to", "status",
                  title=f"Reminders as of {_local(moment, cfg.timezone)}")
    for r in rows:
        table.add_row(_local(r["send_at"], r["zone"]), r["kind"], r["title"],
                      f"{r['recipient']} <{r['email']}>", r["status"])
    console.print(table)


def _engine(cfg: Config, now: str | None, interval: float, lease: float,
            batch: int) -> Engine:
    clock = ShiftedClock(common.parse_now(now, cfg.timezone))
    options = EngineOptions(lease_seconds=lease, batch=batch, interval=interval)
    database = common.database(cfg)
    # Reminders carry the owner's subscription link when one can be shown again.
    return Engine(database, cfg, clock, options=options,
                  feed_url=feed_url_function(cfg, database))


def print_report(report: PassReport) -> None:
    for o in report.outcomes:
        detail = f"  ({o.detail})" if o.detail and o.status != "sent" else ""
        what = f"{o.title!r} " if o.title else ""
        console.print(f"{o.status:8} {o.kind:8} {what}→ {o.recipient} <{o.email}> "
                      f"[{o.idem_key}]{detail}", markup=False, soft_wrap=True)


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")


def run(once: bool = typer.Option(False, "--once", help="One pass, then exit (for cron)."),
        now: str = NOW, interval: float = INTERVAL, lease: float = LEASE,
        batch: int = BATCH) -> None:
    """The scheduler: send every reminder that is due, then (without --once) keep going."""
    cfg = common.config()
    engine = _engine(cfg, now, interval, lease, batch)
    if once:
        report = asyncio.run(engine.run_pass())
        print_report(report)
        sent, expired = len(report.of("sent")), len(report.of("expired"))
        console.print(f"{sent} sent, {expired} expired, {len(report.outcomes)} handled")
        return
    _logging()
    asyncio.run(serve(engine, print_report))


def serve_cmd(now: str = NOW, interval: float = INTERVAL, lease: float = LEASE,
              batch: int = BATCH) -> None:
    """The scheduler and the services that run beside it, until SIGTERM."""
    cfg = common.config()
    engine = _engine(cfg, now, interval, lease, batch)
    _logging()
    asyncio.run(serve(engine, print_report, [make(cfg) for make in SERVE_SERVICES]))


def log(task: str = typer.Option(None, "--task", help="Task id (or timeline/id)."),
        owner: str = typer.Option(None, "--owner", help="Recipient key."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """What was sent, when, to whom, and what failed or expired."""
    cfg = common.config()
    with session_scope(common.database(cfg)) as session:
        rows = log_rows(session, task, owner)
    if as_json:
        common.print_json(rows)
        return
    table = Table("at (UTC)", "outcome", "kind", "task", "to", "detail")
    for r in rows:
        detail = "" if r["outcome"] == "sent" else r["detail"]
        if r["possible_duplicate"] and r["outcome"] == "sent":
            detail = "possible duplicate (resent after a lost lease or a dropped line)"
        table.add_row(r["at"].strftime("%Y-%m-%d %H:%M"), r["outcome"], r["kind"],
                      r["title"], r["email"], detail)
    console.print(table)


def demo(directory: str = typer.Option(None, "--dir", help="Keep the demo project here.")
         ) -> None:
    """The påverkansagenda plan replayed 2020-04-01..2021-03-31 into a local mail catcher."""
    from scheduler.demo import run_demo

    run_demo(directory, console)


def register(app: typer.Typer) -> None:
    app.command()(plan)
    app.command()(run)
    app.command("serve")(serve_cmd)
    app.command()(log)
    app.command()(demo)
