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
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from icalendar import Alarm, Event, Todo, vCategory, vDDDLists, vInt, vRecur, vText

from notifiers.calendar.alarms import Policies, triggers
from notifiers.calendar.select import Item, People
from notifiers.calendar.values import clean, day, duration, text, utc
from timelines.base.i18n import _, _p, format_date, named, translate
from timelines.base.status import PROGRESS_WORDS, STATUS_WORDS, status_word
from timelines.config import Policy
from timelines.occurrences import Occurrence, occurrences_of

ONE_DAY = dt.timedelta(days=1)
ComponentKind = Literal["event", "todo"]
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
    latest_status: tuple[tuple[str, str], ...] = ()  # the owners' latest status answer
    recurrence: str = ""  # a recurring task: one series (RRULE of due days) up to `until`
    until: dt.date | None = None
    occurrences: tuple[Occurrence, ...] = ()
    occurrence: str = ""  # set on the entry of one occurrence (its label)


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
        sequence=task.sequence, latest_status=tuple(sorted(task.latest_status.items())),
        recurrence=task.recurrence, until=task.until,
        occurrences=tuple(occurrences_of(task)))


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
        return [_(lang, "Period: {start} – {due}", start=start, due=due)]
    if entry.due:
        return [_(lang, "Deadline: {date}", date=day_text(entry.due, lang))]
    assert entry.start is not None
    return [_(lang, "Starts: {date}", date=day_text(entry.start, lang))]


def description(entry: Entry, lang: str) -> str:
    """Plan, section, dates, the plan's own words, who, status: one fact per line."""
    lines = [_(lang, "Plan: {plan}", plan=entry.plan)]
    if entry.section:
        lines.append(_(lang, "Section: {section}", section=entry.section))
    lines += _date_lines(entry, lang)
    if entry.when_text:
        lines.append(_(lang, "In the plan: “{when}”", when=entry.when_text))
    if entry.approximate:
        lines.append(_(lang, "The date is approximate."))
    if entry.owners:
        lines.append(_(lang, "Responsible: {names}", names=", ".join(entry.owners)))
    if entry.participants:
        lines.append(_(lang, "Participants: {names}", names=", ".join(entry.participants)))
    lines.append(_status_line(entry, lang))
    lines += _answer_lines(dict(entry.latest_status), lang)
    return "\n".join(lines + ([entry.notes] if entry.notes else []))


def _answer_lines(latest: dict[str, str], lang: str) -> list[str]:
    """The owners' latest status and note, as the report shows them."""
    if latest.get("status") not in PROGRESS_WORDS:
        return []
    said = _(lang, "Latest status from the owner ({date}): {status}",
             status=translate(lang, PROGRESS_WORDS[latest["status"]]),
             date=format_date(dt.date.fromisoformat(latest["on"]), lang))
    return [said, *([latest["note"]] if latest.get("note") else [])]


def _status_line(entry: Entry, lang: str) -> str:
    if entry.removed:
        return _(lang, "Removed from the plan.")
    status = entry.status if entry.status in STATUS_WORDS else "planned"
    return _(lang, "Status: {status}", status=status_word(status, lang))


def summary(entry: Entry, lang: str) -> str:
    title = named(entry.title, entry.occurrence, lang)
    return _(lang, "✓ {title}", title=title) if entry.status == "done" else title


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
    when, lang = day_text(target, style.lang), style.lang
    words = text(_p(lang, "calendar alarm", "Deadline {date}: {title}", date=when,
                    title=entry.title) if entry.due else
                 _p(lang, "calendar alarm", "Starts {date}: {title}", date=when, title=entry.title))
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


def component(entry: Entry, style: Style, kind: ComponentKind) -> Event | Todo:
    return todo(entry, style) if kind == "todo" else event(entry, style)


def components(entry: Entry, style: Style, kind: ComponentKind) -> list[Event | Todo]:
    """A task's calendar components: one, or for a recurring task its series."""
    if not entry.recurrence or not entry.occurrences:
        return [component(entry, style, kind)]
    if kind == "todo":  # a to-do list shows what is to be done: each open occurrence
        return [todo(replace(one, key=f"{entry.key}.{one.occurrence}"), style)
                for one in occurrence_entries(entry) if one.status not in ("done", "cancelled")]
    return series(entry, style)


def occurrence_entries(entry: Entry) -> list[Entry]:
    """Each occurrence as an entry of its own (its dates, status and name)."""
    return [replace(entry, start=occ.start, due=occ.due, status=occ.status,
                    occurrence=occ.label, recurrence="", occurrences=())
            for occ in entry.occurrences]


def _rule(entry: Entry) -> vRecur:
    rule = vRecur.from_ical(entry.recurrence)
    last = entry.occurrences[-1].planned
    rule["UNTIL"] = [max(last, entry.until or last)]
    return rule


def series(entry: Entry, style: Style) -> list[Event | Todo]:
    """One recurring VEVENT on the due days: RRULE up to UNTIL, EXDATE for cancelled
    occurrences, and an override (RECURRENCE-ID) for each occurrence that is not as the rule
    has it: moved, or done. Every instance is the deadline day alone (feeds.style "span"
    would need a start the rule does not give)."""
    first = entry.occurrences[0]
    # Alarms count from each instance; none is left out for a day past (the first may be).
    master = event(replace(entry, start=None, due=first.planned),
                   replace(style, span=False, today=dt.date.min))
    master["RRULE"] = _rule(entry)
    cancelled = [occ.planned for occ in entry.occurrences if occ.status == "cancelled"]
    if cancelled and not _gone(entry):
        excluded = vDDDLists(cancelled)
        excluded.params["VALUE"] = "DATE"  # all-day instances: RFC 5545 3.8.5.1
        master["EXDATE"] = excluded
    if _gone(entry):
        return [master]
    return [master, *(_override(one, occ, style) for one, occ in zip(
        occurrence_entries(entry), entry.occurrences, strict=True) if _differs(occ))]


def _differs(occ: Occurrence) -> bool:
    return occ.moved or occ.status == "done"


def _override(one: Entry, occ: Occurrence, style: Style) -> Event:
    part = event(replace(one, start=None), replace(style, span=False))
    part["RECURRENCE-ID"] = day(occ.planned)
    return part
