"""The answer pages over real HTTP: GET shows, only the page's POST records (acceptance 2)."""

from __future__ import annotations

import datetime as dt
import re

import html5lib
import httpx
import pytest
from conftest import Project
from sqlalchemy.engine import Engine
from test_owners_support import (  # noqa: F401  (secret_env is a fixture)
    NOW,
    TODAY,
    answers,
    links,
    running,
    secret_env,
    setup_plan,
    task_row,
    time_requests,
    waiting_reminders,
    with_base,
)

from scheduler.answers.signing import Signer

pytestmark = pytest.mark.usefixtures("secret_env")


def form_token(page: str) -> str:
    found = re.search(r'name="form" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def strict_parse(page: str) -> None:
    html5lib.HTMLParser(strict=True).parse(page)


def post(url: str, **fields: str) -> httpx.Response:
    return httpx.post(url.split("?")[0], data=fields)


def test_get_shows_a_confirm_page_in_the_owners_language_and_records_nothing(
        project: Project, engine: Engine) -> None:
    setup_plan(project)
    with running(project, engine) as base:
        ola = httpx.get(with_base(links(project, "ola", "innspill").done, base))
        anna = httpx.get(with_base(links(project, "anna", "analyse").status, base))
    assert ola.status_code == 200 and anna.status_code == 200
    assert "Send innspill til planen" in ola.text and "Bekreft: ferdig" in ola.text
    assert "20. mars 2026" in ola.text and 'method="post"' in ola.text
    assert "Ge status" not in anna.text and "Skicka status" in anna.text
    strict_parse(ola.text)
    strict_parse(anna.text)
    assert ola.headers["cache-control"] == "no-store"
    assert answers(engine) == []
    assert task_row(engine, "innspill").status == "planned"


def test_every_link_fetched_by_a_scanner_changes_nothing(project: Project,
                                                         engine: Engine) -> None:
    setup_plan(project)
    before = len(waiting_reminders(engine, "innspill"))
    found = links(project, "ola", "innspill")
    with running(project, engine) as base:
        for url in (found.done, found.more_time, found.status, found.mine):
            for method in ("GET", "HEAD"):
                assert httpx.request(method, with_base(url, base)).status_code == 200
    assert answers(engine) == [] and time_requests(engine) == []
    assert task_row(engine, "innspill").status == "planned"
    assert len(waiting_reminders(engine, "innspill")) == before > 0


def test_confirming_done_records_it_and_stops_the_reminders(project: Project,
                                                            engine: Engine) -> None:
    setup_plan(project)
    url = links(project, "ola", "innspill").done
    with running(project, engine) as base:
        page = httpx.get(with_base(url, base)).text
        done = post(with_base(url, base), form=form_token(page), kind="done", note="Sendt")
    assert done.status_code == 200 and "Takk" in done.text
    strict_parse(done.text)
    [answer] = answers(engine)
    assert (answer.person, answer.kind, answer.old_value, answer.new_value, answer.note) == (
        "ola", "done", "planned", "done", "Sendt")
    assert answer.at == NOW and answer.token_id and answer.task_key == "innspill"
    assert task_row(engine, "innspill").status == "done"
    assert waiting_reminders(engine, "innspill") == []


def test_more_time_and_status_are_recorded_with_old_and_new_values(project: Project,
                                                                  engine: Engine) -> None:
    setup_plan(project)
    more = links(project, "anna", "analyse").more_time
    status = links(project, "anna", "analyse").status
    new_day = (TODAY + dt.timedelta(days=60)).isoformat()
    with running(project, engine) as base:
        page = httpx.get(with_base(more, base)).text
        assert post(with_base(more, base), form=form_token(page), kind="more_time",
                    proposed=new_day, note="Venter på data").status_code == 200
        page = httpx.get(with_base(status, base)).text
        assert post(with_base(status, base), form=form_token(page), kind="status",
                    status="delayed", note="Data kommer sent").status_code == 200
    first, second = answers(engine)
    assert (first.kind, first.old_value, first.new_value) == ("more_time", "2026-04-15", new_day)
    assert (second.kind, second.status, second.note) == ("status", "delayed", "Data kommer sent")
    [request] = time_requests(engine)
    assert (request.person, request.proposed_due, request.old_due) == (
        "anna", dt.date.fromisoformat(new_day), dt.date(2026, 4, 15))
    assert task_row(engine, "analyse").status == "planned"  # nothing decided yet


def _tampered(token_url: str) -> str:
    head, _, query = token_url.partition("?")
    return head[:-3] + ("AAA" if not head.endswith("AAA") else "BBB") + "?" + query


def test_bad_tokens_are_refused_with_a_page_and_4xx(project: Project, engine: Engine) -> None:
    setup_plan(project)
    expired = links(project, "ola", "innspill", today=TODAY - dt.timedelta(days=400)).done
    other_person = links(project, "ola", "analyse").done  # anna's task, not ola's
    unknown = Signer(b"another-secret").action("ola", "kommuneplan", "innspill", None,
                                               TODAY + dt.timedelta(days=5))
    good = links(project, "ola", "innspill").done
    with running(project, engine) as base:
        cases = {400: _tampered(with_base(good, base)), 410: with_base(expired, base),
                 403: with_base(other_person, base)}
        cases_unknown = httpx.get(f"{base}/a/{unknown}")
        for status, url in cases.items():
            got = httpx.get(url)
            assert got.status_code == status, (url, got.text)
            assert "Ingenting ble registrert" in got.text or "Nothing" in got.text
            strict_parse(got.text)
            assert 400 <= post(url, form="x", kind="done").status_code < 500
        assert cases_unknown.status_code == 400
        assert httpx.get(f"{base}/me/not-a-token").status_code == 400
    assert answers(engine) == []


def test_a_post_without_the_pages_form_token_or_replayed_is_refused(project: Project,
                                                                    engine: Engine) -> None:
    setup_plan(project)
    ola = links(project, "ola", "innspill").done
    anna = links(project, "anna", "analyse").done
    with running(project, engine) as base:
        assert post(with_base(ola, base), kind="done").status_code == 400  # no CSRF token
        anna_form = form_token(httpx.get(with_base(anna, base)).text)
        # a form made for anna's link cannot answer through ola's
        assert post(with_base(ola, base), form=anna_form, kind="done").status_code == 403
        form = form_token(httpx.get(with_base(ola, base)).text)
        assert post(with_base(ola, base), form=form, kind="status",
                    status="on_track").status_code == 200
        replay = post(with_base(ola, base), form=form, kind="done")
        assert replay.status_code == 409 and "allerede sendt" in replay.text
        bad = post(with_base(ola, base), form=form_token(httpx.get(with_base(ola, base)).text),
                   kind="more_time", proposed="2020-01-01")
        assert bad.status_code == 422
    [only] = answers(engine)
    assert only.kind == "status" and task_row(engine, "innspill").status == "planned"


def test_the_owner_page_lists_open_tasks_with_links_and_the_history(project: Project,
                                                                   engine: Engine) -> None:
    setup_plan(project)
    ola = links(project, "ola", "innspill")
    with running(project, engine) as base:
        page = httpx.get(with_base(ola.status, base)).text
        post(with_base(ola.status, base), form=form_token(page), kind="status",
             status="blocked", note="Mangler svar fra staten")
        mine = httpx.get(with_base(ola.mine, base))
    assert mine.status_code == 200
    strict_parse(mine.text)
    assert "Mine oppgaver" in mine.text and 'name="viewport"' in mine.text
    assert "Send innspill til planen" in mine.text and "Vedtak i kommunestyret" in mine.text
    assert "Kartlegging av næringsareal" not in mine.text  # anna's alone
    assert "Stoppet" in mine.text and "Mangler svar fra staten" in mine.text
    assert mine.text.count("/a/") == 6  # three actions per open task
