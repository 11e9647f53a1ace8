"""Reading a text file a person saved: the encodings editors really write, told apart."""

from __future__ import annotations

import codecs
from pathlib import Path


class NotUtf8(ValueError):
    """A file that is not UTF-8; `guess` names the encoding it looks like."""

    def __init__(self, guess: str) -> None:
        super().__init__(guess)
        self.guess = guess


def read_toml_text(path: Path, raw: bytes | None = None) -> str:
    """A TOML file's text (from `raw`, its bytes already read, when given). A UTF-8
    byte-order mark (Windows editors write one) is dropped; anything that is not UTF-8 is
    NotUtf8, with a guess at what it is."""
    raw = path.read_bytes() if raw is None else raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotUtf8(_guess_encoding(raw)) from None


def _guess_encoding(raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in raw[:200]:
        return "UTF-16"
    return "Latin-1/Windows-1252"
