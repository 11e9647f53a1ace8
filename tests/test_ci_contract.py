"""The PostgreSQL tests fail, never skip, when the variable is set and the server is down."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pytest(url: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FRISTVAKT_TEST_DATABASE_URL"}
    if url:
        env["FRISTVAKT_TEST_DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "tests/test_migrations.py", "-k", "postgresql", "-rs"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=120,
    )


def test_unreachable_postgres_fails_the_suite() -> None:
    # Port 9 on loopback has no PostgreSQL: connecting is refused at once.
    proc = _pytest("postgresql+psycopg://postgres@127.0.0.1:9/test?connect_timeout=2")
    assert proc.returncode == 1, proc.stdout
    assert "error" in proc.stdout.lower()
    assert "skipped" not in proc.stdout.splitlines()[-1]


def test_without_the_variable_postgres_tests_skip_with_a_reason() -> None:
    proc = _pytest(None)
    assert proc.returncode == 0, proc.stdout
    assert "FRISTVAKT_TEST_DATABASE_URL" in proc.stdout
    assert "skipped" in proc.stdout.splitlines()[-1]
