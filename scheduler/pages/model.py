"""The typed records the page renderers take: no database, no files, only what is drawn."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from timelines.base.status import CLOSED_STATUSES, OPEN_STATUSES

STATUSES = OPEN_STATUSES + CLOSED_STATUSES
ANSWERS = ("on_track", "delayed", "blocked")


@dataclass(frozen=True)
class OccurrenceMark:
    """One occurrence of a recurring task as `timelines.occurrences` gives it: on the day the
    file moved it to, in its own status."""

    label: str  # "2025"
    title: str  # "Årsmelding 2025"
    due: dt.date
    status: str = "planned"
    overdue: bool = False


@dataclass(frozen=True)
class TaskMark:
    """One task as the pages show it (dates already resolved, answer already looked up)."""

    timeline_id: str
    task_id: str
    title: str
    section: str
    start: dt.date | None
    due: dt.date | None
    status: str = "planned"
    approximate_start: bool = False
    approximate_due: bool = False
    answer: str | None = None
    overdue: bool = False
    unanswered: bool = False
    owners: tuple[str, ...] = ()
    owner_keys: tuple[str, ...] = ()
    when_text: str = ""
    note: str = ""
    after: tuple[str, ...] = ()
    occurrences: tuple[OccurrenceMark, ...] = ()

    @property
    def ref(self) -> str:
        """`<timeline id>/<task id>`: how every mark names its task (data-task)."""
        return f"{self.timeline_id}/{self.task_id}"

    @property
    def dated(self) -> bool:
        return bool(self.start or self.due or self.occurrences)

    @property
    def milestone(self) -> bool:
        """Drawn as a diamond: only one date, or start and due on the same day."""
        return not self.occurrences and (self.start is None or self.due is None
                                         or self.start == self.due)

    @property
    def deadlines(self) -> tuple[dt.date, ...]:
        """Every due date: the occurrences of a recurring task, else its due (or start)."""
        if self.occurrences:
            return tuple(occ.due for occ in self.occurrences)
        moment = self.due or self.start
        return (moment,) if moment else ()

    @property
    def each_deadline(self) -> tuple[TaskMark, ...]:
        """The task once per deadline: a recurring one as each of its occurrences (its name,
        day and status), any other as itself."""
        if not self.occurrences:
            return (self,) if self.deadlines else ()
        return tuple(replace(self, title=occ.title, start=None, due=occ.due, status=occ.status,
                             overdue=occ.overdue, occurrences=()) for occ in self.occurrences)


@dataclass(frozen=True)
class Section:
    title: str
    tasks: tuple[TaskMark, ...]


@dataclass(frozen=True)
class PlanView:
    """One plan (or one owner's tasks across plans) in sections, in the file's order."""

    timeline_id: str
    title: str
    lang: str
    sections: tuple[Section, ...]

    @property
    def tasks(self) -> tuple[TaskMark, ...]:
        return tuple(task for section in self.sections for task in section.tasks)


@dataclass(frozen=True)
class AnswerMark:
    """What an owner last answered for a task (from the answers table, once it exists)."""

    status: str | None
    note: str = ""
    asked: bool = False


@dataclass(frozen=True)
class Reader:
    """An owner who gets a page of their own, in their own language, written as
    `owners/<file>.html` (an unguessable code, or the key when published on purpose)."""

    key: str
    name: str
    lang: str
    file: str = ""

    def __repr__(self) -> str:
        return f"Reader({self.key})"  # the file name can be a secret code


@dataclass(frozen=True)
class PlanCounts:
    timeline_id: str
    title: str
    done: int
    on_track: int
    delayed: int
    overdue: int
    no_answer: int
    total: int


@dataclass(frozen=True)
class WaitingRequest:
    """An owner's request for more time, waiting for the coordinator's decision."""

    ref: str
    title: str
    owner: str
    due: dt.date | None
    wanted: dt.date | None
    note: str = ""


@dataclass(frozen=True)
class SilentOwner:
    """An owner who has not answered the current status round."""

    name: str
    open_tasks: int


@dataclass(frozen=True)
class SendProblem:
    """A reminder the ledger could not deliver."""

    at: dt.datetime
    recipient: str
    ref: str
    error: str


@dataclass(frozen=True)
class CoordinatorExtras:
    """The overview's lists that come from the answers and the ledger."""

    requests: tuple[WaitingRequest, ...] = ()
    silent: tuple[SilentOwner, ...] = ()
    problems: tuple[SendProblem, ...] = ()
