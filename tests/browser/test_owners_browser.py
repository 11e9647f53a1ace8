"""Owners answer from a real reminder in a real browser: Playwright driving Debian's Chromium.

Without /usr/bin/chromium these tests skip with a reason, except under CI=true, where they
fail: `.ci/run` installs Chromium first.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import icalendar
import pytest
from conftest import Project
from smtp_server import SmtpServer, smtp_server
from sqlalchemy.engine import Engine
from test_owners_cli import use_smtp
from test_owners_support import (  # noqa: F401  (secret_env is a fixture)
    answers,
    running,
    secret_env,
    setup_plan,
    task_row,
    time_requests,
    waiting_reminders,
    with_base,
)

from notifiers.calendar.feed import Scope
from notifiers.feeds import tokens
from timelines.config import load_config
from timelines.db import session_scope

# The variable exists for the contract test (test_browser_contract.py) only.
CHROMIUM = Path(os.environ.get("FRISTVAKT_TEST_CHROMIUM", "/usr/bin/chromium"))
REMINDER_DAY = dt.datetime(2026, 3, 6, 9, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.usefixtures("secret_env")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but no Chromium at {CHROMIUM}: .ci/run installs it")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


def in_thread(project: Project, *args: str) -> int:
    """A command that runs its own event loop, off the thread Playwright's loop runs on."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: project.run(*args).code).result()


def button_links(project: Project, smtp: SmtpServer) -> dict[str, str]:
    """The reminder `run --once` sends, its HTML buttons by label."""
    use_smtp(project, smtp)
    assert in_thread(project, "run", "--once", "--now", REMINDER_DAY.isoformat()) == 0
    [message] = smtp.messages
    html = message.parsed().get_body(("html",)).get_content()
    found = re.findall(r'<a class="button"[^>]*href="([^"]+)"[^>]*>([^<]+)</a>', html)
    return {label: url.replace("&amp;", "&") for url, label in found}


def test_done_from_the_reminder_stops_reminders_and_shows_in_the_feed(
        project: Project, engine: Engine, smtp: SmtpServer, browser: object) -> None:
    setup_plan(project)
    links = button_links(project, smtp)
    assert set(links) == {"Ferdig", "Trenger mer tid", "Gi status"}
    with session_scope(engine) as session:
        feed_token = tokens.create(session, load_config(project.config), Scope(owner="ola"),
                                   REMINDER_DAY)
    with running(project, engine, REMINDER_DAY) as base:
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(with_base(links["Ferdig"], base))
        assert answers(engine) == []  # the page alone records nothing
        page.get_by_role("button", name="Bekreft: ferdig").click()
        page.wait_for_selector("text=Takk, svaret ditt er registrert")
        feed = httpx.get(f"{base}/feeds/{feed_token}.ics").content
    assert task_row(engine, "innspill").status == "done"
    assert waiting_reminders(engine, "innspill") == []
    plan = project.run("plan", "--json", "--now", REMINDER_DAY.isoformat())
    assert "innspill" not in plan.out
    events = icalendar.Calendar.from_ical(feed).walk("VEVENT")
    summaries = [str(event["SUMMARY"]) for event in events]
    assert "✓ Send innspill til planen" in summaries


def test_more_time_through_the_coordinators_accept_to_the_files_new_due(
        project: Project, engine: Engine, smtp: SmtpServer, browser: object) -> None:
    setup_plan(project)
    links = button_links(project, smtp)
    with running(project, engine, REMINDER_DAY) as base:
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(with_base(links["Trenger mer tid"], base))
        page.fill("#proposed", "2026-04-17")
        page.fill("#note-more", "Høringsfristen er flyttet")
        page.get_by_role("button", name="Be om mer tid").click()
        page.wait_for_selector("text=Takk, svaret ditt er registrert")
    [request] = time_requests(engine)
    assert request.proposed_due == dt.date(2026, 4, 17)
    assert task_row(engine, "innspill").due == dt.date(2026, 3, 20)  # not before the decision
    assert in_thread(project, "requests", "accept", str(request.id), "--now",
                     REMINDER_DAY.isoformat()) == 0
    text = (project.timelines / "kommuneplan.toml").read_text(encoding="utf-8")
    assert "# The municipal plan: edited by hand, comments must survive." in text
    assert "the council meets the week after" in text
    assert tomllib.loads(text)["task"][0]["due"] == dt.date(2026, 4, 17)
    assert task_row(engine, "innspill").due == dt.date(2026, 4, 17)
    decision = smtp.messages[-1].parsed()
    assert "Mer tid innvilget" in str(decision["Subject"])


def test_give_status_records_it_for_the_status_and_the_report(
        project: Project, engine: Engine, smtp: SmtpServer, browser: object) -> None:
    setup_plan(project)
    links = button_links(project, smtp)
    with running(project, engine, REMINDER_DAY) as base:
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(with_base(links["Gi status"], base))
        page.get_by_label("Forsinket").check()
        page.fill("#note-status", "Venter på kommunestyret")
        page.get_by_role("button", name="Send status").click()
        page.wait_for_selector("text=Takk, svaret ditt er registrert")
    [answer] = answers(engine)
    assert (answer.kind, answer.status, answer.note) == ("status", "delayed",
                                                        "Venter på kommunestyret")
    assert task_row(engine, "innspill").status == "planned"
    listed = project.run("status")
    assert "Forsinket" in listed.out and "Venter på kommunestyret" in listed.out
    report = project.run("report", "--format", "md", "--as-of", "2026-03-06")
    assert "Forsinket: Venter på kommunestyret" in report.out


def test_the_owner_page_fits_a_phone(project: Project, engine: Engine, smtp: SmtpServer,
                                     browser: object) -> None:
    setup_plan(project)
    button_links(project, smtp)
    body = smtp.messages[0].parsed().get_body(("plain",)).get_content()
    page_link = re.search(r"Alle mine oppgaver: (\S+)", body)
    assert page_link is not None
    with running(project, engine, REMINDER_DAY) as base:
        phone = browser.new_page(viewport={"width": 375, "height": 740})  # type: ignore[attr-defined]
        phone.goto(with_base(page_link.group(1), base))
        assert phone.inner_text("h1") == "Mine oppgaver"
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375
        button = phone.get_by_role("link", name="Ferdig").first.bounding_box()
        assert button is not None and button["height"] >= 44
