"""Reading a timeline file: a clean file is validated whole, a file with mistakes task by task,
and either way every mistake is told at its file, line and key, and the good tasks are kept."""

from __future__ import annotations

import tempfile
import tomllib
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from timelines.base.problems import Problem
from timelines.checks import check_timeline, cycles
from timelines.config import Config
from timelines.files import TaskSpec, TimelineFile, read_timeline
from timelines.resolve import resolve_timeline
from timelines.toml_lines import _HEADER, _table_paths, locate

HEADER = '[timeline]\nid = "plan"\ntitle = "Plan"\nowners = ["anna"]\n'

MISTAKES = HEADER + """
[[task]]
id = "good"
title = "Good"
due = 2030-05-01

[[task]]
id = "late"
title = "Bad due"
due = "next week"

[[task]]
id = "untitled"
due = 2030-05-02

[[task]]
id = "typo"
title = "Unknown key and status"
dew = 2030-05-03
status = "finished"

[[task]]
id = "good"
title = "Same id as the first, after a task that could not be read"
due = 2030-05-04
"""


def _file(folder: Path, text: str, name: str = "plan.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _told(problems: list[Problem]) -> list[tuple[int | None, str, str]]:
    return sorted((p.line, p.key, p.message) for p in problems)


def test_every_mistake_is_told_at_its_line_and_key_and_the_good_tasks_are_kept(
        tmp_path: Path) -> None:
    path = _file(tmp_path, MISTAKES)
    tl, problems = read_timeline(path, "en")
    assert tl is not None
    assert all(p.file == str(path) and p.is_error for p in problems)
    assert _told(problems) == [
        (14, "task[2].due", "must be a date like 2024-05-31 (got 'next week')"),
        (16, "task[3].title", "required key is missing"),
        (23, "task[4].dew", "unknown key (check the spelling)"),
        (24, "task[4].status",
         "must be one of: planned, ongoing, done, cancelled (got 'finished')"),
    ]
    # the untitled task is left out; the others keep their place in the file
    assert [t.id for t in tl.doc.task] == ["good", "late", "typo", "good"]
    assert tl.positions == [0, 1, 3, 4]
    assert tl.doc.task[1].due is None and tl.doc.task[2].status == "planned"
    checked = check_timeline(Config(), tl)
    assert (27, "task[5].id", "duplicate task id 'good': ids must be unique") in _told(checked)


def test_a_clean_file_gives_the_tasks_each_would_give_alone(tmp_path: Path) -> None:
    text = HEADER + "".join(
        f'\n[[task]]\nid = "t{n}"\ntitle = "T{n}"\nwhen = "innen 1. mars 2031"\n'
        f'owners = ["o{n}"]\nafter = {["t0"] if n else []}\nlag = "{n}d"\n'
        f'[task.occurrence."2031"]\nstatus = "done"\n' for n in range(5))
    path = _file(tmp_path, text)
    tl, problems = read_timeline(path, "en")
    assert tl is not None and problems == []
    alone = [TaskSpec.model_validate(raw) for raw in tomllib.loads(text)["task"]]
    assert tl.doc.task == alone and tl.positions == list(range(5))
    assert tl.doc.task[1].participants == [] and tl.doc.task[1].participants is not \
        tl.doc.task[2].participants  # each task its own list, as a default value would not be


def test_a_file_is_resolved_once(tmp_path: Path) -> None:
    tl, _ = read_timeline(_file(tmp_path, MISTAKES), "en")
    assert tl is not None
    first = resolve_timeline(tl)
    assert resolve_timeline(tl) is first
    assert [t.due.isoformat() if t.due else None for t in first.tasks] == \
        ["2030-05-04", None, None, "2030-05-04"]  # a duplicate id resolves as its last task


def _cycle_among_all(tl: TimelineFile) -> list[str] | None:
    """The cycle graphlib finds when every task of the file is in the graph."""
    ids = {task.id for task in tl.doc.task}
    graph: dict[str, set[str]] = {}
    for task in tl.doc.task:
        graph.setdefault(task.id, set()).update(a for a in task.after if a in ids)
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        return list(exc.args[1])
    return None


TASKS = st.lists(st.tuples(st.integers(0, 9), st.lists(st.integers(0, 11), max_size=3)),
                 min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(TASKS)
def test_the_cycle_told_is_the_one_among_all_tasks(tasks: list[tuple[int, list[int]]]) -> None:
    text = HEADER + "".join(f'\n[[task]]\nid = "t{key}"\ntitle = "T"\n'
                            f'after = {[f"t{a}" for a in after]}\n'.replace("'", '"')
                            for key, after in tasks)
    with tempfile.TemporaryDirectory() as folder:
        tl, _ = read_timeline(_file(Path(folder), text), "en")
        assert tl is not None
        loop = _cycle_among_all(tl)
        told = [p.message for p in cycles(tl)]
    assert told == ([] if loop is None else [f"dependency cycle: {' → '.join(loop)}"])


def _paths_line_by_line(lines: list[str]) -> list[tuple[tuple[str | int, ...], int]]:
    """Table headers found as `_table_paths` finds them, but by `_HEADER` on each line."""
    counts: dict[str, int] = {}
    found: list[tuple[tuple[str | int, ...], int]] = []
    for number, line in enumerate(lines, start=1):
        match = _HEADER.match(line)
        if match:
            name = match.group(2)
            parts: list[str | int] = [p.strip().strip("\"'") for p in name.split(".")]
            if match.group(1) == "[[":
                counts[name] = counts.get(name, -1) + 1
                parts.append(counts[name])
            elif str(parts[0]) in counts:
                parts.insert(1, counts[str(parts[0])])
            found.append((tuple(parts), number))
    return found


_PIECES = ["[", "[[", "]", "]]", " ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85",
           "\u2028", "\xa0", "\u3000", "a", ".", '"', "#", "task", "[[task]]\n", "[task.x]\n"]


@settings(max_examples=500)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_headers_found_in_one_search_are_those_of_each_line(pieces: list[str]) -> None:
    """Every line break `splitlines` knows, and blanks besides spaces, number the lines as
    before (the search joins the lines by "\\n" alone)."""
    lines = "".join(pieces).splitlines()
    assert _table_paths(lines) == _paths_line_by_line(lines)


def test_a_header_indented_or_after_a_form_feed_is_located() -> None:
    text = 'a = 1\r\n\x0c  [[task]]\r\nid = "x"\n\u3000[[task]]  # b\nid = "y"\nwhen = "z"\n'
    assert locate(text, ("task", 0)) == 3
    assert locate(text, ("task", 1, "when")) == 7
