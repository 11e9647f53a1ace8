"""`fristvakt report` on seed 000 with its STATUS texts and a few answers (acceptance 3)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import docx
import html5lib
import pytest
from conftest import Project
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from test_owners_support import config_of

from scheduler.answers import store
from scheduler.answers.signing import ActionToken
from timelines.db import session_scope
from timelines.model import Task

SEED = Path(__file__).resolve().parents[1] / "examples" / "plans" / "000_09803590d4c45447.txt"
AS_OF = dt.date(2020, 3, 1)
NOW = dt.datetime(2020, 2, 20, 10, 0, tzinfo=dt.UTC)
ROLES = """
[roles.au]
label = "AU"
members = ["ola"]
"""
NS = "{http://www.w3.org/1999/xhtml}"


def imported_seed(project: Project) -> str:
    for old in project.timelines.glob("*.toml"):
        old.unlink()
    with project.config.open("a", encoding="utf-8") as handle:
        handle.write(ROLES)
    assert project.run("import", str(SEED)).code in (0, 1)
    [path] = project.timelines.glob("*.toml")
    # the coordinator writes the files into the project's timeline folder
    assert project.run("apply", "--now", NOW.isoformat()).code == 0
    return path.stem


def au_tasks(engine: Engine) -> list[Task]:
    with Session(engine) as session:
        rows = session.exec(select(Task).order_by(col(Task.line))).all()
        return [row for row in rows if "au" in row.owners]


def record(project: Project, engine: Engine, plan: str, task: Task, choice: store.Choice,
           form: str) -> None:
    token = ActionToken("ola", plan, task.key, None, AS_OF, "link-" + form)
    with session_scope(engine) as session:
        store.record(session, config_of(project), token, form, choice, NOW)


def html_rows(page: str) -> list[list[str]]:
    tree = html5lib.HTMLParser(strict=True).parse(page)  # raises on any parse error
    tables = [t for t in tree.iter(f"{NS}table") if t.get("class") == "rows"]
    return [["".join(cell.itertext()).strip() for cell in tr.iter(f"{NS}td")]
            for table in tables for tr in table.iter(f"{NS}tr") if tr.find(f"{NS}td") is not None]


def docx_rows(data: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(data))
    return [[cell.text for cell in row.cells] for table in document.tables[1:]
            for row in table.rows[1:]]


def md_rows(text: str) -> list[list[str]]:
    rows, in_section = [], False
    for line in text.splitlines():
        if line.startswith("### "):
            in_section = True
        elif line.startswith("## "):
            in_section = False
        elif in_section and line.startswith("| ") and not line.startswith("| Aktivitet"):
            rows.append([cell.strip().replace("\\|", "|") for cell in line[2:-2].split(" | ")])
    return rows


@pytest.fixture
def seeded(project: Project, engine: Engine) -> tuple[str, list[Task]]:
    plan = imported_seed(project)
    tasks = au_tasks(engine)
    assert len(tasks) >= 4
    record(project, engine, plan, tasks[0], store.Choice("status", "on_track",
                                                         note="Møte med fylket 12. mars"), "a")
    record(project, engine, plan, tasks[1], store.Choice("status", "delayed",
                                                         note="Venter | på svar"), "b")
    record(project, engine, plan, tasks[2], store.Choice("done"), "c")
    return plan, tasks


def test_html_docx_and_markdown_tables_match_the_recorded_answers(
        project: Project, engine: Engine, seeded: tuple[str, list[Task]],
        tmp_path: Path) -> None:
    plan, tasks = seeded
    out = {}
    for fmt in ("html", "docx", "md"):
        target = tmp_path / f"report.{fmt}"
        result = project.run("report", "--plan", plan, "--as-of", AS_OF.isoformat(),
                             "--format", fmt, "-o", str(target))
        assert result.code == 0, result.err
        out[fmt] = target.read_bytes()
    from_html = html_rows(out["html"].decode())
    assert from_html == docx_rows(out["docx"]) == md_rows(out["md"].decode())
    assert len(from_html) == len(au_tasks(engine)) + len([r for r in from_html if "AU" not in r[1]])
    by_title = {row[0]: row for row in from_html}
    first, second, third = (by_title[task.title] for task in tasks[:3])
    assert first[1:] == ["AU, Regionrådgiver, regionkoordinator, referansegrupper", "Drift",
                         "31.12.2020", "I rute: Møte med fylket 12. mars (20.02.2020)"]
    assert second[4] == "Forsinket: Venter | på svar (20.02.2020)"
    assert third[4] == "Gjennomført (20.02.2020)"
    untouched = by_title[tasks[3].title]
    assert untouched[4] == f"{tasks[3].notes} (Fra planen)"
    assert tasks[3].notes.startswith("STATUS:")


def test_the_summary_counts_done_on_track_delayed_overdue_and_silence(
        project: Project, engine: Engine, seeded: tuple[str, list[Task]]) -> None:
    plan, _ = seeded
    text = project.run("report", "--plan", plan, "--as-of", AS_OF.isoformat(),
                       "--format", "md").out
    head, _, counts = text.split("## Oppsummering")[1].strip().splitlines()[:3]
    summary = dict(zip(head.strip("| ").split(" | "), counts.strip("| ").split(" | "),
                       strict=True))
    with Session(engine) as session:
        done = session.exec(select(Task).where(Task.status == "done")).all()
        live = session.exec(select(Task).where(Task.status != "cancelled")).all()
    assert len(done) > 1  # the plan's own "Gjennomført" rows, and the one answered done
    assert (summary["Gjennomført"], summary["I rute"], summary["Forsinket"]) == (
        str(len(done)), "1", "1")
    counted = sum(int(value) for key, value in summary.items() if key != "Totalt")
    assert counted == int(summary["Totalt"]) == len(live)
    later = project.run("report", "--plan", plan, "--as-of", "2021-02-01", "--format", "md").out
    assert "| Over fristen |" in later


def test_answers_after_the_report_day_are_left_out(project: Project, engine: Engine,
                                                  seeded: tuple[str, list[Task]]) -> None:
    plan, tasks = seeded
    before = project.run("report", "--plan", plan, "--as-of", "2020-02-19", "--format", "md")
    assert "Møte med fylket" not in before.out and tasks[0].notes in before.out


def test_an_unknown_plan_is_named_with_the_known_ones(project: Project, engine: Engine,
                                                     seeded: tuple[str, list[Task]]) -> None:
    plan, _ = seeded
    result = project.run("report", "--plan", "nope", "--format", "md")
    assert result.code == 3 and plan in result.err and "Traceback" not in result.err


@pytest.mark.skipif(shutil.which("chromium") is None, reason="no Chromium for PDF")
def test_pdf_comes_from_the_same_html(project: Project, engine: Engine,
                                      seeded: tuple[str, list[Task]], tmp_path: Path) -> None:
    plan, _ = seeded
    target = tmp_path / "r.pdf"
    result = project.run("report", "--plan", plan, "--as-of", AS_OF.isoformat(), "--format",
                         "pdf", "-o", str(target))
    assert result.code == 0, result.err
    assert target.read_bytes().startswith(b"%PDF")
