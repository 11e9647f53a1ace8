"""Notice → a complete email: subject, text and HTML parts (templates), calendar, headers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parseaddr
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from notifiers.base import Notice, Recipient
from notifiers.email import headers as h
from notifiers.email import mime
from notifiers.email.calendar import calendar_bytes
from notifiers.email.templates import render_parts
from notifiers.email.view import SINGLE_TASK_KINDS, notice_lang, template_context
from notifiers.i18n import format_date, pick_lang, t, texts, translator


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

    def __init__(self, sender: str, coordinator: Contact | None = None,
                 calendar_domain: str | None = None) -> None:
        name, addr = parseaddr(sender)
        self.sender = Contact(h.clean_phrase(name or "Fristvakt"), h.checked_address(addr))
        self.coordinator = coordinator
        self.domain = self.sender.email.rpartition("@")[2]
        # Event UIDs use the feeds' domain ([feeds] domain), so the attachment and the
        # subscription describe the same calendar entry.
        self.calendar_domain = calendar_domain or self.domain
        self._from = mime.phrase_address(self.sender.name, self.sender.email)  # written once

    def render(self, notice: Notice, now: datetime) -> RenderedMail:
        """The full message for a notice; `now` (aware) is its Date header."""
        lang = notice_lang(notice)
        coordinator = self.coordinator.name if self.coordinator else self.sender.name
        text, html = render_parts(notice.kind, template_context(notice, lang, coordinator))
        attachment = self._attachment(notice, lang, now)
        subject = h.clean_header_text(subject_for(notice, lang), limit=250)
        headers = self._headers(notice.recipient, subject, lang, now)
        msg_id = h.message_id(notice.idem_key, self.domain, notice.installation)
        headers += [("Message-ID", msg_id), ("X-Fristvakt-Key", h.key_header(notice.idem_key)),
                    ("List-Id", mime.phrase_address(*self._list_id(notice)))]
        return self._finish(headers, subject, (text, html), attachment)

    def render_test(self, to: str, lang: str, now: datetime) -> RenderedMail:
        """A short message for `fristvakt mail test`, to check the server settings."""
        lang = pick_lang(lang)
        recipient = Recipient(key="test", name="", email=to, lang=lang)
        context = {"t": translator(lang), "L": texts(lang), "lang": lang, "name": to,
                   "feed_url": None, "coordinator": self.sender.name}
        text, html = render_parts("test", context)
        subject = t(lang, "subject.test")
        headers = self._headers(recipient, subject, lang, now)
        headers.append(("Message-ID", h.message_id(f"test:{to}:{now.isoformat()}", self.domain)))
        return self._finish(headers, subject, (text, html), None)

    def _attachment(self, notice: Notice, lang: str, now: datetime) -> mime.Part | None:
        if notice.kind not in SINGLE_TASK_KINDS or len(notice.tasks) != 1:
            return None
        ics = calendar_bytes(notice.tasks[0], lang, self.calendar_domain, now.astimezone(UTC))
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
        headers = [("From", self._from),
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
