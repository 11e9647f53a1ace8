"""Which tasks a feed shows: database rows for an owner, a timeline or a role.

People are resolved through the `owner` and `role` tables (what `apply` last wrote), not the
config in memory, so a running server follows the data without a restart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from timelines.model import Owner, Role, Task, Timeline
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
