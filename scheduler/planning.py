"""Turning tasks into ledger rows, inside the transaction that changed the tasks.

Every apply reconciles the whole ledger with the policy: rows the policy no longer asks for
(moved dates, done, removed, other owners) are superseded, missing ones are inserted. The cost
follows the open tasks and the pending rows, never the history of sent rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
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
from timelines.model import Reminder, Task, Timeline
from timelines.occurrences import Occurrence, occurrence_named, occurrences_of

CHUNK = 500
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


def task_policy(config: Config, task: Task, timeline: Timeline) -> Policy:
    return config.policy.overridden(timeline.policy, task.policy)


def _units(task: Task) -> Iterator[tuple[TaskDates, Occurrence | None]]:
    """What gets reminders of its own: the task, or each occurrence of a recurring one."""
    if not task.recurrence:
        yield TaskDates(task.start, task.due, task.status), None
        return
    for occ in occurrences_of(task):
        yield TaskDates(occ.start, occ.due, occ.status), occ


def _task_rows(config: Config, task: Task, timeline: Timeline) -> Iterator[tuple[Wanted, bool]]:
    """(row, goes into the weekly digest) for every message the task gets."""
    assert task.pk is not None
    policy = task_policy(config, task, timeline)
    for person in recipients_of(config, task.owners or timeline.owners):
        for dates, occ in _units(task):
            name = occurrence_key(occ) if occ else ""
            payload = {"occurrence": occ.label, "due": occ.due.isoformat()} if occ else {}
            for planned in plan_task(policy, dates, zone_of(config, person)):
                key = idem_key(task.pk, person, planned.rule, task.date_version, name)
                digest = policy.digest == "weekly" and planned.kind != ReminderKind.OVERDUE
                yield Wanted(key, task.pk, person, task.date_version, planned, dict(payload),
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


def live_tasks(session: Session) -> list[tuple[Task, Timeline]]:
    stmt = select(Task, Timeline).join(Timeline, col(Task.timeline_id) == col(Timeline.id))
    rows = session.exec(stmt.where(col(Task.removed_at).is_(None))).all()
    return [(task, tl) for task, tl in rows]


def wanted_rows(config: Config, tasks: Iterable[tuple[Task, Timeline]]) -> dict[str, Wanted]:
    """Every row the policy asks for, by idempotency key; digest rows list their tasks (and
    occurrences)."""
    out: dict[str, Wanted] = {}
    for task, timeline in tasks:
        for w, digest in _task_rows(config, task, timeline):
            if not digest:
                out[w.key] = w
                continue
            d = _digest_row(task_policy(config, task, timeline), w)
            _list_in_digest(out.setdefault(d.key, d).payload, task.pk, w.occurrence)
    return out


def active_rows(session: Session) -> list[Reminder]:
    """Rows not yet sent, claimed ones included (through the status index)."""
    return list(session.exec(select(Reminder).where(col(Reminder.status).in_(ACTIVE))).all())


def rows_by_key(session: Session, keys: list[str]) -> dict[str, Reminder]:
    found: dict[str, Reminder] = {}
    for i in range(0, len(keys), CHUNK):
        stmt = select(Reminder).where(col(Reminder.idem_key).in_(keys[i:i + CHUNK]))
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


def supersede(session: Session, row: Reminder, now: dt.datetime) -> bool:
    """Only a row not yet delivered becomes superseded (one sent meanwhile stays sent). A
    claimed row keeps its lease token: its worker, if it sends anyway, records the send as
    `sent-after-supersede`, and its own fenced marks no longer match."""
    session.flush()
    return compare_and_set(session, row, ACTIVE, status=Status.SUPERSEDED,
                           last_error=f"superseded at {now.isoformat()}")


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


def _unwanted(row: Reminder, wanted: dict[str, Wanted], open_tasks: set[int]) -> bool:
    if row.kind == "moved":  # news about a task that is done or gone is no news
        return row.task_pk not in open_tasks
    return row.kind != "alert" and row.idem_key not in wanted


def reconcile(session: Session, config: Config, now: dt.datetime) -> None:
    """Make the undelivered part of the ledger match what the policy asks for now."""
    tasks = live_tasks(session)
    wanted = wanted_rows(config, tasks)
    open_tasks = {t.pk for t, _ in tasks if t.status in OPEN_STATUSES and t.pk is not None}
    for row in active_rows(session):
        if _unwanted(row, wanted, open_tasks):
            supersede(session, row, now)
    existing = rows_by_key(session, list(wanted))
    for key, w in wanted.items():
        _write_wanted(session, config, w, existing.get(key), now)


def _write_wanted(session: Session, config: Config, w: Wanted, row: Reminder | None,
                  now: dt.datetime) -> None:
    if w.planned.expire_at <= now:
        return  # its moment has passed: nothing to plan (a row already there stays as is)
    if row is None:
        session.add(new_row(config, w, now))
    elif row.status == Status.SUPERSEDED:  # asked for again (e.g. a task reopened): re-arm it
        compare_and_set(session, row, (Status.SUPERSEDED,), status=Status.PENDING,
                        lease_owner=None, lease_token=None, lease_until=None,
                        **_refreshed(config, row, w))
    elif row.status == Status.PENDING:  # the send time or a digest's task list changed
        values = _refreshed(config, row, w)
        if any(getattr(row, name) != value for name, value in values.items()):
            compare_and_set(session, row, (Status.PENDING,), **values)


def _refreshed(config: Config, row: Reminder, w: Wanted) -> dict[str, Any]:
    """A waiting row's plan as the policy and the config say now (the address too)."""
    p = w.planned
    return {"send_at": p.send_at, "local_date": p.local_date, "local_time": p.local_time,
            "zone": p.zone, "next_attempt_at": p.send_at,
            "email": email_of(config, row.recipient),
            "payload": {**row.payload, **w.payload, "expire_at": p.expire_at.isoformat()}}


Dates = tuple[dt.date | None, dt.date | None]


def _pending_moved(session: Session, task_pk: int, person: str,
                   occurrence: str = "") -> list[Reminder]:
    stmt = select(Reminder).where(Reminder.task_pk == task_pk, Reminder.recipient == person,
                                  Reminder.kind == ReminderKind.MOVED,
                                  Reminder.occurrence == occurrence,
                                  col(Reminder.status).in_(WAITING))
    return list(session.exec(stmt.order_by(col(Reminder.id))).all())


def _moved_key(task: Task, person: str, occ: Occurrence | None) -> str:
    """An occurrence has no date version of its own: the task's `sequence`, which every
    change of its series bumps, tells one move of it from the next."""
    assert task.pk is not None
    name = f"{occurrence_key(occ)}~{task.sequence}" if occ else ""
    return idem_key(task.pk, person, "moved", task.date_version, name)


def _moved_row(config: Config, task: Task, person: str, old: Dates, now: dt.datetime,
               occ: Occurrence | None) -> Reminder:
    assert task.pk is not None
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
    row = new_row(config, w, now)
    row.send_at = row.next_attempt_at = now  # news goes out at once, not at the send time
    return row


def queue_moved(session: Session, config: Config, task_pk: int, old: Dates,
                now: dt.datetime, occurrence: str = "") -> None:
    """One "date moved" notice per person the task reaches, about the task or one
    `occurrence` of it; an unsent older notice about the same is folded into it (the owner
    hears old → newest, once, and nothing when the newest is the old date again)."""
    task = session.get(Task, task_pk)
    if task is None or task.removed_at is not None or task.status not in OPEN_STATUSES:
        return
    occ = occurrence_named(task, occurrence) if occurrence else None
    if occurrence and (occ is None or occ.status not in OPEN_STATUSES):
        return  # news about an occurrence that is done or gone is no news
    timeline = session.get(Timeline, task.timeline_id)
    owners = task.owners or (timeline.owners if timeline else [])
    for person in recipients_of(config, owners):
        earlier = _pending_moved(session, task_pk, person, occurrence)
        first_old = payload_dates(earlier[0].payload.get("old")) if earlier else old
        for row in earlier:
            supersede(session, row, now)
        if first_old == (occ.dates if occ else (task.start, task.due)):
            continue
        if not rows_by_key(session, [_moved_key(task, person, occ)]):
            session.add(_moved_row(config, task, person, first_old, now, occ))


def payload_dates(raw: Any) -> Dates:
    """(start, due) as a "moved" row's payload keeps them: ISO strings or None."""
    start, due = raw or (None, None)
    return (dt.date.fromisoformat(start) if start else None,
            dt.date.fromisoformat(due) if due else None)


def queue_alert(session: Session, config: Config, key: str, dead_id: int,
                now: dt.datetime) -> None:
    """Add a reminder that died to the coordinator's alert for this batch (one mail lists
    all of them). Called in the transaction that marks it dead, so no death goes unreported."""
    found = rows_by_key(session, [key]).get(key)
    if found is not None:
        found.payload = {**found.payload, "reminders": [*found.payload["reminders"], dead_id]}
        session.add(found)
        return
    zone = zone_of(config, COORDINATOR)
    local = now.astimezone(ZoneInfo(zone))
    session.add(Reminder(
        idem_key=key, task_pk=None, recipient=COORDINATOR, email=config.coordinator.email,
        rule="alert", kind="alert", send_at=now, zone=zone, local_date=local.date(),
        local_time=local.time().replace(microsecond=0), next_attempt_at=now, created_at=now,
        payload={"reminders": [dead_id]}))


def queue_outage(session: Session, config: Config, detail: str, now: dt.datetime) -> None:
    """The coordinator's one alert for an outage of the mail route: queued when the first
    pass fails to connect, due with the reminders, so it goes out when the route works
    again; while it waits, a further failing pass adds nothing."""
    stmt = select(Reminder.id).where(Reminder.kind == "alert", Reminder.rule == "outage",
                                     col(Reminder.status).in_(ACTIVE))
    if session.exec(stmt).first() is not None:
        return
    zone = zone_of(config, COORDINATOR)
    local = now.astimezone(ZoneInfo(zone))
    session.add(Reminder(
        idem_key=f"outage:{now.isoformat()}", task_pk=None, recipient=COORDINATOR,
        email=config.coordinator.email, rule="outage", kind="alert", send_at=now, zone=zone,
        local_date=local.date(), local_time=local.time().replace(microsecond=0),
        next_attempt_at=now, created_at=now,
        payload={"reminders": [], "outage": detail[:2000], "since": now.isoformat()}))
