"""bench/mail.py runs end to end: it renders and sends through a local aiosmtpd and reports
messages per second, and its exit code says whether the 100/s target was met.

The target itself is checked by running the benchmark (`.venv/bin/python bench/mail.py`,
1,000 messages): timing on a shared test machine is too noisy to gate a test on.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "mail.py"


def test_bench_reports_messages_per_second_and_exits_by_the_target() -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--count", "100"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr  # 1 only means "target not met this time"
    found = re.search(r"render \+ send\):\s+(\d+) messages/s \(target >= 100\): (met|NOT met)"
                      r"\s+\(rounds: ([\d, ]+)\)", done.stdout)
    assert found, done.stdout
    rate, verdict, rounds = int(found.group(1)), found.group(2), found.group(3).split(", ")
    assert rate > 0 and len(rounds) == 3 and all(int(r) > 0 for r in rounds)
    assert (verdict == "met") == (rate >= 100) == (done.returncode == 0)
