"""The import summary a coordinator reads: counts, the year used and why, rows to look at;
all of it in the coordinator's language (`lang`), whatever the plan's language."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from timelines.base.i18n import N_, _, translate
from timelines.importer.model import ImportResult

# How the plan's year was found (YearChoice.reason): told with the line it was found on, and
# for a file without lines with where it was found instead.
YEAR_REASONS = {
    "year_option": (N_("{year} (given with --year)"), None),
    "year_title": (N_("{year} (from the title, line {line})"),
                   N_("{year} (from the title, {where})")),
    "year_full_dates": (N_("{year} (from the first full date, line {line})"),
                        N_("{year} (from the first full date, {where})")),
    "year_list_order": (N_("{year} (from the order of the milestone list, line {line})"),
                        N_("{year} (from the order of the milestone list, {where})")),
    "year_stated": (N_("{year} (the earliest year stated in a date, line {line})"),
                    N_("{year} (the earliest year stated in a date, {where})")),
    "year_none": (N_("none found: dates without a year are not read (use --year)"), None),
}


def year_text(result: ImportResult, lang: str = "en") -> str:
    choice = result.year
    lined, placed = YEAR_REASONS[choice.reason]
    where = result.places.get(choice.line) if choice.line is not None else None
    if where is not None and placed:  # a file without lines: where the year was found
        return translate(lang, placed, year=choice.year, where=where.text(lang))
    return translate(lang, lined, year=choice.year, line=choice.line)


def counts_text(result: ImportResult, lang: str = "en") -> str:
    numbers = {key: result.count(key) for key in ("tasks", "dated", "inherited", "undated")}
    owners = {k for t in result.timeline.tasks for k in t.owners} | set(result.timeline.owners)
    return _(lang, "{tasks} tasks: {dated} dated, {inherited} inherited, {undated} undated; "
                   "{owners} owners/roles", owners=len(owners), **numbers)


def recurring_text(result: ImportResult, lang: str = "en") -> str:
    """"2 recurring: Årsmelding, Budsjett" (the period they run is in the written file)."""
    titles = [t.title for t in result.timeline.recurring]
    return _(lang, "{count} recurring: {titles}", count=len(titles), titles=", ".join(titles))


def render(result: ImportResult, target: Path | None, lang: str = "en") -> RenderableType:
    source, written = result.timeline.source, target or _(lang, "(not written)")
    parts: list[RenderableType] = [
        Text(_(lang, "{source} → {target}", source=source, target=written), style="bold"),
        Text(counts_text(result, lang)),
        Text(_(lang, "year: {text}", text=year_text(result, lang))),
    ]
    if result.timeline.recurring:
        parts.append(Text(recurring_text(result, lang)))
    rows = sorted([*result.attention, *result.notes], key=lambda a: a.line)
    if rows:
        column = _(lang, "line") if result.lined else _(lang, "where")
        table = Table(column, _(lang, "why"),
                      title=_(lang, "needs attention"), title_justify="left")
        for row in rows:
            table.add_row(row.place(lang) if row.where else str(row.line), Text(row.reason(lang)))
        parts.append(table)
    return Group(*parts)
