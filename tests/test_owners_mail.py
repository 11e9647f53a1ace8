"""The answer buttons in real reminders from `run --once` through a real SMTP server."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest
from conftest import Project
from smtp_server import SmtpServer
from sqlalchemy.engine import Engine
from test_owners_cli import use_smtp
from test_owners_support import (  # noqa: F401  (secret_env is a fixture)
    NOW,
    answers,
    running,
    secret_env,
    setup_plan,
    task_row,
    time_requests,
    waiting_reminders,
    with_base,
)

pytestmark = pytest.mark.usefixtures("secret_env")
REMINDER_DAY = dt.datetime(2026, 3, 6, 9, 0, tzinfo=dt.UTC)  # 14 days before 20 March
LINK = re.compile(r"https?://[^\s\"<>]+")


def reminders(project: Project, smtp: SmtpServer, when: dt.datetime) -> list[str]:
    use_smtp(project, smtp)
    result = project.run("run", "--once", "--now", when.isoformat())
    assert result.code == 0, result.err
    return [m.parsed().get_body(("plain",)).get_content() for m in smtp.messages]


def links_in(text: str) -> list[str]:
    return [url for url in LINK.findall(text) if "/a/" in url or "/me/" in url]


def test_a_reminder_carries_the_three_buttons_and_the_owner_page(
        project: Project, engine: Engine, smtp: SmtpServer) -> None:
    setup_plan(project)
    [text] = reminders(project, smtp, REMINDER_DAY)
    assert "Send innspill til planen" in text
    for label in ("Ferdig: http", "Trenger mer tid: http", "Gi status: http",
                  "Alle mine oppgaver: http"):
        assert label in text
    [html] = [m.parsed().get_body(("html",)).get_content() for m in smtp.messages]
    assert html.count('href="http://127.0.0.1:8080/a/') == 3


def test_a_scanner_fetching_every_link_of_a_real_mail_changes_nothing(
        project: Project, engine: Engine, smtp: SmtpServer) -> None:
    setup_plan(project)
    [text] = reminders(project, smtp, REMINDER_DAY)
    found = links_in(text)
    assert len(found) == 4
    with running(project, engine, REMINDER_DAY) as base:
        for url in found:
            assert httpx.get(with_base(url, base), follow_redirects=True).status_code == 200
    assert answers(engine) == [] and time_requests(engine) == []
    assert task_row(engine, "innspill").status == "planned"
    assert waiting_reminders(engine, "innspill")  # the 3-working-day reminder still waits


def test_done_from_the_mail_stops_the_next_reminder(project: Project, engine: Engine,
                                                    smtp: SmtpServer) -> None:
    setup_plan(project)
    [text] = reminders(project, smtp, REMINDER_DAY)
    done = next(url for url in links_in(text) if url.endswith("do=done"))
    with running(project, engine, REMINDER_DAY) as base:
        page = httpx.get(with_base(done, base)).text
        form = re.search(r'name="form" value="([^"]+)"', page)
        assert form is not None
        posted = httpx.post(with_base(done, base).split("?")[0],
                            data={"form": form.group(1), "kind": "done"})
    assert posted.status_code == 200
    assert task_row(engine, "innspill").status == "done"
    assert waiting_reminders(engine, "innspill") == []
    later = project.run("run", "--once", "--now", "2026-03-20T09:00:00+00:00")
    assert later.code == 0
    assert len(smtp.messages) == 1
