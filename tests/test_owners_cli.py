"""`fristvakt requests`, `status`: the coordinator's side of owners' answers."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib

import pytest
from conftest import Project
from icalendar import Calendar
from smtp_server import SmtpServer
from sqlalchemy.engine import Engine
from test_owners_support import (  # noqa: F401  (secret_env is a fixture)
    NOW,
    PLAN,
    config_of,
    secret_env,
    setup_plan,
    task_row,
    waiting_reminders,
)

from notifiers.calendar.feed import Scope, build_feed
from scheduler.answers import store
from scheduler.answers.signing import ActionToken
from timelines.base.i18n import _, format_date
from timelines.config import load_config
from timelines.db import session_scope

pytestmark = pytest.mark.usefixtures("secret_env")
LATER = NOW + dt.timedelta(hours=3)


def use_smtp(project: Project, server: SmtpServer) -> None:
    text = project.config.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^port = \d+", f"port = {server.port}", text, count=1)
    project.config.write_text(text, encoding="utf-8")


def answer(project: Project, engine: Engine, person: str, task: str, choice: store.Choice,
           form: str, at: dt.datetime = NOW) -> None:
    token = ActionToken(person, "kommuneplan", task, None, at.date(), f"id-{form}")
    with session_scope(engine) as session:
        store.record(session, config_of(project), token, form, choice, at)


def plan_file(project: Project) -> str:
    return (project.timelines / "kommuneplan.toml").read_text(encoding="utf-8")


def test_accepting_more_time_writes_due_with_comments_kept_applies_and_mails_once(
        project: Project, engine: Engine, smtp: SmtpServer) -> None:
    setup_plan(project)
    use_smtp(project, smtp)
    answer(project, engine, "ola", "innspill",
           store.Choice("more_time", note="Venter på høringen", proposed=dt.date(2026, 4, 3)),
           "f1")
    listed = project.run("requests")
    assert listed.code == 0
    assert "#1 [venter] ola: kommuneplan/innspill 2026-03-20 → 2026-04-03" in listed.out
    assert "Venter på høringen" in listed.out
    accepted = project.run("requests", "accept", "1", "--now", LATER.isoformat())
    assert accepted.code == 0, accepted.err
    assert "due = 2026-04-03" in accepted.out
    text = plan_file(project)
    assert "# The municipal plan: edited by hand, comments must survive." in text
    due_line = next(line for line in text.splitlines() if line.startswith("due = 2026-04-03"))
    assert "the council meets the week after" in due_line
    assert "ola" in due_line and "2026-03-02" in due_line and "Kari" in due_line
    assert tomllib.loads(text)["task"][1]["due"] == dt.date(2026, 4, 15)  # others untouched
    assert task_row(engine, "innspill").due == dt.date(2026, 4, 3)
    [mail] = smtp.messages
    parsed = mail.parsed()
    assert parsed["To"].addresses[0].addr_spec == "ola.nordmann@example.no"
    assert "Send innspill til planen" in parsed["Subject"]
    assert "3. april 2026" in parsed.get_body(("plain",)).get_content()
    again = project.run("requests", "accept", "1")
    assert again.code == 1 and "godtatt" in again.err
    assert len(smtp.messages) == 1
    assert "[godtatt]" in project.run("requests").out


def test_declining_leaves_the_file_alone_and_tells_the_owner(
        project: Project, engine: Engine, smtp: SmtpServer) -> None:
    setup_plan(project)
    use_smtp(project, smtp)
    answer(project, engine, "anna", "analyse",
           store.Choice("more_time", proposed=dt.date(2026, 6, 1)), "f1")
    declined = project.run("requests", "decline", "1", "--by", "Leder", "--now",
                           LATER.isoformat())
    assert declined.code == 0 and "#1" in declined.out
    assert plan_file(project) == PLAN
    [mail] = smtp.messages
    assert "inte beviljad" in mail.parsed()["Subject"]  # anna reads Swedish
    assert project.run("requests", "accept", "9").code == 3


def test_a_decision_whose_mail_fails_is_kept_and_said(project: Project, engine: Engine) -> None:
    setup_plan(project)
    text = project.config.read_text(encoding="utf-8")
    project.config.write_text(re.sub(r"(?m)^port = \d+", "port = 9", text, count=1),
                              encoding="utf-8")
    answer(project, engine, "ola", "innspill",
           store.Choice("more_time", proposed=dt.date(2026, 4, 3)), "f1")
    accepted = project.run("requests", "accept", "1", "--now", LATER.isoformat())
    assert accepted.code == 0
    assert _("nb", "The decision is recorded, but the email to {person} could not be sent: {error}",
             person="ola", error="").split(":")[0] in accepted.err
    assert "Traceback" not in accepted.err
    assert "due = 2026-04-03" in plan_file(project)


def test_status_lists_the_newest_and_write_puts_them_into_the_file(
        project: Project, engine: Engine) -> None:
    setup_plan(project)
    answer(project, engine, "anna", "analyse", store.Choice("status", "on_track"), "f1")
    answer(project, engine, "anna", "analyse",
           store.Choice("status", "delayed", note="Data kommer sent"), "f2", LATER)
    answer(project, engine, "ola", "vedtak", store.Choice("done"), "f3")
    listed = project.run("status")
    assert "kommuneplan/analyse: Forsinket (2026-03-02, anna) – Data kommer sent" in listed.out
    assert "kommuneplan/vedtak: ferdig" in listed.out
    assert "I rute" not in listed.out
    written = project.run("status", "--write", "--now", LATER.isoformat())
    assert written.code == 0, written.err
    text = plan_file(project)
    doc = tomllib.loads(text)
    by_id = {task["id"]: task for task in doc["task"]}
    assert by_id["analyse"]["status"] == "ongoing" and by_id["vedtak"]["status"] == "done"
    assert "Data kommer sent" in text and "# the council meets the week after" in text
    assert project.run("validate").code == 0
    assert task_row(engine, "vedtak").status == "done"


def test_done_outlasts_an_apply_of_the_unchanged_file(project: Project, engine: Engine) -> None:
    setup_plan(project)
    assert waiting_reminders(engine, "innspill")
    answer(project, engine, "ola", "innspill", store.Choice("done"), "f1")
    assert waiting_reminders(engine, "innspill") == []
    assert project.run("apply", "--now", LATER.isoformat()).code == 0
    assert task_row(engine, "innspill").status == "done"
    assert waiting_reminders(engine, "innspill") == []


def test_a_task_answered_done_is_not_reported_changed_when_its_file_is_edited(
        project: Project, engine: Engine) -> None:
    """The file still says planned: that is no news while the owner's "done" stands."""
    setup_plan(project)
    answer(project, engine, "ola", "innspill", store.Choice("done"), "f1")
    changed_at = task_row(engine, "innspill").changed_at
    path = project.timelines / "kommuneplan.toml"
    path.write_text(plan_file(project).replace('title = "Kartlegging av næringsareal"',
                                               'title = "Kartlegging av areal"'),
                    encoding="utf-8")
    diff = json.loads(project.run("diff", "--json").out)
    assert [(c["kind"], c["task"]) for c in diff] == [("changed", "analyse")]
    applied = project.run("apply", "--json", "--now", LATER.isoformat())
    assert [(c["kind"], c["task"]) for c in json.loads(applied.out)] == [("changed", "analyse")]
    done = task_row(engine, "innspill")
    assert (done.status, done.changed_at) == ("done", changed_at)  # not rewritten either
    assert waiting_reminders(engine, "innspill") == []


def test_a_task_answered_done_reopens_when_its_date_moves(project: Project,
                                                          engine: Engine) -> None:
    setup_plan(project)
    answer(project, engine, "ola", "innspill", store.Choice("done"), "f1")
    path = project.timelines / "kommuneplan.toml"
    path.write_text(plan_file(project).replace("due = 2026-03-20", "due = 2026-03-27"),
                    encoding="utf-8")
    applied = project.run("apply", "--json", "--now", NOW.isoformat())
    assert [(c["kind"], c["task"]) for c in json.loads(applied.out)] == [("moved", "innspill")]
    assert task_row(engine, "innspill").status == "planned"
    assert waiting_reminders(engine, "innspill")


def test_agenda_shows_the_newest_status_and_note(project: Project, engine: Engine) -> None:
    setup_plan(project)
    answer(project, engine, "anna", "analyse",
           store.Choice("status", "blocked", note="Mangler kart"), "f1")
    shown = project.run("agenda", "--days", "90", "--now", NOW.isoformat())
    assert "kommuneplan/analyse: Stoppet (2026-03-02, anna) – Mangler kart" in shown.out
    as_json = project.run("agenda", "--days", "90", "--now", NOW.isoformat(), "--json")
    items = {item["task"]: item for item in json.loads(as_json.out)}
    assert items["analyse"]["answer_status"] == "blocked"
    assert items["analyse"]["answer_note"] == "Mangler kart"
    assert items["innspill"]["answer_status"] is None


def test_the_feed_event_shows_the_newest_status_and_note_after_an_apply(
        project: Project, engine: Engine) -> None:
    setup_plan(project)
    answer(project, engine, "anna", "analyse",
           store.Choice("status", "delayed", note="Venter på kart"), "f1")
    assert project.run("apply", "--now", LATER.isoformat()).code == 0
    config = load_config(project.config)
    with session_scope(engine) as session:
        feed = build_feed(session, config, Scope(timeline="kommuneplan"), LATER)
    events = {str(e["UID"]).split("@")[0]: str(e["DESCRIPTION"])
              for e in Calendar.from_ical(feed.body).walk("VEVENT")}
    [analyse] = [text for uid, text in events.items() if uid.endswith("analyse")]
    status = _("nb", "delayed")
    assert _("nb", "Latest status from the owner ({date}): {status}", status=status,
             date=format_date(NOW.date(), "nb")) in analyse
    assert "Venter på kart" in analyse
    assert not any("Venter på kart" in text for uid, text in events.items()
                   if not uid.endswith("analyse"))


def test_the_coordinator_gets_one_mail_a_day_listing_new_requests(
        project: Project, engine: Engine, smtp: SmtpServer) -> None:
    setup_plan(project)
    use_smtp(project, smtp)
    assert "0" in project.run("requests", "--mail", "--now", NOW.isoformat()).out
    answer(project, engine, "ola", "innspill",
           store.Choice("more_time", note="Høring", proposed=dt.date(2026, 4, 3)), "f1")
    answer(project, engine, "anna", "analyse",
           store.Choice("more_time", proposed=dt.date(2026, 5, 3)), "f2")
    first = project.run("requests", "--mail", "--now", LATER.isoformat())
    assert first.code == 0 and "2" in first.out
    assert project.run("requests", "--mail", "--now", LATER.isoformat()).code == 0
    [mail] = smtp.messages
    body = mail.parsed().get_body(("plain",)).get_content()
    assert mail.parsed()["To"].addresses[0].addr_spec == "kari.koordinator@example.no"
    assert "#1 [venter] ola: kommuneplan/innspill" in body and "#2 [venter] anna" in body
    next_day = LATER + dt.timedelta(days=1)
    assert project.run("requests", "--mail", "--now", next_day.isoformat()).code == 0
    assert len(smtp.messages) == 1  # nothing new since
