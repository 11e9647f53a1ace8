"""What the owners' pages show: tasks, their latest answers, the person's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, select

from scheduler.answers import store
from scheduler.answers.links import page_url, task_links
from scheduler.answers.model import KIND_WORDS, PROGRESS_LABELS, STATUSES, Answer
from scheduler.answers.signing import ActionToken, Signer
from timelines.base.i18n import N_, _, format_date, pick_lang, translate
from timelines.base.status import OPEN_STATUSES, status_word
from timelines.config import Config
from timelines.model import Task, Timeline

NOTE_MAX = 2000


def person_lang(config: Config, person: str | None) -> str:
    """The person's language, else the project's."""
    owner = config.owners.get(person or "")
    return pick_lang(owner.lang if owner else None, config.lang)


def task_facts(session: Session, task: Task, lang: str, today: dt.date) -> dict[str, Any]:
    """Title, plan, section, deadline (in words), status and the latest status answer."""
    timeline = session.get(Timeline, task.timeline_id)
    latest = store.latest_status(session, task.timeline_id, task.key)
    return {"title": task.title, "plan": timeline.title if timeline else task.timeline_id,
            "section": task.section, "due_iso": task.due.isoformat() if task.due else "",
            "deadline": format_date(task.due, lang, "long") if task.due else "",
            "overdue": bool(task.due and task.due < today), "status": task.status,
            "status_word": status_word(task.status, lang),
            "latest": answer_line(latest, lang) if latest else ""}


def answer_line(answer: Answer, lang: str) -> str:
    """One answer as a sentence: when, what, the note."""
    what = translate(lang, KIND_WORDS[answer.kind])
    if answer.kind == "status" and answer.status:
        what = translate(lang, PROGRESS_LABELS[answer.status])
    if answer.kind == "more_time" and answer.new_value:
        what = _(lang, "more time asked until {date}", date=format_date(
            dt.date.fromisoformat(answer.new_value), lang, "long"))
    day = format_date(answer.at.date(), lang, "long")
    note = " – " + answer.note if answer.note else ""
    return _(lang, "{date}: {what}{note}", date=day, what=what, note=note)


def confirm_values(session: Session, config: Config, token: ActionToken, task: Task,
                   today: dt.date) -> dict[str, Any]:
    lang = person_lang(config, token.person)
    owner = config.owners.get(token.person)
    return {"task": task_facts(session, task, lang, today),
            "name": owner.name if owner else token.person,
            "min_date": (today + dt.timedelta(days=1)).isoformat()}


def choice(fields: Mapping[str, Any], today: dt.date) -> store.Choice | None:
    """The choice a posted form makes, or None when it is not one we offer."""
    kind = str(fields.get("kind", ""))
    note = str(fields.get("note", ""))[:NOTE_MAX]
    if kind == "done":
        return store.Choice("done", note=note)
    if kind == "status":
        status = str(fields.get("status", ""))
        return store.Choice("status", status=status, note=note) if status in STATUSES else None
    if kind == "more_time":
        return _more_time(str(fields.get("proposed", "")), note, today)
    return None


def _more_time(text: str, note: str, today: dt.date) -> store.Choice | None:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return store.Choice("more_time", note=note, proposed=day) if day > today else None


# What the thanks page says for each kind of answer.
_THANKS = {
    "done": N_("The task is marked as done and its reminders have stopped."),
    "more_time": N_("Your request for more time is sent to the coordinator. You get an email "
                    "with the decision."),
    "status": N_("Your status is recorded and will appear in the status report."),
}


def thanks_values(answer: Answer, lang: str) -> dict[str, Any]:
    return {"thanks": translate(lang, _THANKS[answer.kind]), "line": answer_line(answer, lang)}


def status_choices(lang: str) -> list[tuple[str, str]]:
    """The statuses an owner can give, each with its label in `lang`."""
    return [(value, translate(lang, PROGRESS_LABELS[value])) for value in STATUSES]


def mine_url(config: Config, sign: Signer, person: str, today: dt.date) -> str:
    return page_url(config, sign, person, today)


def open_tasks(session: Session, config: Config, person: str) -> list[Task]:
    """The person's open tasks, soonest deadline first (undated last)."""
    query = select(Task).where(col(Task.removed_at).is_(None),
                               col(Task.status).in_(OPEN_STATUSES))
    mine = [task for task in session.exec(query).all()
            if person in store.task_people(config, task)]
    return sorted(mine, key=lambda task: (task.due or dt.date.max, task.title))


def mine_values(session: Session, config: Config, sign: Signer, person: str,
                today: dt.date) -> dict[str, Any]:
    lang = person_lang(config, person)
    owner = config.owners.get(person)
    tasks = [{**task_facts(session, task, lang, today),
              "links": task_links(config, sign, person, task.timeline_id, task.key, today)}
             for task in open_tasks(session, config, person)]
    history = [{"title": _title(session, a), "line": answer_line(a, lang)}
               for a in store.history(session, person)]
    return {"name": owner.name if owner else person, "tasks": tasks, "history": history}


def _title(session: Session, answer: Answer) -> str:
    task = store.find_task(session, answer.timeline_id, answer.task_key)
    return task.title if task else answer.task_key
