"""`bench/feeds.py` runs and measures what acceptance 4 names (the targets are its own exit
code on a full run; a shared test machine is too noisy to assert timings here)."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
from pathlib import Path

import pytest

from notifiers.calendar import alarms as ical_alarms
from notifiers.calendar import event as ical_event
from notifiers.calendar import tz as ical_tz
from notifiers.calendar import values as ical_text

ROOT = Path(__file__).resolve().parent.parent


def test_bench_builds_both_feeds_and_serves_both_ways() -> None:
    proc = subprocess.run([sys.executable, "bench/feeds.py", "--events", "300", "--seconds",
                           "0.3", "--rounds", "1"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode in (0, 1), proc.stderr  # 1 only means a target was missed
    build = re.search(r"build  300 events: ours (\d+) ms, icalendar (\d+) ms", proc.stdout)
    serves = re.findall(r"serve  \d+ KiB: ours (\d+) req/s, static file (\d+) req/s",
                        proc.stdout)
    assert build and len(serves) == 2, proc.stdout
    assert all(int(ours) > 0 and int(static) > 0 for ours, static in serves)


@pytest.mark.parametrize("module", [ical_text, ical_tz, ical_alarms, ical_event])
def test_the_docstring_examples_hold(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0
