"""Action-plan documents (Word, Excel, OpenDocument, PDF, HTML, CSV, text) into timelines.

`import_document(path)` reads one document and returns the timeline it describes and every
row a human should look at; `writer.write_timeline` turns that into `timelines/<id>.toml`.
"""

from __future__ import annotations

from pathlib import Path

from timelines.importer import detect as language
from timelines.importer.build import Context, build
from timelines.importer.document import Block, Document, Paragraph
from timelines.importer.formats import read_document
from timelines.importer.ids import slug
from timelines.importer.lines import Line, document_lines
from timelines.importer.messages import AT_SHEET
from timelines.importer.model import (
    Attention,
    Candidate,
    ImportedTask,
    ImportedTimeline,
    ImportResult,
    YearChoice,
)
from timelines.importer.owners import document_owner
from timelines.importer.scan import scan
from timelines.importer.years import choose_year, is_day, list_years, title_date

__all__ = [
    "Attention", "ImportResult", "ImportedTask", "ImportedTimeline", "YearChoice",
    "import_document",
    "import_sheets",
]

def import_document(
    path: Path | str, *, lang: str | None = None, year: int | None = None,
    reader_lang: str = "en",
) -> ImportResult:
    """Read a plan document; raises ImportFailed only when the file cannot be read at all.

    Any format `formats/` reads (text, Word, Excel, OpenDocument, PDF, HTML, CSV) goes the
    same way: its blocks become lines, the lines candidates, the candidates tasks.
    `lang` is the document's language (dates are read in it; None: detected); `reader_lang`
    the coordinator's, for the errors raised here. Attention texts in the timeline are told
    in the document's language; the summary tells them again in the reader's."""
    path = Path(path)
    return _result(read_document(path, reader_lang), path, lang, year)


def import_sheets(
    path: Path | str, *, lang: str | None = None, year: int | None = None,
    reader_lang: str = "en",
) -> list[ImportResult]:
    """One result per visible sheet of a workbook (`import --split-sheets`), each titled by
    its sheet's name; any other document gives one result, as `import_document` does."""
    path = Path(path)
    doc = read_document(path, reader_lang)
    parts = _sheets(doc)
    return [_result(part, path, lang, year, named=len(parts) > 1) for part in parts]


def _sheets(doc: Document) -> list[Document]:
    parts: list[Document] = []
    for block in doc.blocks:
        if not parts or _starts_sheet(block):
            parts.append(Document([], doc.lined, list(doc.skipped) if not parts else [],
                                  doc.pages))
        parts[-1].blocks.append(block)
    return parts or [doc]


def _starts_sheet(block: Block) -> bool:
    return isinstance(block, Paragraph) and block.where is not None and (
        block.where.message == AT_SHEET)


def _result(doc: Document, path: Path, lang: str | None, year: int | None,
            named: bool = False) -> ImportResult:
    """The pipeline every format shares: blocks → lines → candidates → tasks."""
    lines = document_lines(doc)
    doc_lang = lang or language.detect(" ".join(line.text for line in lines))
    head = next((line for line in lines if _may_title(line, doc.lined, named)), None)
    title = head.text if head else path.stem
    state = scan(lines, lang, head.number if head else 0)
    found = _title_milestone(head, lang) + state.candidates
    choice = choose_year((title, head.number if head else 0), found, lang, year)
    ctx = Context(str(path), lang, doc_lang, choice, list_years(found, choice.year, lang))
    ctx.default_owners = _default_owners(lines, ctx)
    tasks, attention = build(found, ctx)
    timeline = ImportedTimeline(
        slug(title, 40) or slug(path.stem, 40) or "plan", title, doc_lang, choice.year,
        str(path), ctx.default_owners, ctx.roles, tasks)
    if timeline.recurring:  # how long they recur: the plan's years (DATES.md)
        timeline.period = plan_period(choice, tasks)
    notes = [Attention(str(path), s.line, (s.reason,), s.where) for s in state.skipped]
    notes += [Attention(str(path), 0, (why,), where) for where, why in doc.skipped]
    places = {line.number: line.where for line in lines if line.where is not None}
    return ImportResult(timeline, attention, choice, notes, doc.pages, doc.lined, places)


def plan_period(choice: YearChoice, tasks: list[ImportedTask]) -> str | None:
    """"2022-2024": the years of the title's period, else those the dated tasks cover (when
    more than one); None leaves the default (two years after the plan year)."""
    span = choice.period if choice.reason == "year_title" else None
    if span is not None and span.start and span.due:
        first, last = span.start.year, span.due.year
    else:
        years = [d.year for t in tasks if t.span.kind == "dated"
                 for d in (t.span.start, t.span.due) if d]
        first, last = (min(years), max(years)) if years else (0, 0)
        if first == last:
            return None
    return f"{first}-{last}" if first != last else str(first)


def _may_title(line: Line, lined: bool, named: bool) -> bool:
    """The title is the first text; in an office file, not a table row nor a sheet's name
    (unless each sheet is a timeline of its own)."""
    if line.blank or (not lined and line.tabbed):
        return False
    return named or not _sheet_name(line)


def _sheet_name(line: Line) -> bool:
    """A sheet's name heads its part of a workbook; the plan's title is the text under it."""
    return line.where is not None and line.where.message == AT_SHEET


def _title_milestone(head: Line | None, lang: str | None) -> list[Candidate]:
    """A title that dates a single day ('Rapportering pr. 15.02.2016') is itself a milestone."""
    hit = title_date(head.text, lang) if head else None
    if head is None or hit is None or not is_day(hit[1]):
        return []
    name = head.text.replace(hit[0], "").strip(" -–:,")
    name = name.removesuffix(" pr.").removesuffix(" per").strip(" -–:,")
    return [Candidate(head.number, name or head.text, "", hit[0], "title", where=head.where)]


def _default_owners(lines: list[Line], ctx: Context) -> list[str]:
    prose = "\n".join(line.text for line in lines if not line.tabbed)
    keys = []
    for label in document_owner(prose):
        key = slug(label, 60)
        if key:
            ctx.roles.setdefault(key, label)
            keys.append(key)
    return keys

