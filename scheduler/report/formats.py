"""The report in each format: HTML (Jinja), Markdown, DOCX (python-docx), PDF (Chromium)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from functools import cache
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from scheduler.report.model import CATEGORIES, PlanReport, Row, category_names
from timelines.base.i18n import _, _p, format_date, template_gettext

REPORT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "report"
CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


class NoChromium(Exception):
    """PDF was asked for but no headless Chromium is installed."""


@cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(REPORT_TEMPLATES), undefined=StrictUndefined,
                       autoescape=select_autoescape(default=True), trim_blocks=True,
                       lstrip_blocks=True, extensions=["jinja2.ext.i18n"])


def html(plans: list[PlanReport], lang: str, charts: Mapping[str, str] | None = None) -> str:
    """One self-contained page (inline CSS, no external resources) that prints on A4
    landscape; `charts` are each plan's timeline (HTML with inline SVG) by plan id."""
    dates = {p.id: format_date(p.as_of, p.lang, "long") for p in plans}
    found = {key: Markup(value) for key, value in (charts or {}).items()}
    return _env().get_template("report.html.j2").render(
        **template_gettext(lang), plans=plans, lang=lang, dates=dates,
        categories=category_names(lang), charts=found)


def status_cell(row: Row, lang: str) -> str:
    """The status column as plain text: status, note, its date; or the plan's own words."""
    parts = [row.status] if row.status else []
    if row.note:
        parts.append(row.note)
    text = ": ".join(parts)
    if row.note_date:
        text += f" ({row.note_date})"
    if row.from_plan:
        text += " (" + _(lang, "From the plan") + ")"
    return text


def headings(lang: str) -> list[str]:
    return [_(lang, "Activity"), _(lang, "Responsible"), _(lang, "Funding"),
            _p(lang, "status report", "Deadline"), _(lang, "Status")]


def cells(row: Row, lang: str) -> list[str]:
    return [row.activity, row.responsible, row.funding, row.deadline, status_cell(row, lang)]


def summary_cells(plan: PlanReport) -> tuple[list[str], list[str]]:
    counts = plan.summary()
    heads = list(category_names(plan.lang).values())
    return ([*heads, _(plan.lang, "Total")],
            [*(str(counts[c]) for c in CATEGORIES), str(len(plan.rows))])


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md_cell(h) for h in head) + " |",
             "|" + "---|" * len(head)]
    return lines + ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]


def markdown(plans: list[PlanReport]) -> str:
    out: list[str] = []
    for plan in plans:
        lang = plan.lang
        title, summary = _(lang, "Status report"), _(lang, "Summary")
        out += [f"# {title}: {plan.title}", "",
                _(lang, "Status as of {date}", date=format_date(plan.as_of, lang, "long")), "",
                f"## {summary}", ""]
        head, counts = summary_cells(plan)
        out += [*_md_table(head, [counts]), ""]
        for section in plan.sections:
            out += [f"### {section.name}", ""]
            out += [*_md_table(headings(lang), [cells(r, lang) for r in section.rows]), ""]
    return "\n".join(out)


def _docx_table(document: object, head: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(head))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text


def docx(plans: list[PlanReport]) -> bytes:
    """A Word document: landscape A4, one table per section."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    document.styles["Normal"].font.size = Pt(9.5)
    for plan in plans:
        lang = plan.lang
        document.add_heading(_(lang, "Status report") + f": {plan.title}", level=1)
        document.add_paragraph(_(lang, "Status as of {date}",
                                 date=format_date(plan.as_of, lang, "long")))
        document.add_heading(_(lang, "Summary"), level=2)
        head, counts = summary_cells(plan)
        _docx_table(document, head, [counts])
        for part in plan.sections:
            document.add_heading(part.name, level=3)
            _docx_table(document, headings(lang), [cells(r, lang) for r in part.rows])
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def chromium() -> str | None:
    for name in CHROMIUM:
        found = shutil.which(name)
        if found:
            return found
    return None


def pdf(page: str) -> bytes:
    """The HTML printed by headless Chromium (A4 from the page's @page rule)."""
    browser = chromium()
    if browser is None:
        raise NoChromium
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        source.write_text(page, encoding="utf-8")
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-pdf-header-footer", f"--user-data-dir={tmp}/profile",
                        f"--print-to-pdf={target}", source.as_uri()],
                       check=True, capture_output=True, timeout=120)
        return target.read_bytes()
