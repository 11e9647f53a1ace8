"""`fristvakt mail preview`, `fristvakt mail test` and `fristvakt mailcatcher`, end to end."""

from __future__ import annotations

import asyncio
import mailbox
import re
import signal
import subprocess
import sys
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import cast

import pytest
import smtp_server as servers
from conftest import NOW, Project
from smtp_server import Reject, SmtpServer, free_port, smtp_server

from notifiers.email import EmailNotifier, SmtpSettings
from notifiers.email.render import Contact, MailRenderer
from notifiers.email.samples import sample_notice
from timelines.base.i18n import _, format_date

smtp_plain = servers.smtp_plain
FRISTVAKT = Path(sys.executable).with_name("fristvakt")


def parse(data: bytes) -> EmailMessage:
    return cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(data))


def use_server(project: Project, server: SmtpServer) -> None:
    text = project.config.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^port = \d+", f"port = {server.port}", text, count=1)
    project.config.write_text(text, encoding="utf-8")


def test_preview_writes_eml_and_html_in_the_owners_language(
        project: Project, tmp_path: Path) -> None:
    assert project.run("apply").code == 0
    result = project.run("mail", "preview", "--task", "utkast-til-plan",
                         "--out", str(tmp_path / "p"), "--now", NOW)
    assert result.code == 0, result.err
    message = parse((tmp_path / "p.eml").read_bytes())
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "Utkast til handlingsplan" in str(message["Subject"])
    assert message["Content-Language"] == "nb" and "Frist" in html
    due = format_date(project.due("utkast-til-plan"), "nb", "long")
    assert due in html and "Utkast til handlingsplan" in html
    assert "p.eml" in result.out and "p.html" in result.out


def test_preview_shows_the_owners_subscription_link(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRISTVAKT_FEED_SECRET", "preview-test-secret")
    assert project.run("apply").code == 0
    created = project.run("feeds", "token", "create", "--owner", "ola")
    assert created.code == 0, created.err
    link = re.search(r"https?://\S+\.ics", created.out)
    assert link, created.out
    result = project.run("mail", "preview", "--task", "utkast-til-plan",
                         "--out", str(tmp_path / "p"))
    assert result.code == 0, result.err
    assert link.group(0) in (tmp_path / "p.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["digest", "moved"])
def test_preview_other_kinds_and_languages(project: Project, tmp_path: Path, kind: str) -> None:
    assert project.run("apply").code == 0
    out = tmp_path / kind
    result = project.run("mail", "preview", "--task", "eksempel/utkast-til-plan",
                         "--kind", kind, "--lang", "sv", "--out", str(out), "--now", NOW)
    assert result.code == 0, result.err
    message = parse(out.with_suffix(".eml").read_bytes())
    assert message["Content-Language"] == "sv"
    due = format_date(project.due("utkast-til-plan"), "sv", "long")
    assert due in out.with_suffix(".html").read_text(encoding="utf-8")


def test_preview_of_an_unknown_task_says_so(project: Project) -> None:
    assert project.run("apply").code == 0
    result = project.run("mail", "preview", "--task", "no-such-task")
    assert result.code == 3 and "no-such-task" in result.err
    assert _(project.lang, "task {ref} not found (run `fristvakt apply` first?)",
             ref="'no-such-task'") in result.err


def test_preview_of_an_unknown_kind_says_which_there_are(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRISTVAKT_LANG", "nn")
    result = project.run("mail", "preview", "--task", "utkast-til-plan", "--kind", "memo")
    assert result.code == 1
    said = _("nn", "--kind {given}: use one of {kinds}", given="'memo'",
             kinds="reminder, digest, moved")
    assert result.err.strip() == _("nn", "error: {message}", message=said)


def test_mail_test_reports_what_the_server_said(project: Project,
                                                smtp_plain: SmtpServer) -> None:
    use_server(project, smtp_plain)
    result = project.run("mail", "test", "--to", "someone@example.org")
    assert result.code == 0, result.err
    assert "250" in result.out and "someone@example.org" in result.out
    [received] = smtp_plain.messages
    assert received.rcpt_tos == ["someone@example.org"]
    assert str(received.parsed()["Subject"]) == "Testmelding fra Fristvakt"


def test_mail_test_refused_exits_4_with_the_reply(project: Project) -> None:
    with smtp_server(handler=Reject(stage="RCPT", reply="550 5.1.1 No such user")) as server:
        use_server(project, server)
        result = project.run("mail", "test", "--to", "someone@example.org")
    assert result.code == 4
    assert "550 5.1.1 No such user" in result.err


def _wait_until_listening(process: subprocess.Popen[str]) -> str:
    """The catcher's first line, printed once it listens (empty if it died first)."""
    assert process.stdout is not None
    return process.stdout.readline()


def test_mailcatcher_stores_in_a_maildir_and_prints_a_line(tmp_path: Path) -> None:
    port, maildir = free_port(), tmp_path / "maildir"
    catcher = subprocess.Popen(
        [str(FRISTVAKT), "-c", str(tmp_path / "none.toml"), "mailcatcher", "--port", str(port),
         "--maildir", str(maildir)], stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        assert str(port) in _wait_until_listening(catcher)
        renderer = MailRenderer("Fristvakt <fv@example.no>", Contact("Kari", "kari@example.no"))
        notifier = EmailNotifier(SmtpSettings(host="127.0.0.1", port=port), renderer)

        async def send() -> None:
            async with notifier:
                await notifier.send(sample_notice("due", "sv", title="Rapport\x1b[31m klar"))

        asyncio.run(send())
    finally:
        catcher.send_signal(signal.SIGINT)
        out, _ = catcher.communicate(timeout=15)
    assert catcher.returncode == 0
    [stored] = list(mailbox.Maildir(maildir))
    assert "Rapport" in str(stored["Subject"])
    line = next(line for line in out.splitlines() if "ola@example.no" in line)
    assert "fv@example.no" in line and "Rapport" in line and "\x1b" not in line


def _started_deaf() -> None:
    """In the child before exec: SIGINT ignored and blocked, as a busy parent may leave it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def test_mailcatcher_stops_on_ctrl_c_even_when_started_with_it_blocked(tmp_path: Path) -> None:
    port = free_port()
    catcher = subprocess.Popen(
        [str(FRISTVAKT), "-c", str(tmp_path / "none.toml"), "mailcatcher", "--port", str(port),
         "--maildir", str(tmp_path / "maildir")], stdout=subprocess.PIPE, text=True,
        cwd=tmp_path, preexec_fn=_started_deaf)
    try:
        assert str(port) in _wait_until_listening(catcher)
    finally:
        catcher.send_signal(signal.SIGINT)
        catcher.communicate(timeout=15)
    assert catcher.returncode == 0
