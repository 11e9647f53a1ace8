"""Random and mangled documents (acceptance point 7): never a traceback, always a summary, and
what is written is always a valid timeline file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_import_cli import counted

from scheduler.cli import main
from timelines.files import TimelineDoc
from timelines.importer import import_document
from timelines.importer.writer import render

PLANS = Path(__file__).resolve().parent.parent / "examples" / "plans"
SEED_LINES = [
    line for path in sorted(PLANS.glob("*.txt"))
    for line in path.read_text(encoding="utf-8").splitlines()
]
FRAGMENTS = [
    "\t", "\t\t", "<p>", "</p>", "<ul><li>", "<i>", "</i>", "**", "❖ ", "• ", "STATUS:",
    "Ansvar:", "Deltaking:", "Ansvarig:", "?", "-", "22/5", "30/8-1/9", "vår 2018", "2019-2020",
    "Fra februar", "0,1 mill", "Tiltak", "Frist", "Aktiviteter\tDato\tAnsvar", "1. ", ": ",
    "\u00a0", "\r", "ø", "æ", "å", "ä", "ö", "(", ")", "«", "»", "\"", "'''", "\\", "\x00",
    "\x0c", "\u2028", "#", "[task]", "= 1",
]

text_line = st.one_of(
    st.sampled_from(SEED_LINES),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=8).map("".join),
    st.text(max_size=60),
)


SEED_DOCS = [path.read_text(encoding="utf-8").splitlines() for path in sorted(PLANS.glob("*.txt"))]


@st.composite
def damaged_seed(draw: st.DrawFn) -> list[str]:
    """A real plan with lines dropped, repeated and given extra tabs."""
    lines = list(draw(st.sampled_from(SEED_DOCS)))
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        action = draw(st.sampled_from(["drop", "repeat", "tab", "cut"]))
        if not lines:
            break
        if action == "drop":
            del lines[at]
        elif action == "repeat":
            lines.insert(at, lines[at])
        elif action == "tab":
            cut = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:cut] + "\t" + lines[at][cut:]
        else:
            lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
    return lines


@st.composite
def mangled(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(text_line, max_size=40) | damaged_seed())
    chunks = [_encode(line, draw(st.sampled_from(["utf-8", "latin-1", "cp1252"])))
              for line in lines]
    data = draw(st.sampled_from([b"\n", b"\r\n"])).join(chunks)
    cut = draw(st.integers(min_value=0, max_value=len(data)))
    return data[:cut] if draw(st.booleans()) else data


def _encode(line: str, encoding: str) -> bytes:
    return line.encode(encoding, errors="replace")


def _check(result_text: str) -> None:
    doc = TimelineDoc.model_validate(tomllib.loads(result_text))
    ids = [task.id for task in doc.task]
    assert len(ids) == len(set(ids))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mangled())
def test_any_document_imports_to_a_valid_timeline(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "plan.txt"
    path.write_bytes(data)
    result = import_document(path)
    event(f"tasks found: {bool(result.timeline.tasks)}")
    _check(render(result))
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
    assert all(1 <= t.line <= lines for t in result.timeline.tasks)
    assert {a.line for a in result.attention} <= {t.line for t in result.timeline.tasks}


@settings(max_examples=25, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # capsys is read per example
@given(data=mangled(), year=st.none() | st.integers(min_value=1900, max_value=2200))
def test_the_command_always_prints_a_summary(
    tmp_path_factory, capsys: pytest.CaptureFixture[str], data: bytes, year: int | None
) -> None:
    folder = tmp_path_factory.mktemp("cli")
    (folder / "plan.txt").write_bytes(data)
    args = ["import", str(folder / "plan.txt"), "--out", str(folder / "out")]
    capsys.readouterr()
    code = main([*args, "--year", str(year)] if year else args)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if code == 1:  # no task in it: said in one line, and nothing written
        assert str(folder / "plan.txt") in err and len(err.strip().splitlines()) == 1
        assert not list(folder.glob("out/*.toml"))
        return
    assert code == 0, err
    assert counted("en") + ":" in out
    (written,) = (folder / "out").glob("*.toml")
    _check(written.read_text(encoding="utf-8"))


@pytest.mark.parametrize("data", [b"", b"\n\n\n", b"\t\t\t", b"\xff\xfe\x00", b"\x00" * 10])
def test_degenerate_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes):
    """No task in them: an error naming the file, and no timeline of 0 tasks written."""
    (tmp_path / "plan.txt").write_bytes(data)
    code = main(["import", str(tmp_path / "plan.txt"), "--out", str(tmp_path / "out")])
    assert code == 1
    assert str(tmp_path / "plan.txt") in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
