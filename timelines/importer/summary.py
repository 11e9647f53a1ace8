"""The import summary a coordinator reads: counts, the year used and why, rows to look at;
all of it in the coordinator's language (`lang`), whatever the plan's language."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from timelines.base.i18n import t
from timelines.importer.messages import say
from timelines.importer.model import ImportResult


def year_text(result: ImportResult, lang: str = "en") -> str:
    choice = result.year
    where = result.places.get(choice.line) if choice.line is not None else None
    if where is not None:  # a file without lines: where the year was found, as a locator
        return say(f"office.{choice.reason}", lang, year=choice.year, where=where.text(lang))
    return say(choice.reason, lang, year=choice.year, line=choice.line)


def counts_text(result: ImportResult, lang: str = "en") -> str:
    numbers = {key: result.count(key) for key in ("tasks", "dated", "inherited", "undated")}
    owners = {k for t in result.timeline.tasks for k in t.owners} | set(result.timeline.owners)
    return say("summary_counts", lang, owners=len(owners), **numbers)


def recurring_text(result: ImportResult, lang: str = "en") -> str:
    """"2 recurring: Årsmelding, Budsjett" (the period they run is in the written file)."""
    titles = [t.title for t in result.timeline.recurring]
    return t(lang, "recur.summary", count=len(titles), titles=", ".join(titles))


def render(result: ImportResult, target: Path | None, lang: str = "en") -> RenderableType:
    source, written = result.timeline.source, target or say("not_written", lang)
    parts: list[RenderableType] = [
        Text(say("summary_title", lang, source=source, target=written), style="bold"),
        Text(counts_text(result, lang)),
        Text(say("summary_year", lang, text=year_text(result, lang))),
    ]
    if result.timeline.recurring:
        parts.append(Text(recurring_text(result, lang)))
    rows = sorted([*result.attention, *result.notes], key=lambda a: a.line)
    if rows:
        column = say("col_line", lang) if result.lined else say("office.col_where", lang)
        table = Table(column, say("col_reason", lang),
                      title=say("summary_attention", lang), title_justify="left")
        for row in rows:
            table.add_row(row.place(lang) if row.where else str(row.line), Text(row.reason(lang)))
        parts.append(table)
    return Group(*parts)
