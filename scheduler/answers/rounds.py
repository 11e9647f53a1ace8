"""Status rounds before council meetings (`[[status_round]]` in fristvakt.toml).

From `days_ahead` days before the meeting each owner with open tasks in the round's plans gets
one mail listing them all with the answer links; from `remind_days` days before, those who
have not answered since get one reminder, and the coordinator one summary naming them. Each
of these mails goes at most once (its key is recorded when the server took it), so running
`fristvakt status-round` from cron every day is safe.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from scheduler.answers import store
from scheduler.answers.links import page_url, task_links
from scheduler.answers.mail import Outgoing, send_all
from scheduler.answers.model import Answer, AnswerMail
from scheduler.answers.signing import Signer
from scheduler.web.templating import page
from scheduler.web.views import open_tasks, person_lang, task_facts
from timelines.base.i18n import _, format_date
from timelines.config import Config, StatusRound
from timelines.db import session_scope
from timelines.model import Task


@dataclass
class RoundResult:
    meeting: str
    asked: list[str] = field(default_factory=list)
    reminded: list[str] = field(default_factory=list)
    summary: bool = False
    failed: list[tuple[str, str]] = field(default_factory=list)


def round_key(r: StatusRound) -> str:
    return f"round:{r.date.isoformat()}:{r.meeting}"


def round_tasks(session: Session, config: Config, r: StatusRound,
                person: str) -> list[Task]:
    return [task for task in open_tasks(session, config, person)
            if not r.plans or task.timeline_id in r.plans]


def people(session: Session, config: Config, r: StatusRound) -> list[str]:
    """Everyone with an open task in the round's plans, in config order."""
    return [p for p in config.owners if round_tasks(session, config, r, p)]


def _sent_at(session: Session, key: str) -> dt.datetime | None:
    row = session.exec(select(AnswerMail).where(AnswerMail.key == key)).first()
    return row.sent_at if row else None


def answered(session: Session, r: StatusRound, person: str, since: dt.datetime) -> bool:
    """Has the person answered anything about the round's plans since they were asked?"""
    query = select(Answer).where(Answer.person == person, col(Answer.at) >= since)
    return any(not r.plans or a.timeline_id in r.plans for a in session.exec(query).all())


def _ask_mail(session: Session, config: Config, sign: Signer, r: StatusRound, person: str,
              today: dt.date, reminder: bool) -> Outgoing:
    lang = person_lang(config, person)
    owner = config.owners[person]
    tasks = [{**task_facts(session, task, lang, today),
              "links": task_links(config, sign, person, task.timeline_id, task.key, today)}
             for task in round_tasks(session, config, r, person)]
    day = format_date(r.date, lang, "long")
    subject = (_(lang, "Reminder: status before {meeting} ({date})", meeting=r.meeting, date=day)
               if reminder else _(lang, "Status before {meeting} ({date})", meeting=r.meeting,
                                  date=day))
    values: dict[str, Any] = {"name": owner.name, "subject": subject, "tasks": tasks,
                              "intro": _(lang, "Before {meeting} on {date}, please give the status "
                                               "of each of your open tasks below.",
                                         meeting=r.meeting, date=day),
                              "mine": page_url(config, sign, person, today)}
    kind = "remind" if reminder else "ask"
    return Outgoing(f"{round_key(r)}:{kind}:{person}", person, owner.name, str(owner.email),
                    lang, subject, page("round_mail.txt.j2", lang, **values),
                    page("round_mail.html.j2", lang, **values))


def _summary_mail(config: Config, r: StatusRound, asked: list[str],
                  silent: list[str]) -> Outgoing:
    lang = config.coordinator.lang
    day = format_date(r.date, lang, "long")
    names = [f"- {config.owners[p].name} <{config.owners[p].email}>" for p in silent]
    lines = [_(lang, "Status round before {meeting} on {date}. Asked: {asked}. Not answered yet:",
               meeting=r.meeting, date=day,
               asked=len(asked)), *(names or [_(lang, "Everyone has answered.")]),
             "", _(lang, "Sent automatically by Fristvakt.")]
    return Outgoing(f"{round_key(r)}:summary", "coordinator", config.coordinator.name,
                    str(config.coordinator.email), lang,
                    _(lang, "Status round {meeting}: {count} without answer", meeting=r.meeting,
                      count=len(silent)), "\n".join(lines))


def _deliver(config: Config, engine: Engine, mails: list[Outgoing], now: dt.datetime,
             result: RoundResult) -> list[str]:
    """Send and record each mail; returns the people whose mail went."""
    sent = []
    for mail, error in send_all(config, mails, now):
        if error is None:
            with session_scope(engine) as session:
                store.mark_mailed(session, mail.key, mail.person, now)
            sent.append(mail.person)
        else:
            result.failed.append((mail.person, error))
    return sent


def run_round(config: Config, engine: Engine, sign: Signer, r: StatusRound,
              now: dt.datetime, today: dt.date) -> RoundResult:
    """Do what is due today for one round (nothing before its window or after the meeting)."""
    result = RoundResult(r.meeting)
    if not r.date - dt.timedelta(days=r.days_ahead) <= today <= r.date:
        return result
    with Session(engine) as session:
        everyone = people(session, config, r)
        asks = [_ask_mail(session, config, sign, r, p, today, False) for p in everyone
                if not store.mailed(session, f"{round_key(r)}:ask:{p}")]
    result.asked = _deliver(config, engine, asks, now, result)
    if today >= r.date - dt.timedelta(days=r.remind_days):
        _remind(config, engine, sign, r, now, today, result)
    return result


def _silent(session: Session, config: Config, r: StatusRound) -> tuple[list[str], list[str]]:
    """(asked, silent): who was asked in this round, and who has not answered since."""
    asked, silent = [], []
    for person in config.owners:
        since = _sent_at(session, f"{round_key(r)}:ask:{person}")
        if since is not None:
            asked.append(person)
            if not answered(session, r, person, since):
                silent.append(person)
    return asked, silent


def _remind(config: Config, engine: Engine, sign: Signer, r: StatusRound, now: dt.datetime,
            today: dt.date, result: RoundResult) -> None:
    with Session(engine) as session:
        asked, silent = _silent(session, config, r)
        reminders = [_ask_mail(session, config, sign, r, p, today, True) for p in silent
                     if not store.mailed(session, f"{round_key(r)}:remind:{p}")]
        summary_due = asked and not store.mailed(session, f"{round_key(r)}:summary")
    result.reminded = _deliver(config, engine, reminders, now, result)
    if summary_due:
        result.summary = bool(_deliver(config, engine, [_summary_mail(config, r, asked, silent)],
                                       now, result))


def run_rounds(config: Config, engine: Engine, sign: Signer, now: dt.datetime,
               today: dt.date) -> list[RoundResult]:
    return [run_round(config, engine, sign, r, now, today) for r in config.status_round]
