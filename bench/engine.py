"""Benchmark of the reminder engine: the due-scan and end-to-end delivery.

Run as `.venv/bin/python bench/engine.py [--big N] [--count N]` (SQLite files in a temp dir,
a local aiosmtpd Sink in its own process, no network).

1. Due-scan: the claim query (`status IN (pending, retry, claimed) AND next_attempt_at <=
   now ORDER BY next_attempt_at LIMIT 100`) on a ledger of 10k rows and of 1M rows, both
   with the same 100 rows due; the rest is sent history and future reminders. Target: the
   1M time is at most 1.5 × the 10k time (the cost follows what is due, not what is stored).
2. Delivery: reminders planned by `apply` and sent by `ReminderEngine.run_pass` (claim, render, the
   pre-send check of lease and task, SMTP, and the fenced mark of each accepted message in
   its own transaction: `mark_every` = 1, so a crash can resend only the message in flight;
   SQLite in WAL mode with synchronous=NORMAL keeps that commit cheap) against the bare
   aiosmtplib loop of
   bench/mail.py sending the same messages pre-rendered over one connection. Target >= 0.5.
   The three loops take turns wave by wave (100 messages), in an order that rotates, after
   one warm-up wave that is not counted (first statements compiled, connections warm).
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiosmtplib
from sqlalchemy import text, update
from sqlalchemy.engine import Engine as DbEngine
from sqlmodel import col, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _local import sink_server  # noqa: E402
from test_engine_support import TestProject  # noqa: E402

from notifiers.base import Notice  # noqa: E402
from notifiers.email.smtp import EmailNotifier  # noqa: E402
from notifiers.email.view import dated  # noqa: E402
from notifiers.feeds.tokens import feed_url_function  # noqa: E402
from scheduler.clock import ManualClock  # noqa: E402
from scheduler.ledger import due_query  # noqa: E402
from scheduler.notices import Lookup, build_notice  # noqa: E402
from scheduler.runner import EngineOptions, ReminderEngine  # noqa: E402
from timelines.base.i18n import format_date, format_distance  # noqa: E402
from timelines.db import open_database, session_scope  # noqa: E402
from timelines.model import Reminder  # noqa: E402

SCAN_TARGET, RATE_TARGET = 1.5, 0.5
NOW = dt.datetime(2026, 6, 5, 6, tzinfo=dt.UTC)
DUE = 100

# One INSERT ... SELECT over a counter: a million rows in seconds. Row i is due now when
# i <= DUE, else sent history (3 of 4) or a pending reminder in the future.
SEED = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :rows)
INSERT INTO reminder (idem_key, task_pk, recipient, email, rule, kind, date_version, send_at,
    zone, local_date, local_time, status, attempts, next_attempt_at, last_error,
    possible_duplicate, payload, created_at)
SELECT 'bench:' || i, NULL, 'p' || (i % 50), 'p@example.no', 'due-3d', 'due', 1,
    datetime(:now, printf('%+d minutes', i - 2 * :rows / 3)), 'Europe/Oslo', '2026-06-05',
    '08:00:00.000000',
    CASE WHEN i <= :due THEN 'pending' WHEN i % 4 = 0 THEN 'pending' ELSE 'sent' END, 0,
    CASE WHEN i <= :due THEN datetime(:now, '-1 minutes')
         ELSE datetime(:now, printf('%+d minutes', i)) END,
    '', 0, '{}', datetime(:now)
FROM n
"""


def seeded_ledger(folder: Path, rows: int) -> DbEngine:
    db = open_database(f"sqlite:///{folder / f'scan-{rows}.db'}")
    naive = NOW.replace(tzinfo=None).isoformat(sep=" ")
    with db.begin() as conn:
        conn.execute(text(SEED), {"rows": rows, "now": naive, "due": DUE})
    with db.begin() as conn:
        conn.execute(text("ANALYZE"))
    return db


def scan_times(small_db: DbEngine, big_db: DbEngine, repeat: int = 40) -> tuple[float, float]:
    """Median seconds of the due query on each ledger, reading the rows it returns; the two
    take turns so that other load on a shared machine falls on both alike."""
    times: dict[int, list[float]] = {0: [], 1: []}
    with small_db.connect() as small, big_db.connect() as big:
        for _ in range(repeat):
            for which, conn in enumerate((small, big)):
                started = time.perf_counter()
                found = conn.execute(due_query(NOW, DUE, "sqlite")).all()
                times[which].append(time.perf_counter() - started)
                assert len(found) == DUE, len(found)
    return statistics.median(times[0]), statistics.median(times[1])


def bench_scan(folder: Path, big: int) -> bool:
    small, large = scan_times(seeded_ledger(folder, 10_000), seeded_ledger(folder, big))
    ratio = large / small
    print(f"due-scan, 10,000 rows:  {small * 1000:7.2f} ms for {DUE} due")
    print(f"due-scan, {big:,} rows: {large * 1000:7.2f} ms for {DUE} due")
    print(f"ratio {ratio:.2f} (target <= {SCAN_TARGET}): "
          f"{'met' if ratio <= SCAN_TARGET else 'NOT met'}")
    return ratio <= SCAN_TARGET


def planned_project(folder: Path, port: int, count: int) -> TestProject:
    people = {f"p{i}": {"name": f"Person {i}", "email": f"p{i}@example.no"} for i in range(5)}
    proj = TestProject(folder, f"sqlite:///{folder / 'send.db'}", port, people=people,
                       roles={}, policy={"before_due": ["3d"], "overdue_max": 0})
    proj.write_config()
    proj.write_timeline([{"id": f"t{i}", "title": f"Oppgåve {i}", "due": dt.date(2026, 6, 8),
                          "owners": list(people)} for i in range(count // 5)],
                        header={"owners": []})
    proj.apply(dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    return proj


Mail = tuple[str, list[str], bytes]


def due_notices(proj: TestProject, db: DbEngine) -> list[Notice]:
    """The notices the engine will send, built the way the engine builds them."""
    with session_scope(db) as session:
        rows = list(session.exec(select(Reminder).order_by(col(Reminder.id))).all())
        lookup = Lookup(session)
        lookup.preload(rows)
        return [build_notice(lookup, proj.config(), r, NOW) for r in rows]


def rendered(proj: TestProject, notices: list[Notice]) -> list[Mail]:
    """The very messages the engine will send, rendered beforehand, for the bare loop."""
    notifier = EmailNotifier.from_config(proj.config())
    mails = [notifier.renderer.render(n, NOW) for n in notices]
    return [(m.sender, list(m.recipients), m.data) for m in mails]


WAVE = 100


def forget_values() -> None:
    """Empty the caches of formatted values (dates, distances), as bench/mail.py does."""
    for cached in (format_date, format_distance, dated):
        cached.cache_clear()


def spread_into_waves(db: DbEngine) -> int:
    """Wave g (rows g*100 .. g*100+99) becomes due g minutes after NOW, so the loops can take
    turns wave by wave and a busy machine slows all of them alike."""
    with session_scope(db) as session:
        ids = list(session.exec(select(Reminder.id).order_by(col(Reminder.id))).all())
    with db.begin() as conn:
        for g in range(0, len(ids), WAVE):
            moment = NOW + dt.timedelta(minutes=g // WAVE)
            conn.execute(update(Reminder).where(col(Reminder.id).in_(ids[g:g + WAVE]))
                         .values(next_attempt_at=moment))
    return (len(ids) + WAVE - 1) // WAVE


async def bare_wave(smtp: aiosmtplib.SMTP, mails: list[Mail]) -> tuple[float, int]:
    started = time.perf_counter()
    for sender, recipients, data in mails:
        await smtp.sendmail(sender, recipients, data)
    return time.perf_counter() - started, len(mails)


async def notifier_wave(notifier: EmailNotifier, notices: list[Notice]) -> tuple[float, int]:
    started = time.perf_counter()
    for notice in notices:
        await notifier.send(notice)
    return time.perf_counter() - started, len(notices)


async def engine_wave(engine: ReminderEngine, clock: ManualClock, wave: int) -> tuple[float, int]:
    clock.set(NOW + dt.timedelta(minutes=wave, seconds=30))
    started = time.perf_counter()
    report = await engine.run_pass()
    return time.perf_counter() - started, len(report.of("sent"))


@dataclass
class Spent:
    bare: float = 0.0
    notifier: float = 0.0
    engine: float = 0.0
    sent: int = 0


async def take_turns(port: int, engine: ReminderEngine, clock: ManualClock, notices: list[Notice],
                     mails: list[Mail], waves: int) -> Spent:
    """Wave 0 warms up all three loops and is not counted; then the loops take turns, each
    going first in every third wave, so that drifting load does not favour one of them."""
    spent = Spent()
    smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
    await smtp.connect()
    async with EmailNotifier.from_config(engine.config) as notifier:
        for wave in range(waves):
            part = slice(wave * WAVE, (wave + 1) * WAVE)
            runs = [bare_wave(smtp, mails[part]), notifier_wave(notifier, notices[part]),
                    engine_wave(engine, clock, wave)]
            shift = wave % len(runs)
            timings: dict[int, tuple[float, int]] = {}
            for index in [*range(shift, len(runs)), *range(shift)]:
                timings[index] = await runs[index]
            if wave == 0:
                continue
            spent.bare, spent.notifier = spent.bare + timings[0][0], spent.notifier + timings[1][0]
            spent.engine, spent.sent = spent.engine + timings[2][0], spent.sent + timings[2][1]
    await smtp.quit()
    return spent


def bench_send(folder: Path, count: int) -> bool:
    with sink_server() as port:
        proj = planned_project(folder / "send", port, count + WAVE)  # + the warm-up wave
        db = open_database(proj.db_url)
        notices = due_notices(proj, db)
        mails = rendered(proj, notices)
        forget_values()  # pre-rendering must not leave the engine nothing to compute
        waves = spread_into_waves(db)
        clock = ManualClock(NOW)
        # As `run` makes it: with the owners' feed links (no feed secret set, as by default).
        engine = ReminderEngine(db, proj.config(), clock,
                        options=EngineOptions(worker="bench", batch=WAVE),
                        feed_url=feed_url_function(proj.config(), db, env={}))
        spent = asyncio.run(take_turns(port, engine, clock, notices, mails, waves))
    measured = len(mails) - WAVE
    assert spent.sent == measured, (spent.sent, measured)
    bare, ours = measured / spent.bare, spent.sent / spent.engine
    ratio = ours / bare
    print(f"aiosmtplib bare loop (pre-rendered):    {bare:7.0f} messages/s")
    print(f"EmailNotifier alone (render + send):    {measured / spent.notifier:7.0f} "
          "messages/s (for reference)")
    print(f"engine (claim, render, send, mark):    {ours:7.0f} reminders/s ({spent.sent} sent, "
          f"each marked in its own commit: mark_every = {engine.options.mark_every})")
    print(f"ratio {ratio:.2f} (target >= {RATE_TARGET}): "
          f"{'met' if ratio >= RATE_TARGET else 'NOT met'}")
    return ratio >= RATE_TARGET


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=int, default=1_000_000, help="rows in the big ledger")
    parser.add_argument("--count", type=int, default=1000, help="reminders to deliver")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scan_ok = bench_scan(Path(tmp), args.big)
        send_ok = bench_send(Path(tmp), args.count)
    return 0 if scan_ok and send_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
