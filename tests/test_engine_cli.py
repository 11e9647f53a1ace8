"""The engine's commands in-process: apply → plan → run --once → log, and downtime catch-up."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from smtp_server import SmtpServer, smtp_server
from test_engine_support import TestProject, keys_received

from scheduler.cli import main


@pytest.fixture
def smtp() -> SmtpServer:  # type: ignore[misc]
    with smtp_server() as server:
        yield server


def fristvakt(proj: TestProject, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    code = main(["-c", str(proj.config_path), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def downtime_project(tmp_path: Path, db_url: str, port: int) -> TestProject:
    proj = TestProject(tmp_path / "p", db_url, port,
                       policy={"overdue_max": 0, "max_lateness": "2d"})
    proj.write_config()
    proj.write_timeline([
        # due Tue 8 Sep; 5 days before = Thu 3 Sep 08:00: a day late at restart, still ahead
        {"id": "framfor", "title": "Framfor", "due": dt.date(2026, 9, 8),
         "owners": ["ola"], "policy": {"before_due": ["5d"]}},
        # reminder Wed 2 Sep for a deadline Thu 3 Sep that has passed at restart
        {"id": "passert", "title": "Passert", "due": dt.date(2026, 9, 3),
         "owners": ["ola"], "policy": {"before_due": ["1d"]}},
        # reminder Wed 2 Sep, deadline far ahead, but more than max lateness (2 days) late
        {"id": "for-seint", "title": "For seint", "due": dt.date(2026, 9, 20),
         "owners": ["ola"], "policy": {"before_due": ["18d"]}},
        {"id": "framtid", "title": "Framtid", "due": dt.date(2026, 9, 30),
         "owners": ["ola"], "policy": {"before_due": ["3d"]}},
    ])
    return proj


def test_downtime_sends_what_is_still_useful_and_lists_the_stale(
        tmp_path: Path, db_url: str, smtp: SmtpServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Acceptance 6: stop, move --now forward three days, start.
    proj = downtime_project(tmp_path, db_url, smtp.port)
    fristvakt(proj, capsys, "apply", "--now", "2026-09-01T09:00")
    assert "0 sent" in fristvakt(proj, capsys, "run", "--once", "--now", "2026-09-01T09:00")
    out = fristvakt(proj, capsys, "run", "--once", "--now", "2026-09-04T09:00")
    lines = out.splitlines()
    assert any(line.startswith("sent") and "Framfor" in line for line in lines)
    expired = [line for line in lines if line.startswith("expired")]
    assert len(expired) == 2
    assert any("Passert" in line for line in expired)
    assert any("For seint" in line for line in expired)
    assert "1 sent, 2 expired" in out
    assert len(smtp.messages) == 1
    (key,) = keys_received(smtp.messages)
    plan = json.loads(fristvakt(proj, capsys, "plan", "--json", "--now", "2026-09-04T09:00"))
    assert [(r["title"], r["status"]) for r in plan] == [("Framtid", "pending")]
    log = json.loads(fristvakt(proj, capsys, "log", "--json"))
    assert sorted((r["title"], r["outcome"]) for r in log) == [
        ("For seint", "expired"), ("Framfor", "sent"), ("Passert", "expired")]
    assert [r["key"] for r in log if r["outcome"] == "sent"] == [key]


def test_plan_shows_task_recipient_kind_send_time_and_status(
        tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    proj = TestProject(tmp_path / "p", db_url, policy={"before_due": ["14d", "3wd"],
                                                       "overdue_max": 1})
    proj.write_config()
    proj.write_timeline([{"id": "utkast", "title": "Utkast", "due": dt.date(2026, 6, 12),
                          "owners": ["radgiver", "anna"]}])
    fristvakt(proj, capsys, "apply", "--now", "2026-05-01T12:00")
    plan = json.loads(fristvakt(proj, capsys, "plan", "--json", "--now", "2026-05-29T08:30"))
    got = [(r["task"], r["recipient"], r["kind"], r["local"], r["status"]) for r in plan]
    assert got == [
        ("plan/utkast", "ola", "due", "2026-05-29 08:00", "due"),
        ("plan/utkast", "anna", "due", "2026-05-29 08:00", "due"),
        ("plan/utkast", "ola", "due", "2026-06-09 08:00", "pending"),
        ("plan/utkast", "anna", "due", "2026-06-09 08:00", "pending"),
        ("plan/utkast", "ola", "overdue", "2026-06-19 08:00", "pending"),
        ("plan/utkast", "anna", "overdue", "2026-06-19 08:00", "pending"),
    ]
    # Anna is in Stockholm: the same local 08:00 (same offset as Oslo), stored in UTC.
    assert {r["send_at"] for r in plan[:2]} == {"2026-05-29T06:00:00+00:00"}
    table = fristvakt(proj, capsys, "plan", "--now", "2026-05-29T08:30")
    assert "Utkast" in table and "ola@example.no" in table


def test_a_reminder_carries_the_owners_subscription_link(
        tmp_path: Path, db_url: str, smtp: SmtpServer, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRISTVAKT_FEED_SECRET", "a-secret-for-the-link-test")
    proj = TestProject(tmp_path / "p", db_url, smtp.port, policy={"overdue_max": 0})
    proj.write_config()
    proj.write_timeline([{"id": "rapport", "title": "Rapport", "due": dt.date(2026, 9, 30),
                          "owners": ["ola"], "policy": {"before_due": ["3d"]}}])
    fristvakt(proj, capsys, "apply", "--now", "2026-09-01T09:00")
    created = fristvakt(proj, capsys, "feeds", "token", "create", "--owner", "ola")
    https = next(word for word in created.split() if word.startswith("http"))
    assert "1 sent" in fristvakt(proj, capsys, "run", "--once", "--now", "2026-09-25T09:00")
    (message,) = smtp.messages
    text = message.parsed().get_body(("plain",))
    assert text is not None and https in text.get_content()
