"""The pages as HTML (Jinja2, autoescaped, unknown names are errors); the SVGs inline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from scheduler.pages.build import counts
from scheduler.pages.gantt import ZOOMS, axis_for, gantt_svg
from scheduler.pages.model import CoordinatorExtras, PlanView, Section, TaskMark
from scheduler.pages.wheel import deadlines, wheel_svg
from scheduler.pages.words import day, span_text, status_text
from timelines.base.i18n import _, pick_lang, template_gettext

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates" / "pages"
Links = Sequence[tuple[str, str]]


@cache
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       auto_reload=False, extensions=["jinja2.ext.i18n"])


def _render(template: str, lang: str, today: dt.date, **context: Any) -> str:
    """Render with the reader's texts and date format; `home` links back to the index."""
    lang = pick_lang(lang)
    helpers = {
        **template_gettext(lang), "lang": lang, "today": today,
        "day": lambda value: day(value, lang),
        "span": lambda task: span_text(task, lang),
        "status": lambda task: status_text(task, lang),
    }
    return environment().get_template(template).render(**helpers, **context)


def plan_page(plan: PlanView, today: dt.date, zoom: str = "quarter",
              zoom_links: Links = (), home: str = "index.html") -> str:
    """A plan's timeline, zoom links (`(zoom, href)`), and the same data as a table."""
    shown = axis_for(plan, today, zoom).contains(today)
    return _render("plan.html.j2", plan.lang, today, page="plan", heading=plan.title,
                   plan=plan, zoom=zoom, zoom_links=zoom_links or _zoom_query(),
                   svg=Markup(gantt_svg(plan, today, zoom)), today_shown=shown, home=home)


def timeline_fragment(plan: PlanView, today: dt.date, zoom: str = "quarter") -> str:
    """The timeline and its table without a page around them, for a report to embed (the
    table's id names the plan, so several plans fit in one document)."""
    return _render("fragment.html.j2", plan.lang, today, plan=plan,
                   svg=Markup(gantt_svg(plan, today, zoom)))


def _zoom_query() -> Links:
    return [(name, f"?zoom={name}") for name in ZOOMS]


def owner_page(plan: PlanView, today: dt.date, zoom: str = "quarter",
               home: str = "index.html") -> str:
    """One person's tasks on a timeline (plan.title says whose) and as a table."""
    return _render("owner.html.j2", plan.lang, today, page="owner", heading=plan.title,
                   plan=plan, svg=Markup(gantt_svg(plan, today, zoom)), home=home)


def wheel_page(plans: Sequence[PlanView], year: int, lang: str, today: dt.date,
               home: str = "index.html") -> str:
    """The årshjul of the chosen plans' deadlines in `year`, and its table."""
    tasks = [task for plan in plans for task in plan.tasks]
    in_year = _in_year(tasks, year)
    heading = _(pick_lang(lang), "Year wheel {year}", year=year)
    view = PlanView(f"wheel-{year}", heading, lang, (Section("", in_year),) if in_year else ())
    return _render("wheel.html.j2", lang, today, page="wheel", heading=heading, year=year,
                   plan=view, plan_titles=[plan.title for plan in plans],
                   svg=Markup(wheel_svg(tasks, year, lang, today)), home=home)


def _in_year(tasks: Sequence[TaskMark], year: int) -> tuple[TaskMark, ...]:
    """Tasks with a deadline in `year`, once each, in the order of their first deadline."""
    return tuple(dict.fromkeys(task for _, task in deadlines(tasks, year)))


def overview_page(plans: Sequence[PlanView], lang: str, today: dt.date,
                  extras: CoordinatorExtras | None = None, plan_links: dict[str, str] | None = None,
                  home: str = "index.html", wheel_links: Links = ()) -> str:
    """The coordinator's overview: counts per plan, waiting requests, silent owners, send
    problems (the last three given by the caller); `wheel_links` are `(year, href)`."""
    heading = _(pick_lang(lang), "Coordinator's overview")
    return _render("overview.html.j2", lang, today, page="overview", heading=heading,
                   counts=[counts(plan) for plan in plans], extras=extras or CoordinatorExtras(),
                   plan_links=plan_links or {}, home=home, wheel_links=wheel_links)


def login_page(lang: str, today: dt.date, csrf: str, action: str, next_url: str,
               problem: str = "") -> str:
    """The coordinator's login form; `problem` says what went wrong (in `lang`)."""
    heading = _(pick_lang(lang), "Coordinator login")
    return _render("login.html.j2", lang, today, page="login", heading=heading, csrf=csrf,
                   action=action, next_url=next_url, problem=problem, home=action)


def message_page(lang: str, today: dt.date, heading: str, text: str, home: str) -> str:
    """A page that only says something: a heading and a text (both in `lang`)."""
    return _render("message.html.j2", lang, today, page="message", heading=heading, text=text,
                   home=home)


def index_page(lang: str, today: dt.date, plans: Links, wheels: Links, owners: Links,
               coordinator: str | None) -> str:
    """The export's front page; it says whether the coordinator's overview is included."""
    heading = _(pick_lang(lang), "Plans at a glance")
    return _render("index.html.j2", lang, today, page="index", heading=heading, plans=plans,
                   wheels=wheels, owners=owners, coordinator=coordinator or "",
                   home="index.html")


@cache
def card_script() -> str:
    """The small script that shows a focused or hovered task's card (for other pages)."""
    return (TEMPLATES / "card.js").read_text(encoding="utf-8")
