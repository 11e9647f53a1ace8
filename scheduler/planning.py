"""Turning tasks into ledger rows, inside the transaction that changed the tasks.

Planning reconciles the ledger with the policy, for the tasks an apply changed or for all of
them: rows the policy no longer asks for (moved dates, done, removed, other owners) are
superseded, missing ones are inserted. The cost follows those tasks and their pending rows,
never the history of sent rows; rows are read and written in bulk, a chunk of tasks at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple, Protocol, cast
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, or_, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from scheduler.policy import (
    Planned,
    TaskDates,
    digest_day,
    local_instant,
    plan_task,
)
from scheduler.recipients import COORDINATOR, email_of, recipients_of, zone_of
from scheduler.states import ACTIVE, WAITING, ReminderKind
from scheduler.states import ReminderStatus as Status
from timelines.base.status import OPEN_STATUSES
from timelines.config import Config, Policy
from timelines.model import Reminder, Task, Timeline, chunks, insert_rows
from timelines.occurrences import Occurrence, Recurs, occurrence_named, occurrences_of

NEVER = "9999-12-31T00:00:00+00:00"


@dataclass
class Wanted:
    """A row the policy asks for (not yet written)."""

    key: str
    task_pk: int | None
    recipient: str
    version: int
    planned: Planned
    payload: dict[str, Any] = field(default_factory=dict)
    occurrence: str = ""


def idem_key(task_pk: int, recipient: str, rule: str, version: int, occurrence: str = "") -> str:
    """`occurrence` names one occurrence of a recurring task ("2025", or "2026=2026-03-15"
    once the file moved it: a moved occurrence's rows are new rows, as a moved task's are)."""
    task = f"t{task_pk}@{occurrence}" if occurrence else f"t{task_pk}"
    return f"{task}:{recipient}:{rule}:v{version}"


def occurrence_key(occ: Occurrence) -> str:
    return f"{occ.label}={occ.due.isoformat()}" if occ.moved else occ.label


def new_row(config: Config, w: Wanted, now: dt.datetime) -> Reminder:
    p = w.planned
    return Reminder(
        idem_key=w.key, task_pk=w.task_pk, recipient=w.recipient, occurrence=w.occurrence,
        email=email_of(config, w.recipient), rule=p.rule, kind=p.kind, date_version=w.version,
        send_at=p.send_at, zone=p.zone, local_date=p.local_date, local_time=p.local_time,
        status=Status.PENDING, next_attempt_at=p.send_at, created_at=now,
        payload={**w.payload, "expire_at": p.expire_at.isoformat()})


def stored_detail(text: str) -> str:
    """A server's reply or an error as the ledger keeps it: its first 2,000 characters (the
    reason comes first; a reply can run on)."""
    return text[:2000]


class Plannable(Recurs, Protocol):
    """What planning reads of a task: a row of the task table (or the ORM object)."""

    @property
    def pk(self) -> int | None: ...
    @property
    def owners(self) -> list[str]: ...
    @property
    def date_version(self) -> int: ...
    @property
    def policy(self) -> dict[str, Any]: ...


class TimelinePart(NamedTuple):
    """What planning reads of a task's timeline."""

    owners: list[str]
    policy: dict[str, Any]


def task_policy(config: Config, task: Plannable, timeline: TimelinePart | Timeline) -> Policy:
    if not (timeline.policy or task.policy):  # most tasks: [policy] as it is
        return config.policy
    return config.policy.overridden(timeline.policy, task.policy)


def _units(task: Plannable) -> Iterator[tuple[TaskDates, Occurrence | None]]:
    """What gets reminders of its own: the task, or each occurrence of a recurring one."""
    if not task.recurrence:
        yield TaskDates(task.start, task.due, task.status), None
        return
    for occ in occurrences_of(task):
        yield TaskDates(occ.start, occ.due, occ.status), occ


# Plans already made, by (policy, dates, zone): most tasks share the policy (an immutable
# object), and a year's tasks share a few hundred due dates. The policy is kept in the
# value, so its id is not reused by another while the entry lives.
Plans = dict[tuple[int, TaskDates, str], tuple[Policy, list[Planned]]]
_PLANS: Plans = {}
PLANS_KEPT = 20_000


def _plan(policy: Policy, dates: TaskDates, zone: str) -> list[Planned]:
    key = (id(policy), dates, zone)
    found = _PLANS.get(key)
    if found is None:
        if len(_PLANS) >= PLANS_KEPT:
            _PLANS.clear()
        found = _PLANS[key] = (policy, plan_task(policy, dates, zone))
    return found[1]


def _task_rows(config: Config, task: Plannable,
               timeline: TimelinePart | Timeline) -> Iterator[tuple[Wanted, bool]]:
    """(row, goes into the weekly digest) for every message the task gets."""
    assert task.pk is not None
    policy = task_policy(config, task, timeline)
    units = list(_units(task))
    weekly = policy.digest == "weekly"
    for person in recipients_of(config, task.owners or timeline.owners):
        zone = zone_of(config, person)
        for dates, occ in units:
            name = occurrence_key(occ) if occ else ""
            for planned in _plan(policy, dates, zone):
                key = idem_key(task.pk, person, planned.rule, task.date_version, name)
                payload = {"occurrence": occ.label, "due": occ.due.isoformat()} if occ else {}
                digest = weekly and planned.kind != ReminderKind.OVERDUE
                yield Wanted(key, task.pk, person, task.date_version, planned, payload,
                             occ.label if occ else ""), digest


def _digest_row(policy: Policy, w: Wanted) -> Wanted:
    day = digest_day(policy, w.planned.local_date)
    zone = w.planned.zone
    expire = local_instant(day + dt.timedelta(days=7), dt.time(0), zone)
    planned = Planned("digest", "digest", day, policy.send_time, zone, expire)
    return Wanted(f"digest:{w.recipient}:{day.isoformat()}", None, w.recipient, 0, planned,
                  {"tasks": [], "occurrences": []})


def _list_in_digest(payload: dict[str, Any], task_pk: int | None, occurrence: str) -> None:
    """The digest lists the task, and of a recurring one each occurrence due that week."""
    if task_pk not in payload["tasks"]:
        payload["tasks"].append(task_pk)
    if occurrence and [task_pk, occurrence] not in payload["occurrences"]:
        payload["occurrences"].append([task_pk, occurrence])


def live_pks(session: Session) -> list[int]:
    """Every live task, by primary key (ints only: the tasks themselves are read a chunk at
    a time)."""
    stmt = select(Task.pk).where(col(Task.removed_at).is_(None)).order_by(col(Task.pk))
    return [pk for pk in session.exec(stmt) if pk is not None]


TASKS = Task.__table__  # type: ignore[attr-defined]
TIMELINES = Timeline.__table__  # type: ignore[attr-defined]
_TASK_PART = [*(TASKS.c[name] for name in (
    "pk", "owners", "start", "due", "status", "date_version", "policy", "recurrence", "until",
    "occurrences")), TIMELINES.c.owners.label("tl_owners"), TIMELINES.c.policy.label("tl_policy")]


def live_tasks(session: Session, pks: list[int]) -> list[tuple[Plannable, TimelinePart]]:
    """These tasks (the live ones) as rows, with what planning needs of their timelines."""
    stmt = (select(*_TASK_PART).join(TIMELINES, TASKS.c.timeline_id == TIMELINES.c.id)
            .where(TASKS.c.removed_at.is_(None), TASKS.c.pk.in_(pks)))
    return [(cast(Plannable, row), TimelinePart(row.tl_owners, row.tl_policy))
            for row in session.execute(stmt)]


def wanted_rows(config: Config, tasks: Iterable[tuple[Plannable, TimelinePart]],
                digests: dict[str, Wanted] | None) -> dict[str, Wanted] | None:
    """Every row the policy asks for these tasks, by idempotency key. A row that goes into a
    weekly digest is added to the digest's task list in `digests`; None when there is one
    but no `digests` to add it to."""
    out: dict[str, Wanted] = {}
    for task, timeline in tasks:
        for w, digest in _task_rows(config, task, timeline):
            if not digest:
                out[w.key] = w
            elif digests is None:
                return None
            else:
                _add_to_digest(digests, task_policy(config, task, timeline), w)
    return out


def _add_to_digest(digests: dict[str, Wanted], policy: Policy, w: Wanted) -> None:
    d = _digest_row(policy, w)
    _list_in_digest(digests.setdefault(d.key, d).payload, w.task_pk, w.occurrence)


def rows_by_key(session: Session, keys: list[str]) -> dict[str, Reminder]:
    found: dict[str, Reminder] = {}
    for part in chunks(keys):
        stmt = select(Reminder).where(col(Reminder.idem_key).in_(part))
        found.update((r.idem_key, r) for r in session.exec(stmt).all())
    return found


def expire_at(row: Reminder) -> dt.datetime:
    return dt.datetime.fromisoformat(row.payload.get("expire_at") or NEVER)


def compare_and_set(session: Session, row: Reminder, states: tuple[str, ...],
                    **values: Any) -> bool:
    """Update the row only while its status is one of `states`: a row the runner claimed,
    sent or failed since it was read is never overwritten (on PostgreSQL the condition is
    evaluated again after a concurrent commit). The loaded object gets the new values as
    its committed state, so the session does not write them a second time."""
    stmt = (update(Reminder)
            .where(col(Reminder.id) == row.id, col(Reminder.status).in_(states))
            .values(**values).execution_options(synchronize_session=False))
    if session.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
        return False
    for name, value in values.items():
        set_committed_value(row, name, value)
    return True


def superseded_values(now: dt.datetime) -> dict[str, Any]:
    return {"status": Status.SUPERSEDED, "last_error": f"superseded at {now.isoformat()}"}


def supersede(session: Session, row: Reminder, now: dt.datetime) -> bool:
    """Only a row not yet delivered becomes superseded (one sent meanwhile stays sent). A
    claimed row keeps its lease token: its worker, if it sends anyway, records the send as
    `sent-after-supersede`, and its own fenced marks no longer match."""
    session.flush()
    return compare_and_set(session, row, ACTIVE, **superseded_values(now))


def stale_for(row: Reminder, task: Task | None) -> bool:
    """A task's row whose task is closed, removed or dated otherwise now: not to be sent."""
    if row.task_pk is None:
        return False
    return (task is None or task.removed_at is not None or task.status not in OPEN_STATUSES
            or task.date_version != row.date_version or _stale_occurrence(row, task))


def _stale_occurrence(row: Reminder, task: Task) -> bool:
    """A recurring task's row whose occurrence is closed or gone now, or (unless the row is
    the news that it moved) moved."""
    if not row.occurrence:
        return False
    occ = occurrence_named(task, row.occurrence)
    if occ is None or occ.status not in OPEN_STATUSES:
        return True
    return row.kind != "moved" and occ.due.isoformat() != row.payload.get("due")


def _unwanted(row: Any, wanted: dict[str, Wanted], open_tasks: set[int]) -> bool:
    if row.kind == "moved":  # news about a task that is done or gone is no news
        return row.task_pk not in open_tasks
    return row.kind != "alert" and row.idem_key not in wanted


# -- planning in bulk: rows, not objects -------------------------------------------------
#
# `apply` plans hundreds of thousands of rows at a whole country's size. They are read as
# plain rows and written with one executemany per chunk and kind of write (insert, re-arm,
# refresh, supersede), never as one ORM object each; every write keeps the status guard of
# `compare_and_set`, so a row the runner claimed or sent meanwhile is left alone.

LEDGER = Reminder.__table__  # type: ignore[attr-defined]
_SEEN = [LEDGER.c[name] for name in (
    "id", "idem_key", "status", "kind", "task_pk", "recipient", "payload", "send_at",
    "local_date", "local_time", "zone", "next_attempt_at", "email")]
_PLANNED = ("send_at", "local_date", "local_time", "zone", "next_attempt_at", "email",
            "payload")
# Changes a live planning run made to the ledger's waiting rows (inserted, re-armed or
# superseded), summed in `Session.info`: `apply` says the plan changed when it is not 0.
CHANGED = "fristvakt.ledger_changed"


def _guarded(state: str, **fixed: Any) -> Any:
    """An executemany UPDATE of one row per parameter set (`rid`, `v_<column>`), only while
    its status is still `state`."""
    values = {name: bindparam(f"v_{name}", type_=LEDGER.c[name].type) for name in _PLANNED}
    return (update(LEDGER).where(LEDGER.c.id == bindparam("rid"), LEDGER.c.status == state)
            .values(**values, **fixed))


_REARM = _guarded(Status.SUPERSEDED, status=Status.PENDING, lease_owner=None,
                  lease_token=None, lease_until=None)
_REFRESH = _guarded(Status.PENDING)


@dataclass
class Writes:
    """What planning one chunk changes, gathered so it is written in a few statements."""

    new: list[tuple[Any, ...]] = field(default_factory=list)
    rearm: list[dict[str, Any]] = field(default_factory=list)
    refresh: list[dict[str, Any]] = field(default_factory=list)
    superseded: list[int] = field(default_factory=list)


# The columns of a new row, in the order `row_values` gives them; the rest take their
# defaults (NULL: no lease, not sent).
INSERTED = ("idem_key", "task_pk", "recipient", "email", "rule", "kind", "occurrence",
            "date_version", "send_at", "zone", "local_date", "local_time", "status",
            "attempts", "next_attempt_at", "last_error", "possible_duplicate", "payload",
            "created_at")


def row_values(config: Config, w: Wanted, now: dt.datetime) -> tuple[Any, ...]:
    """A new pending row, its values in the order of INSERTED."""
    p = w.planned
    send_at = _send_at(p)
    payload = {**w.payload, "expire_at": p.expire_at.isoformat()} if w.payload \
        else _bare_payload(p)
    return (w.key, w.task_pk, w.recipient, email_of(config, w.recipient), p.rule, p.kind,
            w.occurrence, w.version, send_at, p.zone, p.local_date, p.local_time,
            Status.PENDING.value, 0, send_at, "", False, payload, now)


@lru_cache(maxsize=4096)
def _send_at(planned: Planned) -> dt.datetime:
    # The same plan is shared by every task due that day (see `_plan`): computed once.
    return planned.send_at


@lru_cache(maxsize=4096)
def _bare_payload(planned: Planned) -> dict[str, Any]:
    """The payload of a row with nothing of its own: one object for every row of the same
    plan, so `insert_rows` turns it into JSON once (only ever written, never changed)."""
    return {"expire_at": planned.expire_at.isoformat()}


def _rows_of_keys(session: Session, keys: list[str]) -> dict[str, Any]:
    stmt = select(*_SEEN).where(LEDGER.c.idem_key.in_(keys))
    return {row.idem_key: row for row in session.execute(stmt)}


def _plan_rows(session: Session, config: Config, wanted: dict[str, Wanted], now: dt.datetime,
               writes: Writes, found: dict[str, Any] | None = None) -> None:
    """What writing `wanted` takes, given the rows `found` by key (else read by key, one
    query per CHUNK keys)."""
    keys = [key for key, w in wanted.items() if w.planned.expire_at > now]
    for some in chunks(keys):
        part = found if found is not None else _rows_of_keys(session, some)
        for key in some:
            _want(config, wanted[key], part.get(key), now, writes)


def _want(config: Config, w: Wanted, row: Any, now: dt.datetime, writes: Writes) -> None:
    # A row whose moment has passed is not planned (one already there stays as is).
    if row is None:
        writes.new.append(row_values(config, w, now))
    elif row.status == Status.SUPERSEDED:  # asked for again (e.g. a task reopened): re-arm it
        writes.rearm.append(_bound(row.id, _refreshed(config, row, w)))
    elif row.status == Status.PENDING:  # the send time or a digest's task list changed
        values = _refreshed(config, row, w)
        if any(getattr(row, name) != value for name, value in values.items()):
            writes.refresh.append(_bound(row.id, values))


def _bound(row_id: int, values: dict[str, Any]) -> dict[str, Any]:
    return {"rid": row_id, **{f"v_{name}": value for name, value in values.items()}}


def _refreshed(config: Config, row: Any, w: Wanted) -> dict[str, Any]:
    """A waiting row's plan as the policy and the config say now (the address too)."""
    p = w.planned
    send_at = p.send_at
    return {"send_at": send_at, "local_date": p.local_date, "local_time": p.local_time,
            "zone": p.zone, "next_attempt_at": send_at,
            "email": email_of(config, row.recipient),
            "payload": {**row.payload, **w.payload, "expire_at": p.expire_at.isoformat()}}


# One row per parameter set, by its id: with `id IN (...)` and a status test, SQLite would
# take the status index and read every active row of the ledger instead.
_SUPERSEDE = (update(LEDGER)
              .where(LEDGER.c.id == bindparam("rid"),
                     or_(*(LEDGER.c.status == state for state in ACTIVE)))
              .values(status=Status.SUPERSEDED, last_error=bindparam("why")))


def supersede_ids(session: Session, ids: list[int], now: dt.datetime) -> int:
    """`supersede` for many rows: those still active become superseded (an executemany);
    how many did."""
    if not ids:
        return 0
    why = superseded_values(now)["last_error"]
    found = session.execute(_SUPERSEDE, [{"rid": i, "why": why} for i in ids])
    return max(found.rowcount, 0)  # type: ignore[attr-defined]


def write(session: Session, writes: Writes, now: dt.datetime) -> None:
    """The chunk's writes, one statement per kind (executemany); counted in CHANGED."""
    changed = supersede_ids(session, writes.superseded, now)
    if writes.new:
        insert_rows(session.connection(), LEDGER, INSERTED, writes.new)
        changed += len(writes.new)
    if writes.rearm:
        session.execute(_REARM, writes.rearm)
        changed += len(writes.rearm)
    if writes.refresh:
        session.execute(_REFRESH, writes.refresh)
    session.info[CHANGED] = session.info.get(CHANGED, 0) + changed


def _rows_of_tasks(session: Session, pks: list[int]) -> list[Any]:
    """Every row of these tasks, one query by the task index (the status is tested in
    Python: in SQL, SQLite would scan every active row of the ledger by the status index)."""
    return list(session.execute(select(*_SEEN).where(LEDGER.c.task_pk.in_(pks))))


def plan_chunk(session: Session, config: Config, now: dt.datetime, pks: list[int],
               digests: dict[str, Wanted] | None = None,
               fresh: frozenset[int] = frozenset()) -> bool:
    """Make the undelivered rows of these tasks (at most CHUNK) match the policy: one read
    of the tasks, one of their rows, then one statement per kind of write. Digest rows are
    gathered in `digests`; without it a task whose rows go into a digest makes this return
    False, having written nothing. Tasks in `fresh` were created in this transaction: no
    ledger row can name them yet (the foreign key), so none is looked for."""
    session.flush()  # what the caller changed through the ORM is read back as it is
    tasks = live_tasks(session, pks)
    wanted = wanted_rows(config, tasks, digests)
    if wanted is None:
        return False
    open_tasks = {t.pk for t, _ in tasks if t.status in OPEN_STATUSES and t.pk is not None}
    known = [pk for pk in pks if pk not in fresh]
    rows = _rows_of_tasks(session, known) if known else []
    writes = Writes(superseded=[row.id for row in rows if row.status in ACTIVE
                                and _unwanted(row, wanted, open_tasks)])
    _plan_rows(session, config, wanted, now, writes, {row.idem_key: row for row in rows})
    write(session, writes, now)
    return True


def _active_digests(session: Session) -> list[tuple[int, str]]:
    stmt = select(LEDGER.c.id, LEDGER.c.idem_key).where(  # by the task index, see above
        LEDGER.c.task_pk.is_(None), LEDGER.c.kind == ReminderKind.DIGEST,
        LEDGER.c.status.in_(ACTIVE))
    return [(row.id, row.idem_key) for row in session.execute(stmt)]


def _removed_tasks_rows(session: Session, now: dt.datetime) -> None:
    """Rows of tasks no longer in any file: superseded, in one statement."""
    removed = select(Task.pk).where(col(Task.removed_at).is_not(None))
    stmt = (update(LEDGER).where(LEDGER.c.status.in_(ACTIVE), LEDGER.c.task_pk.in_(removed))
            .values(**superseded_values(now)))
    changed = session.execute(stmt).rowcount  # type: ignore[attr-defined]
    session.info[CHANGED] = session.info.get(CHANGED, 0) + changed


def reconcile(session: Session, config: Config, now: dt.datetime) -> None:
    """Make the undelivered part of the ledger match what the policy asks for now: the live
    tasks a chunk at a time (never all of them, nor all their rows, in memory), then the
    rows of removed tasks, then the weekly digests (which list tasks of every chunk)."""
    digests: dict[str, Wanted] = {}
    pks = live_pks(session)
    for part in chunks(pks):
        plan_chunk(session, config, now, part, digests)
    _removed_tasks_rows(session, now)
    writes = Writes(superseded=[i for i, key in _active_digests(session) if key not in digests])
    _plan_rows(session, config, digests, now, writes)
    write(session, writes, now)


Dates = tuple[dt.date | None, dt.date | None]


class Move(NamedTuple):
    """A task whose dates a file moved (or one `occurrence` of it), and its dates before."""

    task_pk: int
    old: Dates
    occurrence: str = ""


_MOVED_TASK = [TASKS.c[name] for name in (
    "pk", "timeline_id", "owners", "start", "due", "status", "removed_at", "date_version",
    "sequence", "recurrence", "until", "occurrences")]
_MOVED_SEEN = [LEDGER.c[name] for name in (
    "id", "task_pk", "recipient", "occurrence", "status", "payload")]
# A (task, person, occurrence) and the "old" dates of its oldest waiting notice.
Waiting = dict[tuple[int, str, str], tuple[list[int], Dates]]


def _moved_tasks(session: Session, pks: list[int]) -> dict[int, Any]:
    """The tasks as rows (what `_moved_row` and `occurrence_named` read of them)."""
    found: dict[int, Any] = {}
    for part in chunks(pks):
        stmt = select(*_MOVED_TASK).where(TASKS.c.pk.in_(part))
        found.update((row.pk, row) for row in session.execute(stmt))
    return found


def _timeline_owners(session: Session, ids: set[str]) -> dict[str, list[str]]:
    stmt = select(TIMELINES.c.id, TIMELINES.c.owners).where(TIMELINES.c.id.in_(sorted(ids)))
    return {row.id: row.owners for row in session.execute(stmt)} if ids else {}


def _waiting_moved(session: Session, pks: list[int]) -> Waiting:
    """The unsent "moved" notices of these tasks, oldest first, by (task, person,
    occurrence): one query per CHUNK tasks by the task index (statuses tested in Python)."""
    out: Waiting = {}
    for part in chunks(pks):
        stmt = (select(*_MOVED_SEEN)
                .where(LEDGER.c.task_pk.in_(part),
                       LEDGER.c.kind == ReminderKind.MOVED).order_by(LEDGER.c.id))
        for row in session.execute(stmt):
            if row.status in WAITING:
                ids, _ = out.setdefault((row.task_pk, row.recipient, row.occurrence),
                                        ([], payload_dates(row.payload.get("old"))))
                ids.append(row.id)
    return out


def _existing_keys(session: Session, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for part in chunks(keys):
        stmt = select(LEDGER.c.idem_key).where(LEDGER.c.idem_key.in_(part))
        found.update(session.execute(stmt).scalars())
    return found


def _moved_key(task: Any, person: str, occ: Occurrence | None) -> str:
    """An occurrence has no date version of its own: the task's `sequence`, which every
    change of its series bumps, tells one move of it from the next."""
    name = f"{occurrence_key(occ)}~{task.sequence}" if occ else ""
    return idem_key(task.pk, person, "moved", task.date_version, name)


_NOW_COLUMNS = (INSERTED.index("send_at"), INSERTED.index("next_attempt_at"))


def _moved_values(config: Config, task: Any, person: str, old: Dates, now: dt.datetime,
                  occ: Occurrence | None) -> tuple[Any, ...]:
    """A new "moved" row, its values in the order of INSERTED."""
    zone = zone_of(config, person)
    deadline = occ.due if occ else task.due or task.start
    expire = local_instant(deadline + dt.timedelta(days=1), dt.time(0), zone) if deadline \
        else now + dt.timedelta(days=30)
    local = now.astimezone(ZoneInfo(zone))
    planned = Planned("moved", "moved", local.date(), local.time().replace(microsecond=0),
                      zone, max(expire, now + dt.timedelta(hours=1)))
    about = {"occurrence": occ.label, "due": occ.due.isoformat()} if occ else {}
    w = Wanted(_moved_key(task, person, occ), task.pk, person, task.date_version, planned,
               {"old": [d.isoformat() if d else None for d in old], **about},
               occ.label if occ else "")
    values = list(row_values(config, w, now))
    for i in _NOW_COLUMNS:  # news goes out at once, not at the send time
        values[i] = now
    return tuple(values)


@dataclass
class MovedNews:
    """What queuing a batch of "moved" notices reads once and writes at its end."""

    tasks: dict[int, Any]
    owners: dict[str, list[str]]
    waiting: Waiting
    superseded: list[int] = field(default_factory=list)
    new: dict[str, tuple[Any, ...]] = field(default_factory=dict)


def _open_unit(task: Any, occurrence: str) -> tuple[bool, Occurrence | None]:
    """Whether news about the task (or this occurrence of it) is news: it is open."""
    if task.removed_at is not None or task.status not in OPEN_STATUSES:
        return False, None
    if not occurrence:
        return True, None
    occ = occurrence_named(task, occurrence)
    return occ is not None and occ.status in OPEN_STATUSES, occ


def queue_moved(session: Session, config: Config, moves: list[Move], now: dt.datetime) -> None:
    """One "date moved" notice per person each task reaches, about the task or one
    `occurrence` of it; an unsent older notice about the same is folded into it (the owner
    hears old → newest, once, and nothing when the newest is the old date again). Set-based:
    the tasks, their waiting notices and the keys already there are read a chunk at a time,
    the folded notices superseded in one executemany and the new ones inserted in one."""
    if not moves:
        return
    session.flush()  # what the caller changed through the ORM is read back as it is
    pks = sorted({m.task_pk for m in moves})
    tasks = _moved_tasks(session, pks)
    owned = {t.timeline_id for t in tasks.values() if not t.owners}
    news = MovedNews(tasks, _timeline_owners(session, owned), _waiting_moved(session, pks))
    for move in moves:
        _news_of(config, news, move, now)
    taken = _existing_keys(session, list(news.new))
    supersede_ids(session, news.superseded, now)
    insert_rows(session.connection(), LEDGER, INSERTED,
                [values for key, values in news.new.items() if key not in taken])


def _news_of(config: Config, news: MovedNews, move: Move, now: dt.datetime) -> None:
    task = news.tasks.get(move.task_pk)
    if task is None:
        return
    is_open, occ = _open_unit(task, move.occurrence)
    if not is_open:
        return
    current = occ.dates if occ else (task.start, task.due)
    for person in recipients_of(config, task.owners or news.owners.get(task.timeline_id, [])):
        ids, first_old = news.waiting.pop((task.pk, person, move.occurrence), ([], move.old))
        news.superseded += ids
        if first_old == current:
            continue
        key = _moved_key(task, person, occ)
        news.new.setdefault(key, _moved_values(config, task, person, first_old, now, occ))


def payload_dates(raw: Any) -> Dates:
    """(start, due) as a "moved" row's payload keeps them: ISO strings or None."""
    start, due = raw or (None, None)
    return (dt.date.fromisoformat(start) if start else None,
            dt.date.fromisoformat(due) if due else None)


def queue_alert(session: Session, config: Config, key: str, dead_id: int, now: dt.datetime,
                held_until: dt.datetime) -> None:
    """Add a reminder that died to the coordinator's alert for this pass (one mail lists all
    of them), held until the pass releases it (`release_alerts`) or, should the pass never
    end, `held_until`. Called in the transaction that marks it dead, so no death goes
    unreported: a death joins only an alert still waiting (locked meanwhile, so that neither
    another connection's death nor a claim comes between), and otherwise one of its own."""
    waiting = session.exec(select(Reminder).where(*_pass_alerts(key)).order_by(col(Reminder.id))
                           .limit(1).with_for_update()).first()
    if waiting is not None:
        waiting.payload = {**waiting.payload, "reminders": [*waiting.payload["reminders"],
                                                            dead_id]}
        session.add(waiting)
        return
    taken = bool(rows_by_key(session, [key]))  # sent, or in flight: this death needs its own
    session.add(_coordinator_alert(config, f"{key}/{dead_id}" if taken else key, "alert", now,
                                   held_until, {"reminders": [dead_id]}))


def _coordinator_alert(config: Config, key: str, rule: str, now: dt.datetime,
                       due: dt.datetime, payload: dict[str, Any]) -> Reminder:
    """A new alert to the coordinator, made `now` in their zone and due at `due`."""
    zone = zone_of(config, COORDINATOR)
    local = now.astimezone(ZoneInfo(zone))
    return Reminder(
        idem_key=key, task_pk=None, recipient=COORDINATOR, email=config.coordinator.email,
        rule=rule, kind="alert", send_at=now, zone=zone, local_date=local.date(),
        local_time=local.time().replace(microsecond=0), next_attempt_at=due, created_at=now,
        payload=payload)


def _pass_alerts(key: str) -> list[Any]:
    """Which rows are the pass's waiting alerts (`task_pk IS NULL` lets the task index find
    them among the ledger's rows)."""
    return [col(Reminder.task_pk).is_(None), Reminder.kind == ReminderKind.ALERT,
            col(Reminder.status).in_(WAITING), col(Reminder.idem_key).startswith(key)]


def release_alerts(session: Session, key: str, now: dt.datetime) -> int:
    """The pass's held alerts due now (it sent what it could: they list every death)."""
    stmt = (update(Reminder).where(*_pass_alerts(key)).values(next_attempt_at=now)
            .execution_options(synchronize_session=False))
    return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def queue_outage(session: Session, config: Config, detail: str, now: dt.datetime) -> None:
    """The coordinator's one alert for an outage of the mail route: queued when the first
    pass fails to connect, due with the reminders, so it goes out when the route works
    again; while it waits, a further failing pass adds nothing."""
    stmt = select(Reminder.id).where(Reminder.kind == "alert", Reminder.rule == "outage",
                                     col(Reminder.status).in_(ACTIVE))
    if session.exec(stmt).first() is not None:
        return
    session.add(_coordinator_alert(
        config, f"outage:{now.isoformat()}", "outage", now, now,
        {"reminders": [], "outage": stored_detail(detail), "since": now.isoformat()}))
