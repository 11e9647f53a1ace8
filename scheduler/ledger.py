"""The reminder ledger: planning rows in `apply`, and the claim → send → mark life of a row.

States: pending → claimed → sent | retry | dead | expired; superseded when the plan changes.
A claim takes a lease (owner, random token, until); only the holder of the current token can
finish the row (fencing), so a worker that was frozen or cut off past its lease changes
nothing. A claimed row keeps `next_attempt_at = lease_until`, so an expired lease is simply
due again and the one due-scan (index `ix_reminder_due (status, next_attempt_at)`) reclaims it:
the scan costs what is due, not what is stored.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    String,
    bindparam,
    case,
    func,
    insert,
    literal,
    true,
    update,
)
from sqlalchemy import select as core_select
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import ReturningUpdate
from sqlmodel import Session, col, select

from scheduler.planning import (
    Move,
    compare_and_set,
    expire_at,
    plan_chunk,
    queue_moved,
    reconcile,
    stale_for,
    stored_detail,
    supersede,
)
from scheduler.states import ACTIVE, DeliveryOutcome, ReminderStatus
from timelines.base.status import OPEN_STATUSES
from timelines.config import Config
from timelines.model import Delivery, Reminder, Task, chunks
from timelines.sync import REPLAN, Change

log = logging.getLogger("fristvakt.ledger")


def plan_after_apply(session: Session, config: Config, changes: list[Change],
                     now: dt.datetime) -> None:
    """Called by `apply` in its transaction: re-plan, then queue one notice per moved task
    (or moved occurrence of a recurring one) and person."""
    from scheduler.answers.store import reapply_done  # an owner's "done" outlasts the file

    closed = reapply_done(session)
    replan = session.info.pop(REPLAN, None)
    if replan is None or replan.everything:
        reconcile(session, config, now)
    else:
        pks = {c.task_pk for c in changes if c.task_pk is not None} | closed
        fresh = frozenset(c.task_pk for c in changes if c.kind == "new" and c.task_pk)
        replan_tasks(session, config, now, pks, replan.timelines, fresh)
    queue_moved(session, config, [move for change in changes for move in _moves(change)], now)


def _moves(change: Change) -> Iterator[Move]:
    """The "date moved" news in a change: the task's, or its moved occurrences' (a change
    that moved single occurrences only)."""
    if change.task_pk is None:
        return
    if change.kind == "moved" and _dated(change):
        yield Move(change.task_pk, change.old or (None, None))
    elif change.kind == "changed":
        yield from (Move(change.task_pk, occ.old, occ.label)
                    for occ in change.occurrences if occ.old != occ.new)


def _tasks_in(session: Session, timelines: frozenset[str]) -> set[int]:
    found: set[int] = set()
    names = sorted(timelines)
    for part in chunks(names):
        stmt = select(Task.pk).where(col(Task.timeline_id).in_(part))
        found.update(pk for pk in session.exec(stmt) if pk is not None)
    return found


def digest_waiting(session: Session) -> bool:
    # `task_pk IS NULL` (digests and alerts have no task) lets the task index find them;
    # by the status index this would read every active row of the ledger.
    stmt = select(Reminder.id).where(col(Reminder.task_pk).is_(None), Reminder.kind == "digest",
                                     col(Reminder.status).in_(ACTIVE)).limit(1)
    return session.exec(stmt).first() is not None


def replan_tasks(session: Session, config: Config, now: dt.datetime, pks: set[int],
                 timelines: frozenset[str], fresh: frozenset[int] = frozenset()) -> None:
    """`reconcile` for these tasks and every task of these timelines only, a chunk at a time:
    the rest of the ledger is as the last apply left it (`fresh`: tasks created in this
    transaction). A weekly digest lists tasks of several files, so where one is or was
    planned the whole ledger is reconciled."""
    pks = pks | _tasks_in(session, timelines)
    if pks and digest_waiting(session):
        reconcile(session, config, now)
        return
    ordered = sorted(pks)
    for part in chunks(ordered):
        if not plan_chunk(session, config, now, part, fresh=fresh):
            reconcile(session, config, now)
            return


def _dated(change: Change) -> bool:
    # From "no date" to a date is news for the plan, not a moved deadline.
    return any(change.old or ()) and any(change.new or ())


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with ±20% jitter (so instances that failed together spread out)."""

    base: float = 60.0
    cap: float = 3600.0
    max_attempts: int = 8

    def delay(self, attempts: int, rng: random.Random) -> dt.timedelta:
        seconds = min(self.cap, self.base * 2 ** max(0, attempts - 1))
        return dt.timedelta(seconds=seconds * rng.uniform(0.8, 1.2))


@dataclass(frozen=True)
class Lease:
    worker: str
    token: str
    until: dt.datetime


def due_query(now: dt.datetime, limit: int, dialect: str):  # type: ignore[no-untyped-def]
    """What is due now, oldest first. PostgreSQL skips rows another instance is claiming."""
    stmt = (select(Reminder)
            .where(col(Reminder.status).in_(ACTIVE), Reminder.next_attempt_at <= now)
            .order_by(col(Reminder.next_attempt_at)).limit(limit))
    return stmt.with_for_update(skip_locked=True) if dialect == "postgresql" else stmt


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


SENT_AFTER_SUPERSEDE = DeliveryOutcome.SENT_AFTER_SUPERSEDE
# At most this many resends of a message the server may already have; then it is dead.
MAX_AMBIGUOUS = 2

# Our own details are stored as `code|arg|...` (the record stays language-free); `reports.
# describe` shows them in the reader's language. A server's reply is stored as it came.
DETAIL_SEP = "|"


# The detail of a row waiting for an owner fristvakt.toml does not name (yet).
UNKNOWN_OWNER = "unknown-owner"


def detail_code(code: str, *args: str) -> str:
    return DETAIL_SEP.join((code, *args))


def record(session: Session, row: Reminder, now: dt.datetime, worker: str, outcome: str,
           code: int | None = None, detail: str = "") -> None:
    assert row.id is not None
    session.add(Delivery(reminder_id=row.id, attempt=row.attempts, at=now, worker=worker,
                         outcome=outcome, code=code, detail=stored_detail(detail)))


def _expire(session: Session, row: Reminder, now: dt.datetime, worker: str) -> None:
    row.status = ReminderStatus.EXPIRED
    row.lease_owner = row.lease_token = row.lease_until = None
    row.last_error = detail_code("stale", row.send_at.isoformat(), expire_at(row).isoformat())
    session.add(row)
    record(session, row, now, worker, DeliveryOutcome.EXPIRED, detail=row.last_error)


def _reclaim(session: Session, row: Reminder, now: dt.datetime, lease: Lease) -> None:
    """Its holder vanished mid-send: it may have gone out already."""
    row.possible_duplicate = True
    record(session, row, now, lease.worker, DeliveryOutcome.LEASE_LOST,
           detail=detail_code("lease-expired", row.lease_owner or "?"))
    session.add(row)


# The claim of a whole batch, one statement (the ORM would send one UPDATE per row).
_TAKE = (update(Reminder)
         .where(col(Reminder.id).in_(bindparam("ids", expanding=True)))
         .values(status=ReminderStatus.CLAIMED, attempts=col(Reminder.attempts) + 1,
                 lease_owner=bindparam("worker"), lease_token=bindparam("token"),
                 lease_until=bindparam("until"), next_attempt_at=bindparam("until"))
         .execution_options(synchronize_session=False))


def _take_all(session: Session, rows: list[Reminder], lease: Lease) -> None:
    """Claim the rows (locked by the due query) in one UPDATE, then give the loaded objects
    the same values as committed state, so the session does not write them a second time."""
    if not rows:
        return
    session.flush()  # the reclaimed rows' flags and records go first
    session.execute(_TAKE, {"ids": [row.id for row in rows], "worker": lease.worker,
                            "token": lease.token, "until": lease.until})
    for row in rows:
        values = {"status": ReminderStatus.CLAIMED, "attempts": row.attempts + 1,
                  "lease_owner": lease.worker, "lease_token": lease.token,
                  "lease_until": lease.until, "next_attempt_at": lease.until}
        for name, value in values.items():
            set_committed_value(row, name, value)


@dataclass
class Claimed:
    rows: list[Reminder]
    previous: dict[int, str]
    expired: list[Reminder]
    superseded: int = 0


def _tasks_of(session: Session, rows: list[Reminder]) -> dict[int, Task]:
    pks = {r.task_pk for r in rows if r.task_pk is not None}
    if not pks:
        return {}
    found = session.exec(select(Task).where(col(Task.pk).in_(pks))).all()
    return {t.pk: t for t in found if t.pk is not None}


def claim(session: Session, now: dt.datetime, lease: Lease, limit: int) -> Claimed:
    """Claim up to `limit` due rows under one lease; stale ones become `expired` instead,
    and rows whose task was closed, removed or moved meanwhile `superseded` (fencing by the
    task, in the claim transaction: what the task says now decides, not what it said when
    the row was planned)."""
    out = Claimed([], {}, [])
    due = list(session.exec(due_query(now, limit, _dialect(session))).all())
    tasks = _tasks_of(session, due)
    for row in due:
        assert row.id is not None
        if stale_for(row, tasks.get(row.task_pk or -1)):
            supersede(session, row, now)
            out.superseded += 1
            continue
        if expire_at(row) <= now:
            _expire(session, row, now, lease.worker)
            out.expired.append(row)
            continue
        out.previous[row.id] = row.status
        if row.status == ReminderStatus.CLAIMED:
            _reclaim(session, row, now, lease)
        out.rows.append(row)
    _take_all(session, out.rows, lease)
    session.flush()
    return out


def new_lease(worker: str, now: dt.datetime, seconds: float) -> Lease:
    return Lease(worker, uuid.uuid4().hex, now + dt.timedelta(seconds=seconds))


def _held(session: Session, row_id: int, token: str) -> Reminder | None:
    """The row, locked, if this token still holds it; None if the lease was lost."""
    row = session.get(Reminder, row_id, with_for_update=True)
    if row is None or row.status != ReminderStatus.CLAIMED or row.lease_token != token:
        return None
    return row


@dataclass(frozen=True)
class SentBy:
    """A message the server took: which row under which lease, what it said, which attempt."""

    row_id: int
    token: str
    message_id: str
    code: int
    reply: str
    attempt: int


_DELIVERY = insert(Delivery)


@lru_cache(maxsize=64)
def _mark_statement(size: int) -> ReturningUpdate[int | None]:
    """The fenced UPDATE for `size` rows of one lease, built once per size (building and
    hashing a statement costs more than running it): `rid<i>` gets message id `mid<i>`."""
    rows = [(bindparam(f"rid{i}", type_=Integer), bindparam(f"mid{i}", type_=String))
            for i in range(size)]
    return (update(Reminder)
            .where(col(Reminder.id).in_([rid for rid, _ in rows]),
                   col(Reminder.lease_token) == bindparam("token"),
                   col(Reminder.status) == ReminderStatus.CLAIMED)
            .values(status=ReminderStatus.SENT, sent_at=bindparam("now"),
                    message_id=case(*rows, value=col(Reminder.id)),
                    lease_owner=None, lease_token=None, lease_until=None)
            .returning(col(Reminder.id)))


def _mark_group(conn: Connection, token: str, group: list[SentBy], now: dt.datetime) -> set[int]:
    """One fenced UPDATE for the rows one lease sent: only rows still `claimed` under
    `token` change; RETURNING says which, so a lost lease is seen row by row."""
    args: dict[str, object] = {"token": token, "now": now}
    for i, s in enumerate(group):
        args[f"rid{i}"], args[f"mid{i}"] = s.row_id, s.message_id
    found = conn.execute(_mark_statement(len(group)), args).scalars()
    return {row_id for row_id in found if row_id is not None}


def _mark_superseded(conn: Connection, s: SentBy, now: dt.datetime) -> bool:
    """A row `apply` superseded while this lease was sending it: the send is recorded, on
    the row (flagged, with its Message-ID) and as a `sent-after-supersede` attempt."""
    stmt = (update(Reminder)
            .where(col(Reminder.id) == s.row_id, col(Reminder.status) == ReminderStatus.SUPERSEDED,
                   col(Reminder.lease_token) == s.token)
            .values(possible_duplicate=True, sent_at=now, message_id=s.message_id,
                    lease_owner=None, lease_token=None, lease_until=None))
    return conn.execute(stmt).rowcount == 1


def mark_sent_many(conn: Connection, sent: list[SentBy], now: dt.datetime,
                   worker: str) -> list[str]:
    """Fenced: a row is marked `sent` only where its lease token still matches; one that
    was superseded under this lease is `sent-after-supersede`; one another worker has taken
    meanwhile is `lost` (and unchanged). One UPDATE per lease and one INSERT."""
    marked: set[int] = set()
    for token in dict.fromkeys(s.token for s in sent):
        marked |= _mark_group(conn, token, [s for s in sent if s.token == token], now)
    done = [DeliveryOutcome.SENT if s.row_id in marked else
            SENT_AFTER_SUPERSEDE if _mark_superseded(conn, s, now) else "lost" for s in sent]
    for s, status in zip(sent, done, strict=True):
        if status != DeliveryOutcome.SENT:
            log.warning("reminder %s was sent by %s after it was %s: possible duplicate",
                        s.row_id, worker, "superseded" if status != "lost" else "taken over")
    records = [{"reminder_id": s.row_id, "attempt": s.attempt, "at": now, "worker": worker,
                "outcome": status, "code": s.code, "detail": stored_detail(s.reply)}
               for s, status in zip(sent, done, strict=True) if status != "lost"]
    if records:
        conn.execute(_DELIVERY, records)
    return done


def mark_sent(session: Session, sent: SentBy, now: dt.datetime, worker: str) -> bool:
    return mark_sent_many(session.connection(), [sent], now, worker)[0] == DeliveryOutcome.SENT


def check_held(session: Session, row_id: int, token: str, now: dt.datetime) -> str:
    """Just before a send: "" if this lease still holds the row and its task still asks for
    it; "lost" if another worker has it; "superseded" if the task was closed or moved since
    the claim (the row is superseded here, so nobody sends it)."""
    row = _held(session, row_id, token)
    if row is None:
        return "lost"
    task = session.get(Task, row.task_pk) if row.task_pk is not None else None
    if stale_for(row, task):
        supersede(session, row, now)
        return ReminderStatus.SUPERSEDED
    return ""


# The row and its task in one read, for the check before each send (`held_now`, and inside
# `_FENCE`: there, an UPDATE of `reminder`, a parameter named after one of its columns would
# be taken as a value to set, so the row's id is `held`, not `id`).
_HELD = (core_select(col(Reminder.status), col(Reminder.lease_token), col(Reminder.task_pk),
                     col(Reminder.date_version), col(Reminder.occurrence), col(Task.pk),
                     col(Task.status), col(Task.removed_at), col(Task.date_version))
         .select_from(Reminder).outerjoin(Task, col(Task.pk) == col(Reminder.task_pk))
         .where(col(Reminder.id) == bindparam("held")))
# PostgreSQL: lock the reminder row as `_held` does, so a concurrent supersede is seen.
_HELD_LOCKED = _HELD.with_for_update(of=Reminder)


def held_now(conn: Connection, row_id: int, token: str) -> str | None:
    """`check_held` in one Core read, for the common case: "lost" if another worker has the
    row, "" if this lease holds it and its task is open at the planned date version; None
    when the task changed (or the row is an occurrence of a recurring task): then
    `check_held` decides, and supersedes the row, as before."""
    stmt = _HELD_LOCKED if conn.dialect.name == "postgresql" else _HELD
    return _held_answer(conn.execute(stmt, {"held": row_id}).first(), token)


def _held_answer(found: Sequence[Any] | None, token: str) -> str | None:
    if found is None or found[0] != ReminderStatus.CLAIMED or found[1] != token:
        return "lost"
    _, _, task_pk, version, occurrence, pk, status, removed_at, task_version = found
    if task_pk is None:
        return ""
    if occurrence or pk is None or removed_at is not None or status not in OPEN_STATUSES \
            or task_version != version:
        return None
    return ""


# PostgreSQL, the common case of a message's fence: the previous message marked `sent` with
# its delivery record (`marked`, `recorded`), and the next one's row checked and locked
# (`_HELD_LOCKED`, the same read as `held_now`'s), in one statement on an autocommit
# connection. As `mark_sent_many` + `held_now` in a transaction it took five round trips
# (BEGIN, UPDATE, INSERT, SELECT, COMMIT), most of the fence's time on a database across a
# network. One statement is atomic by itself. Built once, as `_mark_statement`.
def _fence_statement() -> Any:
    marked = (update(Reminder)
              .where(col(Reminder.id) == bindparam("rid"),
                     col(Reminder.lease_token) == bindparam("mtoken"),
                     col(Reminder.status) == ReminderStatus.CLAIMED)
              .values(status=ReminderStatus.SENT, sent_at=bindparam("now"),
                      message_id=bindparam("mid"),
                      lease_owner=None, lease_token=None, lease_until=None)
              .returning(col(Reminder.id)).cte("marked"))
    record = core_select(marked.c.id, bindparam("attempt", type_=Integer), bindparam("now"),
                         bindparam("worker", type_=String), literal(DeliveryOutcome.SENT.value),
                         bindparam("code", type_=Integer), bindparam("detail", type_=String))
    recorded = insert(Delivery).from_select(
        ["reminder_id", "attempt", "at", "worker", "outcome", "code", "detail"], record)
    held = _HELD_LOCKED.lateral("held")
    one = core_select(literal(1).label("one")).subquery("one")
    count = core_select(func.count()).select_from(marked).scalar_subquery()
    return (core_select(count, *held.c).select_from(one.outerjoin(held, true()))
            .add_cte(recorded.cte("recorded")))


_FENCE = _fence_statement()


def mark_and_check(conn: Connection, sent: SentBy, now: dt.datetime, worker: str,
                   row_id: int, token: str) -> tuple[bool, str | None]:
    """PostgreSQL (`conn` in autocommit): mark `sent` as `mark_sent_many` does when its lease
    still holds it, and check `row_id` as `held_now` does, in one statement. False: nothing
    was marked or recorded (the row was superseded or taken over), and `mark_sent_many`
    decides what it was."""
    found = conn.execute(_FENCE, {
        "now": now, "mid": sent.message_id, "rid": sent.row_id, "mtoken": sent.token,
        "attempt": sent.attempt, "worker": worker, "code": sent.code,
        "detail": stored_detail(sent.reply), "held": row_id}).one()
    held = None if found[1] is None else tuple(found[1:])  # no row: the LEFT JOIN's NULLs
    return found[0] == 1, _held_answer(held, token)


def defer(session: Session, row_id: int, token: str, now: dt.datetime, delay: dt.timedelta,
          worker: str, detail: str, outcome: str = DeliveryOutcome.OUTAGE) -> bool:
    """An outage of the route, not of this message: due again after `delay`, the attempt
    uncounted (a wrong password for a day must not use up the retries), and recorded."""
    row = _held(session, row_id, token)
    if row is None:
        return False
    row.status, row.attempts = ReminderStatus.RETRY, row.attempts - 1
    row.next_attempt_at = now + delay
    row.lease_owner = row.lease_token = row.lease_until = None
    row.last_error = stored_detail(detail)
    session.add(row)
    record(session, row, now, worker, outcome, detail=detail)
    return True


def wake_waiting(session: Session, now: dt.datetime) -> None:
    """Rows waiting for an owner the config did not know: due now, because a new config may
    know them (a reminder must not sit out its backoff after the coordinator added the
    owner). Those still unknown wait again, their attempt uncounted."""
    stmt = (update(Reminder)
            .where(col(Reminder.status) == ReminderStatus.RETRY,
                   col(Reminder.next_attempt_at) > now,
                   col(Reminder.last_error).startswith(detail_code(UNKNOWN_OWNER, "")))
            .values(next_attempt_at=now).execution_options(synchronize_session=False))
    session.execute(stmt)


@dataclass(frozen=True)
class Failure:
    """How a send failed: `kind` transient | permanent | ambiguous."""

    kind: str
    code: int | None
    detail: str


def mark_failed(session: Session, row_id: int, token: str, now: dt.datetime, worker: str,
                failure: Failure, retry: RetryPolicy, rng: random.Random) -> str | None:
    """retry (with backoff) or dead; returns the new status, None if the lease was lost."""
    row = _held(session, row_id, token)
    if row is None:
        return None
    dead = (failure.kind == "permanent" or row.attempts >= retry.max_attempts
            or (failure.kind == "ambiguous" and _ambiguous(session, row_id) >= MAX_AMBIGUOUS))
    row.status = ReminderStatus.DEAD if dead else ReminderStatus.RETRY
    row.possible_duplicate = row.possible_duplicate or failure.kind == "ambiguous"
    row.last_error = stored_detail(failure.detail)
    row.lease_owner = row.lease_token = row.lease_until = None
    row.next_attempt_at = now if dead else now + retry.delay(row.attempts, rng)
    session.add(row)
    record(session, row, now, worker, row.status if failure.kind != "ambiguous" or dead
           else DeliveryOutcome.AMBIGUOUS, failure.code, failure.detail)
    return row.status


def _ambiguous(session: Session, row_id: int) -> int:
    """How many sends of this row ended without knowing whether the server has it."""
    stmt = select(func.count()).select_from(Delivery).where(
        Delivery.reminder_id == row_id, Delivery.outcome == DeliveryOutcome.AMBIGUOUS)
    return int(session.exec(stmt).one())


def release(session: Session, row_id: int, token: str, previous: str, now: dt.datetime) -> bool:
    """Give an unsent claimed row back (shutdown): due again at once, the attempt uncounted."""
    row = _held(session, row_id, token)
    if row is None:
        return False
    row.status, row.attempts, row.next_attempt_at = previous, row.attempts - 1, now
    row.lease_owner = row.lease_token = row.lease_until = None
    session.add(row)
    return True


def next_due(session: Session) -> dt.datetime | None:
    """The next instant anything becomes due (pending, retry or a lease running out). One
    lookup per status at the head of the due index: with all three in one `IN`, PostgreSQL
    reads every waiting row of the ledger (a third of a second at 800k rows)."""
    found = [session.exec(select(func.min(Reminder.next_attempt_at))
                          .where(Reminder.status == status)).one() for status in ACTIVE]
    value = min((v for v in found if v is not None), default=None)
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def drop(session: Session, row_id: int, token: str, now: dt.datetime, reason: str) -> bool:
    """A claimed row that has nothing left to say (a digest of closed tasks): superseded."""
    row = _held(session, row_id, token)
    if row is None:
        return False
    row.status, row.last_error = ReminderStatus.SUPERSEDED, reason
    row.lease_owner = row.lease_token = row.lease_until = None
    session.add(row)
    return True


@dataclass(frozen=True)
class Requeue:
    """Which dead rows to re-arm: by idempotency key, by task (`id` or `timeline/id`), or
    every row that died since an instant."""

    key: str | None = None
    task: str | None = None
    since: dt.datetime | None = None


def _dead_since(row: Reminder, since: dt.datetime) -> bool:
    return row.next_attempt_at >= since  # a dead row's next_attempt_at is when it died


def dead_rows(session: Session, which: Requeue) -> list[Reminder]:
    """The dead rows `which` names, oldest first."""
    stmt = select(Reminder).where(Reminder.status == ReminderStatus.DEAD).order_by(col(Reminder.id))
    if which.key:
        stmt = stmt.where(Reminder.idem_key == which.key)
    found = list(session.exec(stmt).all())
    if which.task:
        tasks = _tasks_of(session, found)
        found = [r for r in found if r.task_pk in tasks
                 and which.task in (tasks[r.task_pk].key,
                                    f"{tasks[r.task_pk].timeline_id}/{tasks[r.task_pk].key}")]
    if which.since:
        found = [r for r in found if _dead_since(r, which.since)]
    return found


def requeue(session: Session, rows: list[Reminder], now: dt.datetime) -> int:
    """Re-arm dead rows: due now, attempts from zero (a row still dead is changed only if
    nobody touched it meanwhile). The claim still fences them by their task."""
    armed = 0
    for row in rows:
        armed += compare_and_set(session, row, (ReminderStatus.DEAD,),
                                 status=ReminderStatus.RETRY, attempts=0,
                                 next_attempt_at=now, last_error="")
    return armed
