"""Date spans in Scandinavian planning language (see docs/dates.md).

PLACEHOLDER: the full grammar is being written (issue #3). This minimal version reads ISO days
only so the rest of the system can be built against the API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Kind = Literal["dated", "ongoing", "undated", "unparsed"]


@dataclass(frozen=True)
class DateSpan:
    """What a date text means: a span of days, both ends inclusive, either may be open."""

    text: str
    kind: Kind
    start: dt.date | None = None
    due: dt.date | None = None
    approximate: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "start": self.start.isoformat() if self.start else None,
            "due": self.due.isoformat() if self.due else None,
            "approximate": self.approximate,
        }


def parse_span(text: str, *, lang: str | None = None, ref_year: int | None = None) -> DateSpan:
    """Read `text` as a span; never raises."""
    stripped = text.strip()
    try:
        day = dt.date.fromisoformat(stripped)
    except ValueError:
        return DateSpan(text, "undated" if stripped in ("", "?", "-") else "unparsed")
    return DateSpan(text, "dated", day, day)
