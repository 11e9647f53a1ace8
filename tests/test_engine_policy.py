"""Reminder policy: local-date arithmetic, working days, closed days, overdue, done tasks."""

from __future__ import annotations

import datetime as dt

from test_engine_support import OSLO

from scheduler.policy import TaskDates, plan_task
from timelines.config import Period, Policy

EIGHT = dt.time(8, 0)


def single(policy: Policy, due: dt.date, zone: str = "Europe/Oslo"):  # type: ignore[no-untyped-def]
    planned = [p for p in plan_task(policy, TaskDates(None, due, "planned"), zone)
               if p.kind == "due"]
    assert len(planned) == 1
    return planned[0]


def test_send_time_is_local_on_both_sides_of_dst() -> None:
    # Acceptance 1 (policy part): 3 days before 2026-03-31 and 2026-10-27 at 08:00 Oslo.
    policy = Policy(before_due=["3d"], overdue_max=0)
    spring = single(policy, dt.date(2026, 3, 31))
    autumn = single(policy, dt.date(2026, 10, 27))
    # Three days before is a Saturday both times, so the working day before: Friday, still
    # on the other side of the DST switch (29 March / 25 October) from the deadline.
    assert spring.local_date == dt.date(2026, 3, 27)
    assert autumn.local_date == dt.date(2026, 10, 23)
    for planned in (spring, autumn):
        assert planned.send_at.tzinfo is not None
        assert planned.send_at.astimezone(OSLO).time() == EIGHT
    # Winter time (UTC+1) before the March switch, summer time (UTC+2) before October's:
    assert spring.send_at.utcoffset() == dt.timedelta(0)
    assert (spring.send_at.hour, autumn.send_at.hour) == (7, 6)
    # Subtracting 72 hours from the deadline morning (as an instant) would be an hour off:
    deadline_morning = dt.datetime.combine(dt.date(2026, 3, 31), EIGHT, tzinfo=OSLO)
    instant = deadline_morning.astimezone(dt.UTC) - dt.timedelta(hours=72)
    assert instant.astimezone(OSLO).time() == dt.time(7, 0)


def test_send_time_follows_the_owners_zone() -> None:
    policy = Policy(before_due=["3d"], overdue_max=0)
    helsinki = single(policy, dt.date(2026, 3, 31), "Europe/Helsinki")
    oslo = single(policy, dt.date(2026, 3, 31))
    assert oslo.send_at - helsinki.send_at == dt.timedelta(hours=1)


def test_working_days_skip_easter_in_norway() -> None:
    # Acceptance 2: 3wd before Tuesday after Easter 2026 skips Easter Monday, Good Friday
    # and (in Norway) Maundy Thursday: Wed 1 April, Tue 31 March, Mon 30 March.
    planned = single(Policy(before_due=["3wd"], overdue_max=0), dt.date(2026, 4, 7))
    assert planned.local_date == dt.date(2026, 3, 30)
    assert planned.local_date.weekday() == 0


def test_working_days_in_sweden_keep_maundy_thursday_open() -> None:
    planned = single(Policy(before_due=["3wd"], overdue_max=0, holidays="SE"),
                     dt.date(2026, 4, 7), "Europe/Stockholm")
    assert planned.local_date == dt.date(2026, 3, 31)


def test_midsummer_eve_is_closed_when_configured() -> None:
    monday = dt.date(2026, 6, 22)
    open_eve = Policy(before_due=["1wd"], overdue_max=0, holidays="SE", closed_days=[])
    closed_eve = open_eve.merged().model_copy(update={"closed_days": ["2026-06-19"]})
    assert single(open_eve, monday).local_date == dt.date(2026, 6, 19)
    assert single(closed_eve, monday).local_date == dt.date(2026, 6, 18)


def test_calendar_day_reminder_on_a_closed_day_moves_to_the_working_day_before() -> None:
    # 14 days before 2026-05-28 is Ascension Day (Thursday 14 May): Wednesday 13 May.
    assert single(Policy(before_due=["14d"], overdue_max=0),
                  dt.date(2026, 5, 28)).local_date == dt.date(2026, 5, 13)
    # Christmas Eve is a closed day by default; 14 days before 2027-01-07 is 24 December.
    assert single(Policy(before_due=["14d"], overdue_max=0),
                  dt.date(2027, 1, 7)).local_date == dt.date(2026, 12, 23)


def test_closed_period_moves_reminders_before_the_summer_holiday() -> None:
    fellesferie = Period(start=dt.date(2026, 7, 6), end=dt.date(2026, 7, 26))
    policy = Policy(before_due=["14d"], overdue_max=0, closed_periods=[fellesferie])
    assert single(policy, dt.date(2026, 8, 3)).local_date == dt.date(2026, 7, 3)


def test_overdue_every_n_days_up_to_m_times() -> None:
    policy = Policy(before_due=[], overdue_every_days=7, overdue_max=3)
    planned = plan_task(policy, TaskDates(None, dt.date(2026, 9, 1), "ongoing"), "Europe/Oslo")
    assert [p.rule for p in planned] == ["overdue-1", "overdue-2", "overdue-3"]
    assert [p.local_date for p in planned] == [dt.date(2026, 9, 8), dt.date(2026, 9, 15),
                                               dt.date(2026, 9, 22)]


def test_overdue_on_a_closed_day_waits_for_the_next_working_day() -> None:
    policy = Policy(before_due=[], overdue_every_days=1, overdue_max=1)
    friday = dt.date(2026, 9, 4)
    planned = plan_task(policy, TaskDates(None, friday, "planned"), "Europe/Oslo")
    assert [p.local_date for p in planned] == [dt.date(2026, 9, 7)]


def test_start_reminders_count_from_the_start() -> None:
    policy = Policy(before_due=["3d"], before_start=["7d"], overdue_max=0)
    task = TaskDates(dt.date(2026, 9, 14), dt.date(2026, 10, 30), "planned")
    kinds = {p.kind: p.local_date for p in plan_task(policy, task, "Europe/Oslo")}
    assert kinds == {"start": dt.date(2026, 9, 7), "due": dt.date(2026, 10, 27)}


def test_done_and_cancelled_tasks_get_nothing() -> None:
    policy = Policy()
    for status in ("done", "cancelled"):
        assert plan_task(policy, TaskDates(None, dt.date(2026, 9, 1), status), "UTC") == []


def test_a_reminder_expires_after_max_lateness_or_its_deadline() -> None:
    policy = Policy(before_due=["14d", "1d"], overdue_max=0, max_lateness="2d")
    due = dt.date(2026, 9, 30)
    early, late = plan_task(policy, TaskDates(None, due, "planned"), "Europe/Oslo")
    assert early.expire_at - early.send_at == dt.timedelta(days=2)
    # the day-before reminder is stale once the deadline day is over (sooner than 2 days)
    assert late.expire_at == dt.datetime(2026, 10, 1, tzinfo=OSLO)
