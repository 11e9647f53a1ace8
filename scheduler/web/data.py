"""What the served pages show, read from the database: the plans as `apply` stored them (with
the owners' "done" already applied), the owners' latest answers, waiting requests, the
current status round's silent owners and the ledger's recent send problems (read only)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from scheduler.answers import rounds, store
from scheduler.pages.build import owner_view
from scheduler.pages.html import timeline_fragment
from scheduler.pages.model import (
    CoordinatorExtras,
    SendProblem,
    SilentOwner,
    WaitingRequest,
)
from scheduler.pages.stored import plan_views
from scheduler.states import ReminderStatus
from timelines.base.i18n import _
from timelines.config import Config, StatusRound
from timelines.model import Reminder, Task

# The ledger's rows that did not go out (yet).
PROBLEMS = (ReminderStatus.DEAD, ReminderStatus.RETRY)
MAX_PROBLEMS = 20


def _name(config: Config, person: str) -> str:
    owner = config.owners.get(person)
    return owner.name if owner else person


def waiting_requests(session: Session, config: Config) -> tuple[WaitingRequest, ...]:
    found = []
    for row in store.requests(session, only_pending=True):
        req = row.request
        task = store.find_task(session, req.timeline_id, req.task_key)
        found.append(WaitingRequest(f"{req.timeline_id}/{req.task_key}",
                                    task.title if task else req.task_key,
                                    _name(config, req.person), req.old_due, req.proposed_due,
                                    req.note))
    return tuple(found)


def current_round(config: Config, today: dt.date) -> StatusRound | None:
    """The round whose window is open today, else the last one held; None before any."""
    open_now = [r for r in config.status_round
                if r.date - dt.timedelta(days=r.days_ahead) <= today <= r.date]
    held = [r for r in config.status_round if r.date < today]
    chosen = open_now or held
    return max(chosen, key=lambda r: r.date) if chosen else None


def silent_owners(session: Session, config: Config, today: dt.date) -> tuple[SilentOwner, ...]:
    found = current_round(config, today)
    if found is None:
        return ()
    _, silent = rounds._silent(session, config, found)
    return tuple(SilentOwner(_name(config, person),
                             len(rounds.round_tasks(session, config, found, person)))
                 for person in silent)


def send_problems(session: Session) -> tuple[SendProblem, ...]:
    """The newest reminders the ledger could not deliver (dead) or will try again (retry)."""
    query = (select(Reminder, Task).join(Task, col(Task.pk) == col(Reminder.task_pk), isouter=True)
             .where(col(Reminder.status).in_(PROBLEMS))
             .order_by(col(Reminder.next_attempt_at).desc()).limit(MAX_PROBLEMS))
    return tuple(_problem(row, task) for row, task in session.exec(query).all())


def _problem(row: Reminder, task: Task | None) -> SendProblem:
    ref = f"{task.timeline_id}/{task.key}" if task else row.rule
    return SendProblem(row.next_attempt_at, row.email or row.recipient, ref,
                       f"{row.status}: {row.last_error}" if row.last_error else row.status)


def extras(session: Session, config: Config, today: dt.date) -> CoordinatorExtras:
    return CoordinatorExtras(waiting_requests(session, config),
                             silent_owners(session, config, today), send_problems(session))


def owner_timeline(session: Session, config: Config, person: str, today: dt.date) -> str:
    """The person's own tasks (and no one else's) on a timeline with its table; "" if none."""
    lang = config.owner_lang(person)
    owner = config.owners.get(person)
    heading = _(lang, "Tasks of {name}", name=owner.name if owner else person)
    view = owner_view(plan_views(session, config, today), person, heading, lang)
    return timeline_fragment(view, today) if view.tasks else ""
