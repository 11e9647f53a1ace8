"""`fristvakt serve` as a coordinator runs it: it says where its feeds are and what to do
next, logs in the reader's language without a line per tick, re-reads fristvakt.toml while it
runs (an invalid edit keeps the old settings), and stops on SIGTERM/SIGINT without a
traceback. A reminder for a person the config in force does not know waits."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from smtp_server import SmtpServer, free_port, smtp_server
from test_engine_support import (
    PEOPLE,
    TestProject,
    make_engine,
    oslo,
    rows,
    run_pass,
    spawn,
)

from scheduler.clock import ManualClock
from timelines.db import open_database

NOW = "2026-06-05T08:00"
SERVE = ("serve", "--now", NOW, "--interval", "0.3")
NILS = {"name": "Nils Nilsen", "email": "nils@example.no", "lang": "nn",
        "timezone": "Europe/Oslo"}


def project(tmp_path: Path, db_url: str, port: int) -> TestProject:
    proj = TestProject(tmp_path / "p", db_url, port,
                       policy={"before_due": ["3d"], "overdue_max": 0})
    proj.write_config(base_url=f"http://127.0.0.1:{free_port()}")
    proj.write_timeline([{"id": "a", "title": "Oppgåve a", "due": dt.date(2026, 6, 8),
                          "owners": ["ola"]}])
    proj.apply(oslo(2026, 5, 1))
    return proj


def output(proc: subprocess.Popen[str], proj: TestProject, stream: str) -> str:
    files = sorted(proj.root.glob(f"{stream}-*.log"))
    return files[-1].read_text(encoding="utf-8")


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_says_where_and_what_next_and_stops_cleanly(tmp_path: Path,
                                                          sig: signal.Signals) -> None:
    with smtp_server() as server:
        proj = project(tmp_path, f"sqlite:///{tmp_path / 'fv.db'}", server.port)
        proc = spawn(proj, *SERVE, env={"FRISTVAKT_LANG": "sv"})
        wait_for(lambda: len(server.messages) == 1, 30, "the due reminder")
        time.sleep(1.5)  # several ticks
        proc.send_signal(sig)
        assert proc.wait(timeout=30) == 0
    out, err = output(proc, proj, "out"), output(proc, proj, "err")
    base = proj.config().base_url.rstrip("/")
    assert f"{base}/feeds/<token>.ics" in out
    assert "fristvakt feeds token create --owner" in out and "Stoppa med Ctrl+C" in out
    assert "Fristvakt stoppad." in out
    assert "Traceback" not in err and "CancelledError" not in err
    assert "apscheduler" not in err.lower() and "Running job" not in err


def people_with_nils() -> dict[str, dict[str, str]]:
    return {**PEOPLE, "nils": NILS}


def add_nils(proj: TestProject) -> None:
    """The coordinator adds Nils to fristvakt.toml and gives him a task."""
    proj.people = people_with_nils()
    proj.write_config(base_url=proj.config().base_url)
    proj.write_timeline([{"id": "a", "title": "Oppgåve a", "due": dt.date(2026, 6, 8),
                          "owners": ["ola"]},
                         {"id": "b", "title": "Oppgåve b", "due": dt.date(2026, 6, 8),
                          "owners": ["nils"]}])
    proj.apply(oslo(2026, 6, 1))


def to(server: SmtpServer, address: str) -> int:
    return sum(m.rcpt_tos == [address] for m in server.messages)


def test_serve_rereads_the_config_and_keeps_it_when_an_edit_is_invalid(
        tmp_path: Path, db_url: str) -> None:
    with smtp_server() as server:
        proj = project(tmp_path, db_url, server.port)
        proc = spawn(proj, *SERVE, env={"FRISTVAKT_LANG": "en"})
        try:
            wait_for(lambda: to(server, "ola@example.no") == 1, 30, "ola's reminder")
            add_nils(proj)
            wait_for(lambda: to(server, "nils@example.no") == 1, 30, "nils's reminder")
            good = proj.config_path.read_text(encoding="utf-8")
            proj.config_path.write_text(good.replace("[smtp]", "[smtp\n"), encoding="utf-8")
            wait_for(lambda: "is not valid" in output(proc, proj, "err"), 30, "the refusal")
            proc.send_signal(signal.SIGHUP)  # re-read at once, even unchanged
            proj.config_path.write_text(good, encoding="utf-8")
            wait_for(lambda: output(proc, proj, "err").count("new settings are in force") >= 2,
                     30, "the reload")
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0
    err = output(proc, proj, "err")
    assert "fristvakt.toml changed but is not valid" in err and "Traceback" not in err
    db = open_database(db_url)
    assert {r.recipient: r.status for r in rows(db)} == {"ola": "sent", "nils": "sent"}
    db.dispose()


def test_a_reminder_for_a_person_not_yet_in_the_config_waits(tmp_path: Path,
                                                             db_url: str) -> None:
    with smtp_server() as server:
        proj = project(tmp_path, db_url, server.port)
        old = proj.config()  # what a process started before the edit has in memory
        add_nils(proj)
        db = open_database(db_url)
        clock = ManualClock(oslo(2026, 6, 5, 8))
        run_pass(make_engine(db, old, clock))
        (waiting,) = [r for r in rows(db) if r.recipient == "nils"]
        assert (waiting.status, waiting.attempts) == ("retry", 0)
        assert "unknown-owner|nils" in waiting.last_error
        clock.set(oslo(2026, 6, 5, 9))
        run_pass(make_engine(db, proj.config(), clock))
        assert to(server, "nils@example.no") == 1
    assert {r.recipient: r.status for r in rows(db)} == {"ola": "sent", "nils": "sent"}
    db.dispose()


def test_a_waiting_reminder_goes_out_in_the_first_pass_after_the_config_names_its_owner(
        tmp_path: Path, db_url: str) -> None:
    """Not after its backoff: the coordinator added Nils and expects his reminder now."""
    with smtp_server() as server:
        proj = project(tmp_path, db_url, server.port)
        old = proj.config()
        add_nils(proj)
        db = open_database(db_url)
        clock = ManualClock(oslo(2026, 6, 5, 8))
        engine = make_engine(db, old, clock)
        run_pass(engine)
        assert to(server, "nils@example.no") == 0
        clock.set(oslo(2026, 6, 5, 8) + dt.timedelta(seconds=1))  # far inside the backoff
        run_pass(engine)
        assert to(server, "nils@example.no") == 0  # the old config still does not know him
        engine.use_config(proj.config())
        run_pass(engine)
        assert to(server, "nils@example.no") == 1
    assert {r.recipient: r.status for r in rows(db)} == {"ola": "sent", "nils": "sent"}
    db.dispose()
