"""PostgreSQL: `apply` while two `serve` processes send, and two `apply`s of one edit at the
same moment. Nothing the runner claimed or sent is overwritten by `apply`, every key goes out
once, every "date moved" notice once.

Needs FRISTVAKT_TEST_DATABASE_URL (skipped without it, like every PostgreSQL test)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from smtp_server import smtp_server
from test_engine_multi import NOW, PEOPLE, SERVE, TASKS, big_project, count, stop_all, wait_for
from test_engine_support import ROOT, TestProject, cli, deliveries, keys_received, rows, spawn

from timelines.db import open_database

MOVED = 10  # tasks whose due date moves while the engines send


def write_plan(proj: TestProject, moved: int) -> None:
    """The big plan, the first `moved` tasks due a day later (a Saturday: their new
    reminder falls on Friday, so it is due at once as well)."""
    people = list(proj.people)
    proj.write_timeline([{"id": f"t{i}", "title": f"Oppgåve {i}",
                          "due": dt.date(2026, 6, 9 if i < moved else 8), "owners": people}
                         for i in range(TASKS)], header={"owners": []})


def apply_process(proj: TestProject) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "scheduler", "-c", str(proj.config_path), "apply", "--now", NOW],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def applied(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return out


def test_apply_during_two_serves_overwrites_nothing(tmp_path: Path, pg_url: str) -> None:
    with smtp_server() as server:
        proj = big_project(tmp_path, pg_url, server.port)
        db = open_database(pg_url)
        first = spawn(proj, *SERVE)
        second = spawn(proj, *SERVE, config=proj.root / "second.toml")
        try:
            wait_for(lambda: count(db, "sent") > 0, 60, "the first sends")
            applied(apply_process(proj))  # nothing changed: must change nothing
            write_plan(proj, MOVED)
            applied(apply_process(proj))  # the move, mid-run
            applied(apply_process(proj))
            wait_for(lambda: count(db, "pending") + count(db, "claimed") + count(db, "retry")
                     == 0, 300, "every reminder handled")
        finally:
            codes = stop_all(first, second)
        received = keys_received(server.messages)
    assert codes == [0, 0]
    ledger = {r.idem_key: r for r in rows(db)}
    assert set(received.values()) == {1}  # each key once
    sends = {}
    for d in deliveries(db):
        if d.outcome in ("sent", "sent-after-supersede"):
            sends[d.reminder_id] = sends.get(d.reminder_id, 0) + 1
    for key in received:  # every delivered message is on record, once, as sent
        row = ledger[key]
        assert sends.get(row.id) == 1, key
        assert row.status == "sent" or (row.status == "superseded" and row.possible_duplicate)
    assert all(received[k] == 1 for k, r in ledger.items() if r.status == "sent")
    moved_keys = [k for k, r in ledger.items() if r.kind == "moved"]
    late = [k for k, r in ledger.items() if r.status == "superseded" and r.message_id]
    # A moved task's old reminder may have been in flight: then it is flagged, never "sent";
    # its moved notice and its new reminder go out once each all the same.
    assert len(moved_keys) == MOVED * PEOPLE and all(received[k] == 1 for k in moved_keys)
    assert len(late) <= MOVED * PEOPLE
    db.dispose()


def test_two_applies_of_one_edit_keep_every_moved_notice(tmp_path: Path, pg_url: str) -> None:
    proj = TestProject(tmp_path / "p", pg_url, policy={"before_due": ["3d"], "overdue_max": 0})
    proj.write_config()
    tasks = [{"id": f"t{i}", "title": f"Oppgåve {i}", "due": dt.date(2026, 9, 8),
              "owners": ["ola", "anna"]} for i in range(3)]
    proj.write_timeline(tasks)
    assert cli(proj, "apply", "--now", "2026-06-01T09:00").returncode == 0
    for trial in range(3):
        for t in tasks:
            t["due"] = t["due"] + dt.timedelta(days=7)
        proj.write_timeline(tasks)
        both = [apply_process(proj), apply_process(proj)]
        outs = [applied(p) for p in both]
        assert sum("t0" in out for out in outs) == 1, outs  # the second saw no change
        db = open_database(pg_url)
        version = trial + 2
        moved = [r for r in rows(db) if r.kind == "moved" and r.date_version == version]
        assert len(moved) == 6 and {r.status for r in moved} == {"pending"}
        db.dispose()
