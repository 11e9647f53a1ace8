"""SMTP delivery with aiosmtplib: one connection per batch, typed errors, secrets kept out.

The DATA phase is driven by hand (DATA, then the content) so that we know whether the
message content had been handed over when the connection broke: before that, the server
cannot have the message (transient); after it, it may have (ambiguous).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Literal, Self

import aiosmtplib
from aiosmtplib import SMTPResponse, SMTPResponseException, SMTPServerDisconnected
from pydantic import SecretStr

from notifiers.base import Notice, PermanentDeliveryError, SendResult
from notifiers.email.errors import DELIVERY_FAILURES, delivery_error
from notifiers.email.render import Contact, MailRenderer, RenderedMail
from timelines.config import Config
from timelines.exceptions import ConfigError, DeliveryError

log = logging.getLogger("fristvakt.mail")
_LEADING_DOT = re.compile(rb"(?m)^\.")
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
                   password=SecretStr(password) if password else None)


def _client(settings: SmtpSettings) -> aiosmtplib.SMTP:
    secret = settings.password.get_secret_value() if settings.password else None
    return aiosmtplib.SMTP(
        hostname=settings.host, port=settings.port, timeout=settings.timeout,
        use_tls=settings.security == "tls", start_tls=settings.security == "starttls",
        tls_context=settings.tls_context, username=settings.username or None,
        password=secret if settings.username else None)


class EmailNotifier:
    """The email channel (see notifiers.base for the contract)."""

    def __init__(self, settings: SmtpSettings, renderer: MailRenderer,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.settings = settings
        self.renderer = renderer
        self.clock = clock
        self._smtp: aiosmtplib.SMTP | None = None

    def __repr__(self) -> str:
        return f"EmailNotifier({self.settings!r})"

    @classmethod
    def from_config(cls, config: Config, env: Mapping[str, str] = os.environ) -> EmailNotifier:
        """The notifier fristvakt.toml describes; replies go to the coordinator."""
        coordinator = Contact(config.coordinator.name, config.coordinator.email)
        return cls(SmtpSettings.from_config(config, env),
                   MailRenderer(config.smtp.sender, coordinator))

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
        """Render and deliver one notice; raises the typed DeliveryErrors.

        MAIL FROM and RCPT TO go out while the message is still being rendered, so the
        rendering time hides behind the server's round trips.
        """
        try:
            sender, recipients = self.renderer.envelope(notice)
        except ValueError as exc:
            raise PermanentDeliveryError(str(exc), code=None, reply=str(exc)) from exc
        smtp = await self._connection()
        envelope = asyncio.ensure_future(self._envelope(smtp, sender, recipients))
        try:
            mail = await self._render(notice)
        except BaseException:
            await _settle(smtp, envelope)  # no half-open transaction is left behind
            raise
        await envelope
        return self._sent(mail, await self._data(smtp, mail))

    async def deliver(self, mail: RenderedMail) -> SendResult:
        """Send an already rendered message over the batch connection (reconnecting if lost)."""
        smtp = await self._connection()
        await self._envelope(smtp, mail.sender, mail.recipients)
        return self._sent(mail, await self._data(smtp, mail))

    def _sent(self, mail: RenderedMail, reply: SMTPResponse) -> SendResult:
        log.info("sent %s to %s: %s %s", mail.message_id, ", ".join(mail.recipients),
                 reply.code, reply.message)
        return SendResult(mail.message_id, reply.code, reply.message)

    async def _render(self, notice: Notice) -> RenderedMail:
        steps = self.renderer.render_steps(notice, self.clock())
        while True:
            await asyncio.sleep(0)  # let replies in and the next command out
            try:
                next(steps)
            except StopIteration as done:
                return done.value

    async def _connection(self) -> aiosmtplib.SMTP:
        if self._smtp is None or not self._smtp.is_connected:
            await self._connect()
        assert self._smtp is not None
        return self._smtp

    async def _connect(self) -> None:
        smtp = _client(self.settings)
        try:
            await smtp.connect()
        except DELIVERY_FAILURES as exc:
            smtp.close()
            raise delivery_error(exc, server=self.settings.server, handed_over=False) from exc
        self._smtp = smtp

    async def _envelope(self, smtp: aiosmtplib.SMTP, sender: str,
                        recipients: tuple[str, ...]) -> None:
        try:
            await smtp.mail(sender)
            for recipient in recipients:
                await smtp.rcpt(recipient)
        except DELIVERY_FAILURES as exc:
            raise await self._failed(smtp, exc, handed_over=False) from exc

    async def _data(self, smtp: aiosmtplib.SMTP, mail: RenderedMail) -> SMTPResponse:
        handed_over = False
        try:
            await _expect(smtp, await smtp.execute_command(b"DATA"), 354)
            handed_over = True
            return await self._content(smtp, mail.data)
        except DELIVERY_FAILURES as exc:
            raise await self._failed(smtp, exc, handed_over) from exc

    async def _failed(self, smtp: aiosmtplib.SMTP, exc: BaseException,
                      handed_over: bool) -> DeliveryError:
        await _recover(smtp, exc)
        return delivery_error(exc, server=self.settings.server, handed_over=handed_over)

    async def _content(self, smtp: aiosmtplib.SMTP, data: bytes) -> SMTPResponse:
        if smtp.protocol is None:
            raise SMTPServerDisconnected("Connection lost")
        smtp.protocol.write(_LEADING_DOT.sub(b"..", data) + b".\r\n")
        try:
            reply = await smtp.protocol.read_response(timeout=self.settings.timeout)
        except DELIVERY_FAILURES:
            smtp.close()  # after a timeout the reply stream is out of step
            raise
        return await _expect(smtp, reply, 250)


async def _expect(smtp: aiosmtplib.SMTP, reply: SMTPResponse, code: int) -> SMTPResponse:
    if reply.code != code:
        raise SMTPResponseException(reply.code, reply.message)
    return reply


async def _settle(smtp: aiosmtplib.SMTP, envelope: asyncio.Future[None]) -> None:
    """Rendering failed: wait for the envelope commands, then reset the transaction."""
    try:
        await envelope
    except DeliveryError:
        return  # already recovered inside _envelope
    await _recover(smtp, SMTPResponseException(0, "rendering failed"))


async def _recover(smtp: aiosmtplib.SMTP, exc: BaseException) -> None:
    """After a refused command the connection is still good: reset it for the next message."""
    if not isinstance(exc, SMTPResponseException) or not smtp.is_connected:
        smtp.close()
        return
    try:
        await smtp.rset()
    except DELIVERY_FAILURES:
        smtp.close()
