"""A local mail catcher for the demo and for newcomers: every message into a Maildir.

`fristvakt mailcatcher` runs `run_catcher`; the demo and tests use `start_catcher`, which
returns a running aiosmtpd Controller (stop it with `.stop()`).
"""

from __future__ import annotations

import mailbox
import signal
import threading
from collections.abc import Callable
from datetime import datetime
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session

from notifiers.email.headers import clean_header_text
from timelines.base.i18n import _

Printer = Callable[[str], None]


def summary_line(data: bytes, sender: str, recipients: list[str], lang: str) -> str:
    """One line about a caught message; terminal control characters in it are removed."""
    headers = BytesHeaderParser(policy=policy.default).parsebytes(data)
    subject = clean_header_text(str(headers.get("Subject", "")))
    return _(lang, "{time}  {sender} → {recipients}  {subject}  ({size} bytes)",
             time=datetime.now().astimezone().strftime("%H:%M:%S"),
             sender=clean_header_text(sender), subject=subject, size=len(data),
             recipients=clean_header_text(", ".join(recipients)))


class MaildirHandler:
    """aiosmtpd handler: stores each message, prints one line, answers 250."""

    def __init__(self, maildir: Path, out: Printer, lang: str = "en") -> None:
        self.box = mailbox.Maildir(maildir, create=True)
        self.out = out
        self.lang = lang

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        key = self.box.add(data)
        self.out(summary_line(data, str(envelope.mail_from), list(envelope.rcpt_tos),
                              self.lang))
        return f"250 2.0.0 Ok: stored as {key}"


def _any_login(server: SMTP, session: Session, envelope: Envelope, mechanism: str,
               auth_data: Any) -> AuthResult:
    # A local catcher: a config with a username should work against it unchanged.
    return AuthResult(success=True)


def start_catcher(host: str, port: int, maildir: Path, out: Printer,
                  lang: str = "en") -> Controller:
    """A running catcher on host:port (in a thread); stop it with `.stop()`."""
    controller = Controller(MaildirHandler(maildir, out, lang), hostname=host, port=port,
                            authenticator=_any_login, auth_require_tls=False,
                            ready_timeout=10)
    controller.start()
    return controller


def run_catcher(host: str, port: int, maildir: Path, out: Printer, lang: str = "en",
                stop: threading.Event | None = None) -> None:
    """Catch mail until Ctrl+C (or until `stop` is set); Ctrl+C is a normal end."""
    controller: Controller | None = None
    done = stop or threading.Event()
    try:
        controller = start_catcher(host, port, maildir, out, lang)
        out(_(lang, "Catching mail on {host}:{port}, storing in {maildir}. Stop with Ctrl+C.",
              host=host, port=port, maildir=maildir))
        _until_stopped(done)
    except KeyboardInterrupt:
        pass
    finally:
        if controller is not None:
            controller.stop()


def _until_stopped(done: threading.Event) -> None:
    """Wait for `done` or Ctrl+C. Ctrl+C is taken here explicitly: a process started with
    SIGINT ignored or blocked (as its parent may leave it while starting another process)
    would otherwise never stop; the wait wakes twice a second to notice it."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, lambda *_: done.set())
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    while not done.wait(0.5):
        pass
