"""`fristvakt report`: build the report, render it, write it (or print Markdown)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from notifiers.i18n import t
from scheduler.report import render
from scheduler.report.model import PlanReport, build
from timelines.config import Config
from timelines.exceptions import FristvaktError


def rendered(plans: list[PlanReport], fmt: str, lang: str) -> bytes:
    """The report's bytes in `fmt` (html, docx, md, pdf)."""
    doc_lang = plans[0].lang if plans else lang
    if fmt == "md":
        return render.markdown(plans).encode()
    if fmt == "docx":
        return render.docx(plans)
    page = render.html(plans, doc_lang)
    if fmt == "pdf":
        try:
            return render.pdf(page)
        except render.NoChromium as exc:
            raise FristvaktError(t(lang, "owners.report.no_pdf")) from exc
    return page.encode()


def default_name(plan: str | None, as_of: dt.date, fmt: str) -> Path:
    return Path(f"status-{plan or 'all'}-{as_of.isoformat()}.{fmt}")


def write_report(config: Config, engine: Engine, plan: str | None, as_of: dt.date, fmt: str,
                 output: Path | None, lang: str) -> Path | None:
    """Write the report to `output` (or its default name); Markdown without -o is printed."""
    with Session(engine) as session:
        plans = build(session, config, plan, as_of)
    data = rendered(plans, fmt, lang)
    if output is None and fmt == "md":
        typer.echo(data.decode())
        return None
    target = output or default_name(plan, as_of, fmt)
    target.write_bytes(data)
    return target
