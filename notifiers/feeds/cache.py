"""Built feeds kept in memory until the data they came from changes.

The database is asked (the token, and a summary of the data in three index lookups) at most
once a `recheck` interval; the feed itself is rebuilt only when that summary, the date, or
(after `MAX_AGE`, as a safety net) the clock says so, and a rebuild renders again only the
events whose content changed.
"""

from __future__ import annotations

import datetime as dt
import gzip
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import format_datetime
from functools import cached_property
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from notifiers.calendar.feed import ComponentKind, EventCache, Feed, Scope, build_feed
from notifiers.feeds.tokens import lookup, scope_of, token_hash
from timelines.base.i18n import LANGS, format_date, translations
from timelines.base.workdays import calendar_for
from timelines.config import Config
from timelines.db import read_engine
from timelines.model import DataVersion, Task, Timeline

MAX_AGE = 300.0  # seconds a cached feed is trusted without a rebuild
NOBODY = "@nobody"  # no owner key can be this (they start with a-z0-9): a feed of nothing
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
    changed: dt.datetime | None = None  # when the set of events last changed, if later

    @classmethod
    def made(cls, feed: Feed, stamp: tuple[Any, ...], previous: Entry | None,
             now: dt.datetime) -> Entry:
        """An entry whose Last-Modified moves whenever the content does: a task that left
        the feed leaves no event to date the change by, so the latest change of any task or
        timeline counts, and a rebuild that differs from the last one is dated now."""
        latest = [feed.last_modified, *(v for v in stamp if isinstance(v, dt.datetime))]
        if previous is not None:
            latest.append(now if previous.etag != feed.etag else previous.modified)
        return cls(feed, stamp, changed=max(utc_aware(v) for v in latest))

    @property
    def modified(self) -> dt.datetime:
        return self.changed or self.feed.last_modified

    @property
    def etag(self) -> str:
        return self.feed.etag

    @cached_property
    def last_modified(self) -> str:
        return format_datetime(utc_aware(self.modified).replace(microsecond=0), usegmt=True)

    def gzipped(self) -> bytes:
        # mtime=0 keeps the compressed bytes as stable as the feed itself
        if self._gzip is None:
            self._gzip = gzip.compress(self.feed.body, compresslevel=6, mtime=0)
        return self._gzip


def utc_aware(moment: dt.datetime) -> dt.datetime:
    """In UTC. Stamps from the database may come back naive (SQLite aggregates): UTC too."""
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def data_stamp(session: Session, today: dt.date) -> tuple[Any, ...]:
    """A summary that changes whenever anything writes a task, a timeline, an owner or a
    role (`data_version`, counted by the database's triggers), with the latest change of a
    task and of a timeline (for Last-Modified): three index lookups, whatever the size."""
    version = session.exec(select(DataVersion.version)).first()
    latest_task = session.exec(select(func.max(Task.changed_at))).one()
    latest_timeline = session.exec(select(func.max(Timeline.changed_at))).one()
    return (version, latest_task, latest_timeline, today)


class FeedCache:
    """Token → feed, for the HTTP server. Thread-safe enough: a race builds a feed twice.

    What the database said (a token's scope or revocation, the data stamp) is trusted for
    `recheck` seconds, so a busy feed is answered from memory without a thread or a query;
    a moved date or a revoked token shows within that time. Unknown tokens are never cached.
    """

    def __init__(self, config: Config, engine: Engine, clock: Clock = utc_now,
                 recheck: float = 1.0) -> None:
        self.config = config
        self.engine = read_engine(engine)
        self.clock = clock
        self.recheck = recheck
        self._tokens: dict[str, tuple[float, Scope | int]] = {}
        self._stamp: tuple[float, tuple[Any, ...]] = (float("-inf"), ())
        self._entries: dict[tuple[Scope, ComponentKind], Entry] = {}
        self._events = EventCache(config.policy)  # a rebuild renders only changed events

    def _recent(self, checked: float) -> bool:
        return time.monotonic() - checked < self.recheck

    def fresh(self, token: str, kind: ComponentKind) -> Entry | int | None:
        """The answer from memory alone, or None when the database must be asked."""
        known = self._tokens.get(token_hash(token))
        if known is None or not self._recent(known[0]):
            return None
        if isinstance(known[1], int):
            return known[1]
        entry = self._entries.get((known[1], kind))
        if entry is None or not self._recent(self._stamp[0]) or entry.stamp != self._stamp[1]:
            return None
        return entry if time.monotonic() - entry.built < MAX_AGE else None

    def get(self, token: str, kind: ComponentKind) -> Entry | int:
        """The entry for a token, or the status to answer: 404 unknown, 410 revoked."""
        with Session(self.engine) as session:
            row = lookup(session, token)
            if row is None:
                return 404
            status_or_scope = 410 if row.revoked_at is not None else scope_of(row)
            self._tokens[token_hash(token)] = (time.monotonic(), status_or_scope)
            if isinstance(status_or_scope, int):
                return status_or_scope
            return self._entry(session, status_or_scope, kind)

    def _entry(self, session: Session, scope: Scope, kind: ComponentKind) -> Entry:
        now = self.clock()
        stamp = data_stamp(session, now.date())
        self._stamp = (time.monotonic(), stamp)
        entry = self._entries.get((scope, kind))
        if entry and entry.stamp == stamp and time.monotonic() - entry.built < MAX_AGE:
            return entry
        feed = build_feed(session, self.config, scope, now, kind, self._events)
        entry = Entry.made(feed, stamp, entry, now)
        self._entries[(scope, kind)] = entry
        return entry

    def warm(self) -> None:
        """Pay a new process's one-time costs before the server listens, not on its first
        subscriber's request: the policy's holiday tables, each language's date formats, and
        the queries and calendar of a feed (built for nobody). Nothing is cached by it."""
        now = self.clock()
        calendar_for(self.config.policy)
        for lang in LANGS:
            format_date(now.date(), lang)
            translations(lang)  # the language's catalog, loaded once
        try:
            with Session(self.engine) as session:
                lookup(session, NOBODY)
                data_stamp(session, now.date())
                build_feed(session, self.config, Scope(owner=NOBODY), now)
        except DBAPIError:  # the database is down: the first request says so
            return

    def ping(self) -> None:
        with Session(self.engine) as session:
            session.exec(select(func.count()).select_from(Timeline)).one()
