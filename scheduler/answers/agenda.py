"""Owners' newest statuses beside `fristvakt agenda` (which itself reads only the files)."""

from __future__ import annotations

from typing import Any

import typer
from sqlmodel import Session

from scheduler.agenda import AgendaItem
from scheduler.answers import store
from scheduler.answers.model import PROGRESS_LABELS, Answer
from timelines.base.exceptions import DatabaseError
from timelines.base.i18n import _, translate
from timelines.config import Config
from timelines.db import open_database


def _statuses(config: Config) -> dict[tuple[str, str], Answer]:
    """The newest status per task; none when the database cannot be opened (the agenda
    works from the files alone)."""
    try:
        engine = open_database(config.resolved_database_url())
    except DatabaseError:
        return {}
    with Session(engine) as session:
        return store.latest_statuses(session)


def _words(answer: Answer, lang: str) -> str:
    status = translate(lang, PROGRESS_LABELS[answer.status]) if answer.status else ""
    note = f" – {answer.note}" if answer.note else ""
    return _(lang, "{timeline}/{task}: {status} ({date}, {person}){note}",
             timeline=answer.timeline_id, task=answer.task_key,
             status=status, date=answer.at.date().isoformat(), person=answer.person, note=note)


def with_statuses(config: Config, items: list[AgendaItem]) -> list[dict[str, Any]]:
    """The agenda's JSON, each item with its newest status answer (or null)."""
    found = _statuses(config)
    out = []
    for item in items:
        answer = found.get((item.timeline_id, item.task.key))
        extra = {"answer_status": answer.status, "answer_note": answer.note,
                 "answer_at": answer.at, "answer_by": answer.person} if answer else {
            "answer_status": None}
        out.append({**item.as_json(), **extra})
    return out


def print_statuses(config: Config, items: list[AgendaItem], lang: str) -> None:
    """Below the agenda table: the owners' newest status and note of the tasks shown."""
    found = _statuses(config)
    for item in items:
        answer = found.get((item.timeline_id, item.task.key))
        if answer:
            typer.echo(_words(answer, lang))
