"""The schema of timeline files (`timelines/*.toml`) and the checks across them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from timelines.base.problems import Problem
from timelines.config import KEY, MAX_DAYS, Config, Lang, PolicyOverride, Strict, in_range
from timelines.tomlfile import Invalid, TomlSource, hinted, shown

TaskStatus = Literal["planned", "ongoing", "done", "cancelled"]
ID = hinted(r"^[a-z0-9][a-z0-9_.-]*$", "pattern_key")
LAG = hinted(r"^\d+[dw]$", "pattern_lag")


def _plain_date(value: Any) -> Any:
    """A TOML date or an ISO string; a datetime or a number is a mistake, not a date."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
        raise Invalid("date", value=shown(value))
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise Invalid("date", value=shown(value)) from exc
    return in_range(value)


def _lag_bound(value: str) -> str:
    days = int(value[:-1]) * (7 if value.endswith("w") else 1)
    if days > MAX_DAYS:
        raise Invalid("reliability.too_many_days", value=value, bound=MAX_DAYS)
    return value


PlainDate = Annotated[dt.date, BeforeValidator(_plain_date)]
Lag = Annotated[str, Field(pattern=LAG), AfterValidator(_lag_bound)]


class Budget(Strict):
    text: str = ""
    nok: int | None = None


class TaskSpec(Strict):
    id: Annotated[str, Field(pattern=ID)]
    title: str
    section: str = ""
    when: str = ""
    start: PlainDate | None = None
    due: PlainDate | None = None
    owners: list[str] = []
    participants: list[str] = []
    status: TaskStatus = "planned"
    after: list[str] = []
    lag: Lag = "0d"
    budget: Budget | None = None
    notes: str = ""
    line: int | None = None
    attention: str = ""
    policy: PolicyOverride | None = None

    @property
    def lag_days(self) -> int:
        number, unit = int(self.lag[:-1]), self.lag[-1]
        return number * 7 if unit == "w" else number


class TimelineHeader(Strict):
    id: Annotated[str, Field(pattern=ID)]
    title: str
    lang: Lang | None = None
    ref_year: int | None = Field(None, ge=1900, le=2200)
    source: str = ""
    owners: list[str] = []
    roles: dict[Annotated[str, Field(pattern=KEY)], str] = {}
    policy: PolicyOverride | None = None


class TimelineDoc(Strict):
    timeline: TimelineHeader
    task: list[TaskSpec] = []


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

    @property
    def id(self) -> str:
        return self.doc.timeline.id

    def task_path(self, index: int, *rest: str | int) -> tuple[str | int, ...]:
        position = self.positions[index] if index < len(self.positions) else index
        return ("task", position, *rest)


def timeline_paths(config: Config) -> list[Path]:
    return sorted(config.timelines_dir.glob("*.toml"))


def _tasks(source: TomlSource, raw: Any) -> tuple[list[TaskSpec], list[int]]:
    if not isinstance(raw, list):
        source.problems.append(source.problem(("task",), source.say("task_tables")))
        return [], []
    tasks, positions = [], []
    for index, item in enumerate(raw):
        task = source.salvage(TaskSpec, item, ("task", index))
        if task is not None:
            tasks.append(task)
            positions.append(index)
    return tasks, positions


def read_timeline(path: Path, lang: str = "en") -> tuple[TimelineFile | None, list[Problem]]:
    """Read one file, checking each task on its own so one bad task hides no other problem;
    problems are told in `lang` (and so are the checks run on the result later)."""
    source = TomlSource(path, lang)
    data = source.data
    if data is None:
        return None, source.problems
    for key in set(data) - {"timeline", "task"}:
        source.problems.append(source.problem((key,), source.say("unknown_table_key")))
    header = source.salvage(TimelineHeader, data.get("timeline", {}), ("timeline",))
    tasks, positions = _tasks(source, data.get("task", []))
    if header is None:
        return None, source.problems
    doc = TimelineDoc.model_construct(timeline=header, task=tasks)
    return TimelineFile(path, doc, source, positions), source.problems
