"""Shared setup of the owners' answer tests: a plan with comments, a server, links."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from conftest import Project
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from test_feed_http import serving

from notifiers.feeds.server import server
from scheduler.answers.links import ActionLinks, links_for
from scheduler.answers.model import Answer, TimeRequest
from scheduler.web.app import answer_routes
from timelines.config import Config, load_config
from timelines.model import Reminder, Task

SECRET = "answers-test-secret-never-in-production"
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
TODAY = NOW.date()

PLAN = """\
# The municipal plan: edited by hand, comments must survive.
[timeline]
id = "kommuneplan"
title = "Handlingsplan for kommuneplanen"
lang = "nb"
ref_year = 2026

[[task]]
id = "innspill"
title = "Send innspill til planen"
section = "Medvirkning"
when = "innen 20. mars 2026"
due = 2026-03-20  # the council meets the week after
owners = ["ola"]
budget = { text = "0,5 mill", nok = 500000 }

[[task]]
id = "analyse"
title = "Kartlegging av næringsareal"
section = "Analyse"
due = 2026-04-15
owners = ["anna"]

[[task]]
id = "vedtak"
title = "Vedtak i kommunestyret"
section = "Vedtak"
due = 2026-06-10
owners = ["ola", "anna"]
"""


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRISTVAKT_FEED_SECRET", SECRET)


def setup_plan(project: Project, text: str = PLAN) -> None:
    """The plan above instead of `init`'s example, applied at NOW."""
    for old in project.timelines.glob("*.toml"):
        old.unlink()
    (project.timelines / "kommuneplan.toml").write_text(text, encoding="utf-8")
    result = project.run("apply", "--now", NOW.isoformat())
    assert result.code == 0, result.err


def config_of(project: Project) -> Config:
    return load_config(project.config)


def links(project: Project, person: str, task: str, today: dt.date = TODAY) -> ActionLinks:
    found = links_for(config_of(project), person, "kommuneplan", task, today)
    assert found is not None
    return found


def with_base(url: str, base: str) -> str:
    """A link made for the config's base_url, pointed at the test server instead."""
    return re.sub(r"^https?://[^/]+", base, url)


@contextmanager
def running(project: Project, engine: Engine, now: dt.datetime = NOW) -> Iterator[str]:
    """The feed server (with the answer pages) on a free loopback port; yields its base URL."""
    srv = server(config_of(project), engine, "127.0.0.1", 0, clock=lambda: now, recheck=0,
                 routes=answer_routes)
    with serving(srv) as base:
        yield base


def answers(engine: Engine) -> list[Answer]:
    with Session(engine) as session:
        return list(session.exec(select(Answer).order_by(col(Answer.id))).all())


def time_requests(engine: Engine) -> list[TimeRequest]:
    with Session(engine) as session:
        return list(session.exec(select(TimeRequest)).all())


def task_row(engine: Engine, key: str) -> Task:
    with Session(engine) as session:
        row = session.exec(select(Task).where(Task.key == key)).one()
        session.expunge(row)
        return row


def waiting_reminders(engine: Engine, key: str) -> list[Reminder]:
    with Session(engine) as session:
        task = session.exec(select(Task).where(Task.key == key)).one()
        query = select(Reminder).where(Reminder.task_pk == task.pk,
                                       col(Reminder.status).in_(("pending", "retry")))
        return list(session.exec(query).all())
