"""`fristvakt mail preview|test` and `fristvakt mailcatcher`."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer

from scheduler.cli import common
from scheduler.cli.context import state
from timelines.base.exceptions import FristvaktError, NotFound
from timelines.base.i18n import _, pick_lang

if TYPE_CHECKING:  # imported by the commands that use them (a fast start, see __init__)
    from sqlmodel import Session

    from notifiers.base import Notice, NoticeKind, Recipient, TaskView
    from notifiers.email.render import RenderedMail
    from notifiers.email.smtp import EmailNotifier
    from timelines.config import Config
    from timelines.model import Task

mail_app = typer.Typer(help="Look at and test the email owners get.", no_args_is_help=True)
PREVIEW_KINDS: dict[str, NoticeKind] = {"reminder": "due", "digest": "digest", "moved": "moved"}


def _find_task(session: Session, ref: str, lang: str) -> Task:
    """`timeline/task` or a task id that is unique across timelines (else NotFound in
    `lang`)."""
    from sqlmodel import select

    from timelines.model import Task

    timeline, _slash, key = ref.rpartition("/")
    query = select(Task).where(Task.key == key, Task.removed_at.is_(None))  # type: ignore[union-attr]
    if timeline:
        query = query.where(Task.timeline_id == timeline)
    found = list(session.exec(query))
    if len(found) != 1:
        choices = ", ".join(f"{task.timeline_id}/{task.key}" for task in found)
        raise NotFound(_(lang, "task {ref} is in more than one timeline; which one? {choices}",
                         ref=repr(ref), choices=choices)
                       if found else _(lang, "task {ref} not found (run `fristvakt apply` first?)",
                                       ref=repr(ref)))
    return found[0]


def _notice(cfg: Config, view: TaskView, who: Recipient, kind: NoticeKind,
            now: dt.datetime) -> Notice:
    """The notice a preview renders: as the owner would get it on `now`'s day."""
    from notifiers.base import Notice

    today = now.astimezone(ZoneInfo(who.timezone or cfg.timezone)).date()
    notice = Notice(kind=kind, recipient=who, tasks=(view,), today=today,
                    idem_key=f"preview:{view.timeline_id}/{view.task_id}:{kind}")
    if kind == "moved":  # a preview has no history: show the dates as if a week earlier
        week = dt.timedelta(days=7)
        old = (view.start and view.start - week, view.due and view.due - week)
        return replace(notice, moved=old)
    return notice


def _write(mail: RenderedMail, out: Path) -> tuple[Path, Path]:
    eml, html = out.with_suffix(".eml"), out.with_suffix(".html")
    eml.write_bytes(mail.data)
    html.write_text(mail.html, encoding="utf-8")
    return eml, html


def preview(
    task: str = typer.Option(..., "--task", help="Task id, or timeline/task."),
    kind: str = typer.Option("reminder", "--kind", help="reminder | digest | moved"),
    lang: str = typer.Option(None, "--lang", help="nb | nn | sv | en (default: the owner's)."),
    out: Path = typer.Option(None, "--out", help="File name; .eml and .html are written."),
    now: str = typer.Option(None, "--now", help=common.NOW_HELP),
) -> None:
    """Write a message as an owner would get it, as .eml and .html, to look at."""
    from sqlmodel import Session

    from notifiers.email.render import Contact, MailRenderer
    from notifiers.feeds.tokens import owner_links
    from scheduler.notices import task_view
    from scheduler.recipients import recipient, recipients_of
    from timelines.model import Timeline

    ui = state.lang()
    if kind not in PREVIEW_KINDS:
        raise FristvaktError(_(ui, "--kind {given}: use one of {kinds}", given=repr(kind),
                               kinds=", ".join(PREVIEW_KINDS)))
    cfg = common.config()
    moment = common.parse_now(now, cfg.timezone)
    with Session(common.database(cfg)) as session:
        row = _find_task(session, task, ui)
        view = task_view(cfg, row, session.get(Timeline, row.timeline_id))
        who = recipient(cfg, recipients_of(cfg, row.owners)[0])
        links = owner_links(session, cfg, who.key)
    who = replace(who, lang=pick_lang(lang, who.lang, view.timeline_lang))
    notice = replace(_notice(cfg, view, who, PREVIEW_KINDS[kind], moment),
                     feed_url=links.https if links else None)
    coordinator = Contact(cfg.coordinator.name, cfg.coordinator.email)
    renderer = MailRenderer(cfg.smtp.sender, coordinator, cfg.feeds.domain)
    eml, html = _write(renderer.render(notice, moment), out or Path(f"{row.key}-{kind}"))
    typer.echo(_(ui, "Wrote {eml} and {html}", eml=eml, html=html))


async def _send_test(notifier: EmailNotifier, mail: RenderedMail) -> tuple[int, str]:
    async with notifier:
        result = await notifier.deliver(mail)
    return result.code, result.reply


def test(to: str = typer.Option(..., "--to", help="Where to send the test message.")) -> None:
    """Send one message through the configured SMTP server and show what it answered."""
    from notifiers.email.smtp import EmailNotifier

    cfg = common.config()
    ui = state.lang()
    notifier = EmailNotifier.from_config(cfg)
    try:  # the message is the coordinator's: in their configured language
        mail = notifier.renderer.render_test(to, cfg.coordinator.lang, dt.datetime.now(dt.UTC))
    except ValueError as exc:
        raise FristvaktError(_(ui, "cannot write a test message to {to}: {error}", to=to,
                               error=exc)) from exc
    code, reply = asyncio.run(_send_test(notifier, mail))
    typer.echo(_(ui, "Sent to {to}: server answered {code} {reply}", to=to, code=code, reply=reply))


def mailcatcher(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8025, "--port", help="Port to listen on."),
    maildir: Path = typer.Option(Path("maildir"), "--maildir", help="Maildir to store in."),
) -> None:
    """A local SMTP server that keeps every message in a Maildir (for the demo and tests)."""
    from notifiers.email.catcher import run_catcher

    run_catcher(host, port, maildir, typer.echo, state.lang())  # needs no project


mail_app.command()(preview)
mail_app.command("test")(test)


def register(app: typer.Typer) -> None:
    app.add_typer(mail_app, name="mail")
    app.command()(mailcatcher)
