"""Plan text cannot add a header or end the header block (CVE-2024-6923 on this Python)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import cast

import pytest
import smtp_server as servers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from smtp_server import SmtpServer

from notifiers.base import Notice
from notifiers.email import EmailNotifier, SmtpSettings
from notifiers.email.headers import check_header_block, clean_header_text, header_names
from notifiers.email.render import Contact, MailRenderer
from notifiers.email.samples import sample_notice

smtp_plain = servers.smtp_plain
NOW = datetime(2022, 11, 16, 7, tzinfo=UTC)
RENDERER = MailRenderer("Fristvakt <fristvakt@example.no>", Contact("Kari", "kari@example.no"))
HEADERS = ["From", "To", "Reply-To", "Subject", "Date", "Auto-Submitted", "Content-Language",
           "X-Auto-Response-Suppress", "Message-ID", "X-Fristvakt-Key", "List-Id",
           "MIME-Version", "Content-Type"]
ATTACKS = [
    "x=?UTF-8?Q?=0A?=Bcc: evil@x",
    "x =?UTF-8?Q?=0D=0A=0D=0A?=<html>body",
    "=?utf-8?b?DQpCY2M6IGV2aWxAeA==?= and more words to make the subject fold " * 3,
    "Frist\r\nBcc: evil@x",
    "Frist\nBcc: evil@x\n\nI am the body now",
    "Frist\rBcc: evil@x",
    "Frist\u2028Bcc: evil@x\u0085X-Evil: 1",
]


def hostile(notice: Notice, text: str) -> Notice:
    """The attack in every field that reaches a header: title, plan title, owner's name."""
    task = replace(notice.tasks[0], title=text, timeline_title=text)
    return replace(notice, tasks=(task,), recipient=replace(notice.recipient, name=text))


def parse(data: bytes) -> EmailMessage:
    return cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(data))


async def send(server: SmtpServer, notices: list[Notice]) -> None:
    settings = SmtpSettings(host=server.host, port=server.port, timeout=5)
    async with EmailNotifier(settings, RENDERER) as notifier:
        for notice in notices:
            await notifier.send(notice)


def test_titles_cannot_add_headers_or_blank_lines_through_a_real_server(
        smtp_plain: SmtpServer) -> None:
    notices = [hostile(sample_notice("due", "nb"), text) for text in ATTACKS]
    asyncio.run(send(smtp_plain, notices))
    assert len(smtp_plain.messages) == len(ATTACKS)
    for received in smtp_plain.messages:
        assert received.rcpt_tos == ["ola@example.no"]
        assert sorted(header_names(received.data)) == sorted(HEADERS)
        message = parse(received.data)
        assert message["Bcc"] is None and message["X-Evil"] is None
        assert message.get_content_type() == "multipart/mixed"  # headers did not end early
        for name in ("Subject", "To", "List-Id"):
            assert "\n" not in str(message[name]) and "\r" not in str(message[name])


def test_the_title_is_still_readable_after_cleaning() -> None:
    message = parse(RENDERER.render(hostile(sample_notice("due", "en"), ATTACKS[0]), NOW).data)
    assert "x= ?UTF-8?Q?=0A?=Bcc: evil@x" in str(message["Subject"])


def test_clean_header_text() -> None:
    assert clean_header_text("a\r\n\tb\x00c\u202ed") == "a b c d"
    assert "=?" not in clean_header_text("=?=?==??")
    assert clean_header_text("x" * 300, limit=10) == "x" * 9 + "…"


def test_a_header_block_with_an_extra_line_is_refused() -> None:
    good = RENDERER.render(sample_notice("due", "nb"), NOW).data
    check_header_block(good, HEADERS)
    forged = good.replace(b"\r\nSubject:", b"\r\nBcc: evil@x\r\nSubject:", 1)
    with pytest.raises(ValueError):
        check_header_block(forged, HEADERS)
    with pytest.raises(ValueError):
        check_header_block(good.replace(b"\r\nSubject:", b"\r\n\r\nSubject:", 1), HEADERS)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_title_gives_exactly_our_headers(title: str) -> None:
    data = RENDERER.render(hostile(sample_notice("due", "sv"), title), NOW).data
    assert sorted(header_names(data)) == sorted(HEADERS)
    assert parse(data).get_content_type() == "multipart/mixed"
