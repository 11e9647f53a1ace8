"""Calendar feeds built from database rows: per owner, per timeline, per role.

    feed = build_feed(session, config, Scope(owner="anna"), now)
    feed.body           # the .ics bytes; the same rows give the same bytes
    feed.etag           # strong ETag from the content
    feed.last_modified  # the latest change of any task in it

`now` only decides which removed or cancelled tasks are still shown (for
`feeds.cancelled_days`) and which reminder days have passed; nothing in the bytes is the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from zoneinfo import ZoneInfo

from icalendar import Calendar, vText
from sqlmodel import Session

from notifiers.calendar.alarms import Policies
from notifiers.calendar.event import ComponentKind, Entry, Style, components, entry, sort_key
from notifiers.calendar.select import (
    Item,
    People,
    Scope,
    in_scope,
    load_people,
    scope_items,
    shown_items,
)
from notifiers.calendar.tz import timezone
from notifiers.calendar.values import duration, text
from notifiers.calendar.written import CALENDAR_END, ical_bytes
from timelines.base.i18n import _, pick_lang
from timelines.config import Config, Policy
from timelines.model import Timeline

PRODID = "-//Fristvakt//Fristvakt calendar feeds//EN"
REFRESH = dt.timedelta(hours=1)  # REFRESH-INTERVAL and X-PUBLISHED-TTL
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # Last-Modified of a feed with no tasks
__all__ = ["Feed", "ComponentKind", "Scope", "build_feed"]


@dataclass(frozen=True)
class Feed:
    body: bytes
    last_modified: dt.datetime

    @cached_property
    def etag(self) -> str:
        """Strong ETag: the same bytes always get the same tag (hashed once per feed)."""
        return '"' + hashlib.sha256(self.body).hexdigest()[:40] + '"'


def feed_lang(config: Config, scope: Scope, people: People, timeline: Timeline | None) -> str:
    """The owner's language, else the timeline's, else the config's."""
    owner = people.owners.get(scope.owner or "")
    return pick_lang(owner.lang if owner else None, timeline.lang if timeline else None,
                     config.lang)


def feed_zone(config: Config, scope: Scope, people: People) -> str:
    owner = people.owners.get(scope.owner or "")
    return (owner.timezone if owner else None) or config.timezone


def feed_name(scope: Scope, people: People, timeline: Timeline | None, lang: str) -> str:
    """`Fristvakt: Anna Omberg – Byregion`: who and what the feed covers."""
    parts = [
        people.owners[scope.owner].name if scope.owner in people.owners else scope.owner,
        timeline.title if timeline else scope.timeline,
        people.label(scope.role, {}) if scope.role else None,
    ]
    return _(lang, "Fristvakt: {scope}", scope=" – ".join(p for p in parts if p))


def calendar(name: str, zone: str) -> Calendar:
    """Calendar properties, each once and in this order, then the one VTIMEZONE the feed
    names. icalendar 7.3 writes REFRESH-INTERVAL without VALUE=DURATION and X-PUBLISHED-TTL
    from a timedelta as `1:00:00`, so both are given as DURATION values explicitly."""
    cal = Calendar()
    cal["VERSION"] = vText("2.0")
    cal["PRODID"] = vText(PRODID)
    cal["CALSCALE"] = vText("GREGORIAN")
    cal["METHOD"] = vText("PUBLISH")
    cal["NAME"] = text(name)
    cal["X-WR-CALNAME"] = text(name)
    cal["X-WR-TIMEZONE"] = text(zone)
    cal["REFRESH-INTERVAL"] = duration(REFRESH, VALUE="DURATION")
    cal["X-PUBLISHED-TTL"] = duration(REFRESH)
    cal.add_component(timezone(zone))
    return cal


def render(entry: Entry, style: Style, kind: ComponentKind) -> bytes:
    """One task's event (a series: several components) as the feed writes it."""
    return b"".join(ical_bytes(part) for part in components(entry, style, kind))


class EventCache:
    """Rendered events by what they show (the entry, the style, the kind), kept by a feed
    server across builds: a feed rebuilt after one task changed renders that task's event
    again and takes every other event's bytes from here. The least recently used go first
    beyond `size`. Entries must take their policies from `policies` (`Events` does): the
    policy is named by its id, which stays unique while `policies` keeps the object."""

    def __init__(self, policy: Policy, size: int = 20_000) -> None:
        self.policies = Policies(policy)
        self.size = size
        self._bytes: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()  # feeds are built in a server's worker threads

    def __len__(self) -> int:
        return len(self._bytes)

    def render(self, entry: Entry, style: Style, kind: ComponentKind) -> bytes:
        key = (replace(entry, policy=None), id(entry.policy), style, kind)
        with self._lock:
            found = self._bytes.get(key)
            if found is not None:
                self._bytes.move_to_end(key)
                return found
        found = render(entry, style, kind)
        with self._lock:
            self._bytes[key] = found
            if len(self._bytes) > self.size:
                self._bytes.popitem(last=False)
        return found


class Events:
    """Each task's event rendered once and kept as bytes, so a task shown in many feeds (its
    owners', its timeline's, its roles') is rendered once per style, not once per feed; with
    a `cache`, once for as long as it shows the same."""

    def __init__(self, people: People, policies: Policies,
                 cache: EventCache | None = None) -> None:
        self.people, self.cache = people, cache
        self.policies = cache.policies if cache is not None else policies
        self.entries: dict[int, Entry] = {}
        self.rendered: dict[tuple[int, Style, ComponentKind], bytes] = {}

    def entry(self, item: Item) -> Entry:
        pk = item.task.pk
        assert pk is not None
        if pk not in self.entries:
            self.entries[pk] = entry(item, self.people, self.policies)
        return self.entries[pk]

    def bytes_of(self, item: Item, style: Style, kind: ComponentKind) -> bytes:
        key = (item.task.pk or 0, style, kind)
        if key not in self.rendered:
            shown = self.entry(item)
            self.rendered[key] = (render(shown, style, kind) if self.cache is None
                                  else self.cache.render(shown, style, kind))
        return self.rendered[key]


def assemble(session: Session, config: Config, scope: Scope, items: list[Item],
             events: Events, now: dt.datetime, kind: ComponentKind = "event") -> Feed:
    """The feed of `scope` from its items: the calendar's own lines, then each event's
    cached bytes in order (what `Calendar.to_ical` writes for the same components)."""
    people = events.people
    timeline = session.get(Timeline, scope.timeline) if scope.timeline else None
    lang = feed_lang(config, scope, people, timeline)
    zone = feed_zone(config, scope, people)
    style = Style(lang, config.feeds.domain, config.feeds.style == "span",
                  now.astimezone(ZoneInfo(zone)).date())
    items = sorted(items, key=lambda item: sort_key(events.entry(item), style.span))
    head = calendar(feed_name(scope, people, timeline, lang), zone).to_ical(sorted=False)
    body = head.removesuffix(CALENDAR_END) + b"".join(
        events.bytes_of(i, style, kind) for i in items)
    changed = max((item.task.changed_at for item in items), default=EPOCH)
    return Feed(body + CALENDAR_END, changed.replace(microsecond=0))


def build_feed(session: Session, config: Config, scope: Scope, now: dt.datetime,
               kind: ComponentKind = "event", cache: EventCache | None = None) -> Feed:
    """The feed for one scope as it stands in the database: only its own tasks are read
    (`scope_items`); with a `cache`, only events not rendered before are rendered."""
    people, items = scope_items(session, scope, now, config.feeds.cancelled_days)
    events = Events(people, Policies(config.policy), cache)
    return assemble(session, config, scope, items, events, now, kind)


def _filed(items: list[Item], people: People) -> dict[tuple[str, str], list[Item]]:
    """Items by ("owner", key), ("role", key) and ("timeline", id): the candidates of a
    scope, found without a pass over every task."""
    found: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        keys = {*item.task.owners, *item.task.participants}
        owners = {owner for key in keys for owner in people.reached(key)}
        for where in (*(("owner", o) for o in owners), *(("role", k) for k in keys),
                      ("timeline", item.task.timeline_id)):
            found[where].append(item)
    return found


def _candidates(filed: dict[tuple[str, str], list[Item]], scope: Scope) -> list[Item]:
    if scope.owner:
        return filed.get(("owner", scope.owner), [])
    if scope.role:
        return filed.get(("role", scope.role), [])
    return filed.get(("timeline", scope.timeline or ""), [])


def build_feeds(session: Session, config: Config, scopes: Iterable[Scope],
                now: dt.datetime) -> Iterator[tuple[Scope, Feed]]:
    """The feed of each scope, from one read of the tasks: each task is filed under the
    scopes it reaches and its event rendered once (the same bytes as `build_feed`)."""
    people = load_people(session)
    filed = _filed(shown_items(session, now, config.feeds.cancelled_days), people)
    events = Events(people, Policies(config.policy))
    for scope in scopes:
        items = [i for i in _candidates(filed, scope) if in_scope(i, scope, people)]
        yield scope, assemble(session, config, scope, items, events, now)
