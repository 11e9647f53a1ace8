"""What `plan` and `log` show: ledger rows and delivery attempts as plain dicts (the JSON keeps
the raw words), and those words as a person reads them (`word`)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Column, Connection, Select, and_, case, func, or_, select, type_coerce
from sqlalchemy.types import NullType
from sqlmodel import Session

from scheduler.ledger import DETAIL_SEP
from scheduler.planning import NEVER
from scheduler.states import ACTIVE, DeliveryOutcome, ReminderKind
from timelines.base.i18n import N_, _, _p, translate
from timelines.db import streamed_rows
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


# Rows are read in batches of this many through one JOIN (`streamed_rows`): no statement
# grows with the ledger, and memory stays flat however long it is.
BATCH_ROWS = 1000

_REMINDER = Reminder.__table__.c  # type: ignore[attr-defined]
_TASK = Task.__table__.c  # type: ignore[attr-defined]
_DELIVERY = Delivery.__table__.c  # type: ignore[attr-defined]
_JOINED = Reminder.__table__.outerjoin(  # type: ignore[attr-defined]
    Task.__table__, _TASK.pk == _REMINDER.task_pk)  # type: ignore[attr-defined]
# A task as `plan` and `log` name it: `timeline/key` (NULL for a row whose task is gone).
_TASK_NAME = (_TASK.timeline_id + "/" + _TASK.key).label("task")
# Distinct values a `_Texts` keeps: the ledger's rows share a few thousand send times.
TEXTS_KEPT = 4096


def _streamed(conn: Connection, stmt: Select[Any]) -> Iterator[Sequence[Any]]:
    """The statement's rows, BATCH_ROWS at a time, through plain Core (no ORM objects)."""
    return streamed_rows(conn, stmt, BATCH_ROWS)


class _Texts(dict[Any, str]):
    """Raw values of a column as the text a row shows, each distinct value converted once
    (through its type's own result processor); forgets them all past TEXTS_KEPT."""

    def __init__(self, convert: Callable[[Any], str]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, raw: Any) -> str:
        if len(self) >= TEXTS_KEPT:
            self.clear()
        text = self[raw] = self.convert(raw)
        return text


def _processor(conn: Connection, column: Column[Any]) -> Callable[[Any], Any]:
    """What the column's type makes of a value the driver returned."""
    dialect = conn.dialect
    made = column.type.dialect_impl(dialect).result_processor(dialect, None)
    return made or (lambda value: value)


def _raw(column: Column[Any]) -> Any:
    """The column as the driver returns it (its type's processing is left to `_Texts`)."""
    return type_coerce(column, NullType()).label(column.name)


def _plan_statement(dialect: str, now: dt.datetime, every: bool,
                    limit: int | None) -> Select[Any]:
    """The columns a plan row needs; `expire` is the row's expiry only where a pass at `now`
    would take it (waiting and its time has come), else NULL."""
    r, t = _REMINDER, _TASK
    waiting_now = and_(r.status.in_(ACTIVE), r.next_attempt_at <= now)
    expire = case((waiting_now, func.coalesce(r.payload["expire_at"].as_string(), "")),
                  else_=None)
    stmt = (select(_TASK_NAME, t.title, r.occurrence, r.recipient, r.email, r.kind,
                   r.rule, _raw(r.send_at), r.zone, _raw(r.local_date), _raw(r.local_time),
                   r.status, r.attempts, r.idem_key, expire)
            .select_from(_JOINED).order_by(r.send_at, r.id).limit(limit))
    if every:
        return stmt
    # `status || ''` on SQLite: with the status index it would fetch each waiting row by its
    # rowid (most of the ledger, out of order); a plain scan of the table costs half as much.
    # PostgreSQL chooses by its statistics, which the expression would hide from it.
    status = r.status.concat("") if dialect == "sqlite" else r.status
    return stmt.where(status.in_(ACTIVE))


def _state(status: str, expire: str | None, now: dt.datetime) -> str:
    """The row's status, and what a pass at `now` would do with a waiting row."""
    if expire is None:
        return status
    return "stale" if dt.datetime.fromisoformat(expire or NEVER) <= now else "due"


def _instants(conn: Connection) -> _Texts:
    """A reminder's send time in ISO 8601 (UTC), by the raw value."""
    instant = _processor(conn, _REMINDER.send_at)
    return _Texts(lambda raw: instant(raw).isoformat())


def _local_times(conn: Connection) -> _Texts:
    """A reminder's local day and time (`2027-03-01 08:00`), by the raw pair."""
    day, time = _processor(conn, _REMINDER.local_date), _processor(conn, _REMINDER.local_time)
    return _Texts(lambda raw: f"{day(raw[0]).isoformat()} {time(raw[1]):%H:%M}")


def ledger_rows(session: Session, now: dt.datetime, every: bool,
                limit: int | None = None) -> Iterator[dict[str, Any]]:
    """The ledger rows `plan` shows (only waiting ones unless `every`; the first `limit`),
    oldest first, streamed, as `plan --json` writes them (instants as ISO 8601 text)."""
    conn = session.connection()
    sent, local = _instants(conn), _local_times(conn)
    stmt = _plan_statement(conn.dialect.name, now, every, limit)
    for (name, title, occurrence, recipient, email, kind, rule, send_at, zone, day, time,
         status, attempts, idem_key, expire) in _streamed(conn, stmt):
        yield {"task": name or "", "title": printable(title) if name is not None else kind,
               "occurrence": occurrence or None, "recipient": recipient, "email": email,
               "kind": kind, "rule": rule, "send_at": sent[send_at], "zone": zone,
               "local": local[day, time], "status": _state(status, expire, now),
               "attempts": attempts, "key": idem_key}


def count_rows(session: Session, every: bool) -> int:
    """How many rows `ledger_rows` yields without a limit."""
    r = _REMINDER
    stmt = select(func.count()).select_from(Reminder.__table__)  # type: ignore[attr-defined]
    if not every:
        stmt = stmt.where(r.status.in_(ACTIVE))
    return int(session.connection().execute(stmt).scalar_one())


def _log_statement(task: str | None, owner: str | None) -> Select[Any]:
    """The columns a log row needs, of one task (`key` or `timeline/key`) or one recipient."""
    d, r, t = _DELIVERY, _REMINDER, _TASK
    stmt = (select(d.at, d.outcome, d.attempt, r.kind, _TASK_NAME, t.title,
                   r.recipient, r.email, d.code, d.detail, d.worker, r.idem_key,
                   r.possible_duplicate, r.message_id)
            .select_from(_JOINED.join(Delivery.__table__,  # type: ignore[attr-defined]
                                      d.reminder_id == r.id))
            .order_by(d.at, d.id))
    if owner:
        stmt = stmt.where(r.recipient == owner)
    if task:
        stmt = stmt.where(or_(t.key == task, t.timeline_id + "/" + t.key == task))
    return stmt


def log_rows(session: Session, task: str | None, owner: str | None,
             latest: int | None = None) -> Iterator[dict[str, Any]]:
    """The delivery attempts `log` shows (of one task or one recipient), oldest first,
    streamed; with `latest`, only that many of the newest (newest first)."""
    stmt = _log_statement(task, owner)
    if latest:
        d = _DELIVERY
        stmt = stmt.order_by(None).order_by(d.at.desc(), d.id.desc()).limit(latest)
    for (at, outcome, attempt, kind, name, title, recipient, email, code, detail, worker,
         idem_key, duplicate, message_id) in _streamed(session.connection(), stmt):
        shown = printable(title) if name is not None else kind
        yield {"at": at, "outcome": outcome, "attempt": attempt, "kind": kind,
               "task": name or shown, "title": shown,
               "recipient": recipient, "email": email, "code": code,
               "detail": printable(detail), "worker": worker, "key": idem_key,
               "possible_duplicate": duplicate, "message_id": message_id}


def count_attempts(session: Session, task: str | None, owner: str | None) -> int:
    """How many attempts `log_rows` yields without `latest`."""
    attempts = _log_statement(task, owner).order_by(None).subquery()
    return int(session.connection().execute(select(func.count()).select_from(attempts))
               .scalar_one())
