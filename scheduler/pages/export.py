"""Every page as static files for any web server (`fristvakt pages export`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from scheduler.pages.build import owner_view
from scheduler.pages.gantt import ZOOMS
from scheduler.pages.html import index_page, overview_page, owner_page, plan_page, wheel_page
from scheduler.pages.model import CoordinatorExtras, PlanView, Reader
from timelines.base.i18n import _

DEFAULT_ZOOM = "quarter"
COORDINATOR_PAGE = "coordinator.html"


def plan_file(plan_id: str, zoom: str = DEFAULT_ZOOM) -> str:
    """`plans/<id>.html` at the default zoom, `plans/<id>-<zoom>.html` at the others."""
    return f"plans/{plan_id}.html" if zoom == DEFAULT_ZOOM else f"plans/{plan_id}-{zoom}.html"


def wheel_years(plans: Sequence[PlanView], today: dt.date) -> list[int]:
    """The years that have a deadline (today's year when none has)."""
    years = {due.year for plan in plans for task in plan.tasks for due in task.deadlines}
    return sorted(years) or [today.year]


def _plan_pages(plan: PlanView, today: dt.date) -> dict[str, str]:
    links = [(zoom, Path(plan_file(plan.timeline_id, zoom)).name) for zoom in ZOOMS]
    return {plan_file(plan.timeline_id, zoom): plan_page(plan, today, zoom, links,
                                                         home="../index.html")
            for zoom in ZOOMS}


def owner_file(owner: Reader) -> str:
    return f"owners/{owner.file or owner.key}.html"


def _owner_pages(plans: Sequence[PlanView], owners: Sequence[Reader],
                 today: dt.date) -> dict[str, str]:
    """A page per owner who has a task, in the owner's language; each links home to the
    index only when the index lists it (a page behind a code names no other page)."""
    pages = {}
    for owner in owners:
        heading = _(owner.lang, "Tasks of {name}", name=owner.name)
        view = owner_view(plans, owner.key, heading, owner.lang)
        if view.tasks:
            pages[owner_file(owner)] = owner_page(view, today, home="../index.html")
    return pages


def pages(plans: Sequence[PlanView], today: dt.date, lang: str,
          owners: Sequence[Reader] = (), coordinator: bool = False,
          extras: CoordinatorExtras | None = None) -> dict[str, str]:
    """Every page by its path in the export."""
    found: dict[str, str] = {}
    for plan in plans:
        found |= _plan_pages(plan, today)
    years = wheel_years(plans, today)
    found |= {f"wheel/{year}.html": wheel_page(plans, year, lang, today, home="../index.html")
              for year in years}
    found |= _owner_pages(plans, owners, today)
    if coordinator:
        links = {plan.timeline_id: plan_file(plan.timeline_id) for plan in plans}
        found[COORDINATOR_PAGE] = overview_page(plans, lang, today, extras, links)
    # Only pages named by key (published on purpose) are listed: a coded name stays private.
    owner_links = [(owner.name, owner_file(owner)) for owner in owners
                   if owner.file in ("", owner.key) and owner_file(owner) in found]
    found["index.html"] = index_page(
        lang, today, [(plan.title, plan_file(plan.timeline_id)) for plan in plans],
        [(str(year), f"wheel/{year}.html") for year in years], owner_links,
        COORDINATOR_PAGE if coordinator else None)
    return found


def write_static(directory: Path, plans: Sequence[PlanView], today: dt.date, lang: str,
                 owners: Sequence[Reader] = (), coordinator: bool = False,
                 extras: CoordinatorExtras | None = None) -> list[Path]:
    """Write the pages under `directory`; without `coordinator` an earlier export's
    coordinator page is removed, so the folder never shows it unasked."""
    written = []
    for name, body in pages(plans, today, lang, owners, coordinator, extras).items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
        written.append(path)
    if not coordinator:
        (directory / COORDINATOR_PAGE).unlink(missing_ok=True)
    return written
