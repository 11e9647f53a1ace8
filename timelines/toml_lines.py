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


def _table_paths(lines: Sequence[str]) -> list[tuple[Path, int]]:
    """Every table header as (path, 1-based line); array tables get their index."""
    counts: dict[str, int] = {}
    found: list[tuple[Path, int]] = []
    # Only a line that begins with `[` can be a header: the rest are skipped before the
    # pattern runs (a country's 1,000 files hold about a million lines).
    headed = [(n, line) for n, line in enumerate(lines, start=1) if line.lstrip()[:1] == "["]
    for number, line in headed:
        match = _HEADER.match(line)
        if not match:
            continue
        name = match.group(2)
        parts: list[str | int] = [p.strip().strip("\"'") for p in name.split(".")]
        if match.group(1) == "[[":
            counts[name] = counts.get(name, -1) + 1
            parts.append(counts[name])
        elif str(parts[0]) in counts:  # `[task.occurrence."2025"]`: of the last `[[task]]`
            parts.insert(1, counts[str(parts[0])])
        found.append((tuple(parts), number))
    return found


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
