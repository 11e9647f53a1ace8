"""Without Chromium the browser tests skip with a reason, except under CI=true: they fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pytest(ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "FRISTVAKT_TEST_DATABASE_URL")}
    env["FRISTVAKT_TEST_CHROMIUM"] = "/nonexistent/chromium"
    if ci:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "tests/browser/test_owners_browser.py", "-k", "sqlite and phone", "-rs"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=120)


def test_without_chromium_the_browser_tests_skip_with_a_reason() -> None:
    proc = _pytest(None)
    assert proc.returncode == 0, proc.stdout
    assert "no Chromium at /nonexistent/chromium" in proc.stdout
    assert "skipped" in proc.stdout.splitlines()[-1]


def test_under_ci_a_missing_chromium_fails() -> None:
    proc = _pytest("true")
    assert proc.returncode == 1, proc.stdout
    assert "CI=true but no Chromium" in proc.stdout
