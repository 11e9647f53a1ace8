"""Acceptance 5 (PostgreSQL only): two `fristvakt serve` processes share 2,000 due reminders;
the SMTP server sees every idempotency key exactly once. One of them freezes (SIGSTOP) right
after a claim, stays frozen past its lease, is resumed, and changes nothing.

Needs FRISTVAKT_TEST_DATABASE_URL; with it set and the server down, this fails (pg_admin)."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from smtp_server import free_port, smtp_server
from sqlalchemy import func
from sqlalchemy.engine import Engine as DbEngine
from sqlmodel import col, select
from test_engine_support import TestProject, fault_env, keys_received, spawn

from timelines.db import open_database, session_scope
from timelines.model import Delivery, Reminder

PEOPLE = 5
TASKS = 400  # × 5 owners = 2,000 reminders, all due at the same instant
NOW = "2026-06-05T09:00"
# The lease must outlast sending a batch of 50 on a loaded 2-core machine (a message takes
# a few ms of CPU), or a live worker's own batch is reclaimed and flagged as well.
SERVE = ("serve", "--now", NOW, "--interval", "0.5", "--lease", "10", "--batch", "50")


def big_project(tmp_path: Path, url: str, port: int) -> TestProject:
    people = {f"p{i}": {"name": f"Person {i}", "email": f"p{i}@example.no"}
              for i in range(PEOPLE)}
    proj = TestProject(tmp_path / "p", url, port, people=people, roles={},
                       policy={"before_due": ["3d"], "overdue_max": 0})
    # Two instances on one machine: each feed server (started by serve) needs its own port.
    proj.write_config(base_url=f"http://127.0.0.1:{free_port()}")
    proj.write_config(proj.root / "second.toml", f"http://127.0.0.1:{free_port()}")
    proj.write_timeline([{"id": f"t{i}", "title": f"Oppgåve {i}", "due": dt.date(2026, 6, 8),
                          "owners": list(people)} for i in range(TASKS)],
                        header={"owners": []})
    proj.apply(dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    return proj


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def stopped(proc: subprocess.Popen[str]) -> bool:
    stat = Path(f"/proc/{proc.pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0] == "T"


def count(db: DbEngine, status: str) -> int:
    with session_scope(db) as s:
        return s.exec(select(func.count()).select_from(Reminder)
                      .where(Reminder.status == status)).one()


def deliveries_by(db: DbEngine, pid: int) -> list[Delivery]:
    with session_scope(db) as s:
        rows = s.exec(select(Delivery).where(col(Delivery.worker).contains(f":{pid}:"))).all()
        return list(rows)


def stop_all(*procs: subprocess.Popen[str]) -> list[int]:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGCONT)
            proc.send_signal(signal.SIGTERM)
    return [proc.wait(timeout=30) for proc in procs]


def test_two_serve_processes_send_each_key_once(tmp_path: Path, pg_url: str) -> None:
    with smtp_server() as server:
        proj = big_project(tmp_path, pg_url, server.port)
        db = open_database(pg_url)
        frozen = spawn(proj, *SERVE, env=fault_env("after_claim", "stop"))
        other: subprocess.Popen[str] | None = None
        try:
            wait_for(lambda: stopped(frozen), 30, "the first worker to claim and freeze")
            assert count(db, "claimed") == 50
            other = spawn(proj, *SERVE, config=proj.root / "second.toml")
            # Generous: each message is its own commit, and CI machines are shared.
            wait_for(lambda: count(db, "sent") == PEOPLE * TASKS, 300, "all reminders sent")
            frozen.send_signal(signal.SIGCONT)  # resumed long after its lease ran out
            time.sleep(2)
            codes = stop_all(frozen, other)
        finally:
            stop_all(frozen, *([other] if other else []))
        received = keys_received(server.messages)
    assert codes == [0, 0]
    assert len(received) == PEOPLE * TASKS and set(received.values()) == {1}
    assert deliveries_by(db, frozen.pid) == []  # the frozen worker changed nothing
    with session_scope(db) as s:
        reclaimed = s.exec(select(func.count()).select_from(Reminder)
                           .where(col(Reminder.possible_duplicate))).one()
    assert reclaimed == 50  # its batch was taken over, and flagged for the log
    db.dispose()
