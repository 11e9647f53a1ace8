"""Acceptance 3: `fristvakt run --once` as a real process, SIGKILLed at each fault point, then
restarted: every reminder arrives; only a kill after the server's 250 can duplicate one,
and that row is flagged and logged as a possible duplicate."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import threading
from pathlib import Path

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from smtp_server import Recorder, SmtpServer, smtp_server
from test_engine_support import (
    TestProject,
    cli,
    deliveries,
    fault_env,
    keys_received,
    rows,
    spawn,
)

from timelines.db import open_database

START = "2026-06-05T08:00"
RESTART = "2026-06-05T08:10"  # past the 5-minute lease the killed run held


class KillClientAtRcpt(Recorder):
    """Kills the sending process in the middle of the SMTP dialogue (once)."""

    def __init__(self) -> None:
        super().__init__()
        self.victim: int | None = None

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, options: list[str]) -> str:
        if self.victim is not None:
            os.kill(self.victim, signal.SIGKILL)
            self.victim = None
            return "451 4.3.0 going away"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def crash_project(tmp_path: Path, db_url: str, port: int) -> TestProject:
    proj = TestProject(tmp_path / "p", db_url, port,
                       policy={"before_due": ["3d"], "overdue_max": 0})
    proj.write_config()
    proj.write_timeline([{"id": f"t{i}", "title": f"Oppgåve {i}", "due": dt.date(2026, 6, 8),
                          "owners": ["ola"]} for i in range(3)])
    proj.apply(dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    return proj


def crash_then_restart(proj: TestProject, server: SmtpServer, handler: Recorder,
                       fault: str) -> None:
    env = fault_env(fault) if fault != "during_smtp" else {}
    proc = spawn(proj, "run", "--once", "--now", START, env=env)
    if isinstance(handler, KillClientAtRcpt):
        handler.victim = proc.pid
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    done = cli(proj, "run", "--once", "--now", RESTART)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("fault", ["after_claim", "during_smtp", "after_send"])
def test_sigkill_at_each_fault_point_loses_nothing(tmp_path: Path, db_url: str,
                                                   fault: str) -> None:
    handler: Recorder = KillClientAtRcpt() if fault == "during_smtp" else Recorder()
    with smtp_server(handler=handler) as server:
        proj = crash_project(tmp_path, db_url, server.port)
        crash_then_restart(proj, server, handler, fault)
        received = keys_received(server.messages)
    db = open_database(db_url)
    ledger_rows = rows(db)
    assert {r.status for r in ledger_rows} == {"sent"}
    assert set(received) == {r.idem_key for r in ledger_rows}
    twice = [key for key, n in received.items() if n > 1]
    if fault == "after_send":
        (dup,) = twice  # the one the server had accepted when the process died
        (row,) = [r for r in ledger_rows if r.idem_key == dup]
        assert row.possible_duplicate
        assert [d.outcome for d in deliveries(db) if d.reminder_id == row.id] == [
            "lease-lost", "sent"]
    else:
        assert twice == []
    db.dispose()


class SlowData(Recorder):
    """Takes a second to accept each message; `started` tells the test one is in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.started.set()
        await asyncio.sleep(1.0)
        return await super().handle_DATA(server, session, envelope)


def test_sigterm_finishes_the_send_in_flight_and_releases_the_rest(tmp_path: Path,
                                                                   db_url: str) -> None:
    handler = SlowData()
    with smtp_server(handler=handler) as server:
        proj = crash_project(tmp_path, db_url, server.port)
        proc = spawn(proj, "serve", "--now", START, "--interval", "0.2")
        assert handler.started.wait(30), "serve never started sending"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert len(server.messages) == 1  # the one in flight, and no other
        db = open_database(db_url)
        by_status = {r.status: r for r in rows(db)}
        assert sorted(r.status for r in rows(db)) == ["pending", "pending", "sent"]
        assert all(r.lease_token is None and r.attempts == 0
                   for r in rows(db) if r.status == "pending")
        assert by_status["sent"].idem_key in keys_received(server.messages)
        done = cli(proj, "run", "--once", "--now", RESTART)  # released rows: due at once
        assert done.returncode == 0, done.stderr
        assert set(keys_received(server.messages).values()) == {1}
        assert len(server.messages) == 3
    db.dispose()
