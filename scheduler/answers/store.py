"""Recording answers and reading them back. Every write here is an insert, except the
task's own status (done) and the reminders it stops, which happen in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from scheduler.answers.model import Answer, AnswerMail, RequestDecision, TimeRequest
from scheduler.answers.signing import ActionToken, TokenRefused
from scheduler.planning import WAITING, supersede
from timelines.base.status import OPEN_STATUSES
from timelines.checks import people_for
from timelines.config import Config
from timelines.model import Reminder, Task
from timelines.occurrences import answered_done, occurrence_named


@dataclass(frozen=True)
class Choice:
    """What the owner chose on the confirm page."""

    kind: str  # done | more_time | status
    status: str | None = None  # on_track | delayed | blocked (for kind=status)
    note: str = ""
    proposed: dt.date | None = None  # the new date (for kind=more_time)


def task_people(config: Config, task: Task) -> list[str]:
    """The people a task's owners and participants reach, once each."""
    keys = [p for key in (*task.owners, *task.participants) for p in people_for(config, key)]
    return list(dict.fromkeys(keys))


def find_task(session: Session, timeline_id: str, key: str) -> Task | None:
    query = select(Task).where(Task.timeline_id == timeline_id, Task.key == key,
                               col(Task.removed_at).is_(None))
    return session.exec(query).first()


def task_for(session: Session, config: Config, token: ActionToken) -> Task:
    """The task a token names, if its person is (still) responsible for it."""
    task = find_task(session, token.timeline, token.task)
    if task is None or token.person not in task_people(config, task):
        raise TokenRefused("not_yours")
    return task


def form_used(session: Session, form_id: str) -> bool:
    return session.exec(select(Answer.id).where(Answer.form_id == form_id)).first() is not None


def stop_reminders(session: Session, task_pk: int, now: dt.datetime,
                   occurrence: str | None = None) -> int:
    """Supersede the task's reminders (of one occurrence, when given) that have not gone out
    yet; returns how many."""
    query = select(Reminder).where(Reminder.task_pk == task_pk,
                                   col(Reminder.status).in_(WAITING))
    if occurrence:
        query = query.where(Reminder.occurrence == occurrence)
    rows = list(session.exec(query).all())
    for row in rows:
        supersede(session, row, now)
    return len(rows)


def record(session: Session, config: Config, token: ActionToken, form_id: str,
           choice: Choice, now: dt.datetime) -> Answer:
    """Record one answer (and what it does) in the caller's transaction. A form id that
    already recorded one is refused: a replayed POST changes nothing."""
    task = task_for(session, config, token)
    if form_used(session, form_id):
        raise TokenRefused("replayed")
    answer = Answer(at=now, person=token.person, token_id=token.id, form_id=form_id,
                    timeline_id=task.timeline_id, task_key=task.key, task_pk=task.pk,
                    occurrence=token.occurrence, date_version=task.date_version,
                    kind=choice.kind, note=choice.note.strip())
    _EFFECTS[choice.kind](session, task, answer, choice, now)
    try:
        session.flush()
    except IntegrityError as exc:  # the same form posted twice at the same moment
        raise TokenRefused("replayed") from exc
    if choice.kind == "more_time":
        _request(session, task, answer, choice, now)
    return answer


def _done(session: Session, task: Task, answer: Answer, choice: Choice,
          now: dt.datetime) -> None:
    if task.recurrence and answer.occurrence:
        _occurrence_done(session, task, answer, now)
        return
    answer.old_value, answer.new_value = task.status, "done"
    task.status, task.changed_at = "done", now
    session.add_all([task, answer])
    if task.pk is not None:
        stop_reminders(session, task.pk, now)


def _occurrence_done(session: Session, task: Task, answer: Answer, now: dt.datetime) -> None:
    """One occurrence of a recurring task is done: the others keep their reminders."""
    label = answer.occurrence or ""
    occ = occurrence_named(task, label)
    answer.old_value, answer.new_value = (occ.status if occ else ""), "done"
    close_occurrence(task, label)
    task.changed_at = now
    session.add_all([task, answer])
    if task.pk is not None:
        stop_reminders(session, task.pk, now, label)


def close_occurrence(task: Task, label: str) -> None:
    """Mark one occurrence done on the row, as its owner's (kept through `apply`)."""
    task.occurrences = answered_done(task.occurrences, label)


def _status(session: Session, task: Task, answer: Answer, choice: Choice,
            now: dt.datetime) -> None:
    before = latest_status(session, task.timeline_id, task.key)
    answer.old_value = before.status or "" if before else ""
    answer.status = answer.new_value = choice.status or "on_track"
    task.latest_status = {"status": answer.status, "note": answer.note,
                          "on": now.date().isoformat()}
    task.changed_at = now  # the feeds show it: their Last-Modified moves
    session.add_all([task, answer])


def _more_time(session: Session, task: Task, answer: Answer, choice: Choice,
               now: dt.datetime) -> None:
    answer.old_value = task.due.isoformat() if task.due else ""
    answer.new_value = choice.proposed.isoformat() if choice.proposed else ""
    session.add(answer)


def _request(session: Session, task: Task, answer: Answer, choice: Choice,
             now: dt.datetime) -> None:
    assert answer.id is not None and choice.proposed is not None
    session.add(TimeRequest(answer_id=answer.id, person=answer.person,
                            timeline_id=task.timeline_id, task_key=task.key, old_due=task.due,
                            proposed_due=choice.proposed, note=answer.note, created_at=now))


_EFFECTS = {"done": _done, "status": _status, "more_time": _more_time}


def latest_status(session: Session, timeline_id: str, task_key: str) -> Answer | None:
    """The newest status answer of a task (its note is what the report shows)."""
    query = (select(Answer).where(Answer.timeline_id == timeline_id, Answer.task_key == task_key,
                                  Answer.kind == "status")
             .order_by(col(Answer.at).desc(), col(Answer.id).desc()))
    return session.exec(query).first()


def latest_answers(session: Session, timeline_id: str | None = None) -> dict[tuple[str, str],
                                                                            Answer]:
    """The newest answer of any kind per (timeline, task)."""
    query = select(Answer).order_by(col(Answer.at), col(Answer.id))
    if timeline_id:
        query = query.where(Answer.timeline_id == timeline_id)
    return {(a.timeline_id, a.task_key): a for a in session.exec(query).all()}


def latest_statuses(session: Session) -> dict[tuple[str, str], Answer]:
    """The newest status answer per (timeline, task)."""
    query = select(Answer).where(Answer.kind == "status").order_by(col(Answer.at), col(Answer.id))
    return {(a.timeline_id, a.task_key): a for a in session.exec(query).all()}


def history(session: Session, person: str, limit: int = 50) -> list[Answer]:
    query = (select(Answer).where(Answer.person == person)
             .order_by(col(Answer.at).desc(), col(Answer.id).desc()).limit(limit))
    return list(session.exec(query).all())


def answers_since(session: Session, person: str, since: dt.datetime) -> list[Answer]:
    query = select(Answer).where(Answer.person == person, Answer.at >= since)
    return list(session.exec(query).all())


def _done_now() -> tuple[Any, ...]:
    """An answer "done" given at its task's current date version (a move reopens the task),
    the task not removed: what `kept_done` and `reapply_done` keep done."""
    return (Answer.kind == "done", col(Answer.date_version) == col(Task.date_version),
            col(Task.removed_at).is_(None))


def kept_done(session: Session) -> frozenset[int]:
    """The plain tasks an owner answered done at their current date version: `apply` keeps
    them done, and does not report them changed, while the file still says they are open."""
    query = (select(Task.pk).join(Answer, col(Answer.task_pk) == col(Task.pk))
             .where(*_done_now(), or_(col(Answer.occurrence).is_(None),
                                      col(Answer.occurrence) == "")))
    return frozenset(pk for pk in session.exec(query).all() if pk is not None)


def reapply_done(session: Session) -> set[int]:
    """After `apply`: a task an owner marked done at its current date version stays done
    although the file still says it is open (until `status --write` or the coordinator
    writes it). Moving its date (a new version) reopens it. Returns the tasks it closed."""
    query = (select(Task, Answer).join(Answer, col(Answer.task_pk) == col(Task.pk))
             .where(*_done_now(), col(Task.status).in_(OPEN_STATUSES)))
    closed = set()
    for task, answer in session.exec(query).all():
        if task.recurrence and answer.occurrence:
            occ = occurrence_named(task, answer.occurrence)
            if occ is not None and occ.status in OPEN_STATUSES:
                close_occurrence(task, answer.occurrence)
        else:
            task.status = "done"
        session.add(task)
        if task.pk is not None:
            closed.add(task.pk)
    return closed


@dataclass(frozen=True)
class RequestRow:
    """A request for more time with its decision, if any."""

    request: TimeRequest
    decision: RequestDecision | None

    @property
    def state(self) -> str:
        return self.decision.state if self.decision else "pending"


def requests(session: Session, only_pending: bool = False) -> list[RequestRow]:
    query = (select(TimeRequest, RequestDecision)
             .join(RequestDecision, col(RequestDecision.request_id) == col(TimeRequest.id),
                   isouter=True).order_by(col(TimeRequest.id)))
    rows = [RequestRow(r, d) for r, d in session.exec(query).all()]
    return [r for r in rows if r.decision is None] if only_pending else rows


def request_row(session: Session, request_id: int) -> RequestRow | None:
    found = [r for r in requests(session) if r.request.id == request_id]
    return found[0] if found else None


def decide(session: Session, request_id: int, state: str, who: str, now: dt.datetime,
           note: str = "") -> RequestDecision:
    """The state transition pending → accepted/declined, as a new row (one per request)."""
    row = RequestDecision(request_id=request_id, state=state, decided_by=who, decided_at=now,
                          note=note)
    session.add(row)
    session.flush()
    return row


def mailed(session: Session, key: str) -> bool:
    return session.exec(select(AnswerMail.id).where(AnswerMail.key == key)).first() is not None


def mark_mailed(session: Session, key: str, person: str, now: dt.datetime) -> None:
    session.add(AnswerMail(key=key, person=person, sent_at=now))
