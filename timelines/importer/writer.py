"""ImportResult → the text of `timelines/<id>.toml`, commented for the coordinator who edits it.

The comments and attention texts are in the plan's language (`timeline.lang`)."""

from __future__ import annotations

from pathlib import Path

import tomlkit
from tomlkit.items import AoT, InlineTable, Table

from timelines.base.i18n import _
from timelines.importer.model import ImportedTask, ImportedTimeline, ImportResult


def render(result: ImportResult) -> str:
    timeline = result.timeline
    doc = tomlkit.document()
    for line in _(timeline.lang,
                  "Imported by `fristvakt import` from {source}.\nReview it: every task with an "
                  "`attention` text needs a human look. `when` keeps the\noriginal text; an "
                  "explicit `start`/`due` wins over it. Map the role keys below to people\nwith "
                  "[roles.KEY] members = [...] in fristvakt.toml, then run `fristvakt validate`.",
                  source=timeline.source).splitlines():
        doc.add(tomlkit.comment(line))
    doc.add(tomlkit.nl())
    doc.add("timeline", _header(timeline))
    doc.add("task", _tasks(timeline.tasks, timeline.lang))
    return tomlkit.dumps(doc)


def write(result: ImportResult, folder: Path, *, force: bool = False) -> Path:
    """Write `<folder>/<id>.toml`; FileExistsError when it exists and `force` is not given."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{result.timeline.id}.toml"
    with target.open("w" if force else "x", encoding="utf-8") as handle:
        handle.write(render(result))
    return target


def _header(timeline: ImportedTimeline) -> Table:
    table = tomlkit.table()
    table.add("id", timeline.id)
    table.add("title", timeline.title)
    table.add("lang", timeline.lang)
    if timeline.ref_year is not None:
        table.add("ref_year", timeline.ref_year)
    if timeline.period:
        table.add("period", timeline.period)
    table.add("source", timeline.source)
    table.add("owners", timeline.owners)
    roles = tomlkit.table()
    roles.comment(_(timeline.lang, "roles found in the document: key = original label"))
    for key, label in sorted(timeline.roles.items()):
        roles.add(key, label)
    table.add("roles", roles)
    return table


def _tasks(tasks: list[ImportedTask], lang: str) -> AoT:
    array = tomlkit.aot()
    for task in tasks:
        array.append(_task(task, lang))
    return array


def _task(task: ImportedTask, lang: str) -> Table:
    table = tomlkit.table()
    if task.where is not None:  # no line to point at: say where in the document the row is
        table.add(tomlkit.comment(task.place(lang)))
    for key, value in (("id", task.id), ("title", task.title), ("section", task.section),
                       ("when", task.when)):
        table.add(key, value)
    _dates(task, table, lang)
    table.add("owners", task.owners)
    table.add("participants", task.participants)
    table.add("status", task.status)
    if task.budget_text:
        table.add("budget", _budget(task))
    if task.notes:
        table.add("notes", tomlkit.string(task.notes, multiline="\n" in task.notes))
    if task.where is None:
        table.add("line", task.line)
    if task.attention:
        table.add("attention", task.attention)
    return table


def _dates(task: ImportedTask, table: Table, lang: str) -> None:
    if task.inherited:
        table["when"].comment(_(lang, "not in the document: the row has no date of its own"))
    if not (task.explicit or task.exact):
        return
    if task.explicit:
        table.add(tomlkit.comment(_(lang, "the year comes from the order of the list")))
    if task.start:
        table.add("start", task.start)
    if task.due:
        table.add("due", task.due)


def _budget(task: ImportedTask) -> InlineTable:
    budget = tomlkit.inline_table()
    budget.add("text", task.budget_text)
    if task.budget_nok is not None:
        budget.add("nok", task.budget_nok)
    return budget
