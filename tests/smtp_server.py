"""A real aiosmtpd server on a free loopback port, for any test that sends mail.

Use the context manager directly::

    from smtp_server import smtp_server
    with smtp_server() as server:            # plain; "starttls" / "tls" need a trustme CA
        ... send to server.host:server.port ...
        server.messages[0].parsed()["Subject"]

or import the fixtures into a test module (`from smtp_server import smtp_plain  # noqa: F401`):
`smtp_plain`, `smtp_starttls` (STARTTLS required, AUTH user "fristvakt"/"hemmelig-passord"),
`smtp_tls` (implicit TLS, same AUTH), `tls_ca` (the trustme CA; `server.client_tls` trusts it).
Failure injection (keyword arguments): `handler=Reject(stage="RCPT", reply="451 4.3.0 Later")`,
`Reject(stage="DATA", reply="550 5.7.1 No")`, `DropAfterData()` (keeps the message, then cuts
the line without a reply), `DropAt()` (cuts the line at RCPT, before the message),
`Stall(stage="DATA", seconds=5)` (no answer); `times=N` fails N times, then behaves.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any, cast

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

USER = "fristvakt"
PASSWORD = "hemmelig-passord"


@dataclass
class Received:
    """One message as the server got it."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    peer: Any = None
    tls: bool = False
    authenticated: bool = False

    def parsed(self) -> EmailMessage:
        return cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(self.data))


@dataclass
class Recorder:
    """Accepts and keeps every message."""

    messages: list[Received] = field(default_factory=list)
    times: int | None = None  # failure handlers: fail this many times, then behave (None: always)

    def failing(self) -> bool:
        """True while the injected failure should still happen (counts down `times`)."""
        if self.times is None:
            return True
        self.times -= 1
        return self.times >= 0

    def record(self, server: SMTP, session: Session, envelope: Envelope) -> None:
        content = envelope.original_content or b""
        # session.ssl is only set after STARTTLS; implicit TLS shows on the transport.
        tls = session.ssl is not None or bool(
            server.transport and server.transport.get_extra_info("ssl_object"))
        self.messages.append(Received(
            str(envelope.mail_from), list(envelope.rcpt_tos), content, session.peer,
            tls, bool(session.authenticated)))

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.record(server, session, envelope)
        return f"250 2.0.0 Ok: queued as {len(self.messages)}"


@dataclass
class Reject(Recorder):
    """Answers `reply` (e.g. "451 4.3.0 Try later") at MAIL, RCPT or DATA."""

    stage: str = "RCPT"
    reply: str = "451 4.3.0 Try again later"

    async def handle_MAIL(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, options: list[str]) -> str:
        if self.stage == "MAIL" and self.failing():
            return self.reply
        envelope.mail_from, envelope.mail_options = address, list(options)
        return "250 OK"

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, options: list[str]) -> str:
        if self.stage == "RCPT" and self.failing():
            return self.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.stage == "DATA" and self.failing():
            return self.reply
        return await super().handle_DATA(server, session, envelope)


@dataclass
class DropAfterData(Recorder):
    """Keeps the message, then closes the connection instead of answering: did it arrive?"""

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.record(server, session, envelope)
        if self.failing():
            cast(Any, server.transport).abort()
        return "250 2.0.0 Ok"


@dataclass
class DropAt(Recorder):
    """Closes the connection at RCPT, before any message content was sent."""

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, options: list[str]) -> str:
        if self.failing():
            cast(Any, server.transport).abort()
        envelope.rcpt_tos.append(address)
        return "250 OK"


@dataclass
class Stall(Recorder):
    """Answers nothing for `seconds` at RCPT or after the content (DATA): a hung server."""

    stage: str = "DATA"
    seconds: float = 5.0

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, options: list[str]) -> str:
        if self.stage == "RCPT" and self.failing():
            await asyncio.sleep(self.seconds)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.stage == "DATA" and self.failing():
            await asyncio.sleep(self.seconds)
        return await super().handle_DATA(server, session, envelope)


def authenticator(server: SMTP, session: Session, envelope: Envelope,
                  mechanism: str, auth_data: Any) -> AuthResult:
    """USER/PASSWORD pass; anything else gets 535 (handled=False: no hanging client)."""
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode()
          and auth_data.password == PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class SmtpServer:
    """A running server: where it listens and what it received."""

    host: str
    port: int
    security: str
    handler: Recorder
    client_tls: ssl.SSLContext | None = None

    @property
    def messages(self) -> list[Received]:
        return self.handler.messages


def _server_tls(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


def client_tls(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def _controller(security: str, handler: Recorder, port: int,
                ca: trustme.CA | None, auth: bool = False) -> Controller:
    kwargs: dict[str, Any] = {"hostname": "127.0.0.1", "port": port, "ready_timeout": 10}
    if auth:  # AUTH on a plain line (loopback only): a wrong password is a 535
        kwargs.update(authenticator=authenticator, auth_require_tls=False, auth_required=True)
    if security != "none":
        assert ca is not None, "TLS needs a trustme CA"
        kwargs.update(authenticator=authenticator, auth_require_tls=True)
    if security == "starttls":
        kwargs.update(tls_context=_server_tls(cast(trustme.CA, ca)), require_starttls=True)
    if security == "tls":
        # aiosmtpd does not notice implicit TLS, so "AUTH needs TLS" must be switched off.
        kwargs.update(ssl_context=_server_tls(cast(trustme.CA, ca)), auth_require_tls=False)
    return Controller(handler, **kwargs)


@contextmanager
def smtp_server(security: str = "none", *, handler: Recorder | None = None,
                ca: trustme.CA | None = None, auth: bool = False) -> Iterator[SmtpServer]:
    """Start aiosmtpd on a free loopback port ("none", "starttls" or "tls"); stop it after.
    `auth`: a plain server that demands AUTH (user `USER`, password `PASSWORD`)."""
    handler = handler if handler is not None else Recorder()
    controller = _controller(security, handler, free_port(), ca, auth)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", controller.port, security, handler,
                         client_tls(ca) if ca else None)
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def tls_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def smtp_plain() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def smtp_starttls(tls_ca: trustme.CA) -> Iterator[SmtpServer]:
    with smtp_server("starttls", ca=tls_ca) as server:
        yield server


@pytest.fixture
def smtp_tls(tls_ca: trustme.CA) -> Iterator[SmtpServer]:
    with smtp_server("tls", ca=tls_ca) as server:
        yield server
