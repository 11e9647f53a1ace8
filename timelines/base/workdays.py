"""The working-day calendar every layer counts in: weekends, public holidays (NO/SE), closed
days and closed periods; reminder offsets (`14d`, `3wd`) and the day a reminder goes out.

The engine's mail and the feeds' alarms both ask `reminder_day`, so they never disagree.

>>> rules = work_calendar("NO", ("12-24",), ())
>>> reminder_day(rules, dt.date(2026, 4, 7), "3wd")  # Easter: Apr 2, 3, 6 closed
datetime.date(2026, 3, 30)
>>> reminder_day(rules, dt.date(2026, 3, 22), "14d")  # Sunday the 8th → Friday the 6th
datetime.date(2026, 3, 6)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import holidays

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Offset:
    """A distance in days: calendar days (`14d`) or working days (`5wd`)."""

    days: int
    working: bool

    @classmethod
    def parse(cls, text: str) -> Offset:
        """`14d` (calendar days) or `5wd` (working days); the config already checked the form."""
        working = text.endswith("wd")
        return cls(int(text[:-2] if working else text[:-1]), working)


class WorkCalendar:
    """Which days are closed: weekends, public holidays (NO/SE) and configured closed days."""

    def __init__(self, country: str, closed_days: tuple[str, ...],
                 periods: tuple[tuple[dt.date, dt.date], ...]) -> None:
        self.holidays = None if country == "none" else holidays.country_holidays(country)
        self.every_year = {d for d in closed_days if len(d) == 5}
        self.dates = {dt.date.fromisoformat(d) for d in closed_days if len(d) > 5}
        self.periods = periods

    def is_closed(self, day: dt.date) -> bool:
        """A weekend, a public holiday, a closed day or a day inside a closed period."""
        return (day.weekday() >= 5 or (self.holidays is not None and day in self.holidays)
                or day.strftime("%m-%d") in self.every_year or day in self.dates
                or any(start <= day <= end for start, end in self.periods))

    def on_or_before(self, day: dt.date) -> dt.date:
        """The last working day on or before `day`."""
        while self.is_closed(day):
            day -= ONE_DAY
        return day

    def on_or_after(self, day: dt.date) -> dt.date:
        """The first working day on or after `day`."""
        while self.is_closed(day):
            day += ONE_DAY
        return day

    def shift(self, day: dt.date, offset: Offset, sign: int) -> dt.date:
        """`day` moved by the offset (sign -1: before, +1: after); working days skip closed."""
        if not offset.working:
            return day + sign * offset.days * ONE_DAY
        for _ in range(offset.days):
            day += sign * ONE_DAY
            while self.is_closed(day):
                day += sign * ONE_DAY
        return day


class Period(Protocol):
    """A closed period: first and last closed day."""

    @property
    def start(self) -> dt.date: ...

    @property
    def end(self) -> dt.date: ...


class CalendarRules(Protocol):
    """What a calendar is built from (the `[policy]` block has these fields)."""

    @property
    def holidays(self) -> str: ...

    @property
    def closed_days(self) -> Sequence[str]: ...

    @property
    def closed_periods(self) -> Sequence[Period]: ...


@lru_cache(maxsize=64)
def work_calendar(country: str, closed: tuple[str, ...],
                  periods: tuple[tuple[dt.date, dt.date], ...]) -> WorkCalendar:
    """The calendar for these rules, built once (the holiday tables are costly)."""
    return WorkCalendar(country, closed, periods)


def calendar_for(rules: CalendarRules) -> WorkCalendar:
    """The calendar a policy's `holidays`, `closed_days` and `closed_periods` describe."""
    periods = tuple((p.start, p.end) for p in rules.closed_periods)
    return work_calendar(rules.holidays, tuple(rules.closed_days), periods)


def reminder_day(calendar: WorkCalendar, day: dt.date, offset: str) -> dt.date:
    """The day the reminder `offset` before `day` goes out: a closed day moves it to the
    working day before."""
    return calendar.on_or_before(calendar.shift(day, Offset.parse(offset), -1))
