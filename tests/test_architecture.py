"""The layer contracts in pyproject.toml hold on the real tree and catch an upward import.

Each check copies the three packages and pyproject.toml to a temporary folder and runs the
real `lint-imports` there, so the contract is tested as `make lint` runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("scheduler", "notifiers", "timelines")
LINT = Path(sys.executable).with_name("lint-imports")


def _copy_tree(dest: Path) -> Path:
    """The packages and pyproject.toml, copied to `dest`."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, dest / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    return dest


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` run in `tree`, importing the packages from there (not the installed ones)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT), "--no-cache"], cwd=tree, env=env, capture_output=True,
                          text=True, timeout=120)


def _add_import(module: Path, line: str) -> None:
    """`line` appended to the module, as an upward import would be written."""
    module.write_text(module.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_real_tree_keeps_every_contract(tmp_path: Path) -> None:
    result = _lint(_copy_tree(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("timelines/files.py", "import notifiers.calendar.values  # noqa",
     "Layers: scheduler above notifiers above timelines"),
    ("notifiers/calendar/alarms.py", "import scheduler.policy  # noqa",
     "Layers: scheduler above notifiers above timelines"),
    ("scheduler/runner.py", "import scheduler.cli.common  # noqa",
     "The shell: nothing else in scheduler imports scheduler.cli"),
    ("timelines/base/problems.py", "import timelines.config  # noqa",
     "The base: timelines.base imports nothing else of the project"),
])
def test_an_upward_import_breaks_its_contract(tmp_path: Path, module: str, line: str,
                                               contract: str) -> None:
    tree = _copy_tree(tmp_path)
    _add_import(tree / module, line)
    result = _lint(tree)
    assert result.returncode != 0
    assert f"{contract} BROKEN" in result.stdout, result.stdout
    assert "1 broken" in result.stdout
