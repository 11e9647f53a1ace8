"""SMTP delivery with aiosmtplib: one connection per batch, typed errors, secrets kept out.

The whole transaction goes through aiosmtplib's own API: `mail`, `rcpt`, then `data`, which
sends the DATA command and the (dot-stuffed) content and reads both replies in one call. A
drop or timeout before `data` is called is transient: the server cannot have the message. A
drop or timeout while `data` runs is ambiguous: the server may have it. aiosmtplib does not
tell us whether it was the DATA command or the content that was waiting for its reply, so a
drop right after the DATA command counts as ambiguous too: the conservative answer, since a
retry carries the same Message-ID and is recorded as a possible duplicate.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import ssl
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parseaddr
from types import TracebackType
from typing import Literal, Self

import aiosmtplib
from aiosmtplib import SMTPResponse, SMTPResponseException, SMTPServerDisconnected
from pydantic import SecretStr

from notifiers.base import (
    Notice,
    PermanentDeliveryError,
    PermanentTransportError,
    SendResult,
    TransientTransportError,
    TransportDeliveryError,
)
from notifiers.email.ahead import RenderPool
from notifiers.email.errors import DELIVERY_FAILURES, ENVELOPE_FAILURES, delivery_error
from notifiers.email.headers import checked_address
from notifiers.email.render import Actions, Contact, MailRenderer, RenderedMail
from timelines.base.exceptions import ConfigError, DeliveryError
from timelines.config import Config

log = logging.getLogger("fristvakt.mail")
Security = Literal["none", "starttls", "tls"]


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to connect. The password is a SecretStr: it never shows in a repr."""

    host: str
    port: int
    security: Security = "none"
    username: str = ""
    password: SecretStr | None = field(default=None, repr=False)
    timeout: float = 30.0
    tls_context: ssl.SSLContext | None = field(default=None, repr=False)
    helo_name: str | None = None  # None: aiosmtplib's default, the machine's name

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"

    @classmethod
    def from_config(cls, config: Config, env: Mapping[str, str]) -> SmtpSettings:
        """The [smtp] block, with the password read from the variable it names."""
        smtp = config.smtp
        password = smtp.password(env)
        if smtp.username and not password:
            raise ConfigError(f"[smtp] username is set but the environment variable "
                              f"{smtp.password_env} (the SMTP password) is empty or unset")
        return cls(host=smtp.host, port=smtp.port, security=smtp.security,
                   username=smtp.username, timeout=smtp.timeout,
                   password=SecretStr(password) if password else None,
                   helo_name=helo_name(smtp.helo_name, smtp.sender, socket.getfqdn()))


def helo_name(configured: str, sender: str, machine: str) -> str:
    """The name to greet the server with: `[smtp] helo_name`, else the machine's name when
    it is fully qualified, else the domain of the sender address (relays that demand a
    fully qualified name refuse a bare "vm" or "localhost").

    >>> helo_name("", "Fristvakt <fv@region.example.no>", "vm")
    'region.example.no'
    >>> helo_name("", "fv@region.example.no", "mail.region.no"), helo_name("x.no", "", "vm")
    ('mail.region.no', 'x.no')
    """
    if configured:
        return configured
    if "." in machine:
        return machine
    return parseaddr(sender)[1].rpartition("@")[2] or machine


def renderer_from_config(config: Config, actions: Actions | None = None) -> MailRenderer:
    """The messages fristvakt.toml describes: from `[smtp] sender`, replies to the
    coordinator, the calendar as the feeds show it; `actions` gives a notice its answer
    buttons."""
    coordinator = Contact(config.coordinator.name, config.coordinator.email)
    try:
        return MailRenderer(config.smtp.sender, coordinator, config.feeds.domain,
                            calendar_span=config.feeds.style == "span", actions=actions)
    except ValueError as exc:
        raise ConfigError(f"[smtp] sender = {config.smtp.sender!r}: expected "
                          f'"Name <address@domain>" ({exc})') from exc


def _client(settings: SmtpSettings) -> aiosmtplib.SMTP:
    secret = settings.password.get_secret_value() if settings.password else None
    return aiosmtplib.SMTP(
        hostname=settings.host, port=settings.port, timeout=settings.timeout,
        use_tls=settings.security == "tls", start_tls=settings.security == "starttls",
        tls_context=settings.tls_context, username=settings.username or None,
        password=secret if settings.username else None, local_hostname=settings.helo_name)


class EmailNotifier:
    """The email channel (see notifiers.base for the contract)."""

    def __init__(self, settings: SmtpSettings, renderer: MailRenderer,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 pool: RenderPool | None = None) -> None:
        self.settings = settings
        self.renderer = renderer
        self.clock = clock
        # Given: `prepare` renders there, the same renderer built in a worker process.
        self.pool = pool
        self._smtp: aiosmtplib.SMTP | None = None

    def __repr__(self) -> str:
        return f"EmailNotifier({self.settings!r})"

    @classmethod
    def from_config(cls, config: Config, env: Mapping[str, str] = os.environ, *,
                    actions: Actions | None = None,
                    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                    pool: RenderPool | None = None) -> EmailNotifier:
        """The notifier fristvakt.toml describes; replies go to the coordinator. `actions`
        gives a notice its answer buttons; `clock` dates the Date header; `pool` (built with
        the same renderer) renders the messages in a worker process."""
        renderer = renderer_from_config(config, actions)
        return cls(SmtpSettings.from_config(config, env), renderer, clock, pool)

    async def __aenter__(self) -> Self:
        await self._connect()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None and smtp.is_connected:
            try:
                await smtp.quit()
            except DELIVERY_FAILURES:
                smtp.close()  # the batch is over either way; a failed QUIT changes nothing

    async def send(self, notice: Notice) -> SendResult:
        """Render and deliver one notice; raises the typed DeliveryErrors."""
        return await self.deliver(await self.prepare(notice))

    async def prepare(self, notice: Notice) -> RenderedMail:
        """The message for a notice, rendered a part at a time: between parts the event loop
        runs, so a message being delivered meanwhile gets its replies answered. With a
        `pool`, made there: this process only waits."""
        return await self._prepared(notice, None)

    def prepare_all(self, notices: Sequence[Notice]) -> list[Awaitable[RenderedMail]]:
        """`prepare` of each notice, asked at once: with a `pool`, the worker makes them one
        after the other (`RenderPool.render_all`) while this process sends."""
        if self.pool is None:
            return [self.prepare(notice) for notice in notices]
        made = self.pool.render_all(notices, self.clock())
        return [self._prepared(notice, ahead) for notice, ahead in zip(notices, made, strict=True)]

    async def _prepared(self, notice: Notice,
                        ahead: Awaitable[RenderedMail] | None) -> RenderedMail:
        try:
            return await self._made(notice, ahead)
        except ValueError as exc:  # an address no server would take: retrying cannot help
            raise PermanentDeliveryError(str(exc), code=None, reply=str(exc)) from exc

    async def _made(self, notice: Notice, ahead: Awaitable[RenderedMail] | None) -> RenderedMail:
        if self.pool is not None:
            try:
                return await (ahead or self.pool.render(notice, self.clock()))
            except BrokenProcessPool:  # the worker died (killed, out of memory): made here
                self.pool = None
        for step in self.renderer.steps(notice, self.clock()):
            if step is not None:
                return step
            await asyncio.sleep(0)
        raise AssertionError("steps() ends with the message")

    async def deliver(self, mail: RenderedMail) -> SendResult:
        """Send an already rendered message over the batch connection (reconnecting if lost)."""
        smtp = await self._connection()
        await self._envelope(smtp, mail.sender, mail.recipients)
        return self._sent(mail, await self._data(smtp, mail.data))

    def _sent(self, mail: RenderedMail, reply: SMTPResponse) -> SendResult:
        log.info("sent %s to %s: %s %s", mail.message_id, ", ".join(mail.recipients),
                 reply.code, reply.message)
        return SendResult(mail.message_id, reply.code, reply.message)

    async def _connection(self) -> aiosmtplib.SMTP:
        if self._smtp is None or not self._smtp.is_connected:
            await self._connect()
        assert self._smtp is not None
        return self._smtp

    async def _connect(self) -> None:
        smtp = _client(self.settings)
        try:
            await smtp.connect()
            if smtp.is_ehlo_or_helo_needed:  # a refused greeting fails the batch, not a notice
                await smtp.ehlo()
        except DELIVERY_FAILURES as exc:
            smtp.close()
            raise _transport(delivery_error(exc, server=self.settings.server,
                                            in_data=False)) from exc
        self._smtp = smtp

    async def _envelope(self, smtp: aiosmtplib.SMTP, sender: str,
                        recipients: tuple[str, ...]) -> None:
        """MAIL FROM and one RCPT TO per recipient; any refusal fails the whole message."""
        try:
            for address in (sender, *recipients):  # aiosmtplib would quietly rewrite a bad one
                checked_address(address)
            await smtp.mail(sender)
            for recipient in recipients:
                await smtp.rcpt(recipient)
            if not smtp.is_connected:  # dropped after the last reply: data() was not called
                raise SMTPServerDisconnected("Connection lost before DATA")
        except ENVELOPE_FAILURES as exc:
            raise await self._failed(smtp, exc, in_data=False) from exc

    async def _data(self, smtp: aiosmtplib.SMTP, data: bytes) -> SMTPResponse:
        """DATA and the content; aiosmtplib closes the connection itself on a drop or timeout."""
        try:
            return await smtp.data(data)
        except DELIVERY_FAILURES as exc:
            raise await self._failed(smtp, exc, in_data=True) from exc

    async def _failed(self, smtp: aiosmtplib.SMTP, exc: BaseException,
                      in_data: bool) -> DeliveryError:
        await _recover(smtp, exc)
        return delivery_error(exc, server=self.settings.server, in_data=in_data)


def _transport(error: DeliveryError) -> TransportDeliveryError:
    """Whatever fails while connecting (refused, DNS, TLS, greeting, authentication) is an
    outage of the route: no message could go out, so none of them is to blame."""
    code, reply = getattr(error, "code", None), getattr(error, "reply", "")
    kind = PermanentTransportError if isinstance(error, PermanentDeliveryError) \
        else TransientTransportError
    return kind(str(error), code=code, reply=reply)


async def _recover(smtp: aiosmtplib.SMTP, exc: BaseException) -> None:
    """After a refused command (or an address never sent) the connection is still in step:
    reset the envelope for the next message. After anything else, drop the connection."""
    if not isinstance(exc, SMTPResponseException | ValueError) or not smtp.is_connected:
        smtp.close()
        return
    try:
        await smtp.rset()
    except DELIVERY_FAILURES:
        smtp.close()
