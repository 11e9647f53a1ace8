"""One task as a VEVENT (or VTODO): dates, texts in the feed's language, alarms last.

Every value comes from the task row, never from the clock, so an unchanged task is written
byte for byte the same way: DTSTAMP and LAST-MODIFIED are the task's last change. Properties
are set in a fixed order and written unsorted (`to_ical(sorted=False)`); icalendar writes
subcomponents after the properties, so the VALARMs are always last.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from icalendar import Alarm, Event, Todo, vCategory, vInt, vText

from notifiers.i18n import format_date, t
from notifiers.ical_alarms import Policies, triggers
from notifiers.ical_select import Item, People
from notifiers.ical_text import clean, day, duration, text, utc

ONE_DAY = dt.timedelta(days=1)
Kind = Literal["event", "todo"]
STATUSES = ("planned", "ongoing", "done", "cancelled")
TODO_STATUS = {"planned": "NEEDS-ACTION", "ongoing": "IN-PROCESS", "done": "COMPLETED"}
ACTION, CANCELLED, CONFIRMED = vText("DISPLAY"), vText("CANCELLED"), vText("CONFIRMED")
TRANSPARENT = vText("TRANSPARENT")


@dataclass(frozen=True)
class Style:
    """What is the same for every event of one feed."""

    lang: str
    domain: str
    span: bool  # feeds.style = "span"
    today: dt.date  # the reader's date: reminders before it are left out
    people: People
    policies: Policies


def uid(timeline_id: str, task_key: str, domain: str) -> str:
    """Stable per task across builds, feeds and emails (the mail attachment uses the same).

    >>> uid("byregion", "sluttrapport", "fristvakt.example.no")
    'byregion.sluttrapport@fristvakt.example.no'
    """
    return f"{timeline_id}.{task_key}@{domain}"


@lru_cache(maxsize=4096)
def day_text(day: dt.date, lang: str) -> str:
    return format_date(day, lang)


def _gone(item: Item) -> bool:
    return item.task.removed_at is not None or item.task.status == "cancelled"


def event_dates(item: Item, span: bool) -> tuple[dt.date, dt.date]:
    """First day and the (exclusive) day after the last: the deadline alone by default, the
    whole span with style "span", the start for tasks that only have one."""
    task = item.task
    last = task.due or task.start
    first = (task.start or last) if span else last
    assert first is not None and last is not None  # select_items keeps dated tasks only
    return min(first, last), last + ONE_DAY


def _names(keys: list[str], item: Item, people: People) -> str:
    return ", ".join(people.label(k, item.timeline.roles) for k in keys)


def _date_lines(item: Item, lang: str) -> list[str]:
    task = item.task
    if task.start and task.due and task.start != task.due:
        start, due = day_text(task.start, lang), day_text(task.due, lang)
        return [t(lang, "feed.span", start=start, due=due)]
    if task.due:
        return [t(lang, "feed.deadline", date=day_text(task.due, lang))]
    assert task.start is not None
    return [t(lang, "feed.start", date=day_text(task.start, lang))]


def description(item: Item, style: Style) -> str:
    """Plan, section, dates, the plan's own words, who, status: one fact per line."""
    task, lang = item.task, style.lang
    lines = [t(lang, "feed.plan", plan=item.timeline.title)]
    if task.section:
        lines.append(t(lang, "feed.section", section=task.section))
    lines += _date_lines(item, lang)
    if task.when_text:
        lines.append(t(lang, "feed.when", when=task.when_text))
    if task.approximate:
        lines.append(t(lang, "feed.approximate"))
    if task.owners:
        lines.append(t(lang, "feed.owners", names=_names(task.owners, item, style.people)))
    if task.participants:
        names = _names(task.participants, item, style.people)
        lines.append(t(lang, "feed.participants", names=names))
    lines.append(_status_line(item, lang))
    return "\n".join(lines + ([task.notes] if task.notes else []))


def _status_line(item: Item, lang: str) -> str:
    if item.task.removed_at is not None:
        return t(lang, "feed.removed")
    status = item.task.status if item.task.status in STATUSES else "planned"
    return t(lang, "feed.status", status=t(lang, f"feed.status_{status}"))


def summary(item: Item, lang: str) -> str:
    title = item.task.title
    return t(lang, "feed.done", title=title) if item.task.status == "done" else title


def _todo_status(item: Item) -> str:
    return "CANCELLED" if _gone(item) else TODO_STATUS.get(item.task.status, "NEEDS-ACTION")


def sort_key(item: Item, span: bool) -> tuple[dt.date, str, str]:
    return (event_dates(item, span)[0], item.task.timeline_id, item.task.key)

def _common(part: Event | Todo, item: Item, style: Style) -> None:
    """UID, stamps, SEQUENCE and texts, in this order for every build."""
    task = item.task
    changed = utc(task.changed_at)
    part["UID"] = text(uid(task.timeline_id, task.key, style.domain))
    part["DTSTAMP"] = changed
    part["CREATED"] = utc(task.created_at)
    part["LAST-MODIFIED"] = changed
    # Moves bump date_version; cancelling, removing and restoring bump `sequence`: the sum
    # only grows, so a client takes every such change as the newer version.
    part["SEQUENCE"] = vInt(task.date_version + task.sequence)
    part["SUMMARY"] = text(summary(item, style.lang))
    part["DESCRIPTION"] = text(description(item, style))
    if task.section:
        part["CATEGORIES"] = vCategory([clean(task.section)])


def _alarms(item: Item, style: Style, anchor: dt.date, related: dict[str, str]
                 ) -> list[Alarm]:
    """VALARMs; icalendar writes subcomponents after the properties, so they come last."""
    task = item.task
    if _gone(item) or task.status == "done":
        return []
    policy = style.policies.for_task(item.timeline.policy, task.policy)
    target = task.due or task.start
    assert target is not None
    offsets = policy.before_due if task.due else policy.before_start
    key = "feed.alarm_due" if task.due else "feed.alarm_start"
    words = text(t(style.lang, key, date=day_text(target, style.lang), title=task.title))
    alarms = []
    for delta in triggers(anchor, target, offsets, policy, style.today):
        alarm = Alarm()
        alarm["ACTION"] = ACTION
        alarm["DESCRIPTION"] = words
        alarm["TRIGGER"] = duration(delta, **related)
        alarms.append(alarm)
    return alarms


def event(item: Item, style: Style) -> Event:
    """The task as an all-day VEVENT."""
    first, end = event_dates(item, style.span)
    part = Event()
    _common(part, item, style)
    part["DTSTART"] = day(first)
    part["DTEND"] = day(end)
    part["STATUS"] = CANCELLED if _gone(item) else CONFIRMED
    part["TRANSP"] = TRANSPARENT
    part.subcomponents.extend(_alarms(item, style, first, {}))
    return part


def todo(item: Item, style: Style) -> Todo:
    """The task as a to-do (Thunderbird's task list): DUE on the deadline, alarms from it."""
    task = item.task
    part = Todo()
    _common(part, item, style)
    if task.start and (not task.due or task.start < task.due):
        part["DTSTART"] = day(task.start)
    if task.due:
        part["DUE"] = day(task.due)
    part["STATUS"] = vText(_todo_status(item))
    if task.status == "done":
        part["COMPLETED"] = utc(task.changed_at)
        part["PERCENT-COMPLETE"] = vInt(100)
    anchor = task.due or task.start
    assert anchor is not None
    part.subcomponents.extend(_alarms(item, style, anchor,
                                           {"RELATED": "END"} if task.due else {}))
    return part


def component(item: Item, style: Style, kind: Kind) -> Event | Todo:
    return todo(item, style) if kind == "todo" else event(item, style)
