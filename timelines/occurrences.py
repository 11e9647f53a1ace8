"""The occurrences of a recurring task: each one a unit of work with its own dates and status.

A recurring task keeps its first occurrence in `start`/`due`, its RRULE in `recurrence` (due
days), the last day it recurs in `until`, and what the file changed for single occurrences in
`occurrences` ({"2025": {"status": "done"}, "2026": {"due": "2026-03-15"}}). An occurrence is
named by the year of its planned due day, or by that day ("2024-03-31") when the rule has more
than one occurrence a year.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple, Protocol

from timelines.dates.recurrence import due_days, occurrence
from timelines.dates.spans import Found

CLOSED = ("done", "cancelled")
# Who set an occurrence's status, when an owner's "done" answer did rather than the file
# ({"status": "done", "by": "owner"}): `apply` keeps such a status while the file says nothing
# else about that occurrence.
BY, OWNER = "by", "owner"


class Recurs(Protocol):
    """What a recurring task row (or a resolved task) has."""

    @property
    def start(self) -> dt.date | None: ...
    @property
    def due(self) -> dt.date | None: ...
    @property
    def status(self) -> str: ...
    @property
    def recurrence(self) -> str: ...
    @property
    def until(self) -> dt.date | None: ...
    @property
    def occurrences(self) -> dict[str, Any]: ...


class Occurrence(NamedTuple):
    label: str  # "2025", or "2025-03-31" for a rule with several a year
    planned: dt.date  # the due day the rule gives it (RECURRENCE-ID)
    start: dt.date | None
    due: dt.date
    status: str
    moved: bool

    @property
    def dates(self) -> tuple[dt.date | None, dt.date | None]:
        return (self.start, self.due)


def planned_days(task: Recurs) -> list[dt.date]:
    """The due days the rule gives, from the first occurrence to `until`."""
    if not task.recurrence or task.due is None:
        return []
    last = task.until or dt.date(task.due.year + 2, 12, 31)
    return due_days(task.recurrence, task.due, last)


def _labels(days: list[dt.date]) -> list[str]:
    years = [day.year for day in days]
    if len(set(years)) == len(years):
        return [str(year) for year in years]
    return [day.isoformat() for day in days]


def _date(raw: Any) -> dt.date | None:
    if raw is None or isinstance(raw, dt.date):
        return raw
    return dt.date.fromisoformat(str(raw))


def _one(task: Recurs, label: str, day: dt.date) -> Occurrence:
    assert task.due is not None
    shaped = occurrence(Found(task.start, task.due), day)
    override = task.occurrences.get(label) or {}
    due = _date(override.get("due")) or day
    start = _date(override.get("start")) or (
        shaped.start + (due - day) if shaped.start else None)
    status = task.status if task.status in CLOSED else override.get("status") or task.status
    return Occurrence(label, day, start, due, status, due != day or start != shaped.start)


def occurrences_of(task: Recurs) -> list[Occurrence]:
    """Every occurrence of a recurring task, in order; none for a task that does not recur."""
    days = planned_days(task)
    return [_one(task, label, day) for label, day in zip(_labels(days), days, strict=True)]


def occurrence_named(task: Recurs, label: str) -> Occurrence | None:
    return next((o for o in occurrences_of(task) if o.label == label), None)


def overrides_json(specs: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The file's per-occurrence tables as the database keeps them (ISO dates, no Nones)."""
    out: dict[str, dict[str, str]] = {}
    for label, spec in specs.items():
        values = spec.model_dump(exclude_none=True, mode="json")
        if values:
            out[label] = values
    return out


Overrides = dict[str, dict[str, str]]


def answered_done(overrides: Overrides, label: str) -> Overrides:
    """The overrides with one occurrence done by its owner's answer (a new dict, so that the
    JSON column sees the change); a status the file already gave it stays the file's."""
    out = {key: dict(value) for key, value in overrides.items()}
    entry = out.get(label, {})
    mark = {} if entry.get("status") == "done" else {BY: OWNER}
    out[label] = {**entry, "status": "done", **mark}
    return out


def kept_answers(stored: Overrides, from_file: Overrides) -> Overrides:
    """The file's overrides with the owners' "done" answers the database holds: the file
    cannot say what an owner answered, so its silence (or its own "done") keeps an answer; only
    another status in the file overrules it."""
    out = {key: dict(value) for key, value in from_file.items()}
    for label, entry in stored.items():
        own = out.get(label, {})
        if entry.get(BY) == OWNER and own.get("status", "done") == "done":
            out[label] = {**own, "status": "done", BY: OWNER}
    return out


class OccurrenceChange(NamedTuple):
    """What a file edit did to one occurrence: moved, or its status changed."""

    label: str
    old: tuple[dt.date | None, dt.date | None]
    new: tuple[dt.date | None, dt.date | None]
    old_status: str
    new_status: str

    def as_json(self) -> dict[str, object]:
        def iso(d: tuple[dt.date | None, dt.date | None]) -> list[str | None]:
            return [x.isoformat() if x else None for x in d]

        return {"occurrence": self.label, "old": iso(self.old), "new": iso(self.new),
                "old_status": self.old_status, "new_status": self.new_status}


def occurrence_changes(old: Recurs, new: Recurs) -> tuple[OccurrenceChange, ...]:
    """The occurrences both versions of a recurring task have whose dates or status differ
    (a rule that changed moves the whole series: that is the task's own change)."""
    before = {o.label: o for o in occurrences_of(old)}
    out = []
    for occ in occurrences_of(new):
        was = before.get(occ.label)
        if was is not None and (was.dates != occ.dates or was.status != occ.status):
            out.append(OccurrenceChange(occ.label, was.dates, occ.dates, was.status,
                                        occ.status))
    return tuple(out)
