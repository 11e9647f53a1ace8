"""The .ics attachment of a reminder is the feed's own event for the task, and every calendar
parser we check feeds with (icalendar, vobject, ical.js) reads it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import cast

import icalendar
from conftest import Project
from sqlalchemy.engine import Engine
from sqlmodel import select
from test_feed_build import MOMENT, build, setup_scenario
from test_feed_checks import icaljs, parse_everywhere, physical_problems

from notifiers.base import Notice
from notifiers.calendar.event import Style, event
from notifiers.calendar.feed import Scope
from notifiers.calendar.values import clean
from notifiers.calendar.written import ical_bytes
from notifiers.email import EmailNotifier
from notifiers.email.attachment import task_entry
from notifiers.email.render import Contact, MailRenderer
from notifiers.email.samples import BYREGION, sample_notice
from scheduler.notices import task_view
from scheduler.recipients import recipient
from timelines.config import load_config
from timelines.db import session_scope
from timelines.model import Task, Timeline

NOW = dt.datetime(2022, 11, 16, 7, tzinfo=dt.UTC)
RENDERER = MailRenderer("Fristvakt <fristvakt@example.no>", Contact("Kari", "kari@example.no"),
                        calendar_domain="feeds.example.no")
# Everything a calendar shows of the task (DTSTAMP is when each was written; the attachment
# has no alarms: the mail itself is the reminder).
SHOWN = ("UID", "SEQUENCE", "SUMMARY", "DESCRIPTION", "CATEGORIES", "DTSTART", "DTEND",
         "STATUS", "TRANSP")
TITLES = ["Plan; budsjett, \\ og «rapport»", "Ø" * 90, "a\nb", "\\" * 120, "æ," * 70,
          "x;" * 3 + "€\\" * 60, "Frist\x01 med\x7f kontrolltegn"]


def attachment(data: bytes) -> bytes:
    message = cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(data))
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert part.get_param("method") == "PUBLISH" and part.get_filename() == "frist.ics"
    return cast(bytes, part.get_payload(decode=True))


def only_event(ics: bytes) -> icalendar.Event:
    [event] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    return event


def test_the_attachment_shows_exactly_what_the_owners_feed_shows(
        project: Project, engine: Engine) -> None:
    setup_scenario(project)
    config = load_config(project.config)
    renderer = EmailNotifier.from_config(config, env={}).renderer
    feed = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(
        build(project, engine, Scope(owner="ola")).body).walk("VEVENT")}
    with session_scope(engine) as session:
        rows = session.exec(select(Task, Timeline).where(Task.timeline_id == Timeline.id))
        notices = [Notice("due", recipient(config, "ola"), (task_view(config, task, timeline),),
                          f"test:{task.key}", MOMENT.date()) for task, timeline in rows.all()]
    compared = 0
    for notice in notices:
        data = renderer.render(notice, MOMENT).data
        if notice.tasks[0].due is None and notice.tasks[0].start is None:
            continue  # undated: no attachment, and not in the feed either
        event = only_event(attachment(data))
        if str(event["UID"]) not in feed:
            continue  # a task Ola does not own: not in his feed
        shown = feed[str(event["UID"])]
        for name in SHOWN:
            assert (event.get(name) is None) == (shown.get(name) is None), name
            if name in shown:
                assert event[name].to_ical() == shown[name].to_ical(), (name, notice.idem_key)
        compared += 1
    assert compared == 5  # innspel, kartlegging, vedtak, temamote, lang-tekst


def test_the_attachment_is_the_feeds_event_for_a_span_style_feed_too() -> None:
    span = MailRenderer("Fv <fv@example.no>", None, calendar_span=True)
    event = only_event(attachment(span.render(sample_notice("due", "nb"), NOW).data))
    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (
        BYREGION.start, BYREGION.due + dt.timedelta(days=1))  # type: ignore[operator]


def test_icalendar_vobject_and_icaljs_read_the_attachment(tmp_path: Path) -> None:
    paths = []
    for n, title in enumerate(TITLES):
        ics = attachment(RENDERER.render(sample_notice("due", "nn", title=title), NOW).data)
        assert physical_problems(ics) == [], title
        cal, vcal = parse_everywhere(ics)
        assert str(vcal.vevent.summary.value) == clean(title)
        assert str(only_event(ics)["SUMMARY"]) == clean(title)
        paths.append(tmp_path / f"{n}.ics")
        paths[-1].write_bytes(ics)
    for title, read in zip(TITLES, icaljs(paths), strict=True):
        [item] = read["items"]
        assert item["summary"] == clean(title)
        assert item["uid"] == "byregion.makerspace@feeds.example.no"
        assert item["start"] == {"value": "2022-11-30", "isDate": True}
        assert item["end"] == {"value": "2022-12-01", "isDate": True}
        assert item["sequence"] == BYREGION.date_version and item["alarms"] == []


# Summaries whose content line ("SUMMARY:" and the text) is just under, at and just over
# the 75 octets where icalendar folds, in ASCII and with two-octet characters.
EDGES = ["a" * 66, "a" * 67, "a" * 68, "a" * 65 + "ø", "a" * 66 + "ø", "ø" * 33 + "a",
         "a" * 65 + "\\", "a" * 66 + ",", "a" * 140 + "ø;" * 20]


def test_the_quicker_writing_of_an_event_gives_icalendars_own_bytes() -> None:
    style = Style("nb", "feeds.example.no", False, NOW.date())
    for title in [*TITLES, *EDGES]:
        task = sample_notice("due", "nb", title=title).tasks[0]
        part = event(task_entry(task, NOW), style)
        assert ical_bytes(part) == part.to_ical(sorted=False), title


def test_owners_mailed_in_one_second_share_the_calendar_and_a_later_one_has_its_own_stamp(
) -> None:
    notice = sample_notice("due", "nb")
    other = replace(notice, recipient=replace(notice.recipient, name="Per", email="per@example.no"))
    first = attachment(RENDERER.render(notice, NOW).data)
    assert attachment(RENDERER.render(other, NOW + dt.timedelta(microseconds=900)).data) == first
    later = only_event(attachment(RENDERER.render(other, NOW + dt.timedelta(seconds=1)).data))
    assert later.decoded("DTSTAMP") == NOW + dt.timedelta(seconds=1)
    moved = replace(notice, tasks=(replace(notice.tasks[0], due=BYREGION.due + dt.timedelta(1)),))
    assert only_event(attachment(RENDERER.render(moved, NOW).data)).decoded("DTEND") == \
        BYREGION.due + dt.timedelta(days=2)  # type: ignore[operator]


def test_an_undated_task_has_no_calendar() -> None:
    notice = sample_notice("due", "en")
    undated = replace(notice, tasks=(replace(BYREGION, start=None, due=None),))
    message = BytesParser(policy=policy.default).parsebytes(RENDERER.render(undated, NOW).data)
    assert message.get_content_type() == "multipart/alternative"
