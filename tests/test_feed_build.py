"""Feeds built from applied timelines: what an owner's calendar will show (acceptance 1).

One hand-written timeline covers the cases a feed must get right; the five seed plans, run
through `fristvakt import`, show it holds on real input.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

from conftest import PLANS, Project
from sqlalchemy.engine import Engine
from sqlmodel import select
from test_feed_checks import assert_valid, byte_problems

from notifiers.calendar.feed import ComponentKind, Feed, Scope, build_feed
from scheduler.policy import TaskDates, plan_task
from timelines.base.i18n import _
from timelines.config import load_config
from timelines.db import session_scope
from timelines.model import Task

NOW = "2026-03-01T09:00:00+01:00"
MOMENT = dt.datetime.fromisoformat(NOW)

PEOPLE = """
[owners.per]
name = "Per Vestland"
email = "per@example.no"
lang = "nn"

[owners.eve]
name = "Eve English"
email = "eve@example.org"
lang = "en"
timezone = "Europe/London"
"""

# One task per case: a deadline, a span, a start only, done, cancelled, undated, long text.
SCENARIO = """
[timeline]
id = "kommuneplan"
title = "Handlingsplan for kommuneplanen, del 1; 2026"
lang = "nn"
ref_year = 2026
owners = ["regionradgiver"]

[[task]]
id = "innspel"
title = "Send innspel; merk: frist, ikkje utsett"
section = "Medverknad, del 1"
when = "innan 20. mars 2026"
owners = ["ola"]
participants = ["anna"]

[[task]]
id = "kartlegging"
title = "Kartlegging av næringsareal"
section = "Analyse"
when = "Vår 2026"

[[task]]
id = "oppstart"
title = "Oppstart av arbeidet"
section = "Analyse"
when = "Frå august 2026"
owners = ["per", "eve"]

[[task]]
id = "vedtak"
title = "Vedtak i kommunestyret"
section = "Vedtak"
due = 2026-02-10
status = "done"
owners = ["ola", "per", "eve"]

[[task]]
id = "temamote"
title = "Temamøte om samferdsel"
section = "Medverknad, del 1"
due = 2026-04-10
status = "cancelled"
owners = ["ola"]

[[task]]
id = "budsjett"
title = "Budsjett for neste år"
when = "?"
owners = ["ola"]

[[task]]
id = "lang-tekst"
title = "LONG_TITLE"
section = "Strategi"
due = 2026-06-15
owners = ["ola", "anna", "per", "eve"]
notes = "Første linje.\\nAndre linje med komma, semikolon; og bakstrek \\\\ i teksten."
""".replace("LONG_TITLE", "Utarbeide ein regional strategi for areal, transport, "
            "næringsutvikling og kompetanse i heile regionen med æ, ø og å")


def setup_scenario(project: Project, text: str = SCENARIO) -> None:
    """The scenario timeline instead of the example, two more owners, applied at NOW."""
    with project.config.open("a", encoding="utf-8") as handle:
        handle.write(PEOPLE)
    for old in project.timelines.glob("*.toml"):
        old.unlink()
    (project.timelines / "kommuneplan.toml").write_text(text, encoding="utf-8")
    result = project.run("apply", "--now", NOW)
    assert result.code == 0, result.err


def build(project: Project, engine: Engine, scope: Scope, kind: ComponentKind = "event",
          now: dt.datetime = MOMENT) -> Feed:
    config = load_config(project.config)
    with session_scope(engine) as session:
        return build_feed(session, config, scope, now, kind)


def by_uid(read: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["uid"].split("@")[0].split(".", 1)[1]: item for item in read["items"]}


SCOPES = [Scope(owner="ola"), Scope(owner="anna"), Scope(owner="per"), Scope(owner="eve"),
          Scope(timeline="kommuneplan"), Scope(role="regionradgiver"),
          Scope(owner="ola", timeline="kommuneplan", role="regionradgiver")]


def test_every_scenario_feed_passes_icalendar_vobject_icaljs_and_byte_checks(
        project: Project, engine: Engine, tmp_path: Path) -> None:
    setup_scenario(project)
    bodies = {tmp_path / f"{n}-{kind}.ics": build(project, engine, scope, kind).body
              for n, scope in enumerate(SCOPES) for kind in ("event", "todo")}
    read = assert_valid(bodies)
    assert all(feed["items"] for feed in read)  # no scope is empty: the checks saw events


def test_span_style_feeds_pass_too_and_show_the_whole_span(
        project: Project, engine: Engine, tmp_path: Path) -> None:
    setup_scenario(project)
    text = project.config.read_text(encoding="utf-8").replace(
        'style = "deadline"', 'style = "span"')
    project.config.write_text(text, encoding="utf-8")
    read = assert_valid({tmp_path / "span.ics": build(project, engine, Scope(owner="ola")).body},
                        one_day=False)
    spring = by_uid(read[0])["kartlegging"]  # "Vår 2026": March 1 to May 31
    assert (spring["start"]["value"], spring["end"]["value"]) == ("2026-03-01", "2026-06-01")


def test_deadline_events_are_all_day_on_the_deadline(
        project: Project, engine: Engine, tmp_path: Path) -> None:
    setup_scenario(project)
    items = by_uid(assert_valid({tmp_path / "ola.ics": build(project, engine,
                                                             Scope(owner="ola")).body})[0])
    innspel = items["innspel"]
    assert innspel["start"] == {"value": "2026-03-20", "isDate": True}
    assert innspel["end"] == {"value": "2026-03-21", "isDate": True}
    assert items["kartlegging"]["start"]["value"] == "2026-05-31"  # spring's last day
    assert innspel["categories"] == "Medverknad, del 1"  # the comma survived escaping
    assert "budsjett" not in items  # undated: nothing to put in a calendar
    start_only = by_uid(icaljs_read(project, engine, tmp_path, Scope(owner="per")))["oppstart"]
    assert start_only["start"]["value"] == "2026-08-01"  # "Frå august": on the start


def icaljs_read(project: Project, engine: Engine, tmp_path: Path, scope: Scope,
                kind: ComponentKind = "event") -> dict[str, Any]:
    path = tmp_path / f"{scope.owner}-{kind}.ics"
    return assert_valid({path: build(project, engine, scope, kind).body})[0]


def test_owner_feeds_hold_their_tasks_through_roles_and_participation_only(
        project: Project, engine: Engine, tmp_path: Path) -> None:
    setup_scenario(project)
    ola = set(by_uid(icaljs_read(project, engine, tmp_path, Scope(owner="ola"))))
    anna = set(by_uid(icaljs_read(project, engine, tmp_path, Scope(owner="anna"))))
    # ola: his own tasks and, as regionrådgiver, the timeline default owner's task
    assert ola == {"innspel", "kartlegging", "vedtak", "temamote", "lang-tekst"}
    assert anna == {"innspel", "lang-tekst"}  # participant in one, owner in the other


def test_alarms_follow_the_policy_and_leave_done_and_cancelled_tasks_alone(
        project: Project, engine: Engine, tmp_path: Path) -> None:
    setup_scenario(project)
    items = by_uid(icaljs_read(project, engine, tmp_path, Scope(owner="ola")))
    # innspel: deadline Friday 2026-03-20. 14d → Friday 03-06 at 08:00 = 13 days 16 hours
    # before the event's midnight; 3 working days → Tuesday 03-17 at 08:00 = -2 days 16 h.
    triggers = [a["trigger"] for a in items["innspel"]["alarms"]]
    assert sorted(triggers) == ["-P13DT16H", "-P2DT16H"]
    assert items["vedtak"]["alarms"] == [] and items["temamote"]["alarms"] == []
    assert items["temamote"]["status"] == "CANCELLED"
    assert items["vedtak"]["summary"].startswith("✓ ")


def alarm_days(item: dict[str, Any]) -> set[dt.date]:
    """The local days ical.js's triggers ring on (all-day start + signed duration)."""
    start = dt.date.fromisoformat(item["start"]["value"])
    days = set()
    for alarm in item["alarms"]:
        match = re.fullmatch(r"(-?)P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?", alarm["trigger"])
        assert match, alarm
        sign = -1 if match[1] else 1
        delta = dt.timedelta(days=int(match[2] or 0), hours=int(match[3] or 0),
                             minutes=int(match[4] or 0))
        days.add((dt.datetime.combine(start, dt.time()) + sign * delta).date())
    return days


def test_alarms_ring_on_the_days_the_engine_mails_reminders(
        project: Project, engine: Engine, tmp_path: Path) -> None:
    setup_scenario(project)
    config = load_config(project.config)
    items = by_uid(icaljs_read(project, engine, tmp_path, Scope(owner="ola")))
    with session_scope(engine) as session:
        tasks = {t.key: t for t in session.exec(select(Task)).all()}
    checked = 0
    for key, item in items.items():
        task = tasks[key]
        planned = plan_task(config.policy, TaskDates(task.start, task.due, task.status),
                            "Europe/Oslo")
        mailed = {p.local_date for p in planned if p.kind == "due"
                  and p.local_date >= MOMENT.date()}
        assert alarm_days(item) == mailed, key
        checked += bool(mailed)
    assert checked >= 2  # innspel and lang-tekst have reminders still to come


def test_working_day_alarms_skip_weekends_and_holidays(project: Project, engine: Engine,
                                                       tmp_path: Path) -> None:
    # Due Tuesday 2026-04-07: Easter Monday 04-06, Good Friday 04-03 and Maundy Thursday
    # 04-02 are Norwegian holidays, so 3 working days before is Monday 03-30 (8 days before).
    text = SCENARIO.replace('when = "innan 20. mars 2026"', "due = 2026-04-07")
    setup_scenario(project, text)
    items = by_uid(icaljs_read(project, engine, tmp_path, Scope(owner="ola")))
    assert "-P7DT16H" in [a["trigger"] for a in items["innspel"]["alarms"]]


def test_descriptions_and_names_are_in_the_owners_language(
        project: Project, engine: Engine, tmp_path: Path) -> None:
    setup_scenario(project)
    texts = {}
    for owner, lang in (("ola", "nb"), ("per", "nn"), ("anna", "sv"), ("eve", "en")):
        item = by_uid(icaljs_read(project, engine, tmp_path, Scope(owner=owner)))["lang-tekst"]
        texts[lang] = item["description"]
        owners_label = _(lang, "Responsible: {names}", names="")
        assert owners_label in item["description"], (lang, item["description"])
    assert len(set(texts.values())) == 4
    assert "bakstrek \\ i teksten" in texts["nb"]  # a backslash comes back as one


def test_todo_variant_marks_done_tasks_completed(project: Project, engine: Engine,
                                                 tmp_path: Path) -> None:
    setup_scenario(project)
    items = by_uid(icaljs_read(project, engine, tmp_path, Scope(owner="ola"), "todo"))
    assert items["vedtak"]["status"] == "COMPLETED"
    assert items["innspel"]["due"] == {"value": "2026-03-20", "isDate": True}
    assert {i["type"] for i in items.values()} == {"vtodo"}


def test_removed_and_cancelled_tasks_stay_cancelled_for_cancelled_days_only(
        project: Project, engine: Engine) -> None:
    setup_scenario(project)
    text = SCENARIO.split("[[task]]\nid = \"kartlegging\"")[0]  # drop everything after innspel
    (project.timelines / "kommuneplan.toml").write_text(text, encoding="utf-8")
    assert project.run("apply", "--now", "2026-03-02T09:00:00+01:00").code == 0
    soon = build(project, engine, Scope(owner="ola"), now=MOMENT + dt.timedelta(days=30)).body
    late = build(project, engine, Scope(owner="ola"), now=MOMENT + dt.timedelta(days=62)).body
    assert b"UID:kommuneplan.lang-tekst@" in soon and b"UID:kommuneplan.lang-tekst@" not in late
    assert soon.count(b"STATUS:CANCELLED") == 4  # kartlegging, vedtak, temamote, lang-tekst
    assert b"UID:kommuneplan.innspel@" in late and b"STATUS:CANCELLED" not in late


def test_feeds_from_the_five_seed_plans_pass_every_parser_and_check(
        project: Project, engine: Engine, tmp_path: Path) -> None:
    for old in project.timelines.glob("*.toml"):
        old.unlink()
    seeds = sorted(str(p) for p in PLANS.glob("*.txt"))
    imported = project.run("import", *seeds, "--out", str(project.timelines))
    assert imported.code == 0, imported.err
    named = {key for path in project.timelines.glob("*.toml")
             for key in tomllib.loads(path.read_text("utf-8"))["timeline"].get("roles", {})}
    roles = sorted(named - set(load_config(project.config).roles))
    # every role the documents name goes to one of the two owners, so owner feeds are full
    with project.config.open("a", encoding="utf-8") as handle:
        for n, key in enumerate(roles):
            handle.write(f'\n[roles.{key}]\nmembers = ["{("ola", "anna")[n % 2]}"]\n')
    applied = project.run("apply", "--now", NOW)
    assert applied.code == 0, applied.err
    ids = [p.stem for p in project.timelines.glob("*.toml")]
    scopes = ([Scope(timeline=i) for i in ids] + [Scope(owner="ola"), Scope(owner="anna")]
              + [Scope(role=key) for key in roles])
    bodies = {tmp_path / f"seed-{n}-{kind}.ics": build(project, engine, scope, kind).body
              for n, scope in enumerate(scopes) for kind in ("event", "todo")}
    read = assert_valid(bodies)
    assert len(ids) == 5 and sum(len(feed["items"]) for feed in read) > 100
    assert all(byte_problems(body) == [] for body in bodies.values())
