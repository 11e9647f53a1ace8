"""The feed server over real HTTP on a free loopback port (acceptance 3)."""

from __future__ import annotations

import datetime as dt
import gzip
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from conftest import Project
from sqlalchemy.engine import Engine
from sqlmodel import select
from test_feed_build import MOMENT, setup_scenario
from test_feed_checks import byte_problems, parse_everywhere

from notifiers.calendar.feed import Scope
from notifiers.feeds import tokens
from notifiers.feeds.server import server
from timelines.config import load_config
from timelines.db import session_scope
from timelines.model import FeedToken

SECRET = {"FRISTVAKT_FEED_SECRET": "test-secret-never-in-production"}


@contextmanager
def running(project: Project, engine: Engine, recheck: float = 0) -> Iterator[str]:
    """The feed server on 127.0.0.1, port 0 (the OS picks a free one); yields its base URL.
    With recheck=0 every request asks the database, so a change shows at the very next one."""
    srv = server(load_config(project.config), engine, "127.0.0.1", 0, clock=lambda: MOMENT,
                 recheck=recheck)
    with serving(srv) as base:
        yield base


@contextmanager
def serving(srv: uvicorn.Server) -> Iterator[str]:
    """A uvicorn server in a thread of this process until the block ends; yields its base URL
    once it listens (port 0 in its config: the OS picked a free one)."""
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.02)
    port = srv.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)


def new_token(project: Project, engine: Engine, scope: Scope) -> str:
    config = load_config(project.config)
    with session_scope(engine) as session:
        return tokens.create(session, config, scope, MOMENT, env=SECRET)


@pytest.fixture
def site(project: Project, engine: Engine) -> Iterator[str]:
    setup_scenario(project)
    with running(project, engine) as base:
        yield base


def test_a_feed_answers_200_with_calendar_headers(project: Project, engine: Engine,
                                                  site: str) -> None:
    token = new_token(project, engine, Scope(owner="ola"))
    response = httpx.get(f"{site}/feeds/{token}.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"] == "private"
    etag = response.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    last_modified = response.headers["last-modified"]
    assert last_modified.endswith(" GMT")
    assert byte_problems(response.content) == []
    parse_everywhere(response.content)
    assert b"UID:kommuneplan.innspel@" in response.content


def test_conditional_requests_answer_304_without_a_body(project: Project, engine: Engine,
                                                        site: str) -> None:
    url = f"{site}/feeds/{new_token(project, engine, Scope(owner='ola'))}.ics"
    first = httpx.get(url)
    by_tag = httpx.get(url, headers={"If-None-Match": first.headers["etag"]})
    by_date = httpx.get(url, headers={"If-Modified-Since": first.headers["last-modified"]})
    other_tag = httpx.get(url, headers={"If-None-Match": '"something-else"'})
    assert (by_tag.status_code, by_tag.content) == (304, b"")
    assert by_tag.headers["etag"] == first.headers["etag"]
    assert (by_date.status_code, by_date.content) == (304, b"")
    assert (other_tag.status_code, other_tag.content) == (200, first.content)


def test_unknown_tokens_get_404_and_revoked_ones_410(project: Project, engine: Engine,
                                                     site: str) -> None:
    token = new_token(project, engine, Scope(owner="ola"))
    assert httpx.get(f"{site}/feeds/{token}.ics").status_code == 200
    with session_scope(engine) as session:
        tokens.revoke(session, token, MOMENT)
    gone = httpx.get(f"{site}/feeds/{token}.ics")
    unknown = httpx.get(f"{site}/feeds/fv1_{'A' * 43}.ics")
    assert (gone.status_code, unknown.status_code) == (410, 404)
    assert token not in gone.text and "fv1_" not in unknown.text  # nothing echoed back
    assert httpx.get(f"{site}/feeds/{token}").status_code == 404  # no .ics, no feed


def test_head_has_the_headers_of_get_and_no_body(project: Project, engine: Engine,
                                                 site: str) -> None:
    url = f"{site}/feeds/{new_token(project, engine, Scope(owner='ola'))}.ics"
    plain = {"Accept-Encoding": "identity"}
    get, head = httpx.get(url, headers=plain), httpx.head(url, headers=plain)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["etag"] == get.headers["etag"]


def test_gzip_when_asked_with_its_own_strong_etag(project: Project, engine: Engine,
                                                  site: str) -> None:
    url = f"{site}/feeds/{new_token(project, engine, Scope(owner='ola'))}.ics"
    plain = httpx.get(url, headers={"Accept-Encoding": "identity"})
    with httpx.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as packed:
        raw = b"".join(packed.iter_raw())
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.headers["etag"] != plain.headers["etag"]
        assert "accept-encoding" in packed.headers["vary"].lower()
    assert gzip.decompress(raw) == plain.content
    again = httpx.get(url, headers={"If-None-Match": plain.headers["etag"],
                                    "Accept-Encoding": "gzip"})
    assert again.status_code == 304


def test_an_owners_token_never_shows_another_owners_tasks(project: Project,
                                                          engine: Engine, site: str) -> None:
    anna = httpx.get(f"{site}/feeds/{new_token(project, engine, Scope(owner='anna'))}.ics")
    eve = httpx.get(f"{site}/feeds/{new_token(project, engine, Scope(owner='eve'))}.ics")
    cal_anna, _ = parse_everywhere(anna.content)
    cal_eve, _ = parse_everywhere(eve.content)
    uids_anna = {str(e["UID"]).split("@")[0] for e in cal_anna.walk("VEVENT")}
    uids_eve = {str(e["UID"]).split("@")[0] for e in cal_eve.walk("VEVENT")}
    # anna is participant in innspel and owner of lang-tekst; ola's own tasks are not hers
    assert uids_anna == {"kommuneplan.innspel", "kommuneplan.lang-tekst"}
    assert uids_eve == {"kommuneplan.oppstart", "kommuneplan.vedtak", "kommuneplan.lang-tekst"}


def test_todo_kind_and_healthz(project: Project, engine: Engine, site: str) -> None:
    url = f"{site}/feeds/{new_token(project, engine, Scope(owner='ola'))}.ics"
    todo = httpx.get(url, params={"kind": "todo"})
    assert todo.status_code == 200 and b"BEGIN:VTODO" in todo.content
    assert b"BEGIN:VEVENT" not in todo.content
    assert httpx.get(url, params={"kind": "journal"}).status_code == 404
    health = httpx.get(f"{site}/healthz")
    assert (health.status_code, health.text) == (200, "ok\n")


def test_only_the_hash_is_stored_and_the_secret_recomputes_the_link(
        project: Project, engine: Engine) -> None:
    setup_scenario(project)
    token = new_token(project, engine, Scope(owner="anna"))
    config = load_config(project.config)
    with session_scope(engine) as session:
        rows = session.exec(select(FeedToken)).all()
        links = tokens.owner_links(session, config, "anna", env=SECRET)
        none_without_secret = tokens.owner_links(session, config, "anna", env={})
    assert [row.token_hash for row in rows] == [tokens.token_hash(token)]
    assert token not in repr(rows) and token not in repr(links)
    assert links is not None and links.https.endswith(f"/feeds/{token}.ics")
    assert links.webcal.startswith("webcal://") and none_without_secret is None


def test_tokens_without_a_secret_are_random_and_not_shown_again(project: Project,
                                                                engine: Engine) -> None:
    setup_scenario(project)
    config = load_config(project.config)
    with session_scope(engine) as session:
        first = tokens.create(session, config, Scope(owner="ola"), MOMENT, env={})
        second = tokens.create(session, config, Scope(owner="ola"), MOMENT, env={})
        assert first != second and tokens.lookup(session, first) is not None
        assert tokens.owner_links(session, config, "ola", env=SECRET) is None


def test_served_feed_follows_a_moved_date_at_the_next_request(
        project: Project, engine: Engine, site: str) -> None:
    url = f"{site}/feeds/{new_token(project, engine, Scope(owner='ola'))}.ics"
    before = httpx.get(url)
    path = project.timelines / "kommuneplan.toml"
    path.write_text(path.read_text("utf-8").replace("innan 20. mars 2026", "innan 27. mars 2026"),
                    encoding="utf-8")
    later = (MOMENT + dt.timedelta(days=1)).isoformat()
    assert project.run("apply", "--now", later).code == 0
    after = httpx.get(url, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert b"DTSTART;VALUE=DATE:20260327" in after.content


def test_a_cached_feed_still_notices_revocation_within_the_recheck_time(
        project: Project, engine: Engine) -> None:
    setup_scenario(project)
    token = new_token(project, engine, Scope(owner="ola"))
    with running(project, engine, recheck=0.5) as site:
        url = f"{site}/feeds/{token}.ics"
        first, second = httpx.get(url), httpx.get(url)  # the second from memory
        with session_scope(engine) as session:
            tokens.revoke(session, token, MOMENT)
        time.sleep(0.6)
        after = httpx.get(url)
    assert first.content == second.content and first.status_code == 200
    assert after.status_code == 410


def test_the_engines_feed_url_reads_beside_an_open_write_transaction(
        project: Project, engine: Engine) -> None:
    setup_scenario(project)
    token = new_token(project, engine, Scope(owner="anna"))
    url_of = tokens.feed_url_function(load_config(project.config), engine, env=SECRET)
    with session_scope(engine) as session:  # as the engine's pass holds its transaction
        session.exec(select(FeedToken)).all()
        started = time.monotonic()
        anna, ola = url_of("anna"), url_of("ola")
    assert time.monotonic() - started < 5
    assert anna is not None and anna.endswith(f"/feeds/{token}.ics") and ola is None
