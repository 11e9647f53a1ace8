"""Shared helpers for the reminder engine tests (no tests here).

A test project is written from scratch (not `fristvakt init`, whose example plan is dated
from today's date) with a fixed plan, real owners and the SMTP port of a real aiosmtpd.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine as DbEngine
from sqlmodel import col, select

from scheduler.clock import ManualClock
from scheduler.hooks import after_apply
from scheduler.runner import EngineOptions, PassReport, ReminderEngine
from timelines.config import Config
from timelines.db import open_database, session_scope
from timelines.model import Delivery, Reminder
from timelines.project import load_project
from timelines.resolve import resolve_timeline
from timelines.sync import Change, apply

ROOT = Path(__file__).resolve().parent.parent
OSLO = ZoneInfo("Europe/Oslo")
PEOPLE = {
    "ola": {"name": "Ola Nordmann", "email": "ola@example.no", "lang": "nb",
            "timezone": "Europe/Oslo"},
    "anna": {"name": "Anna Svensson", "email": "anna@example.se", "lang": "sv",
             "timezone": "Europe/Stockholm"},
}


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.time | int | float):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def table(name: str, values: dict[str, Any]) -> str:
    lines = [f"[{name}]"] + [f"{k} = {toml_value(v)}" for k, v in values.items()]
    return "\n".join(lines) + "\n\n"


@dataclass
class TestProject:
    __test__ = False  # a helper, not a test class
    root: Path
    db_url: str
    smtp_port: int = 8025
    policy: dict[str, Any] = field(default_factory=dict)
    people: dict[str, dict[str, str]] = field(default_factory=lambda: dict(PEOPLE))
    roles: dict[str, list[str]] = field(default_factory=lambda: {"radgiver": ["ola"]})
    smtp: dict[str, Any] = field(default_factory=dict)  # more [smtp] keys (username, ...)

    @property
    def config_path(self) -> Path:
        return self.root / "fristvakt.toml"

    def write_config(self, path: Path | None = None, base_url: str | None = None) -> None:
        """fristvakt.toml (or a sibling at `path`, e.g. for a second instance whose feed
        server needs its own port in `base_url`)."""
        text = "\n".join(f"{k} = {toml_value(v)}" for k, v in {
            "timezone": "Europe/Oslo", "lang": "nb", "database_url": self.db_url,
            "timelines": "timelines", "base_url": base_url or "http://127.0.0.1:8080",
        }.items()) + "\n\n"
        text += table("coordinator", {"name": "Kari Koordinator", "email": "kari@example.no",
                                      "lang": "nb"})
        text += table("smtp", {"host": "127.0.0.1", "port": self.smtp_port, "timeout": 5,
                               "sender": "Fristvakt <fristvakt@example.no>", **self.smtp})
        text += table("policy", self.policy)
        for key, person in self.people.items():
            text += table(f"owners.{key}", person)
        for key, members in self.roles.items():
            text += table(f"roles.{key}", {"label": key.title(), "members": members})
        self.root.mkdir(parents=True, exist_ok=True)
        (path or self.config_path).write_text(text, encoding="utf-8")

    def write_timeline(self, tasks: list[dict[str, Any]], tl_id: str = "plan",
                       header: dict[str, Any] | None = None) -> None:
        head = {"id": tl_id, "title": "Handlingsplan 2026", "lang": "nb", "ref_year": 2026,
                "owners": ["radgiver"], **(header or {})}
        text = table("timeline", head)
        for task in tasks:
            text += table("[task]", task)
        folder = self.root / "timelines"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{tl_id}.toml").write_text(text, encoding="utf-8")

    def config(self) -> Config:
        return load_project(self.config_path).config

    def apply(self, now: dt.datetime) -> list[Change]:
        """`fristvakt apply` in-process: tasks and ledger rows in one transaction."""
        project = load_project(self.config_path)
        db = open_database(self.db_url)
        try:
            with session_scope(db) as session:
                changes = apply(session, project.config,
                                [resolve_timeline(t) for t in project.timelines], now)
                after_apply(session, project.config, changes, now)
            return changes
        finally:
            db.dispose()


def numbered_tasks(prefix: str, count: int, shift: int = 0) -> list[dict[str, Any]]:
    """`count` tasks of ola, `{prefix}0`…, due a day apart from 1 September 2026 (+ `shift`)."""
    return [{"id": f"{prefix}{n}", "title": f"Oppgåve {prefix}{n}",
             "due": dt.date(2026, 9, 1) + dt.timedelta(days=n + shift), "owners": ["ola"]}
            for n in range(count)]


def due_project(root: Path, db_url: str, port: int, count: int,
                smtp: dict[str, Any] | None = None) -> TestProject:
    """`count` tasks of one owner (t0, t1, ...), applied, each with one reminder due on
    Friday 5 June 2026 (three days before Wednesday 10 June is a Sunday); `smtp`: more
    [smtp] keys."""
    proj = TestProject(root, db_url, port, policy={"before_due": ["3d"], "overdue_max": 0},
                       smtp=smtp or {})
    proj.write_config()
    proj.write_timeline([{"id": f"t{n}", "title": f"Oppgåve {n}", "due": dt.date(2026, 6, 10),
                          "owners": ["ola"]} for n in range(count)])
    proj.apply(oslo(2026, 6, 1, 12))
    return proj


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=OSLO)


def make_engine(db: DbEngine, config: Config, clock: ManualClock, **options: Any) -> ReminderEngine:
    opts = EngineOptions(worker=options.pop("worker", "test-worker"), **options)
    return ReminderEngine(db, config, clock, options=opts)


def run_pass(engine: ReminderEngine) -> PassReport:
    return asyncio.run(engine.run_pass())


def rows(db: DbEngine) -> list[Reminder]:
    with session_scope(db) as session:
        return list(session.exec(select(Reminder).order_by(col(Reminder.id))).all())


def deliveries(db: DbEngine) -> list[Delivery]:
    with session_scope(db) as session:
        return list(session.exec(select(Delivery).order_by(col(Delivery.id))).all())


def keys_received(messages: list[Any]) -> Counter[str]:
    return Counter(str(m.parsed()["X-Fristvakt-Key"]) for m in messages)


def cli(project: TestProject, *args: str, env: dict[str, str] | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real `fristvakt` command in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "scheduler", "-c", str(project.config_path), *args],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT,
        env={**os.environ, **(env or {})})


FAULTS = Path(__file__).resolve().parent / "faults"


def fault_env(point: str, action: str = "kill") -> dict[str, str]:
    """The environment of a child that kills or freezes itself at `point` (tests/faults)."""
    path = os.pathsep.join(p for p in (str(FAULTS), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path, "FRISTVAKT_TEST_FAULT": f"{point}:{action}"}


def spawn(project: TestProject, *args: str, env: dict[str, str] | None = None,
          config: Path | None = None) -> subprocess.Popen[str]:
    """A long-running `fristvakt` process; its output goes to files (a full pipe nobody
    reads would block it)."""
    n = len(list(project.root.glob("out-*.log")))
    out = (project.root / f"out-{n}.log").open("w")
    err = (project.root / f"err-{n}.log").open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "scheduler", "-c", str(config or project.config_path), *args],
        stdout=out, stderr=err, text=True, cwd=ROOT, env={**os.environ, **(env or {})})
