"""What the status report says, read from the database as of one day.

Per plan and section: the activity, who is responsible, the funding, the deadline and the
status: the owner's newest answer (up to the report's day) with its note and date, else what
the plan document itself said (the importer keeps seed 000's "STATUS: …" in `notes`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from scheduler.answers.model import PROGRESS_LABELS, Answer
from timelines.base.exceptions import NotFound
from timelines.base.i18n import _, _p, format_date, pick_lang, translate
from timelines.config import Config
from timelines.model import Task, Timeline

CATEGORIES = ("done", "on_track", "delayed", "blocked", "overdue", "no_answer")


def category_names(lang: str) -> dict[str, str]:
    """Each category as the report names it in `lang`, in the order of CATEGORIES."""
    return {"done": _p(lang, "status report", "Done"), "on_track": _(lang, "On track"),
            "delayed": _(lang, "Delayed"), "blocked": _(lang, "Blocked"),
            "overdue": _p(lang, "status report", "Overdue"), "no_answer": _(lang, "No answer")}


@dataclass(frozen=True)
class Row:
    activity: str
    responsible: str
    funding: str
    deadline: str
    status: str  # the status in words ("" when nobody answered and the plan says nothing)
    note: str
    note_date: str
    category: str
    from_plan: bool = False


@dataclass
class Section:
    name: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class PlanReport:
    id: str
    title: str
    lang: str
    as_of: dt.date
    sections: list[Section]

    @property
    def rows(self) -> list[Row]:
        return [row for section in self.sections for row in section.rows]

    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(CATEGORIES, 0)
        for row in self.rows:
            counts[row.category] += 1
        return counts


def _timelines(session: Session, plan: str | None) -> list[Timeline]:
    query = select(Timeline).where(col(Timeline.removed_at).is_(None)).order_by(col(Timeline.id))
    found = list(session.exec(query).all())
    if plan is None:
        return found
    chosen = [tl for tl in found if tl.id == plan]
    if not chosen:
        known = ", ".join(tl.id for tl in found) or "-"
        raise NotFound(_("en", "No plan {plan}: known plans are {known}.", plan=plan, known=known))
    return chosen


def _answers(session: Session, timeline_id: str, as_of: dt.date) -> dict[str, Answer]:
    """The newest status or done answer per task, given on or before `as_of`."""
    query = (select(Answer).where(Answer.timeline_id == timeline_id, Answer.kind != "more_time")
             .order_by(col(Answer.at), col(Answer.id)))
    return {a.task_key: a for a in session.exec(query).all() if a.at.date() <= as_of}


def responsible(config: Config, timeline: Timeline, keys: list[str]) -> str:
    """Owner names, role labels, or the document's own words for a role."""
    def label(key: str) -> str:
        if key in config.owners:
            return config.owners[key].name
        if key in config.roles and config.roles[key].label:
            return config.roles[key].label
        return timeline.roles.get(key, key)

    return ", ".join(label(key) for key in keys)


def _category(task: Task, answer: Answer | None, as_of: dt.date) -> str:
    if task.status == "done" or (answer is not None and answer.kind == "done"):
        return "done"
    if task.due is not None and task.due < as_of:
        return "overdue"
    return answer.status or "no_answer" if answer is not None else "no_answer"


def _status_text(answer: Answer | None, task: Task, lang: str) -> tuple[str, str, str, bool]:
    """(status words, note, note date, from the plan) for one row."""
    if answer is not None:
        words = translate(lang, PROGRESS_LABELS[answer.status]) if answer.status else _p(
            lang, "status report", "Done")
        return words, answer.note, format_date(answer.at.date(), lang, "short"), False
    if task.status == "done":
        return _p(lang, "status report", "Done"), "", "", False
    plan_text = task.notes.strip()
    return ("", plan_text, "", True) if plan_text else ("", "", "", False)


def _deadline(task: Task, lang: str) -> str:
    return format_date(task.due, lang, "short") if task.due else task.when_text


def _row(config: Config, timeline: Timeline, task: Task, answer: Answer | None,
         as_of: dt.date, lang: str) -> Row:
    status, note, day, from_plan = _status_text(answer, task, lang)
    return Row(task.title, responsible(config, timeline, task.owners or timeline.owners),
               task.budget_text, _deadline(task, lang), status, note, day,
               _category(task, answer, as_of), from_plan)


def plan_report(session: Session, config: Config, timeline: Timeline,
                as_of: dt.date) -> PlanReport:
    lang = pick_lang(timeline.lang, config.lang)
    query = (select(Task).where(Task.timeline_id == timeline.id, col(Task.removed_at).is_(None),
                                Task.status != "cancelled")
             .order_by(col(Task.line), col(Task.pk)))
    answers = _answers(session, timeline.id, as_of)
    sections: dict[str, Section] = {}
    for task in session.exec(query).all():
        name = task.section or _(lang, "Other")
        sections.setdefault(name, Section(name)).rows.append(
            _row(config, timeline, task, answers.get(task.key), as_of, lang))
    return PlanReport(timeline.id, timeline.title, lang, as_of, list(sections.values()))


def build(session: Session, config: Config, plan: str | None, as_of: dt.date) -> list[PlanReport]:
    """The report of one plan or of every plan."""
    return [plan_report(session, config, tl, as_of) for tl in _timelines(session, plan)]
