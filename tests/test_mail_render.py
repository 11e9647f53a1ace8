"""What an owner reads: every kind in every language, the structure, the calendar attachment."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from typing import Any, cast

import babel.dates
import icalendar
import jinja2
import pytest

from notifiers.base import NOTICE_KINDS, NoticeKind
from notifiers.email import render as render_module
from notifiers.email.render import Contact, MailRenderer, RenderedMail
from notifiers.email.samples import BYREGION, FEED, sample_notice
from notifiers.email.templates import bake_texts, environment
from notifiers.email.view import template_context
from timelines.base.i18n import LANGS, format_date, format_distance, pick_lang

RENDERER = MailRenderer("Fristvakt <fristvakt@example.no>", Contact("Kari K", "kari@example.no"))
NOW = datetime(2022, 11, 16, 7, 0, tzinfo=UTC)
# What the Makerspace reminder (due Wednesday 30 November 2022, today 16 November) must say.
DEADLINE_WORDS = {
    "nb": ("onsdag 30. november 2022", "om 14 dager", "Også ansvarlige", "pågår"),
    "nn": ("onsdag 30. november 2022", "om 14 dagar", "Òg ansvarlege", "pågår"),
    "sv": ("onsdag 30 november 2022", "om 14 dagar", "Också ansvariga", "pågår"),
    "en": ("Wednesday, November 30, 2022", "in 14 days", "Also responsible", "ongoing"),
}


def parse(data: bytes) -> EmailMessage:
    return cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(data))


def render(kind: NoticeKind, lang: str | None, **kwargs: str) -> tuple[RenderedMail, EmailMessage]:
    mail = RENDERER.render(sample_notice(kind, lang, **kwargs), NOW)
    return mail, parse(mail.data)


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return content(text), content(html)


def content(part: object) -> str:
    # The parts travel with CRLF line ends (canonical form); compare as text.
    return str(cast(EmailMessage, part).get_content()).replace("\r\n", "\n")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", NOTICE_KINDS)
def test_every_kind_renders_in_every_language(kind: NoticeKind, lang: str) -> None:
    mail, message = render(kind, lang)
    text, html = parts(message)
    assert message["Content-Language"] == lang
    # A subject that fits on a line of its own is folded onto one, and Python's parser keeps
    # that folding space (mail clients drop it): compare without it.
    assert message["Subject"].lstrip() == mail.subject and mail.subject
    names = {"alert": "550 5.1.1 mailbox unknown"}
    expected = names.get(kind, BYREGION.title)
    assert expected in text and expected in html


@pytest.mark.parametrize("lang", LANGS)
def test_reminder_says_what_where_when_who_and_the_link(lang: str) -> None:
    mail, message = render("due", lang)
    text, html = parts(message)
    for words in (*DEADLINE_WORDS[lang], BYREGION.title, "Byregionprogrammet Sør-Troms",
                  "Innovasjon og entreprenørskap", "Haust 2022", "Regionrådet", "Kommunane",
                  FEED):
        assert words in text, words
        assert words in html, words
    assert "Ola Nordmann" not in text.split("\n", 1)[1]  # the reader is not "also responsible"
    assert "30" in mail.subject and BYREGION.title in mail.subject


def test_fuzzy_when_is_shown_with_how_it_was_read() -> None:
    text, _ = parts(render("due", "nn")[1])
    assert "«Haust 2022», lese som onsdag 30. november 2022" in text


def test_exact_when_is_not_repeated() -> None:
    notice = sample_notice("due", "sv")
    exact = replace(notice.tasks[0], when_text="2022-11-30", start=date(2022, 11, 30))
    text, _ = parts(parse(RENDERER.render(replace(notice, tasks=(exact,)), NOW).data))
    assert "I planen" not in text and "2022-11-30" not in text


def test_kind_specific_words() -> None:
    start_text = parts(render("start", "nn")[1])[0]
    assert "torsdag 1. september 2022 (om 3 dagar)" in start_text
    overdue_text = parts(render("overdue", "sv")[1])[0]
    assert "för 5 dagar sedan" in overdue_text
    moved_text, moved_html = parts(render("moved", "nb")[1])
    assert "tirsdag 31. mai 2022" in moved_text and "onsdag 30. november 2022" in moved_text
    assert "line-through" in moved_html  # the old date is struck out
    digest_text = parts(render("digest", "en")[1])[0]
    overdue, upcoming = digest_text.split("Coming up")
    assert "Rapport til regionrådet" in overdue and BYREGION.title in upcoming


def test_a_digest_lists_tasks_without_a_deadline_plainly() -> None:
    notice = sample_notice("digest", "en")
    undated = replace(notice.tasks[0], due=None, start=None, title="Drift")
    text, _ = parts(parse(RENDERER.render(replace(notice, tasks=(undated,)), NOW).data))
    assert "- Drift (Byregionprogrammet Sør-Troms)\n" in text


def test_language_falls_back_owner_then_timeline_then_english() -> None:
    assert render("due", None)[1]["Content-Language"] == "nn"  # the timeline's language
    assert pick_lang("de", None) == "en"
    assert pick_lang(None, "sv") == "sv"


def test_dates_and_distances_in_the_readers_words() -> None:
    day = date(2017, 10, 20)
    assert format_date(day, "nb") == "fredag 20. oktober 2017"
    assert format_date(day, "sv") == "fredag 20 oktober 2017"
    assert [format_distance(n, "nb") for n in (-2, -1, 0, 1, 2)] == [
        "for 2 dager siden", "i går", "i dag", "i morgen", "om 2 dager"]
    assert format_distance(1, "sv") == "i morgon" and format_distance(21, "nn") == "om 21 dagar"


@pytest.mark.parametrize("lang", LANGS)
def test_dates_read_exactly_as_babel_writes_them(lang: str) -> None:
    """format_date fills the locale's pattern itself (faster): every day of two years (all
    weekdays, months, a leap day) and a spread over two centuries, in every width."""
    days = [date(2023, 1, 1) + timedelta(days=i) for i in range(731)]
    days += [date(1900, 1, 1) + timedelta(days=i) for i in range(0, 73000, 97)]
    for width in ("full", "long", "medium", "short"):
        for day in days:
            assert format_date.__wrapped__(day, lang, width) == \
                babel.dates.format_date(day, format=width, locale=lang), (day, width)


def _renderings(kind: NoticeKind) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(language, template name, context) for both parts of `kind` in every language."""
    for lang in LANGS:
        context = template_context(sample_notice(kind, lang), lang, "Kari K")
        for part in ("txt", "html"):
            yield lang, f"{kind}.{part}.j2", context


@pytest.mark.parametrize("kind", NOTICE_KINDS)
def test_flattened_templates_render_exactly_as_jinja_inheritance(kind: NoticeKind) -> None:
    for _lang, name, context in _renderings(kind):
        flat = environment(flat=True).get_template(name).render(context)
        assert flat == environment(flat=False).get_template(name).render(context)


@pytest.mark.parametrize("kind", NOTICE_KINDS)
def test_templates_with_texts_written_out_render_as_with_lookups(kind: NoticeKind) -> None:
    for lang, name, context in _renderings(kind):
        baked = environment().get_template(f"{lang}/{name}")
        assert baked.render(context) == environment().get_template(name).render(context)
        loader = environment().loader
        assert loader is not None
        source, _, _ = loader.get_source(environment(), f"{lang}/{name}")
        assert not re.search(r'{{ _\("[^"]*"\) }}', source)  # every text was written out


def test_a_text_that_could_confuse_jinja_stays_a_lookup() -> None:
    source = """<p>{{ _("a") }}|{{ _('b') }}|{{ _("c") }}|{{ _("d") }}|{{ _("e \\" f") }}</p>"""
    texts = {"a": "Frist & <dato>", "b": "{{ x }}", "c": " kant", "d": "100 %", 'e " f': "g"}
    assert bake_texts(source, texts.__getitem__, html=True) == \
        """<p>Frist &amp; &lt;dato&gt;|{{ _('b') }}|{{ _("c") }}|{{ _("d") }}|g</p>"""
    assert bake_texts('{{ _("a") }}', texts.__getitem__, html=False) == "Frist & <dato>"


def test_templates_refuse_unknown_names() -> None:
    with pytest.raises(jinja2.UndefinedError):
        environment().get_template("due.txt.j2").render(_=lambda text, **v: text)


def test_structure_of_a_single_task_message() -> None:
    mail, message = render("due", "nb")
    assert message.get_content_type() == "multipart/mixed"
    alternative, calendar = cast(list[EmailMessage], message.get_payload())
    assert alternative.get_content_type() == "multipart/alternative"
    inner = cast(list[EmailMessage], alternative.get_payload())
    assert [p.get_content_type() for p in inner] == ["text/plain", "text/html"]
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "PUBLISH"
    assert calendar.get_content_disposition() == "attachment"
    assert message["Message-ID"] == mail.message_id
    assert message["X-Fristvakt-Key"] == "sample:due:nb"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-Auto-Response-Suppress"] == "All"
    assert message["Reply-To"].addresses[0].addr_spec == "kari@example.no"
    assert message["To"].addresses[0].addr_spec == "ola@example.no"
    assert message["List-Id"].endswith("<byregion.example.no>")
    sent = parsedate_to_datetime(message["Date"])
    assert sent == NOW and sent.utcoffset() == timedelta(hours=1)  # Oslo, the owner's zone


def test_html_is_inlined_and_scripts_are_text() -> None:
    _, message = render("due", "en", title="Budsjett <script>alert(1)</script> & plan")
    text, html = parts(message)
    assert "<style" not in html and 'style="' in html
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; plan" in html
    assert "Budsjett <script>alert(1)</script> & plan" in text


def test_calendar_attachment_is_one_all_day_event() -> None:
    _, message = render("due", "sv")
    calendar_part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    cal = icalendar.Calendar.from_ical(cast(bytes, calendar_part.get_payload(decode=True)))
    assert cal["METHOD"] == "PUBLISH"
    [event] = cal.walk("VEVENT")
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert type(start) is date and type(end) is date
    assert (start, end) == (BYREGION.due, BYREGION.due + timedelta(days=1))  # type: ignore[operator]
    assert BYREGION.title in str(event["SUMMARY"])
    assert event.decoded("SEQUENCE") == BYREGION.date_version


def test_the_event_is_the_same_calendar_entry_as_in_the_feed() -> None:
    from notifiers.calendar.event import uid

    renderer = MailRenderer("Fv <fv@example.no>", None, calendar_domain="feeds.example.no")
    message = parse(renderer.render(sample_notice("due", "nb"), NOW).data)
    calendar_part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    cal = icalendar.Calendar.from_ical(cast(bytes, calendar_part.get_payload(decode=True)))
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == uid(BYREGION.timeline_id, BYREGION.task_id, "feeds.example.no")


@pytest.mark.parametrize("kind", ["digest", "alert"])
def test_messages_about_several_tasks_have_no_calendar(kind: NoticeKind) -> None:
    _, message = render(kind, "nb")
    assert message.get_content_type() == "multipart/alternative"
    assert all(p.get_content_type() != "text/calendar" for p in message.walk())


STOCK = MailRenderer("Fristvakt <fristvakt@example.no>", Contact("Kari K", "kari@example.no"),
                     policy=policy.SMTP)


def test_messages_are_byte_for_byte_what_the_stock_smtp_policy_writes() -> None:
    """The remembering policy (mime.POLICY) changes no byte: every kind and language, a long
    title that folds, a second rendering (served from what the first left behind), another
    recipient's time zone."""
    long_title = "Søknad om tilskudd til et svært langt prosjekt med ÆØÅ " * 4
    for lang in LANGS:
        for kind in NOTICE_KINDS:
            notice = sample_notice(kind, lang)
            variants = [notice, replace(notice, idem_key=notice.idem_key + ":2"),
                        replace(notice, tasks=tuple(replace(t, title=long_title)
                                                    for t in notice.tasks)),
                        replace(notice, recipient=replace(notice.recipient,
                                                          timezone="America/New_York"))]
            for one in variants * 2:
                assert RENDERER.render(one, NOW).data == STOCK.render(one, NOW).data


PART_TEXTS = ["Hei Ola,\nfrist i morgon.\n", "ascii only", "Søknad – «frist» \r\nneste linje",
              "x" * 300 + "\n" + "æ" * 120, "<p style='margin: 0'>" + "ø" * 200 + "</p>\r\n"]


def test_parts_are_made_as_set_content_and_make_alternative_make_them() -> None:
    """The parts and the multipart made from header objects made once are what the email
    package's own `set_content`, `make_alternative`/`make_mixed` and `attach` make."""
    for text in PART_TEXTS:
        for kind, how in (("plain", render_module.PLAIN), ("html", render_module.HTML)):
            made = render_module._leaf_of(policy.SMTP, kind, text)
            assert made.as_bytes() == render_module._leaf(policy.SMTP, text, **how).as_bytes()
        data = text.encode()
        made = render_module._leaf_of(policy.SMTP, "calendar", data)
        stock = render_module._leaf(policy.SMTP, data, **render_module.CALENDAR)
        assert made.as_bytes() == stock.as_bytes()
    for subtype in ("alternative", "mixed"):
        children = [render_module._leaf(policy.SMTP, t, **render_module.PLAIN) for t in PART_TEXTS]
        stock = EmailMessage(policy=policy.SMTP)
        getattr(stock, f"make_{subtype}")("=_fv_x_" + subtype)
        for child in children:
            stock.attach(child)
        made = EmailMessage(policy=policy.SMTP)
        render_module._multipart(policy.SMTP, made, subtype, "=_fv_x_" + subtype, children)
        assert made.as_bytes() == stock.as_bytes()
