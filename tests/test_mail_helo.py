"""The name Fristvakt greets the SMTP server with: relays that demand a fully qualified name
refuse a bare machine name such as "vm" or "localhost"."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from pydantic import ValidationError
from smtp_server import Recorder, smtp_server

from notifiers.email import EmailNotifier
from notifiers.email.samples import sample_notice
from notifiers.email.smtp import helo_name
from timelines.config import Config


@dataclass
class Greetings(Recorder):
    """Keeps every message and the name each EHLO gave."""

    names: list[str] = field(default_factory=list)

    async def handle_EHLO(self, server: SMTP, session: Session, envelope: Envelope,
                          hostname: str, responses: list[str]) -> list[str]:
        session.host_name = hostname
        self.names.append(hostname)
        return responses


def config(port: int, **smtp: str) -> Config:
    return Config.model_validate({"smtp": {
        "host": "127.0.0.1", "port": port, "sender": "Fristvakt <fv@region.example.no>", **smtp}})


async def send(cfg: Config) -> None:
    async with EmailNotifier.from_config(cfg, env={}) as notifier:
        await notifier.send(sample_notice("due", "nb"))


def greeted(**smtp: str) -> Greetings:
    handler = Greetings()
    with smtp_server(handler=handler) as server:
        asyncio.run(send(config(server.port, **smtp)))
    assert len(handler.messages) == 1
    return handler


def test_the_configured_helo_name_is_what_the_server_hears() -> None:
    assert greeted(helo_name="mail.region.example.no").names == ["mail.region.example.no"]


def test_without_one_the_server_hears_a_fully_qualified_name() -> None:
    [name] = greeted().names
    machine = socket.getfqdn()
    assert name == (machine if "." in machine else "region.example.no")
    assert "." in name


@pytest.mark.parametrize(("machine", "expected"), [
    ("vm", "region.example.no"), ("localhost", "region.example.no"),
    ("mail.kommune.no", "mail.kommune.no")])
def test_the_default_is_the_senders_domain_when_the_machine_name_has_no_dot(
        machine: str, expected: str) -> None:
    assert helo_name("", "Fristvakt <fv@region.example.no>", machine) == expected
    assert helo_name("relay-ok.example.no", "fv@region.example.no", machine) == \
        "relay-ok.example.no"


def test_a_helo_name_with_spaces_is_refused_in_the_config() -> None:
    with pytest.raises(ValidationError, match="helo_name"):
        config(25, helo_name="mail region")
