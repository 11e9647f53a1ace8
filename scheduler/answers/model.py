"""The answer tables: append-only. A decision on a request is a new row, never an edit.

The migration that creates them (`0003_answers`) imports this module, so every database
opened through `timelines.db.migrate` also registers these tables in `SQLModel.metadata`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from timelines.base.i18n import N_
from timelines.model import UTCDateTime

KINDS = ("done", "more_time", "status")
STATUSES = ("on_track", "delayed", "blocked")
DECISIONS = ("accepted", "declined")
# The words a person reads for them (marked for translation; told with `translate`).
KIND_WORDS = {"done": N_("done"), "more_time": N_("more time"), "status": N_("status")}
PROGRESS_LABELS = {"on_track": N_("On track"), "delayed": N_("Delayed"), "blocked": N_("Blocked")}
STATE_WORDS = {"pending": N_("pending"), "accepted": N_("accepted"), "declined": N_("declined")}


class Answer(SQLModel, table=True):
    """What one owner answered about one task, through which link, with the old and new value."""

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    person: str = Field(max_length=120, index=True)
    token_id: str = Field(max_length=64)
    form_id: str = Field(max_length=64, unique=True)  # one answer per confirm form: no replay
    timeline_id: str = Field(max_length=120, index=True)
    task_key: str = Field(max_length=200)
    task_pk: int | None = Field(default=None, foreign_key="task.pk", index=True)
    occurrence: str | None = Field(default=None, max_length=40)
    date_version: int = 1
    kind: str = Field(max_length=20)
    old_value: str = ""
    new_value: str = ""
    status: str | None = Field(default=None, max_length=20)
    note: str = ""


class TimeRequest(SQLModel, table=True):
    """A request for more time; pending until a `RequestDecision` row names it."""

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(foreign_key="answer.id", unique=True)
    person: str = Field(max_length=120, index=True)
    timeline_id: str = Field(max_length=120)
    task_key: str = Field(max_length=200)
    old_due: dt.date | None = None
    proposed_due: dt.date
    note: str = ""
    created_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class RequestDecision(SQLModel, table=True):
    """The coordinator's decision on a request (one per request: the state transition)."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="timerequest.id", unique=True)
    state: str = Field(max_length=20)
    decided_by: str = Field(max_length=200)
    decided_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    note: str = ""


class AnswerMail(SQLModel, table=True):
    """A mail this feature sent (a decision, a status round's ask or reminder): at most once
    per key."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, unique=True)
    person: str = Field(max_length=120)
    sent_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
