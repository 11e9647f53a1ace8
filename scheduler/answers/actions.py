"""The coordinator's side: deciding requests for more time, writing statuses into the files.

A decision is recorded, written into the timeline file (tomlkit: comments kept, a comment
saying who asked and when) and applied in one go: if the changed file does not validate or
apply, the file gets its old text back and nothing is recorded. Then the owner gets one mail.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from scheduler.answers import store
from scheduler.answers.files import TaskNotInFile, edit_task
from scheduler.answers.mail import Outgoing, send_all
from scheduler.answers.model import PROGRESS_LABELS, STATE_WORDS, Answer, AnswerMail
from scheduler.web.views import person_lang
from timelines.base.exceptions import FristvaktError, NotFound
from timelines.base.i18n import N_, _, format_date, translate
from timelines.config import Config
from timelines.db import session_scope
from timelines.model import Timeline
from timelines.project import Project
from timelines.resolve import resolve_timeline
from timelines.sync import apply

LoadProject = Callable[[], Project]


@dataclass(frozen=True)
class Decided:
    request: store.RequestRow
    path: Path | None
    mail_error: str | None


def timeline_path(session: Session, timeline_id: str) -> Path | None:
    row = session.get(Timeline, timeline_id)
    return Path(row.path) if row and row.path else None


def apply_files(session: Session, load: LoadProject, now: dt.datetime) -> None:
    """`apply` in the caller's transaction, reminders re-planned as `fristvakt apply` does."""
    from scheduler.hooks import after_apply

    project = load()
    changes = apply(session, project.config, [resolve_timeline(tl) for tl in project.timelines],
                    now, done=store.kept_done(session))
    after_apply(session, project.config, changes, now)


def _pending(session: Session, request_id: int, lang: str) -> store.RequestRow:
    row = store.request_row(session, request_id)
    if row is None:
        raise NotFound(_(lang, "No request #{id}: see `fristvakt requests`.", id=request_id))
    if row.decision is not None:
        d = row.decision
        raise FristvaktError(_(lang, "Request #{id} was already {state} by {who} on {date}.",
                               id=request_id,
                               state=translate(lang, STATE_WORDS[d.state]),
                               who=d.decided_by, date=d.decided_at.date().isoformat()))
    return row


def _comment(row: store.RequestRow, who: str, now: dt.datetime, lang: str) -> str:
    r = row.request
    return _(lang, "due moved from {old} to {new}: asked by {person} on {asked}, accepted by {who} "
                   "on {decided}", old=r.old_due or "-", new=r.proposed_due,
             person=r.person, asked=r.created_at.date().isoformat(), who=who,
             decided=now.date().isoformat())


def decide_request(config: Config, engine: Engine, load: LoadProject, request_id: int,
                   accept: bool, who: str, now: dt.datetime, lang: str) -> Decided:
    """Accept (write `due`, apply) or decline a pending request, then mail the owner."""
    with session_scope(engine) as session:
        row = _pending(session, request_id, lang)
        path = timeline_path(session, row.request.timeline_id) if accept else None
    old_text = _write_due(row, path, who, now, lang) if path else None
    try:
        with session_scope(engine) as session:
            store.decide(session, request_id, "accepted" if accept else "declined", who, now)
            if path:
                apply_files(session, load, now)
    except BaseException:
        if path and old_text is not None:
            path.write_text(old_text, encoding="utf-8")
        raise
    decided = _reload(engine, request_id)
    return Decided(decided, path, _mail_decision(config, engine, decided, now))


def _write_due(row: store.RequestRow, path: Path, who: str, now: dt.datetime,
               lang: str) -> str:
    r = row.request
    try:
        return edit_task(path, r.task_key, {"due": r.proposed_due}, _comment(row, who, now, lang))
    except TaskNotInFile as exc:
        raise FristvaktError(_(lang, "The timeline file of {timeline} has no task {task}: the "
                                     "request cannot be applied.", timeline=r.timeline_id,
                               task=r.task_key)) from exc


def _reload(engine: Engine, request_id: int) -> store.RequestRow:
    with Session(engine) as session:
        row = store.request_row(session, request_id)
    assert row is not None
    return row


# The owner's mail about a decision: its subject and what it says, per decision.
_DECISION_MAIL = {
    "accepted": (N_("More time granted: {title}"),
                 N_("Your request for more time is accepted. The new deadline is {date}.")),
    "declined": (N_("More time not granted: {title}"),
                 N_("Your request for a new deadline ({date}) is declined; the deadline stays "
                    "{old}.")),
}


def decision_mail(config: Config, row: store.RequestRow, title: str) -> Outgoing | None:
    """The owner's one mail about the decision (None when the person is not in the config)."""
    r, owner = row.request, config.owners.get(row.request.person)
    if owner is None:
        return None
    lang = person_lang(config, r.person)
    old = format_date(r.old_due, lang, "long") if r.old_due else _(lang, "not set")
    subject, said = _DECISION_MAIL[row.state]
    body = translate(lang, said, date=format_date(r.proposed_due, lang, "long"), old=old)
    text = "\n\n".join([_(lang, "Hello {name},", name=owner.name), title, body,
                        _(lang, "Sent automatically by Fristvakt.")])
    return Outgoing(f"decision:{r.id}", r.person, owner.name, str(owner.email), lang,
                    translate(lang, subject, title=title), text)


def _mail_decision(config: Config, engine: Engine, row: store.RequestRow,
                   now: dt.datetime) -> str | None:
    with Session(engine) as session:
        task = store.find_task(session, row.request.timeline_id, row.request.task_key)
        mail = decision_mail(config, row, task.title if task else row.request.task_key)
        if mail is None or store.mailed(session, mail.key):
            return None
    [(_, error)] = send_all(config, [mail], now)
    if error is None:
        with session_scope(engine) as session:
            store.mark_mailed(session, mail.key, mail.person, now)
    return error


def status_values(answer: Answer, lang: str) -> tuple[dict[str, str], str]:
    """What `status --write` puts into the file for an answer, and the comment beside it."""
    label = translate(lang, PROGRESS_LABELS[answer.status]) if answer.status else _(lang, "done")
    note = f" – {answer.note}" if answer.note else ""
    comment = _(lang, "status from {person} on {date}: {status}", person=answer.person,
                date=answer.at.date().isoformat(), status=label + note)
    if answer.kind == "done":
        return {"status": "done"}, comment
    return ({"status": "ongoing"} if answer.status != "blocked" else {}), comment


def recorded(session: Session) -> list[Answer]:
    """The answers `status` shows: each task's newest status or done answer."""
    query = select(Answer).where(Answer.kind != "more_time")
    latest: dict[tuple[str, str], Answer] = {}
    for answer in sorted(session.exec(query).all(), key=lambda a: (a.at, a.id or 0)):
        latest[(answer.timeline_id, answer.task_key)] = answer
    return list(latest.values())


def write_statuses(engine: Engine, load: LoadProject, now: dt.datetime,
                   lang: str) -> tuple[int, int]:
    """Write each task's newest status into its file and apply; returns (tasks, files)."""
    with Session(engine) as session:
        answers = recorded(session)
        paths = {a.timeline_id: timeline_path(session, a.timeline_id) for a in answers}
    written, files = 0, set[Path]()
    for answer in answers:
        path = paths[answer.timeline_id]
        values, comment = status_values(answer, lang)
        if path is None:
            continue
        try:
            edit_task(path, answer.task_key, values or {"status": _file_status(path, answer)},
                      comment)
        except TaskNotInFile:
            continue
        written, files = written + 1, files | {path}
    with session_scope(engine) as session:
        apply_files(session, load, now)
    return written, len(files)


def _file_status(path: Path, answer: Answer) -> str:
    """The status the file already has (a blocked task keeps it; only the comment changes)."""
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    found = [task for task in doc.get("task", []) if task.get("id") == answer.task_key]
    return str(found[0].get("status", "planned")) if found else "planned"


def _last_digest(session: Session) -> dt.datetime | None:
    query = select(AnswerMail).where(col(AnswerMail.key).startswith("requests:"))
    times = [row.sent_at for row in session.exec(query).all()]
    return max(times) if times else None


def requests_mail(config: Config, engine: Engine, now: dt.datetime,
                  today: dt.date) -> Outgoing | None:
    """The coordinator's mail of requests made since the last one (None: nothing new, or one
    went today already)."""
    lang = config.coordinator.lang
    with Session(engine) as session:
        since = _last_digest(session)
        if store.mailed(session, f"requests:{today.isoformat()}"):
            return None
        new = [row for row in store.requests(session, only_pending=True)
               if since is None or row.request.created_at > since]
    if not new:
        return None
    lines = [request_text(lang, row) for row in new]
    body = "\n".join([*lines, "", "fristvakt requests accept|decline ID", "",
                      _(lang, "Sent automatically by Fristvakt.")])
    return Outgoing(f"requests:{today.isoformat()}", "coordinator", config.coordinator.name,
                    str(config.coordinator.email), lang,
                    _(lang, "New requests for more time ({count})", count=len(new)), body)


def request_text(lang: str, row: store.RequestRow) -> str:
    r = row.request
    note = f" – {r.note}" if r.note else ""
    return _(lang,
             "#{id} [{state}] {person}: {timeline}/{task} {old} → {new} (asked {asked}){note}",
             id=r.id,
             state=translate(lang, STATE_WORDS[row.state]), person=r.person,
             timeline=r.timeline_id, task=r.task_key, old=r.old_due or "-", new=r.proposed_due,
             asked=r.created_at.date().isoformat(), note=note)


def send_requests_mail(config: Config, engine: Engine, now: dt.datetime,
                       today: dt.date) -> tuple[int, str | None]:
    """Send the coordinator's requests mail if due; returns (requests listed, error)."""
    mail = requests_mail(config, engine, now, today)
    if mail is None:
        return 0, None
    [(_, error)] = send_all(config, [mail], now)
    if error is None:
        with session_scope(engine) as session:
            store.mark_mailed(session, mail.key, mail.person, now)
    return len([line for line in mail.text.splitlines() if line.startswith("#")]), error
