"""Which tasks a feed shows: database rows for an owner, a timeline or a role.

People are resolved through the `owner` and `role` tables (what `apply` last wrote), not the
config in memory, so a running server follows the data without a restart. One feed reads
only its own tasks (`scope_items`: through `task_person` and the timeline index) and the
people they name; `feeds export` reads every task once (`shown_items`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from timelines.model import Owner, Role, Task, TaskPerson, Timeline
from timelines.people import reached


@dataclass(frozen=True)
class Scope:
    """What one feed covers; the filters that are set all apply (an intersection)."""

    owner: str | None = None
    timeline: str | None = None
    role: str | None = None

    def __post_init__(self) -> None:
        if not (self.owner or self.timeline or self.role):
            raise ValueError("a feed needs an owner, a timeline or a role")


@dataclass(frozen=True)
class People:
    """Owner rows and role rows, for names and for who a key reaches."""

    owners: dict[str, Owner]
    roles: dict[str, Role]

    def reached(self, key: str) -> list[str]:
        """Owner keys a task key reaches: the person, or a role's members."""
        return reached(key, self.owners, self.roles)

    def label(self, key: str, timeline_roles: dict[str, str]) -> str:
        """The name a reader knows a key by."""
        if key in self.owners:
            return self.owners[key].name
        role = self.roles.get(key)
        return (role.label if role else "") or timeline_roles.get(key) or key


@dataclass(frozen=True)
class Item:
    """One task with the timeline it belongs to."""

    task: Task
    timeline: Timeline


def load_people(session: Session) -> People:
    owners = {o.key: o for o in session.exec(select(Owner)).all()}
    roles = {r.key: r for r in session.exec(select(Role)).all()}
    return People(owners, roles)


def _in_scope(task: Task, scope: Scope, people: People) -> bool:
    keys = [*task.owners, *task.participants]
    if scope.role and scope.role not in keys:
        return False
    return not scope.owner or any(scope.owner in people.reached(k) for k in keys)


def _still_shown(task: Task, now: dt.datetime, keep: dt.timedelta) -> bool:
    # Removed and cancelled tasks stay a while as CANCELLED so subscribed calendars drop them.
    if task.removed_at is not None:
        return now - task.removed_at <= keep
    return task.status != "cancelled" or now - task.changed_at <= keep


def shown_items(session: Session, now: dt.datetime, cancelled_days: int,
                timeline: str | None = None) -> list[Item]:
    """Every dated task any feed shows (of one timeline when given), removed/cancelled
    ones only within `cancelled_days`."""
    query = select(Task, Timeline).where(Task.timeline_id == Timeline.id)
    if timeline:
        query = query.where(Task.timeline_id == timeline)
    keep = dt.timedelta(days=cancelled_days)
    return [Item(task, tl) for task, tl in session.exec(query).all()
            if (task.due or task.start) and _still_shown(task, now, keep)]


def in_scope(item: Item, scope: Scope, people: People) -> bool:
    """Whether the feed of `scope` shows the item."""
    if scope.timeline and item.task.timeline_id != scope.timeline:
        return False
    return _in_scope(item.task, scope, people)


def select_items(session: Session, scope: Scope, people: People, now: dt.datetime,
                 cancelled_days: int) -> list[Item]:
    """The dated tasks of the scope, removed/cancelled ones only within `cancelled_days`."""
    return [item for item in shown_items(session, now, cancelled_days, scope.timeline)
            if in_scope(item, scope, people)]


def _candidates(scope: Scope, roles: dict[str, Role]) -> list[str] | None:
    """The keys a task of the scope must name (None: any): the role, or the owner and the
    roles they are a member of."""
    if scope.role:
        return [scope.role]
    if scope.owner:
        return [scope.owner, *(key for key, role in roles.items() if scope.owner in role.members)]
    return None


def _scope_rows(session: Session, scope: Scope, roles: dict[str, Role]) -> list[Item]:
    query = select(Task, Timeline).where(Task.timeline_id == Timeline.id)
    if scope.timeline:
        query = query.where(Task.timeline_id == scope.timeline)
    keys = _candidates(scope, roles)
    if keys is not None:
        named = select(TaskPerson.task_pk).where(col(TaskPerson.key).in_(keys))
        query = query.where(col(Task.pk).in_(named))
    return [Item(task, tl) for task, tl in session.exec(query).all()]


def _owners_named(session: Session, keys: set[str]) -> dict[str, Owner]:
    found: dict[str, Owner] = {}
    ordered = sorted(keys)
    for i in range(0, len(ordered), 500):
        stmt = select(Owner).where(col(Owner.key).in_(ordered[i:i + 500]))
        found.update((o.key, o) for o in session.exec(stmt).all())
    return found


def scope_items(session: Session, scope: Scope, now: dt.datetime,
                cancelled_days: int) -> tuple[People, list[Item]]:
    """What one feed shows, read through the indexes: its dated tasks (removed/cancelled
    ones only within `cancelled_days`), and the people they name (the owner rows of those
    keys and of their roles' members: all a feed looks up; roles are few and read whole)."""
    roles = {r.key: r for r in session.exec(select(Role)).all()}
    rows = _scope_rows(session, scope, roles)
    keys = {key for item in rows for key in (*item.task.owners, *item.task.participants)}
    members = {m for key in keys if key in roles for m in roles[key].members}
    people = People(_owners_named(session, keys | members | {scope.owner or ""}), roles)
    keep = dt.timedelta(days=cancelled_days)
    return people, [item for item in rows if (item.task.due or item.task.start)
                    and _still_shown(item.task, now, keep) and in_scope(item, scope, people)]
