"""Find the line of a key path in a TOML text, so errors can name it.

tomllib gives values without positions; this maps a pydantic-style location such as
``("task", 2, "due")`` back to the line a coordinator would look at.

>>> text = 'a = 1\\n[[task]]\\nid = "x"\\n[[task]]\\nid = "y"\\ndue = 3\\n'
>>> locate(text, ("task", 1, "due"))
6
>>> locate(text, ("task", 0))
2
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")

Path = tuple[str | int, ...]


# `_HEADER` over a file's lines joined by "\n", each line with the break before it (a pattern
# that begins with a literal is searched for by that character): blanks are any whitespace
# but that break, so a match is of one line, as `_HEADER` of that line alone.
_HEADERS = re.compile(r"\n[^\S\n]*(\[\[?)[^\S\n]*([^\]\n]+?)[^\S\n]*\]\]?[^\S\n]*(#.*)?$",
                      re.MULTILINE)


def _table_paths(lines: Sequence[str]) -> list[tuple[Path, int]]:
    """Every table header as (path, 1-based line); array tables get their index. Found by one
    search over the file, not a pattern per line (a country's 1,000 files hold about a
    million lines); the lines are those of `splitlines`, so joined by "\n" their numbers are
    counted by it."""
    counts: dict[str, int] = {}
    found: list[tuple[Path, int]] = []
    joined = "\n" + "\n".join(lines)
    number, at = 0, 0
    for match in _HEADERS.finditer(joined):
        number += joined.count("\n", at, match.start() + 1)
        at = match.start() + 1
        name = match.group(2)
        parts = list(_parts(name))
        if match.group(1) == "[[":
            counts[name] = counts.get(name, -1) + 1
            parts.append(counts[name])
        elif str(parts[0]) in counts:  # `[task.occurrence."2025"]`: of the last `[[task]]`
            parts.insert(1, counts[str(parts[0])])
        found.append((tuple(parts), number))
    return found


@lru_cache(maxsize=256)
def _parts(name: str) -> tuple[str | int, ...]:
    """A header's dotted name as its keys: once per name (a file repeats `task` a hundred
    times)."""
    return tuple(p.strip().strip("\"'") for p in name.split("."))


def _key_line(lines: Sequence[str], first: int, key: str) -> int | None:
    """Line of `key = ...` in the table that starts after line `first` (1-based)."""
    for number in range(first + 1, len(lines) + 1):
        line = lines[number - 1]
        if _HEADER.match(line):
            return None
        match = _KEY.match(line)
        if match and match.group(1).strip("\"'").split(".")[0] == key:
            return number
    return None


@lru_cache(maxsize=4)
def _tables(text: str) -> tuple[list[str], dict[Path, int]]:
    # A file's warnings are located one after the other: its tables are found once, and kept
    # by path so that each lookup is a few dictionary probes, not a pass over every table.
    lines = text.splitlines()
    tables: dict[Path, int] = {(): 0}
    for table, number in _table_paths(lines):
        tables.setdefault(table, number)  # a table declared twice: its first line
    return lines, tables


def locate(text: str, path: Path) -> int | None:
    """The line of `path` in `text`, or of its nearest enclosing table; None if unknown."""
    lines, tables = _tables(text)
    path = tuple(path)
    depth = next(n for n in range(len(path), -1, -1) if path[:n] in tables)
    header_line = tables[path[:depth]]
    if depth < len(path) and isinstance(path[depth], str):
        key_line = _key_line(lines, header_line, str(path[depth]))
        if key_line:
            return key_line
    return header_line or None


def key_path(path: Path) -> str:
    """Human key path: ``("task", 2, "due")`` → ``task[3].due`` (tasks counted from 1)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out
