"""PDF pages are read by PDFium, for speed; what it reads must be what pdfplumber's own parse
(pdfminer) reads: the same characters in the same boxes, the same ruled tables, and so the same
tasks, also where a tool wrapped the pages in forms or moved the media box."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2
import pypdfium2.raw as pdfium
import pytest
from conftest import PLANS

from timelines.importer import import_document
from timelines.importer.formats import pdfium_page
from timelines.importer.formats.pdf import tables

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "office"
# The seeds as LibreOffice wrote them (fonts that declare no descent) and a PDF in Helvetica
# without a font descriptor (pdfminer takes the standard font's descent).
PDFS = [*sorted((PLANS / "office").glob("*.pdf")), FIXTURES / "multipage.pdf"]


def same_characters(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> bool:
    """The same characters in the same boxes (to float precision), but for spaces: PDFium
    drops the space after a hyphen that ends a line, which is stripped from the line anyway."""
    def by_text(chars: list[dict[str, Any]]) -> dict[str, list[tuple[float, ...]]]:
        found: dict[str, list[tuple[float, ...]]] = {}
        for c in chars:
            found.setdefault(c["text"], []).append(
                (c["top"], c["x0"], c["x1"], c["bottom"], c["upright"]))
        return {text: sorted(boxes) for text, boxes in found.items()}

    def near(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        return all(abs(x - y) < 0.01 for x, y in zip(a, b, strict=True))

    mine, plumbers = by_text(ours), by_text(theirs)
    spaces: dict[int, list[tuple[float, ...]]] = {}
    for box in plumbers.pop(" ", []):
        spaces.setdefault(round(box[0]), []).append(box)
    return all(any(near(box, space) for line in (-1, 0, 1)
                   for space in spaces.get(round(box[0]) + line, []))
               for box in mine.pop(" ", [])) and mine.keys() == plumbers.keys() and all(
        len(mine[t]) == len(plumbers[t]) and all(map(near, mine[t], plumbers[t])) for t in mine)


def same_tables(ours: list[Any], theirs: list[Any]) -> bool:
    """The same tables of the same cells (to float precision: PDFium reads points as floats
    of 32 bits)."""
    mine = [v for table in ours for cell in table.cells for v in cell]
    plumbers = [v for table in theirs for cell in table.cells for v in cell]
    return [len(t.cells) for t in ours] == [len(t.cells) for t in theirs] and all(
        abs(a - b) < 0.01 for a, b in zip(mine, plumbers, strict=True))


@contextmanager
def pages(path: Path) -> Iterator[list[tuple[Any, pypdfium2.PdfPage]]]:
    """Each page as pdfplumber and as PDFium open it."""
    with pdfplumber.open(path) as plumber:
        fast = pypdfium2.PdfDocument(path)
        try:
            yield list(zip(plumber.pages, fast, strict=True))
        finally:
            fast.close()


def read_alike(path: Path) -> None:
    """Page by page, PDFium and pdfplumber read the same characters and tables."""
    fonts = pdfium_page.Fonts()
    with pages(path) as both:
        for page, fast in both:
            assert pdfium_page.plain(page, fast)
            chars = pdfium_page.chars(page, fast, fonts)
            assert chars and same_characters(chars, page.chars)
            ours = tables(page, pdfium_page.edges(page, fast))
            assert same_tables(ours, page.find_tables())


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name[:9])
def test_pdfium_reads_the_characters_and_tables_pdfplumber_reads(path: Path) -> None:
    read_alike(path)


def test_the_seeds_have_ruled_tables_to_compare() -> None:
    with pages(PDFS[1]) as both:
        assert all(page.find_tables() for page, _ in both)


def placed_tasks(path: Path) -> list[tuple[object, ...]]:
    return [(t.id, t.title, t.section, t.when, t.start, t.due, tuple(t.owners), t.status,
             t.place("en")) for t in import_document(path).timeline.tasks]


def wrapped_in_forms(path: Path, out: Path) -> Path:
    """Each page's content made a form, drawn moved on a larger page (as stamping and N-up
    tools do): PDFium must carry the form's placement to the paths inside it."""
    source, wrapped = pypdfium2.PdfDocument(path), pypdfium2.PdfDocument.new()
    for index, page in enumerate(source):
        width, height = page.get_size()
        form = source.page_as_xobject(index, wrapped).as_pageobject()
        form.transform(pypdfium2.PdfMatrix().translate(7, 11))
        new_page = wrapped.new_page(width + 7, height + 11)
        new_page.insert_obj(form)
        new_page.gen_content()
    wrapped.save(out)
    wrapped.close()
    source.close()
    return out


def media_box_moved(path: Path, out: Path) -> Path:
    """The same pages with a media box that does not start at the origin."""
    document = pypdfium2.PdfDocument(path)
    for page in document:
        width, height = page.get_size()
        page.set_mediabox(-20, -30, width - 20, height - 30)
    document.save(out)
    document.close()
    return out


@pytest.mark.parametrize("path", [PLANS / "office" / "001_adcdbb47c9001c35.pdf",
                                  FIXTURES / "multipage.pdf"], ids=lambda p: p.name[:9])
def test_pages_wrapped_in_forms_give_the_same_tasks(path: Path, tmp_path: Path) -> None:
    wrapped = wrapped_in_forms(path, tmp_path / path.name)
    with pages(wrapped) as both:
        assert next(both[0][1].get_objects()).type == pdfium.FPDF_PAGEOBJ_FORM
    read_alike(wrapped)
    assert placed_tasks(wrapped) == placed_tasks(path) != []


@pytest.mark.parametrize("path", [PLANS / "office" / "001_adcdbb47c9001c35.pdf",
                                  FIXTURES / "multipage.pdf"], ids=lambda p: p.name[:9])
def test_a_media_box_off_the_origin_gives_the_same_tasks(path: Path, tmp_path: Path) -> None:
    moved = media_box_moved(path, tmp_path / path.name)
    with pages(moved) as both:
        assert not any(pdfium_page.plain(*pair) for pair in both)  # pdfplumber reads these
    assert placed_tasks(moved) == placed_tasks(path) != []


WORDS = "Tiltak — 2024-2025 ÆØÅ"


def text_in_every_direction(out: Path) -> Path:
    """A page of text set plainly, drawn at half scale, squeezed, turned either way and upside
    down."""
    document = pypdfium2.PdfDocument.new()
    page = document.new_page(400, 400)
    placements = [(1, 0, 0, 1, 40, 360), (0.5, 0, 0, 0.5, 40, 320), (0.8, 0, 0, 1, 40, 280),
                  (0, 1, -1, 0, 300, 40), (0, -1, 1, 0, 340, 240), (-1, 0, 0, -1, 240, 120)]
    for size, matrix in zip((12, 24, 12, 11, 10, 12), placements, strict=True):
        text = pdfium.FPDFPageObj_NewTextObj(document.raw, b"Helvetica", size)
        words = ctypes.create_string_buffer(f"{WORDS}\0".encode("utf-16-le"))
        pdfium.FPDFText_SetText(text, ctypes.cast(words, pdfium.FPDF_WIDESTRING))
        pdfium.FPDFPageObj_Transform(text, *matrix)
        pdfium.FPDFPage_InsertObject(page.raw, text)
    page.gen_content()
    document.save(out)
    document.close()
    return out


def test_text_turned_or_scaled_is_boxed_as_pdfplumber_boxes_it(tmp_path: Path) -> None:
    path = text_in_every_direction(tmp_path / "turned.pdf")
    with pages(path) as ((page, fast),):
        chars = pdfium_page.chars(page, fast, pdfium_page.Fonts())
        theirs = page.chars
    assert {c["upright"] for c in chars} == {True, False}
    assert "".join(c["text"] for c in chars) == WORDS * 6
    assert same_characters(chars, theirs)
