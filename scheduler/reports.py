"""What `plan` and `log` show: ledger rows and delivery attempts as plain dicts (the JSON keeps
the raw words), and those words as a person reads them (`word`)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from scheduler.ledger import ACTIVE, DETAIL_SEP
from scheduler.planning import expire_at
from scheduler.states import ReminderKind
from timelines.base.i18n import t, texts
from timelines.model import Delivery, Reminder, Task

# Row statuses and delivery outcomes, and the kinds of reminder: each has a text in
# `cli.engine.status` / `cli.engine.kind` (a hyphen in the word is an underscore in the key).
STATUSES = ("pending", "retry", "claimed", "due", "stale", "sent", "dead", "expired",
            "superseded", "lost", "lease-lost", "ambiguous", "sent-after-supersede", "outage")
KINDS = tuple(ReminderKind)
PASS_STATUSES = ("sent", "expired", "retry", "dead", "lost", "superseded",
                 "sent-after-supersede")  # what a pass reports


# Control characters (ANSI escapes, bell, backspace, bidi overrides) in a title or a
# server's reply would act on the reader's terminal: shown as a visible replacement instead.
_CONTROL = frozenset({"Cc", "Cf"})


def printable(text: str) -> str:
    """The text with every control character shown as U+FFFD (newlines become spaces)."""
    if text.isprintable():
        return text
    return "".join(" " if ch in "\n\t" else "\ufffd" if unicodedata.category(ch) in _CONTROL
                   else ch for ch in text)


def word(lang: str, group: str, value: str) -> str:
    """A ledger word (`status` or `kind`) in `lang`; one without a text stays as it is."""
    key = f"{group}.{value.replace('-', '_')}"
    found = texts(lang)
    return found.get(f"cli.engine.{key}") or found.get(f"reliability.{key}", value)


# Our own detail codes and the names of their arguments in `cli.engine.detail.<code>`.
DETAILS = {"stale": ("due", "since"), "lease-expired": ("worker",),
           "lost-before-send": (), "nothing-open": (), "task-changed": (), "sent-late": (),
           "unknown-owner": ("key",)}


def describe(lang: str, detail: str) -> str:
    """A stored detail as a person reads it: our codes translated, a server's reply as is."""
    code, *args = detail.split(DETAIL_SEP)
    names = DETAILS.get(code)
    if names is None or len(args) != len(names):
        return detail
    key = f"detail.{code.replace('-', '_')}"
    key = f"cli.engine.{key}" if f"cli.engine.{key}" in texts(lang) else f"reliability.{key}"
    return t(lang, key, **dict(zip(names, args, strict=True)))


def padded(lang: str, group: str, values: Iterable[str], value: str) -> str:
    """`word`, padded to the longest word of its group, so the columns line up."""
    width = max(len(word(lang, group, v)) for v in values)
    return f"{word(lang, group, value):{width}}"


def _task_names(session: Session, pks: set[int]) -> dict[int, Task]:
    if not pks:
        return {}
    tasks = session.exec(select(Task).where(col(Task.pk).in_(pks))).all()
    return {t.pk: t for t in tasks if t.pk is not None}


def _label(row: Reminder, tasks: dict[int, Task]) -> tuple[str, str]:
    task = tasks.get(row.task_pk) if row.task_pk is not None else None
    if task is None:
        return "", row.kind
    return f"{task.timeline_id}/{task.key}", printable(task.title)


def _state(row: Reminder, now: dt.datetime) -> str:
    """The row's status, and what a pass at `now` would do with a waiting row."""
    if row.status not in ACTIVE or row.next_attempt_at > now:
        return row.status
    return "stale" if expire_at(row) <= now else "due"


def ledger_rows(session: Session, now: dt.datetime, every: bool) -> list[dict[str, Any]]:
    stmt = select(Reminder).order_by(col(Reminder.send_at), col(Reminder.id))
    if not every:
        stmt = stmt.where(col(Reminder.status).in_(ACTIVE))
    rows = session.exec(stmt).all()
    tasks = _task_names(session, {r.task_pk for r in rows if r.task_pk is not None})
    out = []
    for r in rows:
        task, title = _label(r, tasks)
        out.append({"task": task, "title": title, "occurrence": r.occurrence or None,
                    "recipient": r.recipient, "email": r.email,
                    "kind": r.kind, "rule": r.rule, "send_at": r.send_at, "zone": r.zone,
                    "local": f"{r.local_date.isoformat()} {r.local_time.strftime('%H:%M')}",
                    "status": _state(r, now), "attempts": r.attempts, "key": r.idem_key})
    return out


def _matches(task: Task | None, wanted: str) -> bool:
    if task is None:
        return False
    return wanted in (task.key, f"{task.timeline_id}/{task.key}")


def log_rows(session: Session, task: str | None, owner: str | None) -> list[dict[str, Any]]:
    stmt = select(Delivery, Reminder).join(Reminder, col(Delivery.reminder_id) == col(Reminder.id))
    if owner:
        stmt = stmt.where(Reminder.recipient == owner)
    pairs = session.exec(stmt.order_by(col(Delivery.at), col(Delivery.id))).all()
    tasks = _task_names(session, {r.task_pk for _, r in pairs if r.task_pk is not None})
    out = []
    for d, r in pairs:
        if task and not _matches(tasks.get(r.task_pk or -1), task):
            continue
        name, title = _label(r, tasks)
        out.append({"at": d.at, "outcome": d.outcome, "attempt": d.attempt, "kind": r.kind,
                    "task": name or title, "title": title, "recipient": r.recipient,
                    "email": r.email, "code": d.code, "detail": printable(d.detail),
                    "worker": d.worker,
                    "key": r.idem_key, "possible_duplicate": r.possible_duplicate,
                    "message_id": r.message_id})
    return out
