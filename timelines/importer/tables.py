"""Tables recognised by their header row, read into task candidates.

Two shapes occur: a table with an activity column (one task per row; rows whose first cells
are empty continue the group of the row above), and a hierarchical table whose first column
labels rows as goals ("Målsetting A"), strategies and tasks ("Tiltak 1").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from timelines.importer import vocab
from timelines.importer.lines import Line, fold_header
from timelines.importer.model import Candidate
from timelines.importer.remarks import split_status

MAX_HEADER_WORDS = 7
_KEY_ROLES = {"activity", "date", "owner", "owner_and_participants"}
_NOTE_ROLES = {"group", "description", "status", None}
_EMPTY = {"", "-", "–", "—"}


@dataclass
class Table:
    header: Line
    roles: dict[int, str | None]
    section: str = ""
    rows: list[Line] = field(default_factory=list)

    def column(self, role: str) -> int | None:
        return next((i for i, r in self.roles.items() if r == role), None)


def column_role(cell: str) -> str | None:
    """The role of a header cell: 'Budsjett 2022' → money, 'Tiltak /prosjekt - ...' → activity."""
    folded = fold_header(cell)
    for role, words in vocab.COLUMNS.items():
        for word in words:
            rest = folded[len(word):]
            if folded.startswith(word) and not rest[:1].isalpha():
                return role
    return None


def header_roles(line: Line) -> dict[int, str | None] | None:
    """Column roles if the line is a header row, else None."""
    if not line.tabbed:
        return None
    roles = {i: column_role(c) if c else None for i, c in enumerate(line.cells)}
    found = [r for r in roles.values() if r]
    short = all(len(c.split()) <= MAX_HEADER_WORDS for c in line.filled)
    if len(found) >= 2 and short and _KEY_ROLES & set(found):
        return roles
    return None


def cell(row: Line, index: int | None) -> str:
    if index is None or index >= len(row.cells):
        return ""
    return "" if row.cells[index] in _EMPTY else row.cells[index]


def read_table(table: Table) -> list[Candidate] | None:
    """The table's task candidates, or None when it has no activity column (skipped)."""
    if table.column("activity") is not None:
        return _read_flat(table)
    if any(_label_kind(row.cells[0]) == "task" for row in table.rows):
        return _read_hierarchy(table)
    return None


def _read_flat(table: Table) -> list[Candidate]:
    act = table.column("activity")
    assert act is not None
    carried: dict[int, str] = {}
    found: list[Candidate] = []
    for row in table.rows:
        if row.remark or not row.filled:
            continue
        _carry_groups(row, act, carried)
        title = cell(row, act)
        if not title:
            _continue_previous(found, table, row)
            continue
        found.append(_candidate(table, row, title, carried, {act}))
    return found


def _carry_groups(row: Line, act: int, carried: dict[int, str]) -> None:
    """Columns before the activity column are groups: an empty cell repeats the row above."""
    for index in range(act):
        if cell(row, index):
            carried[index] = cell(row, index)
            for later in range(index + 1, act):
                carried.pop(later, None)


def _candidate(
    table: Table, row: Line, title: str, carried: dict[int, str], skip: set[int]
) -> Candidate:
    title, status = split_status(title)
    found = Candidate(
        line=row.number, title=title, section=table.section,
        when=cell(row, table.column("date")), origin="table", status_text=status,
        budget_text=cell(row, table.column("money")),
    )
    _owners(table, row, found)
    found.notes = _notes(table, row, carried, skip)
    found.comments = [m.note for m in row.marks if m.note]
    _marks(table, row, found)
    status_col = table.column("status")
    if status_col is not None and cell(row, status_col):
        found.status_text = cell(row, status_col)
    return found


def _marks(table: Table, row: Line, found: Candidate) -> None:
    """What the format told beyond text: where the row is, a strikethrough, a date cell."""
    act = table.column("activity")
    title = row.mark(act if act is not None else 1)
    found.where = title.where if title is not None and title.where else row.where
    found.struck = row.struck or bool(title and title.struck)
    date = row.mark(table.column("date"))
    found.date = date.date if date is not None else None


def _owners(table: Table, row: Line, found: Candidate) -> None:
    both = cell(row, table.column("owner_and_participants"))
    owner = cell(row, table.column("owner"))
    found.owners_text = " / ".join(t for t in (both, owner) if t)
    found.participants_text = cell(row, table.column("participants"))


def _notes(table: Table, row: Line, carried: dict[int, str], skip: set[int]) -> list[str]:
    """Group, description and unnamed columns, each as 'Header: value'."""
    notes = []
    for index, role in table.roles.items():
        value = carried.get(index) or cell(row, index)
        if role in _NOTE_ROLES and value and index not in skip:
            notes.append(f"{table.header.cells[index] or '?'}: {value}")
    return notes


def _continue_previous(found: list[Candidate], table: Table, row: Line) -> None:
    """A row without an activity continues the one above: keep its text as a note there."""
    if found:
        found[-1].notes.append(" ".join(row.filled))


def _label_kind(label: str) -> str | None:
    folded = fold_header(label)
    for kind, words in (("task", vocab.TASK_LABELS), ("group", vocab.GROUP_LABELS)):
        for word in words:
            if folded.startswith(word) and not folded[len(word):][:1].isalpha():
                return kind
    return None


def _read_hierarchy(table: Table) -> list[Candidate]:
    text_col = next((i for i, r in table.roles.items() if i > 0 and r is None), 1)
    section, group_when = table.section, ""
    pending: list[str] = []
    found: list[Candidate] = []
    for row in table.rows:
        kind, title = _label_kind(row.cells[0]), cell(row, text_col)
        if row.remark or not title:
            continue
        if kind == "group":
            section, group_when, pending = f"{row.cells[0]}: {title}", _when(table, row), []
        elif kind == "task":
            found.append(_hier_task(table, row, (text_col, title), section, group_when, pending))
        elif row.cells[0]:
            pending = [*pending, f"{row.cells[0]}: {title}"]
    return found


def _when(table: Table, row: Line) -> str:
    return cell(row, table.column("date"))


def _hier_task(
    table: Table, row: Line, title: tuple[int, str], section: str, group_when: str,
    notes: list[str],
) -> Candidate:
    found = _candidate(table, row, title[1], {}, {0, title[0]})
    found.section, found.group_when = section, group_when
    found.notes = [*notes, *found.notes]
    return found
