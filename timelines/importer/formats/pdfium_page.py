"""A PDF page's characters and ruling lines read by PDFium (pypdfium2), as pdfplumber's dicts.

pdfplumber reads a page through pdfminer, in pure Python: about 200 ms for a page of a plan,
most of an import. PDFium (pypdfium2, which pdfplumber already depends on) reads the same
characters and paths in a few milliseconds. The dicts returned here carry the keys
pdfplumber's text and table functions use, with pdfminer's geometry: a character's box is its
advance wide and its font size high, standing on the baseline lowered by the descent the font
declares; a path's edges join its points. So the reader sees what pdfplumber would show it.
Only plain pages are read so (not turned by /Rotate, media box at the origin, which is how
word processors write them); the reader falls back to pdfplumber for any other.
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
Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_FORM_DEPTH = 15  # forms inside forms: as deep as PDFium itself goes
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
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium.FPDFText_GetCharOrigin(text_page, index, x, y)
    size = pdfium.FPDFText_GetFontSize(text_page, index)  # before the text's scaling
    font = pdfium.FPDFTextObj_GetFont(pdfium.FPDFText_GetTextObject(text_page, index))
    advance = ctypes.c_float()
    pdfium.FPDFFont_GetGlyphWidth(font, ord(text), ctypes.c_float(size), advance)
    low = descents.of(font) * size
    a, b, c, d = _scaling(text_page, index)
    corners = [(a * u + c * v, b * u + d * v)
               for u in (0.0, advance.value) for v in (low, low + size)]
    xs, ys = [x.value + p[0] for p in corners], [y.value + p[1] for p in corners]
    return {"object_type": "char", "text": text, "x0": min(xs), "x1": max(xs),
            "top": page.height - max(ys), "bottom": page.height - min(ys),
            "doctop": page.initial_doctop + page.height - max(ys),
            "width": max(xs) - min(xs), "height": max(ys) - min(ys),
            "upright": a * d > 0 and b * c <= 0,  # pdfminer's test: not turned, not mirrored
            "page_number": page.page_number}


def _scaling(text_page: Any, index: int) -> tuple[float, float, float, float]:
    """How the character's text space is turned and scaled on the page (horizontal scaling
    and the transformations it is drawn under included)."""
    matrix = pdfium.FS_MATRIX()
    pdfium.FPDFText_GetMatrix(text_page, index, matrix)
    return matrix.a, matrix.b, matrix.c, matrix.d


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
        self._specs: dict[bytes, Any] = {}
        self._seen: set[int] = set()
        self._gather(page.page_obj.resources)
        self._by_handle: dict[int | None, float] = {}

    def _gather(self, resources: Any) -> None:
        """The fonts of the page and of the forms it draws, by name (each form once)."""
        resources = resolve1(resources) or {}
        if id(resources) in self._seen:
            return
        self._seen.add(id(resources))
        for ref in (resolve1(resources.get("Font")) or {}).values():
            self._specs.setdefault(_name(resolve1(ref)), ref)
        for ref in (resolve1(resources.get("XObject")) or {}).values():
            attrs = getattr(resolve1(ref), "attrs", {})
            if "Resources" in attrs:
                self._gather(attrs["Resources"])

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
    """Every straight piece of every path drawn on the page (table rules, cell borders),
    also inside forms (content a tool wrapped up whole, to stamp or impose a page)."""
    found: list[Obj] = []
    _paths(page, pdfium_page, None, IDENTITY, found)
    return found


def _paths(page: Any, pdfium_page: pypdfium2.PdfPage, form: Any, outer: Matrix,
           found: list[Obj], depth: int = 0) -> None:
    for obj in pdfium_page.get_objects(max_depth=1, form=form):
        matrix = _then(_matrix(obj.raw), outer)
        if obj.type == pdfium.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
            _paths(page, pdfium_page, obj, matrix, found, depth + 1)
        elif obj.type == pdfium.FPDF_PAGEOBJ_PATH:
            found.extend(_edge(page, start, end) for start, end in _pieces(obj.raw, matrix))


def _matrix(obj: Any) -> Matrix:
    matrix = pdfium.FS_MATRIX()
    pdfium.FPDFPageObj_GetMatrix(obj, matrix)
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


def _then(first: Matrix, second: Matrix) -> Matrix:
    """The transformation `first`, then `second` (PDF's row-vector convention)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = second
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _pieces(path: Any, matrix: Matrix) -> list[tuple[Point, Point]]:
    """The path's points joined in order, each closed figure back to where it began."""
    a, b, c, d, e, f = matrix
    pieces: list[tuple[Point, Point]] = []
    begin: Point | None = None
    last: Point | None = None
    for index in range(pdfium.FPDFPath_CountSegments(path)):
        segment = pdfium.FPDFPath_GetPathSegment(path, index)
        x, y = ctypes.c_float(), ctypes.c_float()
        pdfium.FPDFPathSegment_GetPoint(segment, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
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
