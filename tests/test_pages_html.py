"""The HTML pages: valid HTML, every task marked in chart and table, texts in the reader's
language, escaped, colours with enough contrast; the static export and its command."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import html5lib
import pytest
from conftest import PLANS, Project
from jinja2 import StrictUndefined
from test_pages_support import Seeds, import_seeds

from scheduler.pages import (
    CoordinatorExtras,
    PlanView,
    Reader,
    Section,
    SendProblem,
    SilentOwner,
    TaskMark,
    WaitingRequest,
    overview_page,
    owner_page,
    owner_view,
    plan_page,
    timeline_fragment,
    wheel_page,
    write_static,
)
from scheduler.pages.html import environment
from scheduler.pages.palette import PAIRS, contrast
from timelines.base.i18n import LANGS, _

D = dt.date
TODAY = D(2017, 9, 5)
NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Seeds:
    return import_seeds(tmp_path_factory.mktemp("html") / "proj")


def parse(html: str):
    """html5lib in strict mode: any parse error raises."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(html)


def refs(document, tag: str) -> list[str]:
    return [el.get("data-task") for el in document.iter() if el.tag.endswith(tag)
            and el.get("data-task")]


def _views(seeds: Seeds) -> list[PlanView]:
    return [seeds.view(seed, TODAY) for seed in ("002", "004")]


@pytest.mark.parametrize("seed", ["002", "004"])
@pytest.mark.parametrize("zoom", ["month", "quarter", "year"])
def test_plan_page_parses_and_marks_each_task_in_chart_and_table(seeds: Seeds, seed: str,
                                                                 zoom: str) -> None:
    view = seeds.view(seed, TODAY)
    document = parse(plan_page(view, TODAY, zoom))
    dated = sorted(task.ref for task in view.tasks if task.dated)
    assert sorted(refs(document, "}g")) == dated
    assert refs(document, "}tr") == [task.ref for task in view.tasks]  # undated ones too
    assert document.tag == f"{NS}html" and document.get("lang") == view.lang


def test_every_page_type_is_strict_html(seeds: Seeds) -> None:
    views = _views(seeds)
    mine = owner_view(views, "nobody", "Tasks of Nobody", "nb")
    extras = CoordinatorExtras(
        requests=(WaitingRequest("a/b", "Report", "Kari", D(2017, 9, 1), D(2017, 10, 1)),),
        silent=(SilentOwner("Ola", 3),),
        problems=(SendProblem(dt.datetime(2017, 9, 4, 8, tzinfo=dt.UTC), "ola@example.no",
                              "a/b", "550 no such user"),))
    for html in (wheel_page(views, 2017, "sv", TODAY), owner_page(mine, TODAY),
                 overview_page(views, "nn", TODAY, extras)):
        parse(html)


def test_wheel_page_table_lists_the_years_deadlines(seeds: Seeds) -> None:
    views = _views(seeds)
    document = parse(wheel_page(views, 2017, "nb", TODAY))
    in_2017 = {task.ref for view in views for task in view.tasks
               if any(due.year == 2017 for due in task.deadlines)}
    assert set(refs(document, "}tr")) == in_2017 == set(refs(document, "}g"))


def test_overview_counts_and_lists(seeds: Seeds) -> None:
    views = _views(seeds)
    extras = CoordinatorExtras(silent=(SilentOwner("Ola Nordmann", 2),))
    html = overview_page(views, "en", TODAY, extras)
    document = parse(html)
    rows = {row.get("data-plan"): [cell.text for cell in row if cell.tag == f"{NS}td"]
            for row in document.iter(f"{NS}tr") if row.get("data-plan")}
    byregion = seeds.timelines["004"]
    overdue = sum(1 for task in byregion.tasks if task.due and task.due < TODAY
                  and task.status in ("planned", "ongoing"))
    assert rows[byregion.id][0] == str(len(byregion.tasks))
    assert rows[byregion.id][4] == str(overdue) and overdue > 0
    assert "Ola Nordmann" in html and _("en",
                                        "Requests for more time waiting for a decision") in html


def test_owner_view_shows_only_that_owners_tasks() -> None:
    def mark(task_id: str, owner: str) -> TaskMark:
        return TaskMark("p", task_id, task_id, "", D(2025, 1, 1), D(2025, 2, 1),
                        owners=(owner.title(),), owner_keys=(owner,))
    plan = PlanView("p", "P", "nb", (Section("", (mark("a", "kari"), mark("b", "ola"))),))
    mine = owner_view([plan], "kari", "Kari", "nb")
    assert [task.ref for task in mine.tasks] == ["p/a"]
    document = parse(owner_page(mine, D(2025, 1, 1)))
    assert refs(document, "}tr") == ["p/a"] and refs(document, "}g") == ["p/a"]


def test_user_text_is_escaped_in_page_and_chart() -> None:
    evil = TaskMark("p", "x", "<img src=x onerror=alert(1)>", "<b>", D(2025, 1, 1),
                    D(2025, 1, 9), note="</svg><script>alert(2)</script>")
    html = plan_page(PlanView("p", "<i>P</i>", "en", (Section("<b>", (evil,)),)), D(2025, 1, 1))
    assert "<img" not in html and "<script>alert" not in html and "<i>P" not in html
    parse(html)


def test_templates_fail_on_unknown_names_and_escape() -> None:
    env = environment()
    assert env.undefined is StrictUndefined and env.autoescape is True


@pytest.mark.parametrize("lang", LANGS)
def test_page_texts_in_the_readers_language(seeds: Seeds, lang: str) -> None:
    html = plan_page(PlanView("p", "P", lang, seeds.view("002", TODAY).sections), TODAY)
    assert _(lang, "The timeline as a table") in html and _(lang, "Skip to the table") in html


@pytest.mark.parametrize("fg,bg", PAIRS)
def test_palette_meets_wcag_aa(fg: str, bg: str) -> None:
    assert contrast(fg, bg) >= 4.5


def test_contrast_formula_on_known_pairs() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic miss
    assert contrast("#ffffff", "#ffffff") == 1.0


def test_static_export_leaves_out_the_coordinator_unless_asked(seeds: Seeds,
                                                                tmp_path: Path) -> None:
    views = _views(seeds)
    readers = [Reader("nobody", "Nobody", "nb")]
    write_static(tmp_path, views, TODAY, "nb", readers, coordinator=True)
    assert (tmp_path / "coordinator.html").is_file()
    written = write_static(tmp_path, views, TODAY, "nb", readers)
    assert not (tmp_path / "coordinator.html").exists()  # an earlier one is removed too
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert _("nb", "This export contains no coordinator page. Export with --coordinator to include "
                   "it.") in index
    assert "coordinator.html" not in index
    for path in written:
        document = parse(path.read_text(encoding="utf-8"))
        assert document.find(f".//{NS}title") is not None
    names = {path.relative_to(tmp_path).as_posix() for path in written}
    for view in views:
        assert {f"plans/{view.timeline_id}.html", f"plans/{view.timeline_id}-month.html",
                f"plans/{view.timeline_id}-year.html"} <= names
    assert {"wheel/2017.html", "wheel/2020.html", "index.html"} <= names


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_cli_pages_export(project: Project, tmp_path: Path) -> None:
    for example in project.timelines.glob("*.toml"):
        example.unlink()
    (plan,) = PLANS.glob("004_*.txt")
    assert project.run("import", str(plan)).code == 0
    (timeline,) = project.timelines.glob("*.toml")
    out = tmp_path / "site"
    done = project.run("pages", "export", str(out), "--now", "2017-09-05T10:00")
    assert done.code == 0, done.err
    assert not (out / "coordinator.html").exists()
    page = (out / "plans" / f"{timeline.stem}.html").read_text(encoding="utf-8")
    assert 'data-today="2017-09-05"' in page
    parse(page)
    full = project.run("pages", "export", str(out), "--coordinator", "--plan", timeline.stem)
    assert full.code == 0 and (out / "coordinator.html").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert _("nb",
             "This export includes the coordinator's overview.") in index  # the config's lang = nb


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_cli_unknown_plan_is_a_message(project: Project, tmp_path: Path) -> None:
    result = project.run("pages", "export", str(tmp_path), "--plan", "no-such-plan")
    assert result.code == 3
    assert "no-such-plan" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "index.html").exists()


def test_fragment_for_a_report_holds_chart_and_table_of_each_plan(seeds: Seeds) -> None:
    views = _views(seeds)
    body = "".join(timeline_fragment(view, TODAY) for view in views)
    document = parse(f"<!DOCTYPE html><html lang=nb><title>r</title><body>{body}</body></html>")
    tables = [el.get("id") for el in document.iter(f"{NS}table")]
    assert tables == [f"table-{view.timeline_id}" for view in views]
    for view in views:
        marked = {ref for ref in refs(document, "}g") if ref.startswith(view.timeline_id + "/")}
        assert marked == {task.ref for task in view.tasks if task.dated}
