"""Where the command line prints: wrapped to a terminal, never wrapped anywhere else; long
JSON arrays streamed."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from rich.console import Console

# Wide enough that no record is ever wrapped when the output goes to a pipe or a file.
UNWRAPPED = 1_000_000


def make_console(stderr: bool = False) -> Console:
    """A console that wraps to a terminal's width, but writes one record per line to a pipe
    or a file (`fristvakt diff | grep` finds whole records)."""
    console = Console(stderr=stderr, highlight=False)
    if console.is_terminal:
        return console
    return Console(stderr=stderr, highlight=False, soft_wrap=True, width=UNWRAPPED)


def print_lines(console: Console, lines: Sequence[str],
                styles: Sequence[str | None] | None = None) -> None:
    """Each line as it is, in its style (`styles`, one per line) on a terminal; written plain
    to a pipe or a file (rich costs about 0.1 ms a line there: a country's 6,000 warnings
    took 0.6 s, and a morning's 10,000 reminders a second)."""
    if not console.is_terminal:
        console.file.write("".join(f"{line}\n" for line in lines))
        return
    for line, style in zip(lines, styles or [None] * len(lines), strict=True):
        console.print(line, style=style, markup=False, soft_wrap=True)


def _iso(value: Any) -> str:
    """Dates and instants in ISO 8601, as `common.json_text` writes them."""
    if isinstance(value, dt.date | dt.time):  # a datetime is a date
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


# Not indented, so the C encoder does the work (indenting falls back to the pure-Python one:
# about 100 µs a ledger row); the separators stay `": "` and `", "`, so a line reads as before
# (`"status": "due"` is still found by grep); no check for cycles, which costs a fifth of
# encoding a flat row.
_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False, default=_iso)
# Elements per write: large writes, but memory that does not grow with the array.
CHUNK = 1000


def write_json_array(elements: Iterable[Any]) -> None:
    """A JSON array on standard output, one element a line, encoded and written a chunk at a
    time: constant memory however many elements (a ledger of 800,000 rows)."""
    pending, opening = iter(elements), "[\n"
    while chunk := list(islice(pending, CHUNK)):
        sys.stdout.write(opening + ",\n".join(map(_ENCODER.encode, chunk)))
        opening = ",\n"
    sys.stdout.write("\n]\n" if opening == ",\n" else "[]\n")
