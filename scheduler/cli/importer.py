"""`fristvakt import FILE...`: plan documents into timeline files, with a summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress

from scheduler.cli import common
from scheduler.cli.context import state
from scheduler.cli.errors import err_console, error_line
from timelines.base.exceptions import ImportFailed
from timelines.base.i18n import _
from timelines.config import load_config
from timelines.importer import ImportResult, import_document, import_sheets
from timelines.importer.summary import render
from timelines.importer.writer import write

console = Console(highlight=False, soft_wrap=True)
LANGS = ("nb", "nn", "sv")


@dataclass
class Batch:
    results: list[tuple[ImportResult, Path | None]] = field(default_factory=list)
    failed: int = 0
    ids: set[str] = field(default_factory=set)
    reader: str = "en"  # the coordinator's language: the summary is told in it
    split: bool = False  # one timeline per sheet
    errors: list[str] = field(default_factory=list)


def import_cmd(
    files: list[Path] = typer.Argument(
        ..., help="Plan documents: .docx, .xlsx, .odt, .ods, .pdf, .html, .csv or .txt."),
    lang: str = typer.Option(None, "--lang", help="Document language: nb, nn or sv."),
    year: int = typer.Option(
        None, "--year", min=1900, max=2200, help="The year of dates written without one."),
    out: Path = typer.Option(None, "--out", help="Folder for the timeline files."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing timeline files."),
    as_json: bool = typer.Option(
        False, "--json", help="Print the tasks as JSON instead of writing files."),
    split_sheets: bool = typer.Option(
        False, "--split-sheets", help="One timeline per visible sheet of a workbook."),
) -> None:
    """Turn plan documents into timelines/<id>.toml and say what needs a human look."""
    reader = state.lang()
    if lang is not None and lang not in LANGS:
        raise ImportFailed(_(reader, "--lang {given}: expected one of {langs}", given=lang,
                             langs=", ".join(LANGS)))
    # --json prints instead of writing: no folder, nothing on disk.
    target = None if as_json else (out or _default_folder(reader), force)
    batch = Batch(reader=reader, split=split_sheets)
    with Progress(console=err_console, transient=True, disable=len(files) < 2) as progress:
        for path in progress.track(files, description=_(reader, "importing")):
            _one(path, lang, year, target, batch)
    _report(batch, as_json)
    if len(files) == 1 and batch.errors:
        raise ImportFailed(batch.errors[0])  # one file, one line: what is wrong with it
    for message in batch.errors:
        err_console.print(error_line(reader, ImportFailed(message)), style="red", markup=False)
    if batch.failed:
        raise ImportFailed(_(reader, "{failed} of {total} file(s) not imported",
                             failed=batch.failed, total=len(files)))


def _default_folder(reader: str) -> Path:
    config = state.config_file()
    return load_config(config, reader).timelines_dir if config.is_file() else Path("timelines")


def _one(path: Path, lang: str | None, year: int | None, target: tuple[Path, bool] | None,
         batch: Batch) -> None:
    try:
        results = _read(path, lang, year, batch)
    except ImportFailed as exc:
        _fail(batch, str(exc))
        return
    for result in results:
        _unique_id(result, batch.ids)
        batch.results.append((result, _write(result, target, batch)))


def _read(path: Path, lang: str | None, year: int | None, batch: Batch) -> list[ImportResult]:
    """The document's timelines; ImportFailed when it has no task at all (empty, binary or
    not a plan): a timeline with nothing in it is never written."""
    results = import_sheets(path, lang=lang, year=year, reader_lang=batch.reader) if (
        batch.split) else [import_document(path, lang=lang, year=year, reader_lang=batch.reader)]
    kept = [r for r in results if r.timeline.tasks]
    if not kept:
        if _empty(path):
            raise ImportFailed(_(batch.reader, "{path} is empty; nothing written", path=path))
        raise ImportFailed(_(batch.reader, "{path}: no tasks found (no table with an activity "
                                           "column, no dated list); nothing written", path=path))
    return kept


def _empty(path: Path) -> bool:
    try:
        return not path.read_bytes().strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe")
    except OSError:
        return False


def _write(result: ImportResult, target: tuple[Path, bool] | None, batch: Batch) -> Path | None:
    if target is None:
        return None
    try:
        return write(result, target[0], force=target[1])
    except FileExistsError:
        existing = target[0] / f"{result.timeline.id}.toml"
        _fail(batch, _(batch.reader, "{path} exists; use --force to overwrite it", path=existing))
        return None


def _fail(batch: Batch, message: str) -> None:
    batch.failed += 1
    batch.errors.append(message)


def _unique_id(result: ImportResult, taken: set[str]) -> None:
    """Two documents with the same title in one run must not write the same file."""
    base, number = result.timeline.id, 2
    while result.timeline.id in taken:
        result.timeline.id, number = f"{base}-{number}", number + 1
    taken.add(result.timeline.id)


def _report(batch: Batch, as_json: bool) -> None:
    if as_json:
        common.print_json({
            "timelines": [r.timeline.as_json(batch.reader) for r, _ in batch.results],
            "attention": [
                a.as_json(batch.reader) for r, _ in batch.results
                for a in sorted([*r.attention, *r.notes], key=lambda a: a.line)
            ],
        })
        return
    for result, written in batch.results:
        console.print(render(result, written, batch.reader))


def register(app: typer.Typer) -> None:
    app.command("import")(import_cmd)
