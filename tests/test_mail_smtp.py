"""Delivery through a real aiosmtpd: plain, STARTTLS + AUTH, implicit TLS, injected failures."""

from __future__ import annotations

import asyncio
import base64
import logging
from dataclasses import replace
from datetime import UTC, datetime

import pytest
import smtp_server as servers
from pydantic import SecretStr
from smtp_server import (
    PASSWORD,
    USER,
    DropAfterData,
    DropAt,
    Reject,
    SmtpServer,
    Stall,
    free_port,
    smtp_server,
)

from notifiers.base import (
    AmbiguousDeliveryError,
    Notice,
    PermanentDeliveryError,
    SendResult,
    TransientDeliveryError,
)
from notifiers.email import EmailNotifier, SmtpSettings
from notifiers.email.render import Contact, MailRenderer, RenderedMail
from notifiers.email.samples import sample_notice
from timelines.base.exceptions import ConfigError, DeliveryError
from timelines.config import Config, Smtp

# The shared fixtures (a real aiosmtpd per test), bound here so pytest finds them.
smtp_plain, smtp_starttls, smtp_tls = servers.smtp_plain, servers.smtp_starttls, servers.smtp_tls
tls_ca = servers.tls_ca
RENDERER = MailRenderer("Fristvakt <fristvakt@example.no>", Contact("Kari", "kari@example.no"))
NOW = datetime(2022, 11, 16, 7, tzinfo=UTC)


def notifier_for(server: SmtpServer, *, password: str | None = None,
                 timeout: float = 5.0) -> EmailNotifier:
    secure = server.security != "none"
    settings = SmtpSettings(
        host=server.host, port=server.port, security=server.security,  # type: ignore[arg-type]
        username=USER if secure else "", timeout=timeout, tls_context=server.client_tls,
        password=SecretStr(password or PASSWORD) if secure else None)
    return EmailNotifier(settings, RENDERER)


async def send_all(notifier: EmailNotifier, *notices: Notice) -> list[SendResult]:
    async with notifier:
        return [await notifier.send(notice) for notice in notices]


def run_send(server: SmtpServer, *notices: Notice, **kwargs: object) -> list[SendResult]:
    notifier = notifier_for(server, **kwargs)  # type: ignore[arg-type]
    return asyncio.run(asyncio.wait_for(send_all(notifier, *notices), 20))


def test_plain_delivery_reports_the_servers_reply(smtp_plain: SmtpServer) -> None:
    notice = sample_notice("due", "nb")
    [result] = run_send(smtp_plain, notice)
    [received] = smtp_plain.messages
    assert (result.code, result.reply) == (250, "2.0.0 Ok: queued as 1")
    assert received.mail_from == "fristvakt@example.no"
    assert received.rcpt_tos == [notice.recipient.email]
    assert received.parsed()["Message-ID"] == result.message_id


def test_a_batch_uses_one_connection(smtp_plain: SmtpServer) -> None:
    notices = [sample_notice(kind, "nb") for kind in ("due", "digest", "moved")]
    run_send(smtp_plain, *notices)
    assert len(smtp_plain.messages) == 3
    assert len({received.peer for received in smtp_plain.messages}) == 1


def test_retry_of_the_same_reminder_has_the_same_message_id(smtp_plain: SmtpServer) -> None:
    notice = sample_notice("due", "sv", idem_key="reminder-17/due/14d")
    first, again = run_send(smtp_plain, notice, notice)
    assert first.message_id == again.message_id
    keys = {received.parsed()["X-Fristvakt-Key"] for received in smtp_plain.messages}
    assert keys == {"reminder-17/due/14d"}
    other = run_send(smtp_plain, replace(notice, idem_key="reminder-18/due/14d"))[0]
    assert other.message_id != first.message_id


def test_starttls_with_auth(smtp_starttls: SmtpServer) -> None:
    run_send(smtp_starttls, sample_notice("due", "nn"))
    [received] = smtp_starttls.messages
    assert received.tls and received.authenticated


def test_implicit_tls_with_auth(smtp_tls: SmtpServer) -> None:
    run_send(smtp_tls, sample_notice("due", "en"))
    [received] = smtp_tls.messages
    assert received.tls and received.authenticated


def test_an_untrusted_certificate_is_permanent(smtp_starttls: SmtpServer) -> None:
    untrusted = replace(smtp_starttls, client_tls=None)  # the system CAs do not know trustme's
    with pytest.raises(PermanentDeliveryError, match="certificate"):
        run_send(untrusted, sample_notice("due", "nb"))
    assert smtp_starttls.messages == []


def test_wrong_password_is_a_permanent_535_not_a_hang(
        smtp_starttls: SmtpServer, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG), pytest.raises(PermanentDeliveryError) as caught:
        run_send(smtp_starttls, sample_notice("due", "nb"), password="feil-passord")
    assert caught.value.code == 535
    shown = f"{caught.value} {caught.value!r} {caught.value.reply} {caplog.text}"
    assert "feil-passord" not in shown
    assert base64.b64encode(b"\0fristvakt\0feil-passord").decode() not in shown
    assert smtp_starttls.messages == []


def test_451_is_transient_and_the_connection_stays_usable() -> None:
    with smtp_server(handler=Reject(stage="RCPT", reply="451 4.3.0 Try later", times=1)) as srv:
        error, later = send_twice(srv)
        assert isinstance(error, TransientDeliveryError)
        assert (error.code, error.reply) == (451, "4.3.0 Try later")
        assert later.code == 250 and len(srv.messages) == 1


def test_550_is_permanent_with_the_servers_reply() -> None:
    handler = Reject(stage="DATA", reply="550 5.7.1 Content rejected")
    with smtp_server(handler=handler) as srv, pytest.raises(PermanentDeliveryError) as caught:
        run_send(srv, sample_notice("due", "nb"))
    assert (caught.value.code, caught.value.reply) == (550, "5.7.1 Content rejected")
    assert "550 5.7.1 Content rejected" in str(caught.value)


def test_drop_after_data_is_ambiguous_and_the_server_has_it() -> None:
    with smtp_server(handler=DropAfterData()) as srv:
        with pytest.raises(AmbiguousDeliveryError) as caught:
            run_send(srv, sample_notice("due", "nb"))
        assert len(srv.messages) == 1
    assert caught.value.code is None


def test_drop_before_the_message_is_transient() -> None:
    with smtp_server(handler=DropAt()) as srv:
        with pytest.raises(TransientDeliveryError):
            run_send(srv, sample_notice("due", "nb"))
        assert srv.messages == []


def test_send_reconnects_after_a_dropped_connection() -> None:
    with smtp_server(handler=DropAfterData(times=1)) as srv:
        notifier = notifier_for(srv)

        async def batch() -> SendResult:
            async with notifier:
                with pytest.raises(AmbiguousDeliveryError):
                    await notifier.send(sample_notice("due", "nb"))
                return await notifier.send(sample_notice("due", "sv"))

        assert asyncio.run(batch()).code == 250
        assert len({received.peer for received in srv.messages}) == 2


def test_no_answer_before_data_is_transient_after_data_ambiguous() -> None:
    with smtp_server(handler=Stall(stage="RCPT", seconds=3)) as srv, \
            pytest.raises(TransientDeliveryError):
        run_send(srv, sample_notice("due", "nb"), timeout=0.5)
    with smtp_server(handler=Stall(stage="DATA", seconds=3)) as srv, \
            pytest.raises(AmbiguousDeliveryError):
        run_send(srv, sample_notice("due", "nb"), timeout=0.5)


def send_twice(srv: SmtpServer) -> tuple[DeliveryError, SendResult]:
    """One batch: the first notice must fail, the second one is sent after it."""
    notifier = notifier_for(srv)

    async def batch() -> tuple[DeliveryError, SendResult]:
        async with notifier:
            with pytest.raises(DeliveryError) as caught:
                await notifier.send(sample_notice("due", "nb"))
            return caught.value, await notifier.send(sample_notice("due", "sv"))

    return asyncio.run(asyncio.wait_for(batch(), 20))


@pytest.mark.parametrize(("stage", "reply"), [("MAIL", "450 4.2.1 Mailbox busy"),
                                              ("DATA", "452 4.3.1 Insufficient storage")])
def test_4xx_at_any_stage_is_transient_with_the_servers_code(stage: str, reply: str) -> None:
    with smtp_server(handler=Reject(stage=stage, reply=reply, times=1)) as srv:
        error, later = send_twice(srv)
        assert isinstance(error, TransientDeliveryError)
        assert f"{error.code} {error.reply}" == reply
        assert later.code == 250 and len(srv.messages) == 1  # RSET, then the same line
        assert len({received.peer for received in srv.messages}) == 1


def test_550_at_rcpt_is_permanent_and_the_next_message_goes_out() -> None:
    with smtp_server(handler=Reject(stage="RCPT", reply="550 5.1.1 No such user",
                                    times=1)) as srv:
        error, later = send_twice(srv)
        assert isinstance(error, PermanentDeliveryError)
        assert (error.code, error.reply) == (550, "5.1.1 No such user")
        assert later.code == 250 and len(srv.messages) == 1


def test_421_closes_the_connection_and_the_next_send_reconnects() -> None:
    with smtp_server(handler=Reject(stage="MAIL", reply="421 4.3.2 Shutting down",
                                    times=1)) as srv:
        error, later = send_twice(srv)
        assert isinstance(error, TransientDeliveryError) and error.code == 421
        assert later.code == 250 and len(srv.messages) == 1


async def _drop_after_the_data_command(reader: asyncio.StreamReader,
                                       writer: asyncio.StreamWriter) -> None:
    """A scripted server: says yes to everything, then hangs up on DATA (no 354)."""
    writer.write(b"220 scripted ESMTP\r\n")
    while line := await reader.readline():
        if line.upper().startswith(b"DATA"):
            writer.transport.abort()
            return
        writer.write(b"250 OK\r\n")


def test_drop_right_after_the_data_command_counts_as_ambiguous() -> None:
    # aiosmtplib's data() sends DATA and the content in one call, so its public API cannot
    # tell "dropped before the content" from "dropped after it". Ambiguous is the
    # conservative answer: a retry carries the same Message-ID and is recorded as a
    # possible duplicate.
    async def scenario() -> None:
        server = await asyncio.start_server(_drop_after_the_data_command, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            settings = SmtpSettings(host="127.0.0.1", port=port, timeout=5)
            await send_all(EmailNotifier(settings, RENDERER), sample_notice("due", "nb"))

    with pytest.raises(AmbiguousDeliveryError) as caught:
        asyncio.run(asyncio.wait_for(scenario(), 20))
    assert caught.value.code is None


def test_content_is_dot_stuffed_and_arrives_intact(smtp_plain: SmtpServer) -> None:
    mail = RENDERER.render(sample_notice("due", "nb"), NOW)
    data = mail.data + b".\r\n..two dots\r\n.\r\n"
    notifier = notifier_for(smtp_plain)

    async def batch() -> SendResult:
        async with notifier:
            return await notifier.deliver(replace(mail, data=data))

    assert asyncio.run(batch()).code == 250
    assert smtp_plain.messages[0].data == data


@pytest.mark.parametrize("address", ["ola@example.no\r\nRSET",  # checked before MAIL
                                     "ola\x00x@example.no"])  # refused by aiosmtplib at RCPT
def test_an_unsendable_address_in_deliver_is_permanent_and_the_line_is_reset(
        smtp_plain: SmtpServer, address: str) -> None:
    good = RENDERER.render(sample_notice("due", "nb"), NOW)
    bad: RenderedMail = replace(good, recipients=(address,))
    notifier = notifier_for(smtp_plain)

    async def batch() -> tuple[PermanentDeliveryError, SendResult]:
        async with notifier:
            with pytest.raises(PermanentDeliveryError) as caught:
                await notifier.deliver(bad)
            return caught.value, await notifier.deliver(good)

    error, later = asyncio.run(batch())
    assert error.code is None and later.code == 250
    assert len(smtp_plain.messages) == 1
    assert smtp_plain.messages[0].rcpt_tos == list(good.recipients)


def test_connection_refused_is_transient() -> None:
    settings = SmtpSettings(host="127.0.0.1", port=free_port(), timeout=2)
    with pytest.raises(TransientDeliveryError) as caught:
        asyncio.run(send_all(EmailNotifier(settings, RENDERER), sample_notice("due", "nb")))
    assert caught.value.code is None and caught.value.reply


def test_an_unusable_address_is_permanent_and_nothing_is_sent(smtp_plain: SmtpServer) -> None:
    notice = sample_notice("due", "nb")
    broken = replace(notice, recipient=replace(notice.recipient, email="ola\r\nRCPT TO:<x@y>"))
    with pytest.raises(PermanentDeliveryError) as caught:
        run_send(smtp_plain, broken)
    assert caught.value.code is None and smtp_plain.messages == []


def test_an_unusable_sender_is_a_config_error() -> None:
    config = Config(smtp=Smtp(sender="Fristvakt"))
    with pytest.raises(ConfigError, match="sender"):
        EmailNotifier.from_config(config, env={})


def config_for(server: SmtpServer, **smtp: object) -> Config:
    return Config(smtp=Smtp(host=server.host, port=server.port, sender="Fv <fv@example.no>",
                            **smtp))  # type: ignore[arg-type]


def test_from_config_reads_the_password_from_the_named_variable(
        smtp_plain: SmtpServer, caplog: pytest.LogCaptureFixture) -> None:
    config = config_for(smtp_plain, username="fv", password_env="FV_TEST_PW")
    with pytest.raises(ConfigError, match="FV_TEST_PW"):
        EmailNotifier.from_config(config, env={})
    notifier = EmailNotifier.from_config(config, env={"FV_TEST_PW": "s3cret-value"})
    assert notifier.settings.password is not None
    assert notifier.settings.password.get_secret_value() == "s3cret-value"
    # The plain server offers no AUTH: the failure message must still not leak the secret.
    with caplog.at_level(logging.DEBUG), pytest.raises(DeliveryError) as caught:
        asyncio.run(send_all(notifier, sample_notice("due", "nb")))
    shown = f"{notifier!r} {notifier.settings!r} {caught.value} {caught.value!r} {caplog.text}"
    assert "s3cret-value" not in shown


def test_from_config_sends_with_coordinator_as_reply_to(smtp_plain: SmtpServer) -> None:
    notifier = EmailNotifier.from_config(config_for(smtp_plain), env={})
    asyncio.run(send_all(notifier, sample_notice("due", "nb")))
    parsed = smtp_plain.messages[0].parsed()
    assert parsed["Reply-To"].addresses[0].addr_spec == Config().coordinator.email
    assert parsed["From"].addresses[0].addr_spec == "fv@example.no"
