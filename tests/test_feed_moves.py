"""A moved deadline moves in the calendar; nothing else changes a byte (acceptance 2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
from conftest import Project
from sqlalchemy.engine import Engine
from test_feed_build import MOMENT, build, by_uid, setup_scenario
from test_feed_checks import assert_valid
from test_feed_http import new_token, running

from notifiers.calendar.feed import Scope
from timelines.base.i18n import _

LATER = (MOMENT + dt.timedelta(days=2)).isoformat()


def move_innspel(project: Project, new_when: str) -> None:
    path = project.timelines / "kommuneplan.toml"
    text = path.read_text("utf-8").replace('"innan 20. mars 2026"', f'"{new_when}"')
    path.write_text(text, encoding="utf-8")
    result = project.run("apply", "--now", LATER)
    moved = _(project.lang, "moved")
    assert result.code == 0 and moved in result.out, result.out


def test_moving_a_deadline_keeps_the_uid_bumps_sequence_and_moves_the_dates(
        project: Project, engine: Engine, tmp_path: Path) -> None:
    setup_scenario(project)
    before = build(project, engine, Scope(owner="ola")).body
    move_innspel(project, "innan 3. april 2026")
    after = build(project, engine, Scope(owner="ola")).body
    read = assert_valid({tmp_path / "before.ics": before, tmp_path / "after.ics": after})
    old, new = by_uid(read[0])["innspel"], by_uid(read[1])["innspel"]
    assert new["uid"] == old["uid"]
    assert new["sequence"] == old["sequence"] + 1
    assert (new["start"]["value"], new["end"]["value"]) == ("2026-04-03", "2026-04-04")
    assert "LAST-MODIFIED:20260303T080000Z" in after.decode()  # the apply's moment, in UTC
    others_before = {k: v for k, v in by_uid(read[0]).items() if k != "innspel"}
    others_after = {k: v for k, v in by_uid(read[1]).items() if k != "innspel"}
    assert others_before == others_after


def test_an_untouched_feed_is_byte_identical_across_builds_and_applies(
        project: Project, engine: Engine) -> None:
    setup_scenario(project)
    first = build(project, engine, Scope(owner="per")).body
    same_day_later = build(project, engine, Scope(owner="per"), now=MOMENT + dt.timedelta(hours=5))
    unchanged = project.run("apply", "--now", LATER).out.splitlines()[0]
    assert unchanged == _(project.lang, "no changes")
    move_innspel(project, "innan 3. april 2026")  # not one of per's tasks
    assert same_day_later.body == first
    assert build(project, engine, Scope(owner="per")).body == first


def test_an_untouched_feed_answers_304_after_another_feeds_task_moved(
        project: Project, engine: Engine) -> None:
    setup_scenario(project)
    per = new_token(project, engine, Scope(owner="per"))
    ola = new_token(project, engine, Scope(owner="ola"))
    with running(project, engine) as site:
        per_first = httpx.get(f"{site}/feeds/{per}.ics")
        ola_first = httpx.get(f"{site}/feeds/{ola}.ics")
        move_innspel(project, "innan 3. april 2026")
        per_again = httpx.get(f"{site}/feeds/{per}.ics",
                              headers={"If-None-Match": per_first.headers["etag"]})
        ola_again = httpx.get(f"{site}/feeds/{ola}.ics",
                              headers={"If-None-Match": ola_first.headers["etag"]})
    assert per_again.status_code == 304
    assert ola_again.status_code == 200 and b"DTSTART;VALUE=DATE:20260403" in ola_again.content
