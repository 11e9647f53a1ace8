"""A recurring task is one calendar series that icalendar, vobject, ical.js and
recurring-ical-events all expand to the occurrences the engine plans."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import icalendar
import pytest
import recurring_ical_events
import vobject
from dateutil.rrule import rrulestr
from test_engine_support import TestProject, oslo
from test_feed_checks import JS, assert_valid, node
from test_recurring_ledger import write

from notifiers.calendar.feed import Scope, build_feed
from timelines.db import open_database, session_scope
from timelines.model import Task
from timelines.occurrences import occurrences_of

MOVED_AND_DONE = ('\n[task.occurrence."2025"]\nstatus = "done"\n'
                  '\n[task.occurrence."2026"]\ndue = 2026-03-15\n')
UID = "plan.arsmelding@"


@pytest.fixture
def proj(tmp_path: Path) -> TestProject:
    p = TestProject(tmp_path / "proj", f"sqlite:///{tmp_path / 'f.db'}", 2525,
                    policy={"before_due": ["7d"], "overdue_max": 0})
    p.write_config()
    return p


def feed_and_plan(proj: TestProject) -> tuple[bytes, list[dt.date]]:
    """The timeline's feed, and the due days the engine plans reminders and closes for."""
    db = open_database(proj.db_url)
    try:
        with session_scope(db) as session:
            body = build_feed(session, proj.config(), Scope(timeline="plan"),
                              oslo(2024, 1, 10, 12)).body
            task = session.get(Task, 1)
            assert task is not None
            planned = [occ.due for occ in occurrences_of(task) if occ.status != "cancelled"]
        return body, planned
    finally:
        db.dispose()


def with_icalendar(body: bytes) -> list[dt.date]:
    """icalendar reads the series; dateutil expands its RRULE with EXDATE and overrides."""
    cal = icalendar.Calendar.from_ical(body)
    events = [c for c in cal.walk("VEVENT")]
    master = next(e for e in events if "RECURRENCE-ID" not in e)
    rule = master["RRULE"].to_ical().decode()
    start = master.decoded("DTSTART")
    days = [d.date() for d in _rrule(rule, start)]
    excluded = {one.dt for d in _as_list(master.get("EXDATE", [])) for one in d.dts}
    moved = {e.decoded("RECURRENCE-ID"): e.decoded("DTSTART") for e in events
             if "RECURRENCE-ID" in e}
    return sorted(moved.get(d, d) for d in days if d not in excluded)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _rrule(rule: str, start: dt.date) -> list[dt.datetime]:
    return list(rrulestr(rule, dtstart=dt.datetime.combine(start, dt.time())))


def with_vobject(body: bytes) -> list[dt.date]:
    cal = vobject.readOne(body.decode("utf-8"), validate=True)
    master = next(e for e in cal.vevent_list if not hasattr(e, "recurrence_id"))
    moved = {e.recurrence_id.value: e.dtstart.value for e in cal.vevent_list
             if hasattr(e, "recurrence_id")}
    days = [d.date() if isinstance(d, dt.datetime) else d for d in master.getrruleset()]
    return sorted(moved.get(d, d) for d in days)


def with_recurring_ical_events(body: bytes) -> list[dt.date]:
    cal = icalendar.Calendar.from_ical(body)
    found = recurring_ical_events.of(cal).between(dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    return sorted(e.decoded("DTSTART") for e in found)


def with_icaljs(body: bytes, tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "series.ics"
    path.write_bytes(body)
    proc = subprocess.run([node(), str(JS / "expand.mjs"), str(path)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    read: list[dict[str, list[dict[str, Any]]]] = json.loads(proc.stdout)
    return next(v for k, v in read[0].items() if k.startswith(UID))


def test_the_series_expands_to_the_planned_days_in_four_parsers(
        proj: TestProject, tmp_path: Path) -> None:
    write(proj, MOVED_AND_DONE)
    proj.apply(oslo(2024, 1, 10, 12))
    body, planned = feed_and_plan(proj)
    assert planned == [dt.date(2024, 3, 1), dt.date(2025, 3, 1), dt.date(2026, 3, 15)]
    assert_valid({tmp_path / "check.ics": body})
    assert with_icalendar(body) == planned
    assert with_vobject(body) == planned
    assert with_recurring_ical_events(body) == planned
    instances = with_icaljs(body, tmp_path)
    assert [dt.date.fromisoformat(i["start"]) for i in instances] == planned
    assert [i["summary"] for i in instances][0] == "Årsmelding"
    assert "2025" in instances[1]["summary"] and "2026" in instances[2]["summary"]


def test_a_cancelled_occurrence_is_excluded_and_the_change_bumps_sequence(
        proj: TestProject, tmp_path: Path) -> None:
    write(proj)
    proj.apply(oslo(2024, 1, 10, 12))
    before, _ = feed_and_plan(proj)
    write(proj, '\n[task.occurrence."2025"]\nstatus = "cancelled"\n')
    proj.apply(oslo(2024, 1, 11, 12))
    body, planned = feed_and_plan(proj)
    assert planned == [dt.date(2024, 3, 1), dt.date(2026, 3, 1)]
    assert b"EXDATE;VALUE=DATE:20250301" in body
    assert with_recurring_ical_events(body) == planned == with_vobject(body)
    assert [dt.date.fromisoformat(i["start"]) for i in with_icaljs(body, tmp_path)] == planned
    sequence = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]["SEQUENCE"]
    assert sequence == icalendar.Calendar.from_ical(before).walk("VEVENT")[0]["SEQUENCE"] + 1
