"""The pages `fristvakt serve` serves, in Debian's Chromium through Playwright: seeds 002 and
004 imported and applied, the coordinator logged in through the login form. Bars and diamonds
lie where their dates say (getBBox, the SVG's own geometry), the årshjul puts each deadline in
its month, axe-core finds no serious or critical violation on each page type served (plan,
årshjul, overview, owner view, login), and screenshots of each at 1280 and 390 px land in
build/screenshots/served-*.png.

Without Chromium, Playwright or axe-core (`make node`) the tests skip with the reason; with
CI=true they fail instead."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from test_feed_http import serving
from test_pages_browser import (  # noqa: F401  (browser is a fixture)
    AXE,
    SHOTS,
    WIDTHS,
    _axis,
    _bbox,
    _x,
    browser,
    marks_match_dates,
)
from test_pages_support import Seeds, import_seeds

from notifiers.feeds.server import server
from scheduler.answers.links import page_url
from scheduler.answers.signing import Signer
from scheduler.cli import main
from scheduler.web.app import answer_routes
from timelines.config import load_config
from timelines.db import open_database

NOW = dt.datetime(2020, 6, 1, 9, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
PASSWORD = "served-pages-password"
SECRET = "served-pages-secret"


@dataclass(frozen=True)
class Served:
    seeds: Seeds
    base: str
    owner_url: str


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Seeds 002 and 004 applied (Anna owns 002's tasks), served on a loopback port."""
    seeds = import_seeds(tmp_path_factory.mktemp("served") / "proj")
    path = seeds.root / "fristvakt.toml"
    with path.open("a", encoding="utf-8") as handle:
        handle.write('\n[roles.anna-omberg]\nlabel = "Anna Omberg"\nmembers = ["anna"]\n')
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FRISTVAKT_COORDINATOR_PASSWORD", PASSWORD)
        env.setenv("FRISTVAKT_FEED_SECRET", SECRET)
        assert main(["-c", str(path), "apply", "--now", NOW.isoformat()]) == 0
        config = load_config(path)
        engine = open_database(config.resolved_database_url())
        srv = server(config, engine, "127.0.0.1", 0, clock=lambda: NOW, recheck=0,
                     routes=answer_routes)
    mine = page_url(config, Signer(SECRET.encode()), "anna", TODAY)
    try:
        with serving(srv) as base:
            yield Served(seeds, base, mine.replace(config.base_url.rstrip("/"), base))
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def coordinator(browser: Any, served: Served) -> Iterator[Any]:  # noqa: F811
    """A browser context logged in as the coordinator, through the login form."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{served.base}/coordinator")
    assert "/coordinator/login" in page.url
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{served.base}/coordinator")
    page.close()
    yield context
    context.close()


def _open(context: Any, url: str, width: int = 1280) -> Any:
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    return page


@pytest.mark.parametrize("seed", ["002", "004"])
def test_served_plan_bars_match_their_dates(coordinator: Any, served: Served, seed: str) -> None:
    timeline = served.seeds.timelines[seed]
    page = _open(coordinator, f"{served.base}/coordinator/plans/{timeline.id}")
    axis = _axis(page)
    assert marks_match_dates(page, axis, timeline, "svg ") >= 10
    if seed == "002":  # the server's day lies on 002's axis
        assert _bbox(page, "g.today line")["x"] == pytest.approx(_x(axis, TODAY), abs=0.01)
    page.close()


def test_served_zoom_changes_the_scale(coordinator: Any, served: Served) -> None:
    timeline = served.seeds.timelines["002"]
    scales = {}
    for zoom in ("month", "quarter", "year"):
        page = _open(coordinator, f"{served.base}/coordinator/plans/{timeline.id}?zoom={zoom}")
        scales[zoom] = _axis(page)["ppd"]
        page.close()
    assert scales["month"] > scales["quarter"] > scales["year"]


def test_served_wheel_puts_each_deadline_in_its_month(coordinator: Any, served: Served) -> None:
    page = _open(coordinator, f"{served.base}/coordinator/wheel/2017")
    placed = page.evaluate("""() => { const s = document.querySelector('svg.wheel');
        return [...s.querySelectorAll('g[data-due]')].map(g => {
            const b = g.querySelector('circle').getBBox();
            return {task: g.dataset.task, due: g.dataset.due, x: b.x + b.width / 2,
                    y: b.y + b.height / 2, cx: +s.dataset.cx, cy: +s.dataset.cy}; }); }""")
    expected = {(task.ref, (task.due or task.start).isoformat())
                for seed in ("002", "004") for task in served.seeds.view(seed, TODAY).tasks
                if (task.due or task.start) and (task.due or task.start).year == 2017}
    assert expected and {(p["task"], p["due"]) for p in placed} == expected
    first = dt.date(2017, 1, 1).toordinal()
    for mark in placed:
        due = dt.date.fromisoformat(mark["due"])
        angle = math.degrees(math.atan2(mark["x"] - mark["cx"], mark["cy"] - mark["y"])) % 360
        low = 360 * (due.replace(day=1).toordinal() - first) / 365
        nxt = (due.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        assert low < angle < 360 * (nxt.toordinal() - first) / 365, mark
    page.close()


def test_the_owner_view_shows_anna_her_tasks_on_a_timeline(browser: Any,  # noqa: F811
                                                           served: Served) -> None:
    context = browser.new_context()
    page = _open(context, served.owner_url)
    refs = set(page.eval_on_selector_all("svg [data-task]", "els => els.map(e => e.dataset.task)"))
    theirs = {task.ref for task in served.seeds.view("002", TODAY).tasks if task.dated}
    assert refs and refs <= theirs  # 002's tasks are Anna's; 004's are not
    assert not any(ref.startswith(served.seeds.timelines["004"].id) for ref in refs)
    context.close()


def _pages(served: Served) -> dict[str, str]:
    plan = served.seeds.timelines["002"].id
    return {"plan": f"/coordinator/plans/{plan}", "wheel": "/coordinator/wheel/2017",
            "overview": "/coordinator"}


def _check(page: Any, name: str, width: int) -> None:
    """A full-page screenshot, then axe-core: no serious or critical violation."""
    shot = SHOTS / f"served-{name}-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations"
                          ".map(v => ({id: v.id, impact: v.impact, n: v.nodes.length}))")
    bad = [v for v in found if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{name} at {width}px: {bad}"
    assert shot.stat().st_size > 5000


@pytest.mark.parametrize("width", WIDTHS)
def test_each_served_page_type_passes_axe_and_is_photographed(
        browser: Any, coordinator: Any, served: Served, width: int) -> None:  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in _pages(served).items():
        page = _open(coordinator, served.base + path, width)
        _check(page, name, width)
        page.close()
    outside = browser.new_context()  # no session: the owner's link and the login form
    for name, url in (("owner", served.owner_url), ("login", f"{served.base}/coordinator/login")):
        page = _open(outside, url, width)
        _check(page, name, width)
        page.close()
    outside.close()
