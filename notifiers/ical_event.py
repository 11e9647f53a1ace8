"""One task as a VEVENT (or VTODO): dates, texts in the reader's language, alarms last.

Feeds and the .ics attachment of a reminder mail build their events here, from an `Entry`
(the task as a calendar shows it), so the two cannot disagree. In a feed every value comes
from the task row, never from the clock, so an unchanged task is written byte for byte the
same way: DTSTAMP and LAST-MODIFIED are the task's last change. Properties are set in a
fixed order and written unsorted (`to_ical(sorted=False)`); icalendar writes subcomponents
after the properties, so the VALARMs are always last.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from icalendar import Alarm, Event, Todo, vCategory, vInt, vText

from notifiers.ical_alarms import Policies, triggers
from notifiers.ical_select import Item, People
from notifiers.ical_text import clean, day, duration, text, utc
from timelines.base.i18n import format_date, t
from timelines.config import Policy

ONE_DAY = dt.timedelta(days=1)
Kind = Literal["event", "todo"]
STATUSES = ("planned", "ongoing", "done", "cancelled")
TODO_STATUS = {"planned": "NEEDS-ACTION", "ongoing": "IN-PROCESS", "done": "COMPLETED"}
ACTION, CANCELLED, CONFIRMED = vText("DISPLAY"), vText("CANCELLED"), vText("CONFIRMED")
TRANSPARENT = vText("TRANSPARENT")


@dataclass(frozen=True)
class Style:
    """What is the same for every event of one calendar (a feed or a mail attachment)."""

    lang: str
    domain: str
    span: bool  # feeds.style = "span"
    today: dt.date  # the reader's date: reminders before it are left out


@dataclass(frozen=True)
class Entry:
    """One task as a calendar shows it: owners and participants by the names a reader knows,
    `policy` the reminder policy its alarms follow (None: no alarms), `stamp` its DTSTAMP."""

    timeline_id: str
    key: str
    plan: str
    title: str
    section: str
    when_text: str
    start: dt.date | None
    due: dt.date | None
    approximate: bool
    status: str
    removed: bool
    owners: tuple[str, ...]
    participants: tuple[str, ...]
    notes: str
    date_version: int
    stamp: dt.datetime
    created: dt.datetime | None = None
    policy: Policy | None = None
    sequence: int = 0


def entry(item: Item, people: People, policies: Policies) -> Entry:
    """A feed's task row as an entry: names from the owner and role rows, its merged policy."""
    task, roles = item.task, item.timeline.roles
    return Entry(
        timeline_id=task.timeline_id, key=task.key, plan=item.timeline.title,
        title=task.title, section=task.section, when_text=task.when_text, start=task.start,
        due=task.due, approximate=task.approximate, status=task.status,
        removed=task.removed_at is not None,
        owners=tuple(people.label(k, roles) for k in task.owners),
        participants=tuple(people.label(k, roles) for k in task.participants),
        notes=task.notes, date_version=task.date_version, stamp=task.changed_at,
        created=task.created_at, policy=policies.for_task(item.timeline.policy, task.policy),
        sequence=task.sequence)


def uid(timeline_id: str, task_key: str, domain: str) -> str:
    """Stable per task across builds, feeds and emails (the mail attachment uses the same).

    >>> uid("byregion", "sluttrapport", "fristvakt.example.no")
    'byregion.sluttrapport@fristvakt.example.no'
    """
    return f"{timeline_id}.{task_key}@{domain}"


@lru_cache(maxsize=4096)
def day_text(day: dt.date, lang: str) -> str:
    return format_date(day, lang)


def _gone(entry: Entry) -> bool:
    return entry.removed or entry.status == "cancelled"


def event_dates(entry: Entry, span: bool) -> tuple[dt.date, dt.date]:
    """First day and the (exclusive) day after the last: the deadline alone by default, the
    whole span with style "span", the start for tasks that only have one."""
    last = entry.due or entry.start
    first = (entry.start or last) if span else last
    if first is None or last is None:
        raise ValueError(f"task {entry.key!r} has no date to put in a calendar")
    return min(first, last), last + ONE_DAY


def _date_lines(entry: Entry, lang: str) -> list[str]:
    if entry.start and entry.due and entry.start != entry.due:
        start, due = day_text(entry.start, lang), day_text(entry.due, lang)
        return [t(lang, "feed.span", start=start, due=due)]
    if entry.due:
        return [t(lang, "feed.deadline", date=day_text(entry.due, lang))]
    assert entry.start is not None
    return [t(lang, "feed.start", date=day_text(entry.start, lang))]


def description(entry: Entry, lang: str) -> str:
    """Plan, section, dates, the plan's own words, who, status: one fact per line."""
    lines = [t(lang, "feed.plan", plan=entry.plan)]
    if entry.section:
        lines.append(t(lang, "feed.section", section=entry.section))
    lines += _date_lines(entry, lang)
    if entry.when_text:
        lines.append(t(lang, "feed.when", when=entry.when_text))
    if entry.approximate:
        lines.append(t(lang, "feed.approximate"))
    if entry.owners:
        lines.append(t(lang, "feed.owners", names=", ".join(entry.owners)))
    if entry.participants:
        lines.append(t(lang, "feed.participants", names=", ".join(entry.participants)))
    lines.append(_status_line(entry, lang))
    return "\n".join(lines + ([entry.notes] if entry.notes else []))


def _status_line(entry: Entry, lang: str) -> str:
    if entry.removed:
        return t(lang, "feed.removed")
    status = entry.status if entry.status in STATUSES else "planned"
    return t(lang, "feed.status", status=t(lang, f"feed.status_{status}"))


def summary(entry: Entry, lang: str) -> str:
    return t(lang, "feed.done", title=entry.title) if entry.status == "done" else entry.title


def _todo_status(entry: Entry) -> str:
    return "CANCELLED" if _gone(entry) else TODO_STATUS.get(entry.status, "NEEDS-ACTION")


def sort_key(entry: Entry, span: bool) -> tuple[dt.date, str, str]:
    return (event_dates(entry, span)[0], entry.timeline_id, entry.key)


def _common(part: Event | Todo, entry: Entry, style: Style) -> None:
    """UID, stamps, SEQUENCE and texts, in this order for every build."""
    part["UID"] = text(uid(entry.timeline_id, entry.key, style.domain))
    part["DTSTAMP"] = utc(entry.stamp)
    if entry.created is not None:
        part["CREATED"] = utc(entry.created)
        part["LAST-MODIFIED"] = utc(entry.stamp)
    # Moves bump date_version; cancelling, removing and restoring bump `sequence`: the sum
    # only grows, so a client takes every such change as the newer version.
    part["SEQUENCE"] = vInt(entry.date_version + entry.sequence)
    part["SUMMARY"] = text(summary(entry, style.lang))
    part["DESCRIPTION"] = text(description(entry, style.lang))
    if entry.section:
        part["CATEGORIES"] = vCategory([clean(entry.section)])


def _alarms(entry: Entry, style: Style, anchor: dt.date, related: dict[str, str]
            ) -> list[Alarm]:
    """VALARMs; icalendar writes subcomponents after the properties, so they come last."""
    policy = entry.policy
    if policy is None or _gone(entry) or entry.status == "done":
        return []
    target = entry.due or entry.start
    assert target is not None
    offsets = policy.before_due if entry.due else policy.before_start
    key = "feed.alarm_due" if entry.due else "feed.alarm_start"
    words = text(t(style.lang, key, date=day_text(target, style.lang), title=entry.title))
    alarms = []
    for delta in triggers(anchor, target, offsets, policy, style.today):
        alarm = Alarm()
        alarm["ACTION"] = ACTION
        alarm["DESCRIPTION"] = words
        alarm["TRIGGER"] = duration(delta, **related)
        alarms.append(alarm)
    return alarms


def event(entry: Entry, style: Style) -> Event:
    """The task as an all-day VEVENT."""
    first, end = event_dates(entry, style.span)
    part = Event()
    _common(part, entry, style)
    part["DTSTART"] = day(first)
    part["DTEND"] = day(end)
    part["STATUS"] = CANCELLED if _gone(entry) else CONFIRMED
    part["TRANSP"] = TRANSPARENT
    part.subcomponents.extend(_alarms(entry, style, first, {}))
    return part


def todo(entry: Entry, style: Style) -> Todo:
    """The task as a to-do (Thunderbird's task list): DUE on the deadline, alarms from it."""
    part = Todo()
    _common(part, entry, style)
    if entry.start and (not entry.due or entry.start < entry.due):
        part["DTSTART"] = day(entry.start)
    if entry.due:
        part["DUE"] = day(entry.due)
    part["STATUS"] = vText(_todo_status(entry))
    if entry.status == "done":
        part["COMPLETED"] = utc(entry.stamp)
        part["PERCENT-COMPLETE"] = vInt(100)
    anchor = entry.due or entry.start
    assert anchor is not None
    part.subcomponents.extend(_alarms(entry, style, anchor,
                                      {"RELATED": "END"} if entry.due else {}))
    return part


def component(entry: Entry, style: Style, kind: Kind) -> Event | Todo:
    return todo(entry, style) if kind == "todo" else event(entry, style)
