"""A reminder pass asks for an owner's feed link once per pass, not once per message."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from smtp_server import SmtpServer
from sqlalchemy import event
from sqlalchemy.engine import Engine as DbEngine
from test_engine_support import TestProject, due_project, oslo, run_pass
from test_feed_http import SECRET

from notifiers.base import Notice
from notifiers.calendar.feed import Scope
from notifiers.email.ahead import RenderPool
from notifiers.email.headers import message_id
from notifiers.email.render import RenderedMail
from notifiers.feeds import tokens
from scheduler import runner
from scheduler.clock import ManualClock
from scheduler.runner import EngineOptions, ReminderEngine
from timelines.db import open_database, session_scope

TASKS = 6


@contextmanager
def token_queries() -> Iterator[list[str]]:
    """Every read of the feedtoken table, on any engine (the link reader has its own)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "FROM feedtoken" in statement:
            seen.append(statement)

    event.listen(DbEngine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(DbEngine, "before_cursor_execute", record)


def _due_project(tmp_path: Path, db_url: str, port: int) -> TestProject:
    return due_project(tmp_path / "proj", db_url, port, TASKS)


def _due_pass(tmp_path: Path, db_url: str, port: int, env: dict[str, str]) -> int:
    """TASKS reminders to one owner sent in one pass (due Wednesday 10 June: 3 days before
    is a Sunday, moved to Friday 5 June); the reads of feedtoken it made."""
    proj = _due_project(tmp_path, db_url, port)
    db = open_database(db_url)
    try:
        config = proj.config()
        with session_scope(db) as session:
            tokens.create(session, config, Scope(owner="ola"), oslo(2026, 6, 1, 12), env=env)
        engine = ReminderEngine(db, config, ManualClock(oslo(2026, 6, 5, 8)),
                        options=EngineOptions(worker="w", batch=2),
                        feed_url=tokens.feed_url_function(config, db, env=env))
        with token_queries() as seen:
            report = run_pass(engine)
        assert [o.status for o in report.outcomes] == ["sent"] * TASKS
        return len(seen)
    finally:
        db.dispose()


def test_one_link_lookup_per_owner_per_pass(tmp_path: Path, db_url: str,
                                            smtp: SmtpServer) -> None:
    queries = _due_pass(tmp_path, db_url, smtp.port, SECRET)
    assert queries == 1  # six messages to ola in three batches: one lookup
    assert len(smtp.messages) == TASKS
    assert all("/feeds/" in str(m.parsed()) for m in smtp.messages)


def test_no_link_lookup_without_a_feed_secret(tmp_path: Path, db_url: str,
                                              smtp: SmtpServer) -> None:
    queries = _due_pass(tmp_path, db_url, smtp.port, {})
    assert queries == 0  # no link can be shown again: none is looked up
    assert len(smtp.messages) == TASKS
    assert not any("/feeds/" in str(m.parsed()) for m in smtp.messages)


@contextmanager
def commits() -> Iterator[list[int]]:
    """Every commit on any engine."""
    seen: list[int] = []

    def record(_conn: Any) -> None:
        seen.append(1)

    event.listen(DbEngine, "commit", record)
    try:
        yield seen
    finally:
        event.remove(DbEngine, "commit", record)


def test_a_message_costs_one_transaction_after_its_claim(tmp_path: Path, db_url: str,
                                                        smtp: SmtpServer) -> None:
    """Each message's mark goes with the next message's check: one short transaction per
    message (and one per claim, and the last mark of each claim), not two."""
    proj = _due_project(tmp_path, db_url, smtp.port)
    db = open_database(db_url)
    try:
        engine = ReminderEngine(db, proj.config(), ManualClock(oslo(2026, 6, 5, 8)),
                                options=EngineOptions(worker="w", batch=3))
        with commits() as seen:
            report = run_pass(engine)
        assert [o.status for o in report.outcomes] == ["sent"] * TASKS
        claims = TASKS // 3 + 1  # the last one finds nothing
        assert len(seen) <= TASKS + 2 * claims  # two per message before
        assert len(smtp.messages) == TASKS
    finally:
        db.dispose()


def test_a_large_batch_is_made_in_a_worker_and_sent_as_it_would_be_here(
        tmp_path: Path, db_url: str, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of at least RENDER_AHEAD_FROM messages are rendered by a worker process: the
    pass sends the same messages (subjects, Message-IDs, calendars), and stops the worker."""
    monkeypatch.setattr(runner, "RENDER_AHEAD_FROM", 3)
    made: list[str] = []
    original = RenderPool.render_all

    def counted(pool: RenderPool, notices: Sequence[Notice],
                now: dt.datetime) -> list[asyncio.Future[RenderedMail]]:
        made.extend(notice.idem_key for notice in notices)
        return original(pool, notices, now)

    monkeypatch.setattr(RenderPool, "render_all", counted)
    proj = _due_project(tmp_path, db_url, smtp.port)
    db = open_database(db_url)
    try:
        config, clock = proj.config(), ManualClock(oslo(2026, 6, 5, 8))
        engine = ReminderEngine(db, config, clock, options=EngineOptions(worker="w", batch=4))
        report = run_pass(engine)
        assert [o.status for o in report.outcomes] == ["sent"] * TASKS
        assert made == [o.idem_key for o in report.outcomes][:4]  # the batch of 2: made here
        assert engine._pool is None  # stopped with the pass
        domain = config.smtp.sender.rpartition("@")[2].rstrip(">")
        installation = engine.installation
        sent = [m.parsed() for m in smtp.messages]
        assert [m["X-Fristvakt-Key"] for m in sent] == [o.idem_key for o in report.outcomes]
        for message, outcome in zip(sent, report.outcomes, strict=True):
            assert message["Message-ID"] == message_id(outcome.idem_key, domain, installation)
            assert message["Subject"].endswith(f": {outcome.title}")
            assert "text/calendar" in [part.get_content_type() for part in message.walk()]
    finally:
        db.dispose()

