"""One reader per file format, each turning a file into a `Document` (see document.py).

`read_document(path, lang)` picks the reader by what the file is (its first bytes, then its
name), imports only that one, and turns every way a file can fail into one clear line that
names it: damaged, password-protected, an old binary Office format, a scan without text.
"""

from __future__ import annotations

import importlib
import io
import zipfile
from pathlib import Path

from timelines.base.exceptions import ImportFailed
from timelines.base.i18n import N_, _, translate
from timelines.importer.document import Document, join_tables

MAX_BYTES = 20_000_000  # a plan is a few pages; anything this large is not one
OLE = b"\xd0\xcf\x11\xe0"  # the container of .doc/.xls, and of password-protected .docx/.xlsx
BY_SUFFIX = {
    ".docx": "docx", ".docm": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".odt": "odf",
    ".ods": "odf", ".pdf": "pdf", ".html": "html", ".htm": "html", ".csv": "csv",
}
# What a zip holds tells what it is when its name does not.
ZIP_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "content.xml": "odf"}
KIND_NAMES = {"docx": "Word (.docx)", "xlsx": "Excel (.xlsx)", "odf": "OpenDocument",
              "pdf": "PDF", "html": "HTML", "csv": "CSV", "text": "text"}


class Refused(Exception):
    """A reader's way to say why it cannot read a file: a message (marked with N_, taking
    {path}) and its values."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.message, self.values = message, values


def read_document(path: Path, lang: str) -> Document:
    """The file's blocks; ImportFailed (one line, in `lang`, naming the file) when unreadable."""
    data = _read(path, lang)
    kind = _kind(path, data, lang)
    reader = importlib.import_module(f"timelines.importer.formats.{kind}")
    try:
        doc: Document = reader.read(data, path)
        doc.blocks = join_tables(doc.blocks)
        return doc
    except Refused as exc:
        raise ImportFailed(translate(lang, exc.message, path=path, **exc.values)) from None
    except ImportFailed:
        raise
    except Exception as exc:
        if _password(exc):
            raise ImportFailed(_(lang, "{path} is password-protected: save a copy without the "
                                       "password and import that; nothing written",
                                 path=path)) from None
        # Each library fails on a damaged file in its own way (zip, XML, PDF syntax errors,
        # KeyError for a missing part); to the coordinator they all say the same thing.
        raise ImportFailed(_damaged(path, kind, exc, lang)) from None


def _read(path: Path, lang: str) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ImportFailed(_(lang, "cannot read {path}: {error}", path=path,
                                 error=_(lang, "file too large")))
        return path.read_bytes()
    except OSError as exc:
        error = exc.strerror or exc
        raise ImportFailed(_(lang, "cannot read {path}: {error}", path=path, error=error)) from exc


def _kind(path: Path, data: bytes, lang: str) -> str:
    if data.startswith(OLE):
        raise ImportFailed(translate(lang, _ole_message(data), path=path))
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(path, data, lang)
    if data.startswith(b"%PDF-"):
        return "pdf"
    suffix = BY_SUFFIX.get(path.suffix.lower(), "text")
    if suffix in ("docx", "xlsx", "odf", "pdf"):  # named so, but not what the name says
        raise ImportFailed(_damaged(path, suffix, None, lang))
    head = data[:512].lstrip().lower()
    return "html" if head.startswith((b"<!doctype html", b"<html")) else suffix


def _ole_message(data: bytes) -> str:
    """An OLE file is an old .doc/.xls, or an encrypted (password-protected) .docx/.xlsx."""
    import msoffcrypto  # only here: it pulls in the cryptography package

    try:
        encrypted = msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted()
    except Exception:  # noqa: BLE001 - not even a readable OLE file: still not one we read
        encrypted = False
    if encrypted:
        return N_("{path} is password-protected: save a copy without the password and import "
                  "that; nothing written")
    return N_("{path} is an old binary Office file (.doc/.xls): save it as .docx or .xlsx (or "
              "save it as text, .txt) and import that; nothing written")


def _zip_kind(path: Path, data: bytes, lang: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            manifest = archive.read("META-INF/manifest.xml") if (
                "META-INF/manifest.xml" in names) else b""
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
        raise ImportFailed(_damaged(path, BY_SUFFIX.get(path.suffix.lower(), "docx"), exc,
                                    lang)) from None
    if b"encryption-data" in manifest:
        raise ImportFailed(_(lang, "{path} is password-protected: save a copy without the password "
                                   "and import that; nothing written", path=path))
    kind = next((k for part, k in ZIP_PARTS.items() if part in names), None)
    if kind is None:
        raise ImportFailed(_damaged(path, BY_SUFFIX.get(path.suffix.lower(), "docx"), None, lang))
    return kind


def _password(exc: BaseException | None) -> bool:
    """pdfminer says a PDF wants a password by the type of the error it wraps."""
    while exc is not None:
        if "password" in type(exc).__name__.lower() or "password" in str(exc).lower():
            return True
        exc = exc.__cause__ or exc.__context__ or next(
            (a for a in getattr(exc, "args", ()) if isinstance(a, BaseException)), None)
    return False


def _damaged(path: Path, kind: str, exc: Exception | None, lang: str) -> str:
    detail = str(exc).splitlines()[0][:120] if exc is not None and str(exc) else ""
    return _(lang, "{path} cannot be read as {kind}{detail}: the file is damaged or not what its "
                   "name says; open it and save it again, or save it as text (.txt) and import "
                   "that", path=path, kind=KIND_NAMES.get(kind, kind),
               detail=" (" + detail + ")" if detail else "")
