"""The engine's sense of time. Everything that decides what is due asks a clock for `now`.

`--now` shifts the clock for a whole run (a day can be replayed); the demo moves a simulated
clock by hand. Only aware datetimes come out.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

UTC = dt.UTC


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real time."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(UTC)


class ShiftedClock:
    """Real time moved by a fixed offset: `--now X` starts the run at X and lets it tick on."""

    def __init__(self, start: dt.datetime) -> None:
        self.offset = start - dt.datetime.now(UTC)

    def now(self) -> dt.datetime:
        return dt.datetime.now(UTC) + self.offset

    def real(self, moment: dt.datetime) -> dt.datetime:
        """The wall-clock instant at which this clock shows `moment`."""
        return moment - self.offset


class ManualClock:
    """Time that only moves when told to (the demo's simulated year)."""

    def __init__(self, start: dt.datetime) -> None:
        self.moment = start

    def now(self) -> dt.datetime:
        return self.moment

    def set(self, moment: dt.datetime) -> None:
        self.moment = moment
