"""`fristvakt report`: build the report, render it, write it (or print Markdown)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from scheduler.pages.html import timeline_fragment
from scheduler.pages.stored import plan_views
from scheduler.report import formats
from scheduler.report.model import PlanReport, build
from timelines.base.exceptions import FristvaktError
from timelines.base.i18n import _
from timelines.config import Config


def timelines(session: Session, config: Config, plans: list[PlanReport],
              as_of: dt.date) -> dict[str, str]:
    """Each plan's timeline (Gantt and its table) as of the report's day, by plan id."""
    wanted = {plan.id for plan in plans}
    return {view.timeline_id: timeline_fragment(view, as_of)
            for view in plan_views(session, config, as_of) if view.timeline_id in wanted}


def rendered(plans: list[PlanReport], fmt: str, lang: str,
             charts: dict[str, str] | None = None) -> bytes:
    """The report's bytes in `fmt` (html, docx, md, pdf); HTML and PDF embed `charts`."""
    doc_lang = plans[0].lang if plans else lang
    if fmt == "md":
        return formats.markdown(plans).encode()
    if fmt == "docx":
        return formats.docx(plans)
    page = formats.html(plans, doc_lang, charts or {})
    if fmt == "pdf":
        try:
            return formats.pdf(page)
        except formats.NoChromium as exc:
            raise FristvaktError(_(lang, "PDF needs Chromium (/usr/bin/chromium or chromium on "
                                         "PATH); it was not found. Use --format html and print to "
                                         "PDF.")) from exc
    return page.encode()


def default_name(plan: str | None, as_of: dt.date, fmt: str) -> Path:
    return Path(f"status-{plan or 'all'}-{as_of.isoformat()}.{fmt}")


def write_report(config: Config, engine: Engine, plan: str | None, as_of: dt.date, fmt: str,
                 output: Path | None, lang: str) -> Path | None:
    """Write the report to `output` (or its default name); Markdown without -o is printed."""
    with Session(engine) as session:
        plans = build(session, config, plan, as_of)
        charts = timelines(session, config, plans, as_of) if fmt in ("html", "pdf") else {}
    data = rendered(plans, fmt, lang, charts)
    if output is None and fmt == "md":
        typer.echo(data.decode())
        return None
    target = output or default_name(plan, as_of, fmt)
    target.write_bytes(data)
    return target
