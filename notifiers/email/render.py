"""Notice → a complete email: subject, text and HTML parts (templates), calendar, headers."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parseaddr
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from notifiers.base import Notice, Recipient
from notifiers.email import headers as h
from notifiers.email import mime
from notifiers.email.calendar import calendar_bytes
from notifiers.email.view import SINGLE_TASK_KINDS, notice_lang, template_context
from notifiers.i18n import format_date, pick_lang, t, translator

MAIL_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "mail"
_INLINER = css_inline.CSSInliner(keep_style_tags=False)


@cache
def environment() -> Environment:
    """One Jinja environment: HTML templates autoescaped, any unknown name an error."""
    return Environment(
        loader=FileSystemLoader(MAIL_TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, auto_reload=False,
    )


@dataclass(frozen=True)
class Contact:
    """A name and an address (sender, coordinator)."""

    name: str
    email: str


@dataclass(frozen=True)
class RenderedMail:
    """A message ready for SMTP: envelope, the bytes, and the parts for previews."""

    message_id: str
    sender: str
    recipients: tuple[str, ...]
    subject: str
    text: str
    html: str
    data: bytes


def render_html(template: str, context: dict[str, Any]) -> str:
    """The HTML part of one message kind, its stylesheet inlined for mail clients."""
    return _INLINER.inline(environment().get_template(f"{template}.html.j2").render(context))


def render_parts(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """The plain-text part and the HTML part (CSS inlined) of one message kind."""
    text = environment().get_template(f"{template}.txt.j2").render(context)
    return text, render_html(template, context)


def subject_for(notice: Notice, lang: str) -> str:
    """The subject line in the reader's language (cleaned later, with all headers)."""
    if notice.kind == "digest":
        return t(lang, "subject.digest", date=format_date(notice.today, lang, "long"))
    if notice.kind == "alert":
        return t(lang, "subject.alert", count=len(notice.failures))
    task = notice.tasks[0]
    day = task.start if notice.kind == "start" else task.due
    when = format_date(day, lang, "long") if day else t(lang, "label.none")
    return t(lang, f"subject.{notice.kind}", title=task.title, date=when)


def _local(now: datetime, zone: str | None) -> datetime:
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware `now`")
    try:
        return now.astimezone(ZoneInfo(zone)) if zone else now
    except (ZoneInfoNotFoundError, ValueError):
        return now


Headers = list[tuple[str, str]]


class MailRenderer:
    """Turns notices into messages from one sender, with replies going to the coordinator."""

    def __init__(self, sender: str, coordinator: Contact | None = None) -> None:
        name, addr = parseaddr(sender)
        self.sender = Contact(h.clean_phrase(name or "Fristvakt"), h.checked_address(addr))
        self.coordinator = coordinator
        self.domain = self.sender.email.rpartition("@")[2]

    def envelope(self, notice: Notice) -> tuple[str, tuple[str, ...]]:
        """(MAIL FROM, RCPT TO) of a notice, known before rendering; ValueError if unusable."""
        return self.sender.email, (h.checked_address(notice.recipient.email),)

    def render(self, notice: Notice, now: datetime) -> RenderedMail:
        """The full message for a notice; `now` (aware) is its Date header."""
        steps = self.render_steps(notice, now)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                return done.value

    def render_steps(self, notice: Notice, now: datetime) -> Generator[None, None, RenderedMail]:
        """`render` in slices: the sender runs SMTP round trips between them (smtp.py)."""
        lang = notice_lang(notice)
        coordinator = self.coordinator.name if self.coordinator else self.sender.name
        context = template_context(notice, lang, coordinator)
        yield
        text = environment().get_template(f"{notice.kind}.txt.j2").render(context)
        yield
        html = render_html(notice.kind, context)
        yield
        attachment = self._attachment(notice, lang, now)
        yield
        subject = h.clean_header_text(subject_for(notice, lang), limit=250)
        headers = self._headers(notice.recipient, subject, lang, now)
        msg_id = h.message_id(notice.idem_key, self.domain)
        headers += [("Message-ID", msg_id), ("X-Fristvakt-Key", h.key_header(notice.idem_key)),
                    ("List-Id", mime.phrase_address(*self._list_id(notice)))]
        return self._finish(headers, subject, (text, html), attachment)

    def render_test(self, to: str, lang: str, now: datetime) -> RenderedMail:
        """A short message for `fristvakt mail test`, to check the server settings."""
        lang = pick_lang(lang)
        recipient = Recipient(key="test", name="", email=to, lang=lang)
        context = {"t": translator(lang), "lang": lang, "name": to, "feed_url": None,
                   "coordinator": self.sender.name}
        text, html = render_parts("test", context)
        subject = t(lang, "subject.test")
        headers = self._headers(recipient, subject, lang, now)
        headers.append(("Message-ID", h.message_id(f"test:{to}:{now.isoformat()}", self.domain)))
        return self._finish(headers, subject, (text, html), None)

    def _attachment(self, notice: Notice, lang: str, now: datetime) -> mime.Part | None:
        if notice.kind not in SINGLE_TASK_KINDS or len(notice.tasks) != 1:
            return None
        ics = calendar_bytes(notice.tasks[0], lang, self.domain, now.astimezone(UTC))
        if ics is None:
            return None
        content_type = 'text/calendar; charset="utf-8"; method=PUBLISH; name="frist.ics"'
        return mime.base64_part(ics, content_type, "frist.ics")

    def _list_id(self, notice: Notice) -> tuple[str, str]:
        timelines = {(task.timeline_id, task.timeline_title) for task in notice.tasks}
        if len(timelines) == 1:
            timeline_id, title = timelines.pop()
            return h.list_id(title, timeline_id, self.domain)
        return h.list_id("Fristvakt", notice.kind, self.domain)

    def _headers(self, to: Recipient, subject: str, lang: str, now: datetime) -> Headers:
        headers = [("From", mime.phrase_address(self.sender.name, self.sender.email)),
                   ("To", mime.phrase_address(h.clean_phrase(to.name),
                                              h.checked_address(to.email)))]
        if self.coordinator:
            headers.append(("Reply-To", mime.phrase_address(
                h.clean_phrase(self.coordinator.name),
                h.checked_address(self.coordinator.email))))
        return [*headers, ("Subject", mime.header_value(subject)),
                ("Date", format_datetime(_local(now, to.timezone))),
                ("Auto-Submitted", "auto-generated"), ("X-Auto-Response-Suppress", "All"),
                ("Content-Language", lang)]

    def _finish(self, headers: Headers, subject: str, body: tuple[str, str],
                attachment: mime.Part | None) -> RenderedMail:
        fields = dict(headers)
        data = mime.message_bytes(headers, *body, attachment, seed=fields["Message-ID"])
        h.check_header_block(data, [*fields, "MIME-Version", "Content-Type"])
        return RenderedMail(message_id=fields["Message-ID"], sender=self.sender.email,
                            recipients=(h.checked_address(_addr(fields["To"])),),
                            subject=subject, text=body[0], html=body[1], data=data)


def _addr(field: str) -> str:
    return field.rpartition("<")[2].rstrip(">")
