"""`fristvakt feeds`: static export, private subscription tokens, the feed server."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlmodel import Session, select

from notifiers.calendar.feed import Scope
from notifiers.feeds import tokens
from scheduler.cli import common
from scheduler.cli.context import state
from scheduler.cli.output import make_console
from timelines.base.exceptions import FristvaktError, NotFound
from timelines.base.i18n import _, _n
from timelines.config import Config
from timelines.db import read_session, session_scope
from timelines.model import FeedToken, Owner, Role, Timeline

console = make_console()
feeds_app = typer.Typer(help="Calendar feeds: static files, subscription links, the server.",
                        no_args_is_help=True)
token_app = typer.Typer(help="Private subscription links (only their hash is stored).",
                        no_args_is_help=True)
feeds_app.add_typer(token_app, name="token")


def _scopes(session: Session) -> dict[str, Scope]:
    """Every feed there is, by the file it is exported to."""
    found = {f"owners/{o.key}.ics": Scope(owner=o.key) for o in session.exec(select(Owner))}
    live = select(Timeline).where(Timeline.removed_at.is_(None))  # type: ignore[union-attr]
    found |= {f"timelines/{t.id}.ics": Scope(timeline=t.id) for t in session.exec(live)}
    found |= {f"roles/{r.key}.ics": Scope(role=r.key) for r in session.exec(select(Role))}
    return found


def _token_files(session: Session, cfg: Config) -> dict[str, Scope]:
    """feeds/<token>.ics for each active token whose token the secret can recompute, so a
    static web server answers the same subscription URLs as `feeds serve`."""
    found = {}
    for row in tokens.all_tokens(session):
        token = tokens.shown_token(cfg, row) if row.revoked_at is None else None
        if token:
            found[f"feeds/{token}.ics"] = tokens.scope_of(row)
    return found


def _write(path: Path, body: bytes) -> bool:
    """Write only when the bytes differ, so web servers keep their ETag and Last-Modified."""
    if path.is_file() and path.read_bytes() == body:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return True


# The folders `export` writes and therefore keeps tidy.
EXPORT_FOLDERS = ("feeds", "owners", "timelines", "roles")


def _remove_stale(directory: Path, keep: set[str]) -> None:
    """Delete the .ics files of our folders that are no feed now: a revoked token's file
    must stop answering, and per-owner files must not outlive `--public`."""
    for folder in EXPORT_FOLDERS:
        for path in (directory / folder).glob("*.ics"):
            if f"{folder}/{path.name}" not in keep:
                path.unlink()


def export(
    directory: Path = typer.Argument(..., help="Folder to write the .ics files to."),
    now: str = typer.Option(None, "--now", help=common.NOW_HELP),
    public: bool = typer.Option(False, "--public", help="Also write owners/, timelines/ and "
                                "roles/ files, whose names anyone can guess."),
) -> None:
    """Write every subscription link's feed as a static .ics file (feeds/<token>.ics); with
    `--public` also owners/, timelines/ and roles/."""
    from notifiers.calendar.feed import build_feeds

    cfg = common.config()
    moment = common.parse_now(now, cfg.timezone)
    # A reader's transaction: on SQLite it takes no write lock, so `run` and `apply` go on
    # while a large export renders.
    with read_session(common.database(cfg)) as session:
        files = (_scopes(session) if public else {}) | _token_files(session, cfg)
        names = sorted(files)
        feeds = build_feeds(session, cfg, [files[name] for name in names], moment)
        written = sum(_write(directory / name, feed.body)
                      for name, (_, feed) in zip(names, feeds, strict=True))
    _remove_stale(directory, set(files))
    lang = state.lang()
    console.print(_n(lang, "{n} feed in {directory}, {written} changed",
                     "{n} feeds in {directory}, {written} changed", len(files),
                     directory=directory, written=written), markup=False)


def _check_scope(session: Session, cfg: Config, scope: Scope, lang: str) -> None:
    if scope.owner and scope.owner not in cfg.owners:
        raise NotFound(_(lang, "unknown owner '{name}': add [owners.{name}] first",
                         name=scope.owner))
    if scope.timeline and session.get(Timeline, scope.timeline) is None:
        raise NotFound(_(lang, "unknown timeline '{name}': run `fristvakt apply` first?",
                         name=scope.timeline))
    if scope.role and scope.role not in cfg.roles:
        raise NotFound(_(lang, "unknown role '{name}': add [roles.{name}] first",
                         name=scope.role))


def create(
    owner: str = typer.Option(None, "--owner", help="Owner key: their tasks only."),
    timeline: str = typer.Option(None, "--timeline", help="Timeline id: only this plan."),
    role: str = typer.Option(None, "--role", help="Role key: only this role's tasks."),
    label: str = typer.Option("", "--label", help="A note for `token list`."),
) -> None:
    """Create a subscription link and print it (https and webcal)."""
    lang = state.lang()
    if not (owner or timeline or role):
        raise FristvaktError(_(lang,
                               "give --owner, --timeline or --role (or several: they combine)"))
    cfg = common.config()
    scope = Scope(owner=owner, timeline=timeline, role=role)
    with session_scope(common.database(cfg)) as session:
        _check_scope(session, cfg, scope, lang)
        token = tokens.create(session, cfg, scope, common.parse_now(None, cfg.timezone), label)
    links = tokens.links(cfg, token)
    console.print(links.https, markup=False)
    console.print(links.webcal, markup=False)
    if tokens.secret(cfg) is None:
        console.print(_(lang, "(shown only now: set {env} before creating links that mails and "
                              "`token list --links` can show again)", env=tokens.SECRET_ENV),
                      style="yellow",
                      markup=False)


def revoke(ref: str = typer.Argument(..., help="Token id (see `list`), or the token or URL.")
           ) -> None:
    """Revoke a link: the calendar gets 410 Gone and drops the subscription."""
    cfg = common.config()
    try:
        with session_scope(common.database(cfg)) as session:
            row = tokens.revoke(session, ref, common.parse_now(None, cfg.timezone))
    except NotFound as exc:  # told in the reader's language, never half English
        shown = ref if ref.isdigit() else _(state.lang(), "(given token)")
        raise NotFound(_(state.lang(), "no feed token {ref}: see `fristvakt feeds token list`",
                         ref=shown)) from exc
    console.print(_(state.lang(), "revoked token {id}", id=row.id), markup=False)


def describe(lang: str, row: FeedToken) -> str:
    """One line of `token list`: id, created, active or revoked (in `lang`), what it covers."""
    scope = ", ".join(f"{k}={v}" for k, v in
                      (("owner", row.owner_key), ("timeline", row.timeline_id),
                       ("role", row.role_key)) if v)
    status = (_(lang, "revoked {date}", date=row.revoked_at.strftime("%Y-%m-%d"))
              if row.revoked_at else _(lang, "active"))
    return f"{row.id:>4}  {row.created_at:%Y-%m-%d}  {status:18} {scope}  {row.label}".rstrip()


def list_tokens(
    show_links: bool = typer.Option(False, "--links", help="Also print each link that can be "
                                    "shown again (needs the feed secret)."),
) -> None:
    """Every token: id, created, active or revoked, what it covers."""
    cfg = common.config()
    with session_scope(common.database(cfg)) as session:
        rows = tokens.all_tokens(session)
        shown = {row.id: tokens.shown_token(cfg, row) for row in rows} if show_links else {}
    lang = state.lang()
    if not rows:
        console.print(_(lang, "no feed tokens (create one with `fristvakt feeds token create`)"),
                      markup=False)
    for row in rows:
        console.print(describe(lang, row), markup=False)
        token = shown.get(row.id)
        if token and row.revoked_at is None:
            console.print(f"      {tokens.links(cfg, token).https}", markup=False)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(None, "--port", help="Port (default: the one in base_url, "
                             "else 8080)."),
) -> None:
    """Serve the feeds over HTTP until Ctrl+C."""
    from notifiers.feeds.server import default_port, run_feeds
    from scheduler.web.app import answer_routes

    cfg = common.config()
    port = port or default_port(cfg)
    url = f"http://{host}:{port}/feeds/<token>.ics"
    console.print(_(state.lang(), "serving feeds on {url}", url=url), markup=False)
    run_feeds(cfg, common.database(cfg), host, port, lang=state.lang(), routes=answer_routes)


feeds_app.command()(export)
feeds_app.command()(serve)
token_app.command()(create)
token_app.command()(revoke)
token_app.command("list")(list_tokens)


def register(app: typer.Typer) -> None:
    app.add_typer(feeds_app, name="feeds")
