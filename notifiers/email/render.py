"""Notice → a complete email: subject, text and HTML parts (templates), calendar, headers.

The message is an `email.message.EmailMessage` written with `mime.POLICY` (`email.policy.SMTP`
that parses and folds a header value it has seen once: `notifiers.email.mime`). Every header
value built from plan or config text is cleaned first (`headers.clean_header_text`: one line,
no control characters, no `=?`), so that nothing the email package parses can turn into a
line break: Python before 3.11.10 folds such values into new header lines (CVE-2024-6923).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email import base64mime, quoprimime
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.policy import EmailPolicy
from email.utils import formataddr, parseaddr
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from notifiers.base import Notice, Recipient
from notifiers.calendar.event import Style
from notifiers.email import headers as h
from notifiers.email.attachment import calendar_bytes
from notifiers.email.mime import POLICY
from notifiers.email.templates import render_parts
from notifiers.email.view import SINGLE_TASK_KINDS, notice_lang, template_context
from timelines.base.i18n import N_, _, format_date, pick_lang, template_gettext, translate


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


# The subject of each reminder about one task.
SUBJECTS = {"due": N_("Deadline {date}: {title}"), "start": N_("Starts {date}: {title}"),
            "overdue": N_("Overdue: {title} (deadline {date})"), "moved": N_("New date: {title}")}


def subject_for(notice: Notice, lang: str) -> str:
    """The subject line in the reader's language (cleaned later, with all headers)."""
    if notice.kind == "digest":
        return _(lang, "Your deadlines, {date}", date=format_date(notice.today, lang, "long"))
    if notice.kind == "alert":
        return _(lang, "Fristvakt: reminders that could not be delivered ({count})",
                 count=len(notice.failures))
    task = notice.tasks[0]
    day = task.start if notice.kind == "start" else task.due
    when = format_date(day, lang, "long") if day else _(lang, "not set")
    return translate(lang, SUBJECTS[notice.kind], title=task.title, date=when)


def _local(now: datetime, zone: str | None) -> datetime:
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware `now`")
    try:
        return now.astimezone(ZoneInfo(zone)) if zone else now
    except (ZoneInfoNotFoundError, ValueError):
        return now


Headers = list[tuple[str, object]]


def address(name: str, email: str) -> Address:
    """`Name <addr>` from a cleaned display name and a checked address."""
    return Address(display_name=h.clean_phrase(name), addr_spec=h.checked_address(email))


# The answer buttons of a notice (a mapping the templates read), or None for none.
Actions = Callable[[Notice], object]

class MailRenderer:
    """Turns notices into messages from one sender, with replies going to the coordinator."""

    def __init__(self, sender: str, coordinator: Contact | None = None,
                 calendar_domain: str | None = None, calendar_span: bool = False,
                 actions: Actions | None = None, policy: EmailPolicy = POLICY) -> None:
        # The answer buttons of a notice, given by the layer that serves the answers.
        self.actions = actions
        self.policy = policy  # a test compares the bytes with the stock policy's
        name, addr = parseaddr(sender)
        self.sender = Contact(h.clean_phrase(name or "Fristvakt"), h.checked_address(addr))
        self.coordinator = coordinator
        self.domain = self.sender.email.rpartition("@")[2]
        # Event UIDs use the feeds' domain ([feeds] domain) and the attachment follows the
        # feeds' style, so the attachment and the subscription show the same calendar entry.
        self.calendar_domain = calendar_domain or self.domain
        self.calendar_span = calendar_span
        # The same for every message: made (parsed) once, as header objects the message
        # takes as they are.
        fixed: Headers = [("From", address(self.sender.name, self.sender.email))]
        if coordinator:
            fixed.append(("Reply-To", address(coordinator.name, coordinator.email)))
        fixed += [("Auto-Submitted", "auto-generated"), ("X-Auto-Response-Suppress", "All")]
        self._fixed = [(name, policy.header_factory(name, value)) for name, value in fixed]

    def render(self, notice: Notice, now: datetime) -> RenderedMail:
        """The full message for a notice; `now` (aware) is its Date header."""
        for step in self.steps(notice, now):
            if step is not None:
                return step
        raise AssertionError("steps() ends with the message")

    def steps(self, notice: Notice, now: datetime) -> Iterator[RenderedMail | None]:
        """`render` a part at a time: None after each part, the message last (a sender lets
        its connection go on in between)."""
        lang = notice_lang(notice)
        coordinator = self.coordinator.name if self.coordinator else self.sender.name
        context = template_context(notice, lang, coordinator)
        context["actions"] = self.actions(notice) if self.actions else None
        text, html = render_parts(notice.kind, context)
        yield None
        attachment = self._attachment(notice, lang, now)
        yield None
        subject = h.clean_header_text(subject_for(notice, lang), limit=250)
        headers = self._headers(notice.recipient, subject, lang, now)
        headers += [("Message-ID", h.message_id(notice.idem_key, self.domain, notice.installation)),
                    ("X-Fristvakt-Key", h.key_header(notice.idem_key)),
                    ("List-Id", formataddr(self._list_id(notice)))]
        message = _message(self.policy, headers, (text, html), attachment)
        yield None
        yield self._written(message, headers, subject, (text, html))

    def render_test(self, to: str, lang: str, now: datetime) -> RenderedMail:
        """A short message for `fristvakt mail test`, to check the server settings."""
        lang = pick_lang(lang)
        recipient = Recipient(key="test", name="", email=to, lang=lang)
        context = {**template_gettext(lang), "lang": lang, "name": to,
                   "feed_url": None, "webcal_url": None, "coordinator": self.sender.name}
        text, html = render_parts("test", context)
        subject = _(lang, "Test message from Fristvakt")
        headers = self._headers(recipient, subject, lang, now)
        headers.append(("Message-ID", h.message_id(f"test:{to}:{now.isoformat()}", self.domain)))
        return self._finish(headers, subject, (text, html), None)

    def _attachment(self, notice: Notice, lang: str, now: datetime) -> bytes | None:
        if notice.kind not in SINGLE_TASK_KINDS or len(notice.tasks) != 1:
            return None
        style = Style(lang, self.calendar_domain, self.calendar_span, notice.today)
        return calendar_bytes(notice.tasks[0], style, now.astimezone(UTC))

    def _list_id(self, notice: Notice) -> tuple[str, str]:
        timelines = {(task.timeline_id, task.timeline_title) for task in notice.tasks}
        if len(timelines) == 1:
            timeline_id, title = timelines.pop()
            return h.list_id(title, timeline_id, self.domain)
        return h.list_id("Fristvakt", notice.kind, self.domain)

    def _headers(self, to: Recipient, subject: str, lang: str, now: datetime) -> Headers:
        return [*self._fixed, ("To", address(to.name, to.email)), ("Subject", subject),
                ("Date", _local(now, to.timezone)), ("Content-Language", lang)]

    def _finish(self, headers: Headers, subject: str, body: tuple[str, str],
                attachment: bytes | None) -> RenderedMail:
        return self._written(_message(self.policy, headers, body, attachment), headers,
                             subject, body)

    def _written(self, message: EmailMessage, headers: Headers, subject: str,
                 body: tuple[str, str]) -> RenderedMail:
        data = message.as_bytes()
        h.check_header_block(data, [*dict(headers), "MIME-Version", "Content-Type"])
        to = message["To"].addresses[0].addr_spec
        return RenderedMail(message_id=str(message["Message-ID"]), sender=self.sender.email,
                            recipients=(to,), subject=subject, text=body[0], html=body[1],
                            data=data)


def boundary(seed: str, label: str) -> str:
    """A multipart boundary no part can contain: "=_" never occurs in quoted-printable or
    base64 (RFC 2045 §6.7), the only encodings used. Given, it also spares the generator
    its search of every part for a random one that is free.

    >>> boundary("<a@example.no>", "alt")
    '=_fv_529703f0403346f5c699341c_alt'
    """
    return f"=_fv_{hashlib.sha256(seed.encode()).hexdigest()[:24]}_{label}"


def _part(policy: EmailPolicy) -> EmailMessage:
    """An empty part. A MIMEPart, as the email package makes its own subparts (an
    EmailMessage would add a MIME-Version header to each); typeshed wants every attached
    part to be an EmailMessage."""
    return MIMEPart(policy=policy)  # type: ignore[return-value]


def _leaf(policy: EmailPolicy, content: str | bytes, **how: Any) -> EmailMessage:
    part = _part(policy)
    part.set_content(content, **how)
    return part


# How each part is made: `set_content`'s arguments.
PLAIN: dict[str, Any] = {"subtype": "plain", "cte": "quoted-printable"}
# Nobody reads HTML source: base64 keeps its long inlined-style lines intact.
HTML: dict[str, Any] = {"subtype": "html", "cte": "base64"}
CALENDAR: dict[str, Any] = {"maintype": "text", "subtype": "calendar", "filename": "frist.ics",
                            "params": {"method": "PUBLISH", "charset": "utf-8"}}


@cache
def _leaf_headers(policy: EmailPolicy, kind: str) -> list[tuple[str, Any]]:
    """The header objects `set_content` gives a part of this kind (they do not depend on the
    content: the encoding is chosen, not sniffed), made once."""
    how = {"plain": PLAIN, "html": HTML, "calendar": CALENDAR}[kind]
    return _leaf(policy, b"" if kind == "calendar" else "", **how).items()


def _text_lines(text: str) -> list[bytes]:
    return text.encode("utf-8").splitlines()


def _payload(kind: str, content: str | bytes, policy: EmailPolicy) -> str:
    """The encoded body, as `set_content` encodes it (`email.contentmanager`): the text
    part's lines as quoted-printable, the HTML part's (CRLF-ended) and the calendar as
    base64, in lines of at most `max_line_length`."""
    width = policy.max_line_length or 78
    if kind == "plain":
        assert isinstance(content, str)
        return quoprimime.body_encode(
            (b"\n".join(_text_lines(content)) + b"\n").decode("latin-1"), width)
    if kind == "html":
        assert isinstance(content, str)
        linesep = policy.linesep.encode("ascii")
        content = linesep.join(_text_lines(content)) + linesep
    assert isinstance(content, bytes)
    # Whole groups of four characters: a line holds width // 4 * 3 bytes, as there.
    return base64mime.body_encode(content, width // 4 * 4)


def _leaf_of(policy: EmailPolicy, kind: str, content: str | bytes) -> EmailMessage:
    """A part with the same headers and body `set_content` would give it, without working
    the headers out again for every message."""
    part = _part(policy)
    for name, value in _leaf_headers(policy, kind):
        part[name] = value
    part.set_payload(_payload(kind, content, policy))
    return part


def _multipart(policy: EmailPolicy, part: EmailMessage, subtype: str, boundary: str,
               children: list[EmailMessage]) -> None:
    """What `make_alternative`/`make_mixed` and `attach` make of a part without content."""
    part["Content-Type"] = f'multipart/{subtype}; boundary="{boundary}"'
    part.set_payload(children)  # type: ignore[arg-type]


def _message(policy: EmailPolicy, headers: Headers, body: tuple[str, str],
             attachment: bytes | None) -> EmailMessage:
    """alternative(text, html), inside mixed with the calendar when there is one.

    The parts are made as `set_content`, `make_alternative` and `attach` would make them
    (a test compares the bytes with theirs), from header objects made once: those would
    work out each part's headers again, and parse the message's headers at each step
    (most of the rendering time)."""
    message = EmailMessage(policy=policy)
    for name, value in headers:
        if not name.startswith("Content-"):
            message[name] = value
    seed = str(message["Message-ID"])
    texts = [_leaf_of(policy, "plain", body[0]), _leaf_of(policy, "html", body[1])]
    if attachment is None:
        _multipart(policy, message, "alternative", boundary(seed, "alt"), texts)
    else:
        alternative = _part(policy)
        _multipart(policy, alternative, "alternative", boundary(seed, "alt"), texts)
        _multipart(policy, message, "mixed", boundary(seed, "mix"),
                   [alternative, _leaf_of(policy, "calendar", attachment)])
    message["MIME-Version"] = "1.0"
    for name, value in headers:
        if name.startswith("Content-"):
            message[name] = value
    return message
