"""The exported pages in Debian's Chromium through Playwright: bars where their dates say
(getBBox, the SVG's own geometry), keyboard focus shows the task card, axe-core finds no
serious or critical violation, and screenshots at 1280 and 390 px land in build/screenshots/.

Without Chromium, Playwright or axe-core (`make node`) the test skips with the reason;
with CI=true it fails instead."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from test_pages_support import Seeds, import_seeds

from scheduler.cli import main
from scheduler.cli.pages import owner_code

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "build" / "screenshots"
NOW = dt.date(2020, 6, 1)
WIDTHS = (1280, 390)
SECRET = "pages-browser-test-secret"


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    if not AXE.exists():
        return f"browser tests need axe-core at {AXE} (make node)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests need the playwright package (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM),
                                        args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Seeds, Path]:
    """Seeds 002 and 004 imported, Anna owning 002's tasks, exported with the overview."""
    seeds = import_seeds(tmp_path_factory.mktemp("browser") / "proj")
    config = seeds.root / "fristvakt.toml"
    with config.open("a", encoding="utf-8") as handle:
        handle.write('\n[roles.anna-omberg]\nlabel = "Anna Omberg"\nmembers = ["anna"]\n')
    out = seeds.root / "site"
    with pytest.MonkeyPatch.context() as env:  # owner pages are named by the secret's code
        env.setenv("FRISTVAKT_FEED_SECRET", SECRET)
        code = main(["-c", str(config), "pages", "export", str(out), "--now", NOW.isoformat(),
                     "--coordinator"])
    assert code == 0
    return seeds, out


def _page(browser: Any, path: Path, width: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri())
    return page


def _axis(page: Any) -> dict[str, Any]:
    return page.evaluate("""() => { const s = document.querySelector('svg.gantt');
        return {start: s.dataset.axisStart, ppd: +s.dataset.pxPerDay, left: +s.dataset.left}; }""")


def _x(axis: dict[str, Any], day: dt.date) -> float:
    start = dt.date.fromisoformat(axis["start"])
    return axis["left"] + (day - start).days * axis["ppd"]


def _bbox(page: Any, selector: str) -> dict[str, float]:
    return page.eval_on_selector(selector, "el => { const b = el.getBBox(); "
                                 "return {x: b.x, width: b.width}; }")


def marks_match_dates(page: Any, axis: dict[str, Any], timeline: Any, scope: str) -> int:
    """Check each dated task's mark against its dates (a bar from the start of its first day
    to the end of its due day, a diamond at a single day); returns how many were checked."""
    checked = 0
    for task in timeline.tasks:
        mark = f'{scope}[data-task="{timeline.id}/{task.key}"]'
        if task.start and task.due and task.start != task.due:
            box = _bbox(page, f"{mark} rect.bar")
            assert box["x"] == pytest.approx(_x(axis, task.start), abs=0.01)
            end = _x(axis, task.due + dt.timedelta(days=1))
            assert box["x"] + box["width"] == pytest.approx(end, abs=0.01)
            checked += 1
        elif task.due:
            box = _bbox(page, f"{mark} polygon.diamond")
            assert box["x"] + box["width"] / 2 == pytest.approx(_x(axis, task.due), abs=0.01)
            checked += 1
    return checked


@pytest.mark.parametrize("seed", ["002", "004"])
def test_bars_and_today_line_in_the_browser(browser: Any, site: tuple[Seeds, Path],
                                            seed: str) -> None:
    seeds, out = site
    timeline = seeds.timelines[seed]
    page = _page(browser, out / "plans" / f"{timeline.id}.html", 1280)
    axis = _axis(page)
    assert marks_match_dates(page, axis, timeline, "") >= 10
    if seed == "002":  # 2020-06-01 lies on 002's axis, not on 004's (2017-2020)
        assert _bbox(page, "g.today line")["x"] == pytest.approx(_x(axis, NOW), abs=0.01)
    page.close()


def test_keyboard_reaches_a_task_and_shows_its_card(browser: Any,
                                                    site: tuple[Seeds, Path]) -> None:
    seeds, out = site
    timeline = seeds.timelines["002"]
    page = _page(browser, out / "plans" / f"{timeline.id}.html", 1280)
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.dataset?.task"):
            break
    focused = page.evaluate("() => document.activeElement.dataset.task")
    assert focused == f"{timeline.id}/{timeline.tasks[0].key}"
    assert timeline.tasks[0].title in page.inner_text("#card")
    page.close()


def test_wheel_marks_in_their_months_in_the_browser(browser: Any,
                                                    site: tuple[Seeds, Path]) -> None:
    """Each deadline's circle, measured by getBBox, lies in its month's share of 2017."""
    seeds, out = site
    page = _page(browser, out / "wheel" / "2017.html", 1280)
    placed = page.evaluate("""() => { const s = document.querySelector('svg.wheel');
        return [...s.querySelectorAll('g[data-due]')].map(g => {
            const b = g.querySelector('circle').getBBox();
            return {task: g.dataset.task, due: g.dataset.due, x: b.x + b.width / 2,
                    y: b.y + b.height / 2, cx: +s.dataset.cx, cy: +s.dataset.cy}; }); }""")
    expected = {(task.ref, (task.due or task.start).isoformat())
                for task in (seeds.view("004", NOW).tasks + seeds.view("002", NOW).tasks)
                if (task.due or task.start) and (task.due or task.start).year == 2017}
    assert {(p["task"], p["due"]) for p in placed} == expected
    first = dt.date(2017, 1, 1).toordinal()
    for mark in placed:
        due = dt.date.fromisoformat(mark["due"])
        angle = math.degrees(math.atan2(mark["x"] - mark["cx"], mark["cy"] - mark["y"])) % 360
        low = 360 * (due.replace(day=1).toordinal() - first) / 365
        nxt = (due.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        assert low < angle < 360 * (nxt.toordinal() - first) / 365, mark
    page.close()


def _pages(seeds: Seeds, out: Path) -> dict[str, Path]:
    plans = {f"plan-{seed}": out / "plans" / f"{seeds.timelines[seed].id}.html"
             for seed in ("002", "004")}
    return {"index": out / "index.html", **plans, "wheel": out / "wheel" / "2017.html",
            "owner": out / "owners" / f"{owner_code(SECRET.encode(), 'anna')}.html",
            "coordinator": out / "coordinator.html"}


@pytest.mark.parametrize("width", WIDTHS)
def test_each_page_type_passes_axe_and_is_photographed(browser: Any, site: tuple[Seeds, Path],
                                                        width: int) -> None:
    seeds, out = site
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in _pages(seeds, out).items():
        page = _page(browser, path, width)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        page.add_script_tag(path=str(AXE))
        found = page.evaluate("async () => (await axe.run(document)).violations"
                              ".map(v => ({id: v.id, impact: v.impact, n: v.nodes.length}))")
        bad = [v for v in found if v["impact"] in ("serious", "critical")]
        assert bad == [], f"{name} at {width}px: {bad}"
        assert (SHOTS / f"{name}-{width}.png").stat().st_size > 5000
        page.close()
