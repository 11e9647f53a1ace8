"""Mails of this feature (a decision, a status round): built with the standard `email`
package and sent through the project's SMTP path (`EmailNotifier.deliver`)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from notifiers.email.render import RenderedMail
from notifiers.email.smtp import EmailNotifier
from timelines.config import Config


@dataclass(frozen=True)
class Outgoing:
    """One message to one person: `key` makes sure it goes once (see store.mailed)."""

    key: str
    person: str
    name: str
    email: str
    lang: str
    subject: str
    text: str
    html: str | None = None


def message(config: Config, mail: Outgoing, now: dt.datetime) -> RenderedMail:
    """The message as bytes (replies go to the coordinator)."""
    sender_name, sender = parseaddr(config.smtp.sender)
    msg = EmailMessage()
    msg["From"] = Address(sender_name or "Fristvakt", addr_spec=sender)
    msg["To"] = Address(mail.name, addr_spec=mail.email)
    msg["Reply-To"] = Address(config.coordinator.name, addr_spec=config.coordinator.email)
    msg["Subject"] = mail.subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    msg["Auto-Submitted"] = "auto-generated"
    msg["Content-Language"] = mail.lang
    msg.set_content(mail.text)
    if mail.html:
        msg.add_alternative(mail.html, subtype="html")
    return RenderedMail(message_id=str(msg["Message-ID"]), sender=sender,
                        recipients=(mail.email,), subject=mail.subject, text=mail.text,
                        html=mail.html or "", data=bytes(msg))


async def _send_all(config: Config, mails: list[Outgoing], now: dt.datetime,
                    env: Mapping[str, str]) -> list[tuple[Outgoing, str | None]]:
    results: list[tuple[Outgoing, str | None]] = []
    async with EmailNotifier.from_config(config, env) as notifier:
        for mail in mails:
            try:
                await notifier.deliver(message(config, mail, now))
                results.append((mail, None))
            except Exception as exc:  # one refused address must not stop the others
                results.append((mail, str(exc) or type(exc).__name__))
    return results


def send_all(config: Config, mails: list[Outgoing], now: dt.datetime,
             env: Mapping[str, str] = os.environ) -> list[tuple[Outgoing, str | None]]:
    """Send each mail; returns every mail with None (sent) or the reason it was not."""
    if not mails:
        return []
    try:
        return asyncio.run(_send_all(config, mails, now, env))
    except Exception as exc:  # no connection at all: every mail failed for the same reason
        return [(mail, str(exc) or type(exc).__name__) for mail in mails]
