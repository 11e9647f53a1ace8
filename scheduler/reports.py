"""What `plan` and `log` show: ledger rows and delivery attempts as plain dicts (the JSON keeps
the raw words), and those words as a person reads them (`word`)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from sqlmodel import Session, col, select

from scheduler.ledger import DETAIL_SEP
from scheduler.planning import expire_at
from scheduler.states import ACTIVE, DeliveryOutcome, ReminderKind
from timelines.base.i18n import N_, _, _p, translate
from timelines.model import Delivery, Reminder, Task

# The kinds of reminder, and what a pass reports: each has a text (`word`).
KINDS = tuple(ReminderKind)
PASS_STATUSES = (DeliveryOutcome.SENT, DeliveryOutcome.EXPIRED, DeliveryOutcome.RETRY,
                 DeliveryOutcome.DEAD, "lost", DeliveryOutcome.SUPERSEDED,
                 DeliveryOutcome.SENT_AFTER_SUPERSEDE)  # what a pass reports


# Control characters (ANSI escapes, bell, backspace, bidi overrides) in a title or a
# server's reply would act on the reader's terminal: shown as a visible replacement instead.
_CONTROL = frozenset({"Cc", "Cf"})


def printable(text: str) -> str:
    """The text with every control character shown as U+FFFD (newlines become spaces)."""
    if text.isprintable():
        return text
    return "".join(" " if ch in "\n\t" else "\ufffd" if unicodedata.category(ch) in _CONTROL
                   else ch for ch in text)


@cache
def _words(lang: str) -> dict[str, dict[str, str]]:
    """The ledger's words in `lang`: each status (and outcome) and each kind of reminder."""
    return {
        "status": {
            "pending": _(lang, "pending"), "retry": _(lang, "retry"),
            "claimed": _(lang, "claimed"), "due": _p(lang, "reminder status", "due"),
            "stale": _(lang, "stale"), "sent": _(lang, "sent"), "dead": _(lang, "failed"),
            "expired": _(lang, "expired"), "superseded": _(lang, "superseded"),
            "lost": _(lang, "lost"), "lease-lost": _(lang, "lease lost"),
            "ambiguous": _(lang, "uncertain"), "outage": _(lang, "server down"),
            "sent-after-supersede": _(lang, "sent after superseded"),
        },
        "kind": {
            "due": _(lang, "due"), "start": _(lang, "start"),
            "overdue": _p(lang, "reminder kind", "overdue"), "digest": _(lang, "digest"),
            "moved": _(lang, "moved"), "alert": _(lang, "alert"),
        },
    }


def word(lang: str, group: str, value: str) -> str:
    """A ledger word (`status` or `kind`) in `lang`; one without a text stays as it is."""
    return _words(lang)[group].get(value, value)


# Our own detail codes: the names of their arguments and what they say.
DETAILS = {
    "stale": (("due", "since"), N_("not sent: due {due}, too late since {since}")),
    "lease-expired": (("worker",), N_("the reservation of {worker} ran out; sent again with "
                                     "the same Message-ID")),
    "lost-before-send": ((), N_("the reservation was lost before sending; another worker has "
                                "it")),
    "nothing-open": ((), N_("nothing left to remind of")),
    "task-changed": ((), N_("not sent: the task was closed or moved meanwhile")),
    "sent-late": ((), N_("sent although it had been superseded or taken over: possible "
                         "duplicate")),
    "unknown-owner": (("key",), N_("waiting: {key} is not in fristvakt.toml [owners] (yet)")),
}


def describe(lang: str, detail: str) -> str:
    """A stored detail as a person reads it: our codes translated, a server's reply as is."""
    code, *args = detail.split(DETAIL_SEP)
    names, message = DETAILS.get(code, (None, ""))
    if names is None or len(args) != len(names):
        return detail
    return translate(lang, message, **dict(zip(names, args, strict=True)))


def padded(lang: str, group: str, values: Iterable[str], value: str) -> str:
    """`word`, padded to the longest word of its group, so the columns line up."""
    width = max(len(word(lang, group, v)) for v in values)
    return f"{word(lang, group, value):{width}}"


# Rows are read in batches of this many through one JOIN (a server-side cursor on
# PostgreSQL): no statement grows with the ledger, and memory stays flat however long it is.
BATCH_ROWS = 1000


def _label(row: Reminder, task: Task | None) -> tuple[str, str]:
    if task is None:
        return "", row.kind
    return f"{task.timeline_id}/{task.key}", printable(task.title)


def _state(row: Reminder, now: dt.datetime) -> str:
    """The row's status, and what a pass at `now` would do with a waiting row."""
    if row.status not in ACTIVE or row.next_attempt_at > now:
        return row.status
    return "stale" if expire_at(row) <= now else "due"


def ledger_rows(session: Session, now: dt.datetime, every: bool) -> Iterator[dict[str, Any]]:
    """The ledger rows `plan` shows (only waiting ones unless `every`), oldest first, streamed."""
    stmt = (select(Reminder, Task).outerjoin(Task, col(Reminder.task_pk) == col(Task.pk))
            .order_by(col(Reminder.send_at), col(Reminder.id)))
    if not every:
        stmt = stmt.where(col(Reminder.status).in_(ACTIVE))
    for r, task in session.exec(stmt.execution_options(yield_per=BATCH_ROWS)):
        name, title = _label(r, task)
        yield {"task": name, "title": title, "occurrence": r.occurrence or None,
               "recipient": r.recipient, "email": r.email,
               "kind": r.kind, "rule": r.rule, "send_at": r.send_at, "zone": r.zone,
               "local": f"{r.local_date.isoformat()} {r.local_time.strftime('%H:%M')}",
               "status": _state(r, now), "attempts": r.attempts, "key": r.idem_key}


def _matches(task: Task | None, wanted: str) -> bool:
    if task is None:
        return False
    return wanted in (task.key, f"{task.timeline_id}/{task.key}")


def log_rows(session: Session, task: str | None, owner: str | None) -> Iterator[dict[str, Any]]:
    """The delivery attempts `log` shows (of one task or one recipient), oldest first, streamed."""
    stmt = (select(Delivery, Reminder, Task)
            .join(Reminder, col(Delivery.reminder_id) == col(Reminder.id))
            .outerjoin(Task, col(Reminder.task_pk) == col(Task.pk)))
    if owner:
        stmt = stmt.where(Reminder.recipient == owner)
    stmt = stmt.order_by(col(Delivery.at), col(Delivery.id))
    for d, r, found in session.exec(stmt.execution_options(yield_per=BATCH_ROWS)):
        if task and not _matches(found, task):
            continue
        name, title = _label(r, found)
        yield {"at": d.at, "outcome": d.outcome, "attempt": d.attempt, "kind": r.kind,
               "task": name or title, "title": title, "recipient": r.recipient,
               "email": r.email, "code": d.code, "detail": printable(d.detail),
               "worker": d.worker,
               "key": r.idem_key, "possible_duplicate": r.possible_duplicate,
               "message_id": r.message_id}
