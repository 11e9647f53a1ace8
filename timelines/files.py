"""The schema of timeline files (`timelines/*.toml`) and the checks across them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from dateutil.rrule import rrulestr
from pydantic import AfterValidator, BeforeValidator, Field, TypeAdapter, ValidationError

from timelines.base.i18n import N_, _
from timelines.base.problems import Problem
from timelines.config import (
    KEY,
    KEY_HINT,
    MAX_DAYS,
    Config,
    Lang,
    PolicyOverride,
    Strict,
    in_range,
)
from timelines.tomlfile import Invalid, TomlSource, hinted, shown

TaskStatus = Literal["planned", "ongoing", "done", "cancelled"]
ID = hinted(r"^[a-z0-9][a-z0-9_.-]*$", KEY_HINT)
LAG = hinted(r"^\d+[dw]$", N_("write days like 3d or weeks like 2w (got {value})"))


def _plain_date(value: Any) -> Any:
    """A TOML date or an ISO string; a datetime or a number is a mistake, not a date."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
        raise Invalid(N_("must be a date like 2024-05-31 (got {value})"), value=shown(value))
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise Invalid(N_("must be a date like 2024-05-31 (got {value})"),
                          value=shown(value)) from exc
    return in_range(value)


def _lag_bound(value: str) -> str:
    days = int(value[:-1]) * (7 if value.endswith("w") else 1)
    if days > MAX_DAYS:
        raise Invalid(N_("at most {bound} days (got {value})"), value=value, bound=MAX_DAYS)
    return value


def _rrule(value: str) -> str:
    """An RFC 5545 RRULE without DTSTART ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"): the timeline
    gives the series its start, so a rule that brings its own is refused too."""
    text = value.strip().removeprefix("RRULE:")
    try:
        if not text.upper().startswith("FREQ=") or "DTSTART" in text.upper():
            raise ValueError(text)
        rrulestr(text, dtstart=dt.datetime(2000, 1, 1))
    except (ValueError, TypeError) as exc:
        raise Invalid(N_("write a recurrence as an RFC 5545 RRULE without DTSTART, like "
                         "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1 (got {value})"),
                      value=shown(value)) from exc
    return text


def _period(value: str) -> str:
    """Years a timeline's recurring tasks run: "2022-2024" or one year."""
    from timelines.dates import parse_span  # the dates package reads the text

    span = parse_span(value)
    if span.kind != "dated" or span.start is None or span.due is None:
        raise Invalid(N_("write the years the plan runs, like 2022-2024 (got {value})"),
                      value=shown(value))
    return value


PlainDate = Annotated[dt.date, BeforeValidator(_plain_date)]
Lag = Annotated[str, Field(pattern=LAG), AfterValidator(_lag_bound)]
RRule = Annotated[str, AfterValidator(_rrule)]
Period = Annotated[str, AfterValidator(_period)]
OCCURRENCE = hinted(r"^\d{4}(-\d{2}-\d{2})?$", N_(
    'name an occurrence by its year, like "2025", or by its planned due day, like "2025-03-31" '
    '(got {value})'))


class Budget(Strict):
    text: str = ""
    nok: int | None = None


class OccurrenceSpec(Strict):
    """One occurrence of a recurring task, changed from the file: moved or closed alone."""

    due: PlainDate | None = None
    start: PlainDate | None = None
    status: TaskStatus | None = None


class TaskSpec(Strict):
    # Lists and tables default through factories: pydantic deep-copies a mutable default for
    # every task it validates, which was a third of reading a 100-task file.
    id: Annotated[str, Field(pattern=ID)]
    title: str
    section: str = ""
    when: str = ""
    start: PlainDate | None = None
    due: PlainDate | None = None
    owners: list[str] = Field(default_factory=list)
    participants: list[str] = Field(default_factory=list)
    status: TaskStatus = "planned"
    after: list[str] = Field(default_factory=list)
    lag: Lag = "0d"
    budget: Budget | None = None
    notes: str = ""
    line: int | None = None
    attention: str = ""
    policy: PolicyOverride | None = None
    recurrence: RRule | None = None
    until: PlainDate | None = None
    occurrence: dict[Annotated[str, Field(pattern=OCCURRENCE)], OccurrenceSpec] = Field(
        default_factory=dict)

    @property
    def lag_days(self) -> int:
        number, unit = int(self.lag[:-1]), self.lag[-1]
        return number * 7 if unit == "w" else number


class TimelineHeader(Strict):
    id: Annotated[str, Field(pattern=ID)]
    title: str
    lang: Lang | None = None
    ref_year: int | None = Field(None, ge=1900, le=2200)
    period: Period | None = None
    source: str = ""
    owners: list[str] = Field(default_factory=list)
    roles: dict[Annotated[str, Field(pattern=KEY)], str] = Field(default_factory=dict)
    policy: PolicyOverride | None = None


class TimelineDoc(Strict):
    timeline: TimelineHeader
    task: list[TaskSpec] = Field(default_factory=list)


@dataclass
class TimelineFile:
    """One loaded timeline file with where it came from.

    `positions[i]` is the index in the file of `doc.task[i]`: a task that could not be read
    at all is left out of `doc` but later tasks keep their place in error messages.
    """

    path: Path
    doc: TimelineDoc
    source: TomlSource = field(repr=False)
    positions: list[int] = field(default_factory=list)
    # Its ResolvedTimeline, once timelines.resolve has worked it out (the file is not changed
    # after it is read, so neither is its resolution).
    resolution: object = field(default=None, init=False, repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.doc.timeline.id

    def task_path(self, index: int, *rest: str | int) -> tuple[str | int, ...]:
        position = self.positions[index] if index < len(self.positions) else index
        return ("task", position, *rest)


_TASK_LIST = TypeAdapter(list[TaskSpec])


def timeline_paths(config: Config) -> list[Path]:
    return sorted(config.timelines_dir.glob("*.toml"))


def _tasks(source: TomlSource, raw: Any) -> tuple[list[TaskSpec], list[int]]:
    if not isinstance(raw, list):
        said = _(source.lang, "use [[task]] tables for tasks")
        source.problems.append(source.problem(("task",), said))
        return [], []
    try:  # the common case, a file without mistakes: every task in one call
        return _TASK_LIST.validate_python(raw), list(range(len(raw)))
    except ValidationError:
        return _salvaged(source, raw)


def _salvaged(source: TomlSource, raw: list[Any]) -> tuple[list[TaskSpec], list[int]]:
    """Each task checked on its own, so every mistake is reported and the good tasks kept."""
    tasks, positions = [], []
    for index, item in enumerate(raw):
        task = source.salvage(TaskSpec, item, ("task", index))
        if task is not None:
            tasks.append(task)
            positions.append(index)
    return tasks, positions


def read_timeline(path: Path, lang: str = "en",
                  raw: bytes | None = None) -> tuple[TimelineFile | None, list[Problem]]:
    """Read one file (from `raw`, its bytes already read, when given): its tasks checked
    together, and when one is wrong each on its own, so one bad task hides no other problem;
    problems are told in `lang` (and so are the checks run on the result later)."""
    source = TomlSource(path, lang, raw)
    data = source.data
    if data is None:
        return None, source.problems
    for key in set(data) - {"timeline", "task"}:
        said = _(source.lang, "unknown key (expected [timeline] or [[task]])")
        source.problems.append(source.problem((key,), said))
    header = source.salvage(TimelineHeader, data.get("timeline", {}), ("timeline",))
    tasks, positions = _tasks(source, data.get("task", []))
    # The models now hold everything the tables said: a project keeps its files for the whole
    # command, and their raw tables would double its memory (and the garbage collector's work).
    source.data = None
    if header is None:
        return None, source.problems
    doc = TimelineDoc.model_construct(timeline=header, task=tasks)
    return TimelineFile(path, doc, source, positions), source.problems
