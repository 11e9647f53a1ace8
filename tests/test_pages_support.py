"""What the pages tests share: seeds 002 and 004 imported into a project, SVG geometry read
back from the markup. Its own tests check the ground the other pages tests stand on."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from conftest import PLANS

from scheduler.cli import main
from scheduler.pages import PlanView, plan_view
from timelines.config import Config
from timelines.project import load_project
from timelines.resolve import ResolvedTimeline, resolve_timeline

SVG = "{http://www.w3.org/2000/svg}"
SEEDS = ("002", "004")


@dataclass(frozen=True)
class Seeds:
    root: Path
    config: Config
    timelines: dict[str, ResolvedTimeline]  # by seed prefix

    def view(self, seed: str, today: dt.date) -> PlanView:
        return plan_view(self.config, self.timelines[seed], today)


def import_seeds(root: Path) -> Seeds:
    """A project made by `fristvakt init` holding only seeds 002 and 004, as `import` wrote
    them; the timelines resolved the way `apply` resolves them."""
    assert main(["init", str(root)]) == 0
    for example in (root / "timelines").glob("*.toml"):
        example.unlink()
    found = {}
    for seed in SEEDS:
        (plan,) = PLANS.glob(f"{seed}_*.txt")
        before = set((root / "timelines").glob("*.toml"))
        assert main(["-c", str(root / "fristvakt.toml"), "import", str(plan)]) == 0
        (written,) = set((root / "timelines").glob("*.toml")) - before
        found[seed] = written
    project = load_project(root / "fristvakt.toml")
    by_path = {tl.path: resolve_timeline(tl) for tl in project.timelines}
    return Seeds(root, project.config, {seed: by_path[path] for seed, path in found.items()})


def svg_root(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def marks(svg: ET.Element) -> dict[str, ET.Element]:
    """Every focusable task mark by its data-task."""
    return {g.attrib["data-task"]: g for g in svg.iter(f"{SVG}g") if "data-task" in g.attrib}


@dataclass(frozen=True)
class Geometry:
    """The Gantt's axis as its root element states it."""

    start: dt.date
    px_per_day: float
    left: float

    def x(self, day: dt.date) -> float:
        return self.left + (day - self.start).days * self.px_per_day


def geometry(svg: ET.Element) -> Geometry:
    return Geometry(dt.date.fromisoformat(svg.attrib["data-axis-start"]),
                    float(svg.attrib["data-px-per-day"]), float(svg.attrib["data-left"]))


def test_seeds_import_as_dated_timelines(tmp_path: Path) -> None:
    seeds = import_seeds(tmp_path / "proj")
    assert seeds.timelines["002"].lang == "sv"
    assert sum(1 for task in seeds.timelines["002"].tasks if task.due) == 12
    assert any(task.due is None for task in seeds.timelines["004"].tasks)  # the "?" row
