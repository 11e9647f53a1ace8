"""Built feeds kept in memory until the data they came from changes.

A request costs two indexed queries (the token, and a one-row summary of the task and timeline
tables); the feed itself is rebuilt only when that summary, the reader's date, or (after
`MAX_AGE`, for owner and role edits that leave tasks alone) the clock says so.
"""

from __future__ import annotations

import datetime as dt
import gzip
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import format_datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine, select

from notifiers.ical import Feed, Kind, Scope, build_feed
from notifiers.tokens import lookup, scope_of
from timelines.config import Config
from timelines.model import Task, Timeline

MAX_AGE = 300.0  # seconds a cached feed is trusted without a rebuild
Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Entry:
    """One built feed with its headers, and the gzip form once someone asks for it."""

    feed: Feed
    stamp: tuple[Any, ...]
    built: float = field(default_factory=time.monotonic)
    _gzip: bytes | None = None

    @property
    def etag(self) -> str:
        return self.feed.etag

    @property
    def last_modified(self) -> str:
        return format_datetime(self.feed.last_modified, usegmt=True)

    def gzipped(self) -> bytes:
        # mtime=0 keeps the compressed bytes as stable as the feed itself
        if self._gzip is None:
            self._gzip = gzip.compress(self.feed.body, compresslevel=6, mtime=0)
        return self._gzip


def read_engine(engine: Engine) -> Engine:
    """An engine for reading. On SQLite the shared engine opens every transaction with
    BEGIN IMMEDIATE (the write lock), so feed requests get their own plain one: reads then
    never wait for the scheduler (WAL mode, set by the shared engine, stays on the file)."""
    if engine.dialect.name != "sqlite":
        return engine
    url = engine.url.render_as_string(hide_password=False)
    return create_engine(url, connect_args={"timeout": 30})


def data_stamp(session: Session, today: dt.date) -> tuple[Any, ...]:
    """A summary that changes whenever `apply` writes a task or a timeline."""
    tasks = session.exec(select(func.count(), func.max(Task.changed_at),
                                func.coalesce(func.sum(Task.date_version), 0))).one()
    lines = session.exec(select(func.count(), func.max(Timeline.changed_at))).one()
    return (*tasks, *lines, today)


class FeedCache:
    """Token → feed, for the HTTP server. Thread-safe enough: a race builds a feed twice."""

    def __init__(self, config: Config, engine: Engine, clock: Clock = utc_now) -> None:
        self.config = config
        self.engine = read_engine(engine)
        self.clock = clock
        self._entries: dict[tuple[Scope, Kind], Entry] = {}

    def get(self, token: str, kind: Kind) -> Entry | int:
        """The entry for a token, or the status to answer: 404 unknown, 410 revoked."""
        with Session(self.engine) as session:
            row = lookup(session, token)
            if row is None:
                return 404
            if row.revoked_at is not None:
                return 410
            return self._entry(session, scope_of(row), kind)

    def _entry(self, session: Session, scope: Scope, kind: Kind) -> Entry:
        now = self.clock()
        stamp = data_stamp(session, now.date())
        entry = self._entries.get((scope, kind))
        if entry and entry.stamp == stamp and time.monotonic() - entry.built < MAX_AGE:
            return entry
        entry = Entry(build_feed(session, self.config, scope, now, kind), stamp)
        self._entries[(scope, kind)] = entry
        return entry

    def ping(self) -> None:
        with Session(self.engine) as session:
            session.exec(select(func.count()).select_from(Timeline)).one()
