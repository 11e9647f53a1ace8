"""`feeds export` renders each task's event once for all the feeds that show it, writes only
the feeds that changed, and holds no write lock while it works."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from pathlib import Path

import pytest
from smtp_server import SmtpServer, smtp_server
from test_engine_support import TestProject, cli, fault_env, spawn

from notifiers.calendar.feed import Scope, build_feed, build_feeds
from timelines.config import load_config
from timelines.db import open_database, read_session

NOW = "2026-09-01T09:00"


@pytest.fixture
def smtp() -> SmtpServer:  # type: ignore[misc]
    with smtp_server() as server:
        yield server


def project(tmp_path: Path, db_url: str, port: int = 8025) -> TestProject:
    proj = TestProject(tmp_path / "p", db_url, port, policy={"before_due": ["3d"]},
                       roles={"radgiver": ["ola"], "leiar": ["anna"]})
    proj.write_config()
    proj.write_timeline([
        {"id": f"t{n}", "title": f"Oppgåve {n}", "due": dt.date(2026, 9, 3 + n % 20),
         "owners": [("ola", "anna", "radgiver", "leiar")[n % 4]],
         "participants": ["anna"] if n % 3 == 0 else []} for n in range(40)])
    proj.write_timeline([{"id": "x", "title": "Anna si", "due": dt.date(2026, 9, 4),
                          "owners": ["anna"]}], tl_id="andre")
    assert cli(proj, "apply", "--now", NOW).returncode == 0
    return proj


def test_feeds_built_together_are_the_feeds_built_alone(tmp_path: Path, db_url: str) -> None:
    proj = project(tmp_path, db_url)
    config = load_config(proj.config_path)
    scopes = [Scope(owner="ola"), Scope(owner="anna"), Scope(timeline="plan"),
              Scope(timeline="andre"), Scope(role="leiar"), Scope(owner="anna", role="leiar"),
              Scope(owner="anna", timeline="andre")]
    moment = dt.datetime(2026, 9, 1, 7, tzinfo=dt.UTC)
    db = open_database(db_url)
    try:
        with read_session(db) as session:
            together = dict(build_feeds(session, config, scopes, moment))
            alone = {scope: build_feed(session, config, scope, moment) for scope in scopes}
    finally:
        db.dispose()
    assert together == alone
    assert together[Scope(owner="anna", timeline="andre")].body.count(b"BEGIN:VEVENT") == 1
    assert together[Scope(owner="ola")].body.count(b"BEGIN:VEVENT") == 20  # own + radgiver


def test_export_rewrites_only_changed_feeds(tmp_path: Path, db_url: str) -> None:
    proj = project(tmp_path, db_url)
    out = tmp_path / "out"
    assert cli(proj, "feeds", "export", str(out), "--public", "--now", NOW).returncode == 0
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.ics")}
    assert len(stamps) == 2 + 2 + 2  # owners, timelines, roles
    time.sleep(0.05)
    proj.write_timeline([{"id": "x", "title": "Anna si", "due": dt.date(2026, 9, 8),
                          "owners": ["anna"]}], tl_id="andre")
    assert cli(proj, "apply", "--now", NOW).returncode == 0
    assert cli(proj, "feeds", "export", str(out), "--public", "--now", NOW).returncode == 0
    changed = {p.relative_to(out).as_posix() for p, ns in stamps.items()
               if p.stat().st_mtime_ns != ns}
    assert changed == {"owners/anna.ics", "timelines/andre.ics"}


def _stopped(pid: int) -> bool:
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return state == "T"


def test_run_once_works_while_an_export_is_half_done(tmp_path: Path, db_url: str,
                                                     smtp: SmtpServer) -> None:
    proj = project(tmp_path, db_url, smtp.port)
    out = tmp_path / "out"
    export = spawn(proj, "feeds", "export", str(out), "--public", "--now", NOW,
                   env=fault_env("during_export", "stop"))
    try:
        deadline = time.monotonic() + 60
        while not _stopped(export.pid):  # frozen in the middle of its work
            assert export.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        ran = cli(proj, "run", "--once", "--now", "2026-09-07T09:00", timeout=25)
        assert ran.returncode == 0, ran.stderr
        assert smtp.messages
    finally:
        os.kill(export.pid, signal.SIGCONT)
    assert export.wait(60) == 0
    assert len(list(out.rglob("*.ics"))) == 6
