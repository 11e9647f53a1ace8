"""Writing answers back into a timeline file with tomlkit: comments and layout kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import Item


class TaskNotInFile(LookupError):
    """The file has no [[task]] with that id."""


def _task_table(doc: Any, key: str) -> Any:
    for table in doc.get("task", []):
        if table.get("id") == key:
            return table
    raise TaskNotInFile(key)


def _set(table: Any, name: str, value: Any, comment: str) -> None:
    """Set `name = value` with `comment` on its line, keeping a comment it already had."""
    old = table.get(name)
    had = old.trivia.comment.lstrip("# ").strip() if isinstance(old, Item) else ""
    table[name] = value
    text = comment if not had or comment in had else f"{had}; {comment}"
    table[name].comment(text)


def edit_task(path: Path, key: str, values: dict[str, Any], comment: str) -> str:
    """Set the values on one task of the file; returns the old text (to undo with)."""
    old = path.read_text(encoding="utf-8")
    doc = tomlkit.parse(old)
    table = _task_table(doc, key)
    for name, value in values.items():
        _set(table, name, value, comment)
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return old


def set_due(path: Path, key: str, due: dt.date, comment: str) -> str:
    return edit_task(path, key, {"due": due}, comment)
