"""The coordinator's served pages over real HTTP (real uvicorn on a loopback port): the login
guards them, wrong passwords are throttled, the overview counts what the answers tables and the
ledger hold, and an owner's own link shows that owner's tasks only."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager

import html5lib
import httpx
import pytest
from conftest import Project
from sqlalchemy.engine import Engine
from sqlmodel import select
from test_owners_support import (  # noqa: F401  (secret_env is a fixture)
    PLAN,
    SECRET,
    TODAY,
    config_of,
    links,
    running,
    secret_env,
    setup_plan,
    with_base,
)

from scheduler.answers import store
from scheduler.answers.links import page_url
from scheduler.answers.signing import Signer
from scheduler.web.auth import Throttle
from timelines.db import session_scope
from timelines.model import Reminder, Task

PASSWORD = "correct horse battery staple"
VARIABLE = "FRISTVAKT_COORDINATOR_PASSWORD"
ANSWERED = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)  # owners answer on this day
LOOKED = dt.datetime(2026, 3, 25, 9, 0, tzinfo=dt.UTC)  # the coordinator looks on this one
ASKED = dt.datetime(2026, 3, 16, 7, 0, tzinfo=dt.UTC)  # the status round asked everyone
DONE_TASK = """
[[task]]
id = "forprosjekt"
title = "Forprosjekt avsluttet"
section = "Analyse"
due = 2026-02-01
status = "done"
owners = ["ola"]
"""
ROUND = """
[[status_round]]
meeting = "Kommunestyret"
date = 2026-03-30
plans = ["kommuneplan"]
days_ahead = 14
remind_days = 3
"""
pytestmark = pytest.mark.usefixtures("secret_env")


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(VARIABLE, PASSWORD)
    return PASSWORD


def login_form(client: httpx.Client, base: str) -> str:
    page = client.get(f"{base}/coordinator/login")
    assert page.status_code == 200
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def try_password(client: httpx.Client, base: str, given: str) -> httpx.Response:
    csrf = login_form(client, base)
    return client.post(f"{base}/coordinator/login",
                       data={"csrf": csrf, "password": given, "next": "/coordinator"})


@contextmanager
def logged_in(base: str) -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        answer = try_password(client, base, PASSWORD)
        assert answer.status_code == 303 and answer.headers["location"] == "/coordinator"
        yield client


def test_without_a_password_the_coordinator_pages_are_off_and_say_how(
        project: Project, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VARIABLE, raising=False)
    setup_plan(project)
    with running(project, engine) as base:
        for path in ("/coordinator", "/coordinator/login", "/coordinator/plans/kommuneplan"):
            answer = httpx.get(base + path)
            assert answer.status_code == 404
            assert VARIABLE in answer.text and "slått av" in answer.text


def test_without_a_login_every_coordinator_page_goes_to_the_login(
        project: Project, engine: Engine, password: str) -> None:
    setup_plan(project)
    with running(project, engine) as base:
        for path in ("/coordinator", "/coordinator/plans/kommuneplan?zoom=month",
                     "/coordinator/wheel/2026"):
            for cookie in ({}, {"fristvakt_session": "forged.cookie.value"}):
                answer = httpx.get(base + path, cookies=cookie)
                assert answer.status_code == 303
                assert answer.headers["location"].startswith("/coordinator/login?next=")
                assert "Handlingsplan" not in answer.text


def test_ten_wrong_passwords_and_further_tries_are_refused(project: Project, engine: Engine,
                                                           password: str) -> None:
    setup_plan(project)
    with running(project, engine) as base, httpx.Client() as client:
        for _ in range(10):
            wrong = try_password(client, base, "guess")
            assert wrong.status_code == 401 and "Feil passord" in wrong.text
            assert "fristvakt_session" not in wrong.headers.get("set-cookie", "")
        refused = try_password(client, base, PASSWORD)  # even the right one, for a while
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
        assert "fristvakt_session" not in refused.headers.get("set-cookie", "")
        assert client.get(f"{base}/coordinator").status_code == 303


def test_the_throttle_lets_an_address_try_again_after_a_while() -> None:
    moment = [0.0]
    throttle = Throttle(limit=10, window=900, clock=lambda: moment[0])
    for _ in range(10):
        throttle.failed("10.0.0.1")
    assert throttle.refused("10.0.0.1") and not throttle.refused("10.0.0.2")
    moment[0] = 901
    assert not throttle.refused("10.0.0.1")


def test_a_login_post_without_its_form_token_is_refused(project: Project, engine: Engine,
                                                       password: str) -> None:
    setup_plan(project)
    with running(project, engine) as base, httpx.Client() as client:
        answer = client.post(f"{base}/coordinator/login",
                             data={"password": PASSWORD, "csrf": "made-up"})
        assert answer.status_code == 403 and "fristvakt_session" not in answer.headers.get(
            "set-cookie", "")


def session_cookie(base: str) -> str:
    """The Set-Cookie of the session a right password gets (the form's cookie sent by hand:
    behind https it is Secure, and this test talks plain http to the loopback)."""
    with httpx.Client() as client:
        csrf = login_form(client, base)
        client.cookies.set("fristvakt_login_csrf", csrf)
        found = client.post(f"{base}/coordinator/login", data={"csrf": csrf, "password": PASSWORD})
    assert found.status_code == 303
    [cookie] = [c for c in found.headers.get_list("set-cookie")
                if c.startswith("fristvakt_session=")]
    return cookie


def test_the_session_cookie_is_httponly_lax_and_secure_behind_https(
        project: Project, engine: Engine, password: str) -> None:
    setup_plan(project)
    with running(project, engine) as base:
        plain = session_cookie(base)
    project.set_config("base_url", '"https://fristvakt.example.no"')
    with running(project, engine) as base:
        secure = session_cookie(base)
    for cookie in (plain, secure):
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert "Path=/coordinator" in cookie
    assert "Secure" not in plain and "Secure" in secure


def answer(base: str, url: str, **fields: str) -> None:
    page = httpx.get(with_base(url, base)).text
    form = re.search(r'name="form" value="([^"]+)"', page)
    assert form, page
    posted = httpx.post(with_base(url, base).split("?")[0], data={"form": form.group(1), **fields})
    assert posted.status_code == 200, posted.text


def seeded(project: Project, engine: Engine) -> None:
    """Ola asks for more time on `innspill` and says `vedtak` is delayed; Anna stays silent
    in the round; `forprosjekt` is done in the file; one reminder to Anna is dead."""
    with project.config.open("a", encoding="utf-8") as handle:
        handle.write(ROUND)
    setup_plan(project, PLAN + DONE_TASK)
    with session_scope(engine) as session:
        for person in ("ola", "anna"):
            store.mark_mailed(session, f"round:2026-03-30:Kommunestyret:ask:{person}", person,
                              ASKED)
        task = session.exec(select(Task).where(Task.key == "analyse")).one()
        row = session.exec(select(Reminder).where(Reminder.task_pk == task.pk)).first()
        assert row is not None
        row.status, row.last_error = "dead", "550 5.1.1 mailbox unavailable"
        session.add(row)
    day = ANSWERED.date()
    with running(project, engine, ANSWERED) as base:
        answer(base, links(project, "ola", "innspill", day).more_time, kind="more_time",
               proposed="2026-04-01", note="Venter på høringssvar")
        answer(base, links(project, "ola", "vedtak", day).status, kind="status",
               status="delayed", note="Saken er utsatt")


def cells(page: str, plan: str) -> list[str]:
    row = re.search(rf'<tr data-plan="{plan}">(.*?)</tr>', page, re.S)
    assert row, page
    return re.findall(r"<td[^>]*>(\d+)</td>", row.group(1))


def test_the_right_password_shows_the_overview_with_the_right_counts(
        project: Project, engine: Engine, password: str) -> None:
    seeded(project, engine)
    with running(project, engine, LOOKED) as base, logged_in(base) as client:
        page = client.get(f"{base}/coordinator")
        plan = client.get(f"{base}/coordinator/plans/kommuneplan?zoom=month")
        wheel = client.get(f"{base}/coordinator/wheel/2026")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    html5lib.HTMLParser(strict=True).parse(page.text)
    # total, done, on track, delayed, overdue, no answer
    assert cells(page.text, "kommuneplan") == ["4", "1", "0", "1", "1", "2"]
    requests = re.search(r'<table class="requests">(.*?)</table>', page.text, re.S)
    assert requests and 'data-task="kommuneplan/innspill"' in requests.group(1)
    assert "Ola Nordmann" in requests.group(1) and "Venter på høringssvar" in requests.group(1)
    silent = re.search(r'<table class="silent">(.*?)</table>', page.text, re.S)
    assert silent and "Anna Svensson" in silent.group(1) and "Ola" not in silent.group(1)
    problems = re.search(r'<table class="problems">(.*?)</table>', page.text, re.S)
    assert problems and "550 5.1.1 mailbox unavailable" in problems.group(1)
    assert 'data-task="kommuneplan/analyse"' in problems.group(1)
    assert plan.status_code == 200 and 'data-zoom="month"' in plan.text
    assert plan.text.count('data-task="kommuneplan/') >= 8  # four marks, four table rows
    assert wheel.status_code == 200 and 'data-due="2026-06-10"' in wheel.text


def test_unknown_plans_and_open_redirects_are_refused(project: Project, engine: Engine,
                                                      password: str) -> None:
    setup_plan(project)
    with running(project, engine) as base, logged_in(base) as client:
        assert client.get(f"{base}/coordinator/plans/nope").status_code == 404
        csrf = login_form(client, base)
        away = client.post(f"{base}/coordinator/login",
                           data={"csrf": csrf, "password": PASSWORD,
                                 "next": "https://evil.example/"})
        assert away.status_code == 303 and away.headers["location"] == "/coordinator"


def marks(page: str) -> set[str]:
    return set(re.findall(r'<g [^>]*data-task="([^"]+)"', page))


def test_an_owners_link_shows_their_tasks_on_a_timeline_and_no_one_elses(
        project: Project, engine: Engine, password: str) -> None:
    setup_plan(project)
    sign = Signer(SECRET.encode())
    config = config_of(project)
    with running(project, engine) as base:
        anna = httpx.get(with_base(page_url(config, sign, "anna", TODAY), base))
        ola = httpx.get(with_base(page_url(config, sign, "ola", TODAY), base))
    assert anna.status_code == ola.status_code == 200
    assert marks(anna.text) == {"kommuneplan/analyse", "kommuneplan/vedtak"}
    assert marks(ola.text) == {"kommuneplan/innspill", "kommuneplan/vedtak"}
    assert "Send innspill til planen" not in anna.text
    assert "Kartlegging av næringsareal" not in ola.text
    assert 'class="gantt"' in anna.text and "/coordinator" not in anna.text
    html5lib.HTMLParser(strict=True).parse(anna.text)


def test_report_html_embeds_the_timeline_with_data_task_marks(project: Project,
                                                              engine: Engine) -> None:
    setup_plan(project)
    target = project.root / "status.html"
    result = project.run("report", "--format", "html", "--as-of", "2026-03-02",
                         "-o", str(target))
    assert result.code == 0, result.err
    page = target.read_text(encoding="utf-8")
    assert 'class="gantt"' in page and "@page{size:A4 landscape" in page
    assert marks(page) == {"kommuneplan/innspill", "kommuneplan/analyse", "kommuneplan/vedtak"}
    html5lib.HTMLParser(strict=True).parse(page)
