"""What the importer finds (candidates) and what it hands back (tasks, timeline, result)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from timelines.base.i18n import Deferred
from timelines.dates import DateSpan
from timelines.importer.messages import place, reasons_text

Origin = Literal["table", "milestone", "bullet", "list", "revision", "title"]


@dataclass
class Candidate:
    """A row or line that looks like a task, before dates, owners and ids are worked out."""

    line: int
    title: str
    section: str
    when: str
    origin: Origin
    owners_text: str = ""
    participants_text: str = ""
    budget_text: str = ""
    status_text: str = ""
    notes: list[str] = field(default_factory=list)
    group_when: str = ""  # the date of the enclosing group row in a hierarchical table
    list_key: str = ""  # milestones of one list share this; their years follow their order
    reported: bool = False  # listed as work done so far in a report
    where: Deferred | None = None  # locator where the format has no lines ('table 2, row 5')
    struck: bool = False  # struck through in the document
    date: dt.date | None = None  # an exact date cell behind `when`
    comments: list[str] = field(default_factory=list)  # comments/notes on the row's cells


@dataclass(frozen=True)
class Attention:
    """A row a human should look at: where and why (told in the reader's language)."""

    file: str
    line: int  # the line, or the order of the row in a document without lines
    reasons: tuple[Deferred, ...]
    where: Deferred | None = None

    def reason(self, lang: str) -> str:
        return reasons_text(self.reasons, lang)

    def place(self, lang: str) -> str:
        return place(self.where, self.line, lang)

    def as_json(self, lang: str = "en") -> dict[str, object]:
        at: dict[str, object] = {"line": self.line} if self.where is None else {
            "where": self.place(lang)}
        return {"file": self.file, **at, "reason": self.reason(lang)}


@dataclass
class ImportedTask:
    id: str
    title: str
    section: str
    when: str
    span: DateSpan
    line: int
    owners: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    status: str = "planned"
    budget_text: str = ""
    budget_nok: int | None = None
    notes: str = ""
    attention: str = ""  # the reasons below, told in the plan's language (written to the file)
    reasons: list[Deferred] = field(default_factory=list)
    inherited: bool = False  # `when` is the plan's or group's date, not the row's own
    explicit: bool = False  # start/due must be written: `when` alone reads another year
    exact: bool = False  # the dates come from a date cell: start/due are written
    where: Deferred | None = None  # locator where the format has no lines

    def place(self, lang: str) -> str:
        return place(self.where, self.line, lang)

    @property
    def start(self) -> dt.date | None:
        return self.span.start

    @property
    def due(self) -> dt.date | None:
        return self.span.due

    def as_json(self, lang: str = "en") -> dict[str, object]:
        budget = {"text": self.budget_text, "nok": self.budget_nok} if self.budget_text else None
        return {
            "id": self.id, "title": self.title, "section": self.section, "when": self.when,
            **self.span.as_json(), "owners": self.owners, "participants": self.participants,
            "status": self.status, "budget": budget,
            **({"line": self.line} if self.where is None else {"where": self.place(lang)}),
        }


@dataclass
class ImportedTimeline:
    id: str
    title: str
    lang: str
    ref_year: int | None
    source: str
    owners: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)
    tasks: list[ImportedTask] = field(default_factory=list)
    period: str | None = None  # the years the plan runs ("2022-2024"), for recurring tasks

    def as_json(self, lang: str = "en") -> dict[str, object]:
        return {
            "id": self.id, "title": self.title, "lang": self.lang, "ref_year": self.ref_year,
            "period": self.period, "source": self.source,
            "tasks": [t.as_json(lang) for t in self.tasks],
        }

    @property
    def recurring(self) -> list[ImportedTask]:
        return [t for t in self.tasks if t.span.kind == "recurring"]


@dataclass(frozen=True)
class YearChoice:
    """The document's year and why it was chosen (shown in the summary)."""

    year: int | None
    reason: str  # how the year was found: a key of summary.YEAR_REASONS
    line: int | None = None
    period: DateSpan | None = None  # what a row without its own date takes


@dataclass
class ImportResult:
    timeline: ImportedTimeline
    attention: list[Attention]
    year: YearChoice
    notes: list[Attention] = field(default_factory=list)  # skipped tables and the like
    pages: int = 1  # the document's pages (as its format counts them), for the benchmark
    lined: bool = True  # its places are line numbers (text), else locators
    places: dict[int, Deferred] = field(default_factory=dict)  # line → locator, where no lines

    def count(self, what: str) -> int:
        tasks = self.timeline.tasks
        tests = {
            "tasks": lambda t: True,
            "dated": lambda t: t.span.kind == "dated" and not t.inherited,
            "inherited": lambda t: t.inherited,
            "undated": lambda t: t.span.kind not in ("dated", "recurring"),
            "recurring": lambda t: t.span.kind == "recurring",
        }
        return sum(1 for t in tasks if tests[what](t))
