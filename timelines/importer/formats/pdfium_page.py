"""A PDF page's characters and ruling lines read by PDFium (pypdfium2), as pdfplumber's dicts.

pdfplumber reads a page through pdfminer, in pure Python: about 200 ms for a page of a plan,
most of an import. PDFium (pypdfium2, which pdfplumber already depends on) reads the same
characters and paths in a few milliseconds. The dicts returned here carry the keys
pdfplumber's text and table functions use, with pdfminer's geometry: a character's box is its
advance wide and its font size high, standing on the baseline lowered by the descent the font
declares; a path's edges join its points. So the reader sees what pdfplumber would show it.
Only plain pages are read so (no rotation, media box at the origin, which is how word
processors write them); the reader falls back to pdfplumber for any other.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium
from pdfminer.pdffont import PDFFont
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdftypes import resolve1

Obj = dict[str, Any]
GENERATED_HYPHEN = "\x02"  # PDFium's mark for a hyphen that ends a line: the PDF has '-'


def plain(page: Any, pdfium_page: pypdfium2.PdfPage) -> bool:
    """Does PDFium's page space match pdfplumber's, so that its boxes can stand in?"""
    width, height = pdfium_page.get_size()
    return (pdfium_page.get_rotation() == 0 and tuple(page.mediabox[:2]) == (0, 0)
            and abs(page.width - width) < 0.01 and abs(page.height - height) < 0.01)


def chars(page: Any, pdfium_page: pypdfium2.PdfPage, fonts: Fonts) -> list[Obj]:
    """The page's characters, in the order PDFium reads them (pdfplumber sorts them)."""
    text_page = pdfium_page.get_textpage()
    try:
        descents = fonts.on(page)
        count = pdfium.FPDFText_CountChars(text_page.raw)
        found = (_char(text_page.raw, index, page, descents) for index in range(count))
        return [char for char in found if char is not None]
    finally:
        text_page.close()


def _char(text_page: Any, index: int, page: Any, descents: _Descents) -> Obj | None:
    """One character; None for the spaces and line ends PDFium adds that the PDF lacks."""
    if pdfium.FPDFText_IsGenerated(text_page, index):
        return None
    text = chr(pdfium.FPDFText_GetUnicode(text_page, index)).replace(GENERATED_HYPHEN, "-")
    if not _upright(text_page, index):
        return _turned(text_page, index, page, text)
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium.FPDFText_GetCharOrigin(text_page, index, x, y)
    size = pdfium.FPDFText_GetFontSize(text_page, index)
    font = pdfium.FPDFTextObj_GetFont(pdfium.FPDFText_GetTextObject(text_page, index))
    advance = ctypes.c_float()
    pdfium.FPDFFont_GetGlyphWidth(font, ord(text), ctypes.c_float(size), advance)
    bottom = page.height - y.value - descents.of(font) * size
    return _box(page, text, (x.value, bottom - size, x.value + advance.value, bottom), True)


def _upright(text_page: Any, index: int) -> bool:
    """pdfminer's test: the text is neither turned nor mirrored."""
    matrix = pdfium.FS_MATRIX()
    pdfium.FPDFText_GetMatrix(text_page, index, matrix)
    return matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0 and matrix.b == 0


def _turned(text_page: Any, index: int, page: Any, text: str) -> Obj:
    """Turned text has no advance along the line: PDFium's box around the glyph is used."""
    rect = pdfium.FS_RECTF()
    pdfium.FPDFText_GetLooseCharBox(text_page, index, rect)
    return _box(page, text, (rect.left, page.height - rect.top, rect.right,
                             page.height - rect.bottom), upright=False)


def _box(page: Any, text: str, box: tuple[float, float, float, float], upright: bool) -> Obj:
    x0, top, x1, bottom = box
    return {"object_type": "char", "text": text, "x0": x0, "x1": x1, "top": top,
            "bottom": bottom, "doctop": page.initial_doctop + top, "width": x1 - x0,
            "height": bottom - top, "upright": upright, "page_number": page.page_number}


class Fonts:
    """pdfminer's descent of each font (its declared /Descent, or the standard font's metric),
    which PDFium does not give (it measures the glyphs' bounding box instead). Each font is
    read once for the whole document, and only if a character uses it."""

    def __init__(self) -> None:
        self._manager = PDFResourceManager()  # keeps every font it has read, by object id

    def on(self, page: Any) -> _Descents:
        return _Descents(self._manager, page)


class _Descents:
    """The descents of the fonts one page's characters use."""

    def __init__(self, manager: PDFResourceManager, page: Any) -> None:
        self._manager = manager
        fonts = resolve1(resolve1(page.page_obj.resources or {}).get("Font")) or {}
        self._specs = {_name(resolve1(ref)): ref for ref in fonts.values()}
        self._by_handle: dict[int | None, float] = {}

    def of(self, font: Any) -> float:
        """The descent in text space (a fraction of the font size; zero or below)."""
        key = ctypes.cast(font, ctypes.c_void_p).value
        if key not in self._by_handle:
            name = ctypes.create_string_buffer(256)
            pdfium.FPDFFont_GetBaseFontName(font, name, len(name))
            self._by_handle[key] = self._descent(self._specs.get(name.value))
        return self._by_handle[key]

    def _descent(self, ref: Any) -> float:
        if ref is None:  # a font PDFium found elsewhere (inside a form): none declared
            return 0.0
        font: PDFFont = self._manager.get_font(getattr(ref, "objid", None), resolve1(ref))
        return font.get_descent()


def _name(spec: Any) -> bytes:
    name = resolve1(spec.get("BaseFont")) if isinstance(spec, dict) else None
    return getattr(name, "name", str(name)).encode()


def edges(page: Any, pdfium_page: pypdfium2.PdfPage) -> list[Obj]:
    """Every straight piece of every path drawn on the page (table rules, cell borders)."""
    found: list[Obj] = []
    for path in pdfium_page.get_objects(filter=[pdfium.FPDF_PAGEOBJ_PATH]):
        for start, end in _pieces(path.raw):
            found.append(_edge(page, start, end))
    return found


def _pieces(path: Any) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The path's points joined in order, each closed figure back to where it began."""
    matrix = pdfium.FS_MATRIX()
    pdfium.FPDFPageObj_GetMatrix(path, matrix)
    pieces, begin, last = [], None, None
    for index in range(pdfium.FPDFPath_CountSegments(path)):
        segment = pdfium.FPDFPath_GetPathSegment(path, index)
        x, y = ctypes.c_float(), ctypes.c_float()
        pdfium.FPDFPathSegment_GetPoint(segment, x, y)
        point = (matrix.a * x.value + matrix.c * y.value + matrix.e,
                 matrix.b * x.value + matrix.d * y.value + matrix.f)
        if pdfium.FPDFPathSegment_GetType(segment) == pdfium.FPDF_SEGMENT_MOVETO:
            begin = point
        elif last is not None:
            pieces.append((last, point))
        last = point
        if pdfium.FPDFPathSegment_GetClose(segment) and begin is not None and begin != point:
            pieces.append((point, begin))
            last = begin
    return pieces


def _edge(page: Any, start: tuple[float, float], end: tuple[float, float]) -> Obj:
    """An edge as pdfplumber makes one of a line: 'h' or 'v' when it runs so, else None."""
    (ax, ay), (bx, by) = start, end
    top, bottom = page.height - max(ay, by), page.height - min(ay, by)
    orientation = "h" if ay == by else "v" if ax == bx else None
    return {"object_type": "line_edge", "x0": min(ax, bx), "x1": max(ax, bx), "top": top,
            "bottom": bottom, "doctop": page.initial_doctop + top, "width": abs(ax - bx),
            "height": bottom - top, "orientation": orientation,
            "page_number": page.page_number}
