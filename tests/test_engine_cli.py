"""The engine's commands in-process: apply → plan → run --once → log, and downtime catch-up."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from pathlib import Path

import pytest
from smtp_server import SmtpServer, smtp_server
from test_engine_support import TestProject, keys_received

from notifiers.feeds.server import AddressInUse, feed_service
from scheduler.cli import main
from scheduler.cli.engine import LOG_COLUMNS, PLAN_COLUMNS
from scheduler.reports import word
from timelines.base.i18n import _, translate
from timelines.base.lang import config_file_lang, ui_lang


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


def cli_lang(proj: TestProject) -> str:
    """The language the CLI speaks for this project (coordinator.lang nb, unless told)."""
    return ui_lang(os.environ, config_file_lang(proj.config_path))


def summary(proj: TestProject, sent: int, expired: int, handled: int) -> str:
    """The last line of `run --once`, in the language in force."""
    return _(cli_lang(proj), "{sent} sent, {expired} expired, {handled} handled", sent=sent,
             expired=expired, handled=handled)


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
    lang = cli_lang(proj)
    first = fristvakt(proj, capsys, "run", "--once", "--now", "2026-09-01T09:00")
    assert summary(proj, 0, 0, 0) in first
    out = fristvakt(proj, capsys, "run", "--once", "--now", "2026-09-04T09:00")
    lines = out.splitlines()
    sent, gone = word(lang, "status", "sent"), word(lang, "status", "expired")
    assert any(line.startswith(sent) and "Framfor" in line for line in lines)
    expired = [line for line in lines if line.startswith(gone)]
    assert len(expired) == 2
    assert any("Passert" in line for line in expired)
    assert any("For seint" in line for line in expired)
    assert summary(proj, 1, 2, 3) in out
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
    sent = fristvakt(proj, capsys, "run", "--once", "--now", "2026-09-25T09:00")
    assert summary(proj, 1, 0, 1) in sent
    (message,) = smtp.messages
    text = message.parsed().get_body(("plain",))
    assert text is not None and https in text.get_content()


@pytest.mark.parametrize("lang", ["nn", "sv", "en"])
def test_plan_run_and_log_speak_the_language_in_force(
        tmp_path: Path, db_url: str, smtp: SmtpServer, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setenv("FRISTVAKT_LANG", lang)
    proj = TestProject(tmp_path / "p", db_url, smtp.port, policy={"overdue_max": 0})
    proj.write_config()
    proj.write_timeline([{"id": "rapport", "title": "Rapport", "due": dt.date(2026, 9, 30),
                          "owners": ["ola"], "policy": {"before_due": ["3d"]}}])
    fristvakt(proj, capsys, "apply", "--now", "2026-09-01T09:00")
    planned = fristvakt(proj, capsys, "plan", "--now", "2026-09-25T09:00")
    for column in PLAN_COLUMNS:
        assert translate(lang, PLAN_COLUMNS[column]) in planned
    assert word(lang, "status", "due") in planned and word(lang, "kind", "due") in planned
    ran = fristvakt(proj, capsys, "run", "--once", "--now", "2026-09-25T09:00")
    assert ran.splitlines()[0].startswith(f"{word(lang, 'status', 'sent')} ")
    assert ran.splitlines()[-1] == _(lang, "{sent} sent, {expired} expired, {handled} handled",
                                     sent=1, expired=0, handled=1)
    logged = fristvakt(proj, capsys, "log")
    for column in LOG_COLUMNS:
        assert translate(lang, LOG_COLUMNS[column]) in logged
    assert word(lang, "status", "sent") in logged
    assert json.loads(fristvakt(proj, capsys, "log", "--json"))[0]["outcome"] == "sent"


def test_serve_on_a_taken_port_says_how_to_fix_it_and_exits_1(
        tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRISTVAKT_LANG", "nn")
    proj = TestProject(tmp_path / "p", db_url)
    proj.write_timeline([{"id": "rapport", "title": "Rapport", "due": dt.date(2026, 9, 30)}])
    with socket.socket() as taken:  # another program listens on the port of base_url
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proj.write_config(base_url=f"http://127.0.0.1:{port}")
        capsys.readouterr()
        code = main(["-c", str(proj.config_path), "serve", "--interval", "3600"])
        _out, err = capsys.readouterr()
        with pytest.raises(AddressInUse):  # the error is ours, raised before anything starts
            feed_service(proj.config(), lang="nn")
    message = _("nn", "cannot serve feeds on {address}: the port is already in use. Is another "
                      "`fristvakt serve` (or `fristvakt feeds serve`) running? Stop it, or set "
                      "base_url in fristvakt.toml to a free port.", address=f"127.0.0.1:{port}")
    assert code == 1
    assert err.strip() == _("nn", "error: {message}", message=message)
    assert "base_url" in message and "fristvakt serve" in message


@pytest.mark.parametrize("lang", ["nb", "sv"])
def test_our_own_details_are_shown_in_the_readers_language(lang: str) -> None:
    from scheduler.ledger import detail_code
    from scheduler.reports import describe

    stale = detail_code("stale", "2026-09-02T06:00:00+00:00", "2026-09-04T06:00:00+00:00")
    shown = describe(lang, stale)
    assert shown == _(lang, "not sent: due {due}, too late since {since}",
                      due="2026-09-02T06:00:00+00:00",
                      since="2026-09-04T06:00:00+00:00")
    assert shown != describe("en", stale) and "|" not in shown
    reply = "550 5.1.1 No such user"  # a server's reply is shown as it came
    assert describe(lang, reply) == reply
