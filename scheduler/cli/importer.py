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
from timelines.config import load_config
from timelines.exceptions import ImportFailed
from timelines.importer import ImportResult, import_document
from timelines.importer.messages import say
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


def import_cmd(
    files: list[Path] = typer.Argument(..., help="Plan documents (text from Word/Excel)."),
    lang: str = typer.Option(None, "--lang", help="Document language: nb, nn or sv."),
    year: int = typer.Option(
        None, "--year", min=1900, max=2200, help="The year of dates written without one."),
    out: Path = typer.Option(None, "--out", help="Folder for the timeline files."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing timeline files."),
    as_json: bool = typer.Option(False, "--json", help="Print the tasks as JSON."),
) -> None:
    """Turn plan documents into timelines/<id>.toml and say what needs a human look."""
    reader = state.lang()
    if lang is not None and lang not in LANGS:
        raise ImportFailed(say("bad_lang", reader, given=lang, langs=", ".join(LANGS)))
    folder = out or _default_folder(reader)
    batch = Batch(reader=reader)
    with Progress(console=err_console, transient=True, disable=len(files) < 2) as progress:
        for path in progress.track(files, description=say("progress", reader)):
            _one(path, lang, year, (folder, force), batch)
    _report(batch, as_json)
    if batch.failed:
        raise ImportFailed(say("failed", reader, failed=batch.failed, total=len(files)))


def _default_folder(reader: str) -> Path:
    config = state.config_file()
    return load_config(config, reader).timelines_dir if config.is_file() else Path("timelines")


def _one(path: Path, lang: str | None, year: int | None, target: tuple[Path, bool],
         batch: Batch) -> None:
    try:
        result = import_document(path, lang=lang, year=year, reader_lang=batch.reader)
    except ImportFailed as exc:
        err_console.print(error_line(batch.reader, exc), style="red", markup=False)
        batch.failed += 1
        return
    _unique_id(result, batch.ids)
    try:
        written: Path | None = write(result, target[0], force=target[1])
    except FileExistsError:
        written = None
        batch.failed += 1
        existing = target[0] / f"{result.timeline.id}.toml"
        err_console.print(say("exists", batch.reader, path=existing), style="red", markup=False)
    batch.results.append((result, written))


def _unique_id(result: ImportResult, taken: set[str]) -> None:
    """Two documents with the same title in one run must not write the same file."""
    base, number = result.timeline.id, 2
    while result.timeline.id in taken:
        result.timeline.id, number = f"{base}-{number}", number + 1
    taken.add(result.timeline.id)


def _report(batch: Batch, as_json: bool) -> None:
    if as_json:
        common.print_json({
            "timelines": [r.timeline.as_json() for r, _ in batch.results],
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
