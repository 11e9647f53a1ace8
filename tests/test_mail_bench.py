"""bench/mail.py runs end to end and reports both loops and their ratio (acceptance 5).

The 0.7 target itself is checked by running the benchmark (`.venv/bin/python bench/mail.py`,
1,000 messages): timing on a shared test machine is too noisy to gate a test on.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "mail.py"


def test_bench_runs_and_prints_both_rates_and_their_ratio() -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--count", "100"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr  # 1 only means "target not met this time"
    floor, ours, ratio = _numbers(done.stdout)
    assert floor > 0 and ours > 0
    assert abs(ratio - ours / floor) < 0.02
    # The ratio is printed rounded to two decimals: 0.695 shows as 0.70 yet misses the target.
    assert ratio >= 0.7 if done.returncode == 0 else ratio <= 0.7


def _numbers(out: str) -> tuple[float, float, float]:
    floor = re.search(r"bare loop \(pre-rendered\):\s+(\d+) messages/s", out)
    ours = re.search(r"render \+ send\):\s+(\d+) messages/s", out)
    ratio = re.search(r"ratio ([\d.]+) \(target >= 0\.7\)", out)
    assert floor and ours and ratio, out
    return float(floor.group(1)), float(ours.group(1)), float(ratio.group(1))
