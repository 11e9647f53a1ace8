"""`fristvakt pages export`: the timelines, årshjul and overview as static HTML files."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from pathlib import Path
from zoneinfo import ZoneInfo

import typer
from rich.console import Console

from notifiers.feeds.tokens import secret
from scheduler.cli import common
from scheduler.cli.context import state
from scheduler.pages import PlanView, Reader, plan_view, write_static
from timelines.base.exceptions import NotFound
from timelines.base.i18n import _
from timelines.config import Config
from timelines.resolve import ResolvedTimeline, resolve_timeline

console = Console(highlight=False, soft_wrap=True)
pages_app = typer.Typer(help="The plans at a glance: timelines, årshjul, overview pages.",
                        no_args_is_help=True)


def _chosen(timelines: list[ResolvedTimeline], wanted: list[str]) -> list[ResolvedTimeline]:
    """The timelines named by --plan (all without it); an unknown id is a clear message."""
    known = {tl.id: tl for tl in timelines}
    for plan in wanted:
        if plan not in known:
            raise NotFound(_(state.lang(), "no timeline with id {plan}; known: {known}", plan=plan,
                             known=", ".join(sorted(known)) or "-"))
    return [known[plan] for plan in wanted] if wanted else timelines


def owner_code(key: bytes, owner: str) -> str:
    """An owner page's file name that only the secret's holder can work out."""
    return hmac.new(key, f"fristvakt-owner-page:{owner}".encode(), hashlib.sha256).hexdigest()[:32]


def _readers(cfg: Config, public: bool) -> list[Reader]:
    """Owners with their page's file name: the key with --public, else a code from the feed
    secret; none without either (the CLI says so)."""
    key = secret(cfg)
    if not public and key is None:
        return []
    return [Reader(name, owner.name, cfg.owner_lang(name),
                   name if public else owner_code(key or b"", name))
            for name, owner in cfg.owners.items()]


def _say_owners(cfg: Config, public: bool) -> str:
    lang = state.lang()
    if public:
        return _(lang, "owner pages are named by owner key (owners/<key>.html, --public): anyone "
                       "who can read the folder can open each of them")
    if secret(cfg) is None:
        return _(lang, "owner pages were left out: set {variable} (the feed secret) for "
                       "unguessable names, or use --public", variable=cfg.feeds.secret_env)
    return _(lang, "owner pages are named by an unguessable code (owners/<code>.html); give each "
                   "owner only their own link")


def _local_day(now: str | None, cfg: Config) -> dt.date:
    """Today where the project lives (the config's time zone), as `--now` names it."""
    return common.parse_now(now, cfg.timezone).astimezone(ZoneInfo(cfg.timezone)).date()


@pages_app.command("export")
def export(
    directory: Path = typer.Argument(..., help="Folder to write the pages to."),
    plan: list[str] = typer.Option([], "--plan", help="Only this timeline id (repeatable)."),
    now: str = typer.Option(None, "--now", help=common.NOW_HELP),
    coordinator: bool = typer.Option(False, "--coordinator",
                                     help="Include the coordinator's overview page."),
    public: bool = typer.Option(False, "--public",
                                help="Name owner pages by owner key instead of a secret code."),
) -> None:
    """Write each plan's timeline, the årshjul, owners' views and an index as HTML."""
    project = common.project()
    cfg = project.config
    today = _local_day(now, cfg)
    timelines = _chosen([resolve_timeline(tl) for tl in project.timelines], plan)
    views: list[PlanView] = [plan_view(cfg, tl, today) for tl in timelines]
    written = write_static(directory, views, today, cfg.lang, _readers(cfg, public), coordinator)
    lang = state.lang()
    console.print(_(lang, "wrote {n} pages to {directory}", n=len(written), directory=directory),
                  markup=False)
    console.print(_(lang, "the export includes the coordinator's overview (coordinator.html): "
                          "do not publish it") if coordinator
                  else _(lang, "the export contains no coordinator page (use --coordinator to "
                               "include it)"), markup=False)
    console.print(_say_owners(cfg, public), markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(pages_app, name="pages")
