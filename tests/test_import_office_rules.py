"""What the office formats know better than text, each rule on a file built here with
python-docx or openpyxl (and the committed multi-page PDF): headings, merged cells, date
cells, strikethrough, comments, hidden rows/columns/sheets, formulas, sheets as sections."""

from __future__ import annotations

import datetime as dt
import io
import tomllib
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import Font

from scheduler.cli import main
from timelines.base.i18n import _
from timelines.importer import ImportResult, import_document, import_sheets
from timelines.importer.writer import render

D = dt.date
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "office"


def word(tmp_path: Path, build, name: str = "plan.docx") -> ImportResult:  # type: ignore[no-untyped-def]
    document = docx.Document()
    build(document)
    document.save(tmp_path / name)
    return import_document(tmp_path / name)


def excel(tmp_path: Path, build, name: str = "plan.xlsx") -> Path:  # type: ignore[no-untyped-def]
    book = openpyxl.Workbook()
    build(book)
    book.save(tmp_path / name)
    return tmp_path / name


def table(document, rows: list[list[str]]):  # type: ignore[no-untyped-def]
    grid = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    return grid


def by_title(result: ImportResult) -> dict[str, object]:
    return {t.title: t for t in result.timeline.tasks}


# Word ---------------------------------------------------------------------------------------
def test_word_heading_styles_are_sections(tmp_path: Path) -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_heading("Handlingsplan 2024", level=0)
        document.add_heading("Samferdsel og infrastruktur i regionen", level=1)
        table(document, [["Tiltak", "Frist"], ["Utrede ny bussrute", "1. mars"]])
        document.add_heading("Kultur", level=1)
        table(document, [["Tiltak", "Frist"], ["Konsert", "1. juni"]])
    result = word(tmp_path, build)
    assert [(t.title, t.section, t.due) for t in result.timeline.tasks] == [
        ("Utrede ny bussrute", "Samferdsel og infrastruktur i regionen", D(2024, 3, 1)),
        ("Konsert", "Kultur", D(2024, 6, 1)),
    ]


def test_word_merged_title_row_vertical_and_header_merges(tmp_path: Path) -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_paragraph("Handlingsplan 2024")
        grid = table(document, [
            ["Næringsutvikling", "", "", ""],
            ["Tiltak", "Frist", "Ansvar", ""],
            ["Kartlegge næringsareal", "1. mars", "Regionrådet", "AU"],
            ["Starte gründerkurs", "1. april", "", "AU"],
            ["Lage næringsplan", "1. mai", "", ""],
        ])
        grid.cell(0, 0).merge(grid.cell(0, 3)).text = "Næringsutvikling"  # a title row
        grid.cell(1, 2).merge(grid.cell(1, 3)).text = "Ansvar"  # one column over two
        grid.cell(2, 2).merge(grid.cell(4, 2)).text = "Regionrådet"  # down three rows
    tasks = word(tmp_path, build).timeline.tasks
    assert [t.section for t in tasks] == ["Næringsutvikling"] * 3
    assert [t.owners for t in tasks] == [["regionradet", "au"], ["regionradet", "au"],
                                         ["regionradet"]]
    assert [t.place("en") for t in tasks] == ["table 1, row 3", "table 1, row 4",
                                              "table 1, row 5"]


def test_word_strikethrough_cancels_and_a_comment_is_a_note(tmp_path: Path) -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_paragraph("Handlingsplan 2024")
        grid = table(document, [["Tiltak", "Frist"], ["Ny nettside", "1. mars"],
                                ["Avlyst messe", "1. april"]])
        grid.cell(2, 0).paragraphs[0].runs[0].font.strike = True
        run = grid.cell(1, 0).paragraphs[0].runs[0]
        document.add_comment(run, text="Budsjett avklares i styret", author="Kari")
    result = word(tmp_path, build)
    tasks = by_title(result)
    cancelled, kept = tasks["Avlyst messe"], tasks["Ny nettside"]
    assert cancelled.status == "cancelled"  # type: ignore[attr-defined]
    assert _("nb", "struck through in the document: read as cancelled") in cancelled.attention  # type: ignore[attr-defined]
    assert "table 1, row 3" in [a.place("en") for a in result.attention]
    assert kept.status == "planned"  # type: ignore[attr-defined]
    assert "Budsjett avklares i styret" in kept.notes  # type: ignore[attr-defined]


def test_word_locator_is_written_instead_of_a_line(tmp_path: Path) -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_paragraph("Handlingsplan 2024")
        table(document, [["Tiltak", "Frist"], ["Ny nettside", "1. mars"]])
    text = render(word(tmp_path, build))
    assert "# tabell 1, rad 2" in text  # the plan is Norwegian: so are its comments
    (task,) = tomllib.loads(text)["task"]
    assert "line" not in task


# Excel --------------------------------------------------------------------------------------
def _dates(book) -> None:  # type: ignore[no-untyped-def]
    sheet = book.active
    sheet.title = "Ark1"
    sheet.append(["Handlingsplan 2024"])
    sheet.append(["Tiltak", "Frist", "Ansvar"])
    sheet.append(["Budsjettmøte", dt.datetime(2024, 10, 15), "Rådmann"])
    sheet.append(["Årsmelding", dt.datetime(2025, 2, 1), "AU"])
    sheet["B3"].number_format = "dd.mm.yyyy"
    sheet["B4"].number_format = "d/m"  # the year is only in the cell's value


def test_excel_date_cells_are_exact_dates_and_keep_their_text(tmp_path: Path) -> None:
    result = import_document(excel(tmp_path, _dates))
    assert [(t.when, t.start, t.due, t.place("en")) for t in result.timeline.tasks] == [
        ("15.10.2024", D(2024, 10, 15), D(2024, 10, 15), "Ark1!A3"),
        ("1/2", D(2025, 2, 1), D(2025, 2, 1), "Ark1!A4"),
    ]
    (first, second) = tomllib.loads(render(result))["task"]
    assert (second["start"], second["due"]) == (D(2025, 2, 1), D(2025, 2, 1))


def test_excel_strikethrough_comment_and_cached_formula(tmp_path: Path) -> None:
    def build(book) -> None:  # type: ignore[no-untyped-def]
        sheet = book.active
        sheet.append(["Handlingsplan 2024"])
        sheet.append(["Tiltak", "Frist", "Ansvar"])
        sheet.append(["Kurs for ledere", "1. mars", "AU"])
        sheet.append(["Studietur", "1. mai", "AU"])
        sheet.append(["Rapport", "=B3", "AU"])  # the due date is a formula
        sheet["A4"].font = Font(strike=True)
        sheet["A3"].comment = Comment("Flyttet fra i fjor", "Kari")
    path = excel(tmp_path, build)
    _cache(path, "B5", "1. juni")  # what Excel stores beside the formula when it saves
    tasks = by_title(import_document(path))
    assert tasks["Studietur"].status == "cancelled"  # type: ignore[attr-defined]
    assert "Flyttet fra i fjor" in tasks["Kurs for ledere"].notes  # type: ignore[attr-defined]
    assert tasks["Rapport"].due == D(2024, 6, 1)  # type: ignore[attr-defined]


def _cache(path: Path, cell: str, value: str) -> None:
    """Give a formula cell the cached result openpyxl cannot write (Excel does)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace(f'<c r="{cell}">', f'<c r="{cell}" t="str">', 1)
    start = sheet.index(f'<c r="{cell}"')
    sheet = sheet[:start] + sheet[start:].replace("<v></v>", f"<v>{value}</v>", 1)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _hidden(book) -> None:  # type: ignore[no-untyped-def]
    first = book.active
    first.title = "Kultur"
    for row in (["Tiltak", "Frist", "Internt"], ["Konsert", "1. juni 2024", "x"],
                ["Utkast", "1. juli 2024", "y"]):
        first.append(row)
    first.row_dimensions[3].hidden = True
    first.column_dimensions["C"].hidden = True
    second = book.create_sheet("Næring")
    for row in (["Tiltak", "Frist"], ["Messe", "1. mai 2024"]):
        second.append(row)
    secret = book.create_sheet("Gammelt")
    for row in (["Tiltak", "Frist"], ["Skjult tiltak", "1. mai 2024"]):
        secret.append(row)
    secret.sheet_state = "hidden"


def test_excel_hidden_rows_columns_sheets_are_skipped_and_reported(tmp_path: Path) -> None:
    result = import_document(excel(tmp_path, _hidden))
    assert [(t.title, t.section) for t in result.timeline.tasks] == [
        ("Konsert", "Kultur"), ("Messe", "Næring")]  # each visible sheet a section
    assert "Internt: x" not in result.timeline.tasks[0].notes
    reported = {(n.place("en"), n.reason("en")) for n in result.notes}
    assert reported == {
        ("Kultur!A3", _("en", "hidden row {row} skipped", row=3)),
        ("Kultur!C1", _("en", "hidden column {column} skipped", column="C")),
        ("sheet Gammelt", _("en", "hidden sheet '{sheet}' skipped", sheet="Gammelt")),
    }


def test_split_sheets_gives_a_timeline_per_visible_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = excel(tmp_path, _hidden)
    assert [[t.title for t in r.timeline.tasks] for r in import_sheets(path)] == [
        ["Konsert"], ["Messe"]]
    assert main(["import", str(path), "--split-sheets", "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").glob("*.toml")) == [
        "kultur.toml", "naering.toml"]


def test_json_names_cells_instead_of_lines(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    import json

    path = excel(tmp_path, _hidden)
    capsys.readouterr()
    assert main(["import", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [t["where"] for t in data["timelines"][0]["tasks"]] == ["Kultur!A2", "Næring!A2"]
    assert {a["where"] for a in data["attention"]} >= {"Kultur!A3", "sheet Gammelt"}
    assert not list(tmp_path.glob("**/*.toml"))


# PDF ----------------------------------------------------------------------------------------
def test_pdf_table_over_three_pages_is_one_table_with_one_header() -> None:
    result = import_document(FIXTURES / "multipage.pdf")
    tasks = result.timeline.tasks
    assert [t.title for t in tasks] == [f"Tiltak nummer {n}" for n in range(1, 91)]
    assert tasks[-1].due == D(2024, 1, 1) + dt.timedelta(days=270)
    assert tasks[0].place("en") == "page 1, table 1, row 2"
    assert {t.place("en").split(",")[0] for t in tasks} == {"page 1", "page 2", "page 3"}
    assert result.notes == []  # no header row left over as a headless table


# HTML and CSV -------------------------------------------------------------------------------
def test_html_with_a_real_parser(tmp_path: Path) -> None:
    (tmp_path / "plan.html").write_text(
        "<html><body><h1>Handlingsplan 2024</h1><h2>Kultur</h2><table>"
        "<tr><th>Tiltak</th><th colspan=2>Ansvar</th><th>Frist</th></tr>"
        "<tr><td>Konsert &amp; fest</td><td>AU</td><td></td><td>1. juni</td></tr>"
        "<tr><td><s>Avlyst festival</s></td><td>AU</td><td></td><td>1. juli</td></tr>"
        "</table></body></html>", encoding="utf-8")
    tasks = import_document(tmp_path / "plan.html").timeline.tasks
    assert [(t.title, t.section, t.owners, t.due, t.status) for t in tasks] == [
        ("Konsert & fest", "Kultur", ["au"], D(2024, 6, 1), "planned"),
        ("Avlyst festival", "Kultur", ["au"], D(2024, 7, 1), "cancelled"),
    ]


def test_csv_with_semicolons(tmp_path: Path) -> None:
    (tmp_path / "plan.csv").write_text(
        "Handlingsplan 2024;;\nTiltak;Frist;Ansvar\n\"Møte; med rådet\";1. mars;AU\n",
        encoding="utf-8")
    (task,) = import_document(tmp_path / "plan.csv").timeline.tasks
    assert (task.title, task.due, task.owners, task.place("en")) == (
        "Møte; med rådet", D(2024, 3, 1), ["au"], "row 3")


def test_a_created_workbook_bytes_roundtrip(tmp_path: Path) -> None:
    """openpyxl reads what it wrote to memory the same as from disk (no temp files needed)."""
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    _dates(book)
    book.save(buffer)
    (tmp_path / "mem.xlsx").write_bytes(buffer.getvalue())
    assert len(import_document(tmp_path / "mem.xlsx").timeline.tasks) == 2
