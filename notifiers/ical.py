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
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from icalendar import Calendar, vText
from sqlmodel import Session

from notifiers.ical_alarms import Policies
from notifiers.ical_event import Kind, Style, components, entry, sort_key
from notifiers.ical_select import People, Scope, load_people, select_items
from notifiers.ical_text import duration, text
from notifiers.ical_tz import timezone
from timelines.base.i18n import pick_lang, t
from timelines.config import Config
from timelines.model import Timeline

PRODID = "-//Fristvakt//Fristvakt calendar feeds//EN"
REFRESH = dt.timedelta(hours=1)  # REFRESH-INTERVAL and X-PUBLISHED-TTL
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # Last-Modified of a feed with no tasks
__all__ = ["Feed", "Kind", "Scope", "build_feed"]


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
    return t(lang, "feed.name", scope=" – ".join(p for p in parts if p))


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


def build_feed(session: Session, config: Config, scope: Scope, now: dt.datetime,
               kind: Kind = "event") -> Feed:
    """The feed for one scope as it stands in the database."""
    people = load_people(session)
    timeline = session.get(Timeline, scope.timeline) if scope.timeline else None
    lang = feed_lang(config, scope, people, timeline)
    zone = feed_zone(config, scope, people)
    items = select_items(session, scope, people, now, config.feeds.cancelled_days)
    style = Style(lang, config.feeds.domain, config.feeds.style == "span",
                  now.astimezone(ZoneInfo(zone)).date())
    policies = Policies(config.policy)
    entries = [entry(item, people, policies) for item in items]
    entries.sort(key=lambda one: sort_key(one, style.span))
    cal = calendar(feed_name(scope, people, timeline, lang), zone)
    cal.subcomponents.extend(part for one in entries for part in components(one, style, kind))
    changed = max((item.task.changed_at for item in items), default=EPOCH)
    return Feed(cal.to_ical(sorted=False), changed.replace(microsecond=0))
