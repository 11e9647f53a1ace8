"""`bench/scale.py`'s workspace generator writes a workspace the real commands accept, at a
tiny size, so the generator cannot rot between the (long) scale runs."""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2027, 3, 1, 8, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def scale() -> ModuleType:
    """bench/scale.py as a module (bench/ is not a package; its helper sits beside it)."""
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("scale_bench", ROOT / "bench" / "scale.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def fristvakt(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scheduler", "-c", str(config), *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, check=False)


def tasks_of(root: Path) -> list[dict[str, Any]]:
    files = sorted((root / "timelines").glob("*.toml"))
    return [t for f in files for t in tomllib.loads(f.read_text(encoding="utf-8"))["task"]]


def test_generated_workspace_validates_and_applies(scale: ModuleType, tmp_path: Path,
                                                    db_url: str) -> None:
    shape = scale.Shape(tasks=50, owners=10, files=2, now=NOW)
    config = scale.write_workspace(tmp_path / "ws", shape, db_url)
    checked = fristvakt(config, "validate")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "2 timelines, 50 tasks" in checked.stdout
    applied = fristvakt(config, "apply", "--now", NOW.isoformat())
    assert applied.returncode == 0, applied.stdout + applied.stderr


def test_workspace_has_every_kind_of_task(scale: ModuleType, tmp_path: Path) -> None:
    """Sections, `when` texts, explicit dues, `after` chains, roles and dates both sides of
    `now`: what makes the scale figures those of a real installation."""
    shape = scale.Shape(tasks=200, owners=20, files=4, now=NOW)
    scale.write_workspace(tmp_path, shape, "sqlite:///unused.db")
    tasks = tasks_of(tmp_path)
    dues = [t["due"] for t in tasks if "due" in t]
    assert len(tasks) == 200 and all(t.get("section") for t in tasks)
    assert any(t.get("after") for t in tasks) and any("r" in str(t["owners"]) for t in tasks)
    assert len({str(t["when"]).split()[0] for t in tasks if "when" in t}) >= 4
    assert min(dues) < NOW.date() < max(dues)


def test_moving_shifts_one_task_in_a_hundred(scale: ModuleType, tmp_path: Path) -> None:
    shape = scale.Shape(tasks=300, owners=30, files=3, now=NOW)
    scale.write_workspace(tmp_path, shape, "sqlite:///unused.db")
    before = tasks_of(tmp_path)
    scale.write_timelines(tmp_path, shape, moved=True)
    after = tasks_of(tmp_path)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 3
    assert all(b["due"] - a["due"] == dt.timedelta(days=14) for a, b in changed)
