"""`fristvakt requests`, `status`, `report`, `status-round`: owners' answers for the
coordinator."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.console import Console
from sqlmodel import Session

from scheduler.answers import actions, store
from scheduler.answers.model import PROGRESS_LABELS, Answer
from scheduler.cli import common
from scheduler.cli.context import state
from timelines.base.exceptions import FristvaktError
from timelines.base.i18n import _, translate

console = Console(highlight=False, soft_wrap=True)


def _note(note: str) -> str:
    return f" – {note}" if note else ""


request_line = actions.request_text


def _request_json(row: store.RequestRow) -> dict[str, object]:
    r, d = row.request, row.decision
    return {"id": r.id, "state": row.state, "person": r.person, "timeline": r.timeline_id,
            "task": r.task_key, "old_due": r.old_due, "proposed_due": r.proposed_due,
            "note": r.note, "asked_at": r.created_at,
            "decided_by": d.decided_by if d else None, "decided_at": d.decided_at if d else None}


def requests(
    action: str = typer.Argument(None, help="accept or decline (omit to list)."),
    request_id: int = typer.Argument(None, help="The request's number, as the list shows it."),
    by: str = typer.Option(None, "--by", help="Who decides (default: the coordinator)."),
    now: str = typer.Option(None, "--now", help=common.NOW_HELP),
    pending: bool = typer.Option(False, "--pending", help="Only requests not yet decided."),
    mail: bool = typer.Option(False, "--mail", help="Mail the coordinator the requests made "
                              "since the last such mail (at most one a day; for cron)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Owners' requests for more time, and the coordinator's decision on one."""
    cfg, lang = common.config(), state.lang()
    if mail:
        _mail_requests(now)
        return
    if action is None:
        _list_requests(lang, pending, as_json)
        return
    if action not in ("accept", "decline") or request_id is None:
        raise typer.BadParameter("accept ID | decline ID")
    moment = common.parse_now(now, cfg.timezone)
    decided = actions.decide_request(cfg, common.database(cfg), common.project, request_id,
                                     action == "accept", by or cfg.coordinator.name, moment,
                                     lang)
    _print_decided(lang, decided)


def _mail_requests(now: str | None) -> None:
    cfg, lang = common.config(), state.lang()
    moment = common.parse_now(now, cfg.timezone)
    count, error = actions.send_requests_mail(cfg, common.database(cfg), moment,
                                              _today(now, cfg.timezone))
    if error:
        raise FristvaktError(_(lang, "The decision is recorded, but the email to {person} could "
                                     "not be sent: {error}", person=cfg.coordinator.email,
                               error=error))
    typer.echo(_(lang, "Mailed the coordinator {count} new request(s).", count=count))


def _list_requests(lang: str, pending: bool, as_json: bool) -> None:
    cfg = common.config()
    with Session(common.database(cfg)) as session:
        rows = store.requests(session, only_pending=pending)
    if as_json:
        common.print_json([_request_json(row) for row in rows])
        return
    for row in rows:
        typer.echo(request_line(lang, row))
    if not rows:
        typer.echo(_(lang, "No requests for more time."))


def _print_decided(lang: str, decided: actions.Decided) -> None:
    r = decided.request.request
    if decided.path:
        typer.echo(_(lang, "Request #{id} accepted: {file} now says due = {date}.", id=r.id,
                     file=decided.path,
                     date=r.proposed_due))
    else:
        typer.echo(_(lang, "Request #{id} declined.", id=r.id))
    if decided.mail_error:
        typer.echo(_(lang, "The decision is recorded, but the email to {person} could not be sent: "
                           "{error}", person=r.person,
                     error=decided.mail_error), err=True)


def status_line(lang: str, answer: Answer) -> str:
    label = translate(lang, PROGRESS_LABELS[answer.status]) if answer.status else _(lang, "done")
    return _(lang, "{timeline}/{task}: {status} ({date}, {person}){note}",
             timeline=answer.timeline_id, task=answer.task_key,
             status=label, date=answer.at.date().isoformat(), person=answer.person,
             note=_note(answer.note))


def status(
    write: bool = typer.Option(False, "--write", help="Write them into the timeline files."),
    now: str = typer.Option(None, "--now", help=common.NOW_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Owners' recorded statuses (the newest per task); --write puts them into the files."""
    cfg, lang = common.config(), state.lang()
    engine = common.database(cfg)
    if write:
        moment = common.parse_now(now, cfg.timezone)
        count, files = actions.write_statuses(engine, common.project, moment, lang)
        typer.echo(_(lang, "Wrote {count} statuses into {files} timeline file(s).", count=count,
                     files=files))
        return
    with Session(engine) as session:
        found = actions.recorded(session)
    if as_json:
        common.print_json([a.model_dump(exclude={"form_id", "token_id"}) for a in found])
        return
    for answer in found:
        typer.echo(status_line(lang, answer))
    if not found:
        typer.echo(_(lang, "No statuses recorded."))


def _today(now: str | None, zone: str) -> dt.date:
    from zoneinfo import ZoneInfo

    return common.parse_now(now, zone).astimezone(ZoneInfo(zone)).date()


def report(
    plan: str = typer.Option(None, "--plan", help="One plan (timeline id); default: all."),
    as_of: str = typer.Option(None, "--as-of", help="The report's date (YYYY-MM-DD)."),
    fmt: str = typer.Option("html", "--format", help="html | docx | md | pdf"),
    output: Path = typer.Option(None, "-o", "--output", help="File to write (default: "
                                "status-<plan>-<date>.<ext>; md without -o prints)."),
    now: str = typer.Option(None, "--now", help=common.NOW_HELP),
) -> None:
    """The council's status report: per section, activity, responsible, deadline, status."""
    from scheduler.report.build import write_report

    cfg, lang = common.config(), state.lang()
    day = dt.date.fromisoformat(as_of) if as_of else _today(now, cfg.timezone)
    if fmt not in ("html", "docx", "md", "pdf"):
        raise FristvaktError(f"--format {fmt}: html | docx | md | pdf")
    written = write_report(cfg, common.database(cfg), plan, day, fmt, output, lang)
    if written is not None:
        typer.echo(_(lang, "Wrote {path}", path=written))


def status_round(
    now: str = typer.Option(None, "--now", help=common.NOW_HELP),
) -> None:
    """Status rounds before council meetings ([[status_round]]): ask, remind, summarise.
    Safe to run every day (cron): each mail goes once."""
    from scheduler.answers.rounds import run_rounds
    from scheduler.answers.signing import signer

    cfg, lang = common.config(), state.lang()
    sign = signer(cfg)
    if sign is None:
        raise FristvaktError(_(lang, "The answer links need the secret in ${env}: set it, as for "
                                     "feed links.", env=cfg.feeds.secret_env))
    moment = common.parse_now(now, cfg.timezone)
    for done in run_rounds(cfg, common.database(cfg), sign, moment, _today(now, cfg.timezone)):
        typer.echo(_(lang, "Status round {meeting}: {asked} asked, {reminded} reminded, summary to "
                           "the coordinator: {summary}.", meeting=done.meeting,
                     asked=len(done.asked),
                     reminded=len(done.reminded), summary="1" if done.summary else "0"))
        for person, error in done.failed:
            typer.echo(_(lang, "The decision is recorded, but the email to {person} could not be "
                               "sent: {error}", person=person, error=error), err=True)


def register(app: typer.Typer) -> None:
    app.command()(requests)
    app.command()(status)
    app.command()(report)
    app.command("status-round")(status_round)
