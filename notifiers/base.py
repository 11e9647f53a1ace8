"""The notifier interface the reminder engine (#6) calls; email is the first channel.

Usage, one connection for a batch (or `prepare` a notice, then `deliver` it: a sender makes
the next message while the server works on the one before)::

    async with EmailNotifier.from_config(config) as notifier:
        for notice in due_notices:
            try:
                result = await notifier.send(notice)  # SendResult(message_id, code, reply)
            except TransientDeliveryError: ...  # 4xx, refused, timeout, early drop: retry
            except PermanentDeliveryError: ...  # 5xx: do not retry, alert the coordinator
            except AmbiguousDeliveryError: ...  # dropped after the content was handed over

Contract:
- A `Notice` is everything needed to render one message; the notifier reads no database.
- `Notice.idem_key` decides the `Message-ID` (same key, same id, so a retried send can be
  recognised downstream) and is sent as `X-Fristvakt-Key`.
- `Notice.today` is the recipient's local date; distances ("in 3 days") count from it.
- Errors raised by `__aenter__` concern the connection (server down, wrong password, TLS), not a
  notice: treat them as an outage of the whole batch. `send` reconnects by itself when a previous
  failure dropped the connection.
- Every error is a `timelines.base.exceptions.DeliveryError` carrying `code` (the SMTP
  code, or None when there was no reply) and `reply` (the server's text). Secrets never appear
  in them.
  A recipient address no server could take is a PermanentDeliveryError with code None.
- The email channel: `notifiers.email.EmailNotifier.from_config(config, env=os.environ)`; its
  `clock` attribute (a callable returning an aware datetime) gives the `Date` header.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import TracebackType
from typing import Literal, NamedTuple, Protocol, Self, TypeVar

from timelines.base.exceptions import DeliveryError

__all__ = [
    "NOTICE_KINDS", "AmbiguousDeliveryError", "FailureLine", "Notice", "NoticeKind", "Notifier",
    "PermanentDeliveryError", "Recipient", "SendResult", "TaskView", "TransientDeliveryError",
    "PermanentTransportError", "TransientTransportError", "TransportDeliveryError",
]

NoticeKind = Literal["due", "start", "overdue", "digest", "moved", "alert"]
NOTICE_KINDS: tuple[NoticeKind, ...] = ("due", "start", "overdue", "digest", "moved", "alert")


@dataclass(frozen=True)
class Recipient:
    """Who gets the message; `lang`/`timezone` may be empty (then timeline/config defaults)."""

    key: str
    name: str
    email: str
    lang: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class TaskView:
    """One task as the reader sees it. `owners`/`participants` are display names;
    `reaches` maps each of those names to the owner keys it stands for (a person: their own
    key, a role: its members), so a message can leave out the names that mean only its reader.
    `due_from_when` says the deadline is the reading of `when_text` (not an explicit `due`,
    nor placed after another task), so a message may say "read as"."""

    timeline_id: str
    timeline_title: str
    timeline_lang: str | None
    section: str
    task_id: str
    title: str
    when_text: str
    kind: str
    start: date | None
    due: date | None
    approximate: bool
    status: str
    owners: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    date_version: int = 1
    sequence: int = 0
    notes: str = ""
    reaches: dict[str, tuple[str, ...]] = field(default_factory=dict)
    due_from_when: bool = False
    # One occurrence of a recurring task: `title` names it ("Årsmelding 2024"), the dates and
    # status are its own, `planned` is the due day its rule gives it (the RECURRENCE-ID).
    occurrence: str = ""
    planned: date | None = None


class FailureLine(NamedTuple):
    """One undelivered reminder, listed in an `alert` to the coordinator."""

    task: str
    recipient: str
    error: str


@dataclass(frozen=True)
class Notice:
    """One message to render and send.

    `moved` is `(old_start, old_due)` for kind "moved"; `failures` is only for kind "alert".
    """

    kind: NoticeKind
    recipient: Recipient
    tasks: tuple[TaskView, ...]
    idem_key: str
    today: date
    feed_url: str | None = None
    moved: tuple[date | None, date | None] | None = None
    failures: tuple[FailureLine, ...] = ()
    installation: str = ""  # the database's random id: with idem_key, the Message-ID


@dataclass(frozen=True)
class SendResult:
    """What the server said when it accepted the message."""

    message_id: str
    code: int
    reply: str


class _CodedDeliveryError(DeliveryError):
    """A delivery failure with the server's code (None without a reply) and reply text."""

    def __init__(self, message: str, *, code: int | None = None, reply: str = "") -> None:
        self.code = code
        self.reply = reply
        super().__init__(message)


class TransientDeliveryError(_CodedDeliveryError):
    """Try again later: 4xx, connection refused, timeout, disconnect before DATA completed."""


class PermanentDeliveryError(_CodedDeliveryError):
    """Retrying will not help: 5xx (bad address, rejected content, wrong password)."""


class AmbiguousDeliveryError(_CodedDeliveryError):
    """The connection broke after the whole message was handed over: it may have arrived."""


class TransportDeliveryError(_CodedDeliveryError):
    """No message can go out at all (server unreachable, DNS, TLS, wrong password): an
    outage of the route, not a failure of any one message. Raised as one of the two below,
    so a caller that only knows transient/permanent still reads it right."""


class TransientTransportError(TransportDeliveryError, TransientDeliveryError):
    """The route is down for now (refused, DNS, timeout, 4xx greeting)."""


class PermanentTransportError(TransportDeliveryError, PermanentDeliveryError):
    """The route needs a fix (wrong password 535, TLS not trusted, AUTH not offered)."""


Prepared = TypeVar("Prepared")


class Notifier(Protocol[Prepared]):
    """A channel. Enter it once per batch; `send` may be awaited many times inside. `send`
    is `prepare` (render: no network, a PermanentDeliveryError if the notice cannot be
    written) and then `deliver`."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def send(self, notice: Notice) -> SendResult: ...

    async def prepare(self, notice: Notice) -> Prepared: ...

    async def deliver(self, prepared: Prepared) -> SendResult: ...
