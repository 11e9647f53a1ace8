"""`fristvakt feeds ...`: links printed once, list, revoke, static export, the server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from conftest import Project
from smtp_server import free_port
from sqlalchemy.engine import Engine
from sqlmodel import select
from test_feed_build import NOW, setup_scenario
from test_feed_checks import assert_valid

from timelines.base.i18n import _, _n
from timelines.db import session_scope
from timelines.model import FeedToken

SECRET = "cli-test-secret"


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FRISTVAKT_FEED_SECRET", SECRET)
    return SECRET


def create(project: Project, *args: str) -> tuple[str, str]:
    result = project.run("feeds", "token", "create", *args)
    assert result.code == 0, result.err
    https, webcal = result.out.split()[:2]
    return https, webcal


def test_create_prints_the_https_and_webcal_links_once(project: Project, secret: str,
                                                       engine: Engine) -> None:
    setup_scenario(project)
    https, webcal = create(project, "--owner", "anna", "--label", "Annas kalender")
    token = https.rsplit("/", 1)[1].removesuffix(".ics")
    assert https == f"http://127.0.0.1:8080/feeds/{token}.ics"  # base_url of the config
    assert webcal == f"webcal://127.0.0.1:8080/feeds/{token}.ics"
    listed = project.run("feeds", "token", "list")
    assert token not in listed.out and "owner=anna" in listed.out
    assert "Annas kalender" in listed.out
    with session_scope(engine) as session:
        stored = [row.token_hash for row in session.exec(select(FeedToken)).all()]
    assert token not in stored and len(stored) == 1
    assert https in project.run("feeds", "token", "list", "--links").out


def test_without_a_secret_the_link_is_shown_at_creation_only(project: Project,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    monkeypatch.delenv("FRISTVAKT_FEED_SECRET", raising=False)
    setup_scenario(project)
    https, _ = create(project, "--owner", "ola")
    assert "FRISTVAKT_FEED_SECRET" in project.run("feeds", "token", "create", "--owner",
                                                  "ola").out
    assert https not in project.run("feeds", "token", "list", "--links").out


def test_create_refuses_unknown_keys_and_an_empty_scope(project: Project) -> None:
    setup_scenario(project)
    assert project.run("feeds", "token", "create").code == 1
    unknown = project.run("feeds", "token", "create", "--owner", "nobody")
    assert unknown.code == 3 and "nobody" in unknown.err
    assert project.run("feeds", "token", "create", "--timeline", "nope").code == 3


def test_revoke_by_id_or_by_url(project: Project, secret: str) -> None:
    setup_scenario(project)
    create(project, "--owner", "ola")
    https, _webcal = create(project, "--owner", "anna")
    assert project.run("feeds", "token", "revoke", "1").code == 0
    assert project.run("feeds", "token", "revoke", https).code == 0
    listed = project.run("feeds", "token", "list").out
    assert listed.count(_(project.lang, "revoked {date}", date="").strip()) == 2
    unknown = project.run("feeds", "token", "revoke", "99")
    assert unknown.code == 3
    no_token = _(project.lang, "no feed token {ref}: see `fristvakt feeds token list`", ref="99")
    said = _(project.lang, "error: {message}", message=no_token)
    assert unknown.err.strip() == said


def test_export_writes_every_feed_and_rewrites_only_changed_ones(
        project: Project, secret: str, tmp_path: Path) -> None:
    setup_scenario(project)
    https, _ = create(project, "--owner", "eve")
    out = tmp_path / "site"
    first = project.run("feeds", "export", str(out), "--now", NOW, "--public")
    assert first.code == 0, first.err
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*.ics"))
    token_file = "feeds/" + https.rsplit("/", 1)[1]
    assert names == sorted(["owners/anna.ics", "owners/eve.ics", "owners/ola.ics",
                            "owners/per.ics", "roles/regionradgiver.ics",
                            "timelines/kommuneplan.ics", token_file])
    assert (out / token_file).read_bytes() == (out / "owners/eve.ics").read_bytes()
    assert_valid({tmp_path / n.replace("/", "-"): (out / n).read_bytes() for n in names})
    again = project.run("feeds", "export", str(out), "--now", NOW, "--public")
    assert again.out.strip() == _n(project.lang, "{n} feed in {directory}, {written} changed",
                                   "{n} feeds in {directory}, {written} changed", len(names),
                                   directory=out, written=0)


def test_export_keeps_only_live_token_files_unless_public(
        project: Project, secret: str, tmp_path: Path) -> None:
    """Guessable per-owner files only with --public; a revoked token's file is deleted."""
    setup_scenario(project)
    https, _ = create(project, "--owner", "eve")
    kept, _ = create(project, "--owner", "ola")
    out = tmp_path / "site"
    assert project.run("feeds", "export", str(out), "--now", NOW, "--public").code == 0
    assert (out / "owners" / "eve.ics").is_file()
    assert project.run("feeds", "token", "revoke", "1").code == 0
    assert project.run("feeds", "export", str(out), "--now", NOW).code == 0
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*.ics"))
    assert names == ["feeds/" + kept.rsplit("/", 1)[1]]
    assert https.rsplit("/", 1)[1] not in " ".join(names)


@contextmanager
def cli_process(project: Project, secret: str, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """`fristvakt ARGS` in its own process; stopped with SIGTERM, as a service manager does."""
    env = {**os.environ, "FRISTVAKT_FEED_SECRET": secret}
    proc = subprocess.Popen([sys.executable, "-m", "scheduler", "-c", str(project.config),
                             *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)


def wait_healthy(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline and proc.poll() is None, "server did not start"
        time.sleep(0.1)


@pytest.mark.parametrize("command", [("feeds", "serve"), ("serve", "--interval", "3600")])
def test_the_feed_server_runs_standalone_and_inside_fristvakt_serve(
        project: Project, secret: str, command: tuple[str, ...]) -> None:
    port = free_port()
    project.set_config("base_url", f'"http://127.0.0.1:{port}"')
    setup_scenario(project)
    https, _ = create(project, "--owner", "ola")
    assert https.startswith(f"http://127.0.0.1:{port}/feeds/")
    with cli_process(project, secret, *command) as proc:
        wait_healthy(f"http://127.0.0.1:{port}", proc)
        feed = httpx.get(https)
        assert feed.status_code == 200 and b"BEGIN:VCALENDAR" in feed.content
    assert proc.stderr is not None
    assert proc.returncode == 0, proc.stderr.read()
    assert https.rsplit("/", 1)[1].removesuffix(".ics").encode() not in proc.stderr.read()
