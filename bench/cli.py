"""Benchmark: how fast the command line starts.

Run as `.venv/bin/python bench/cli.py [--rounds N]` (default 7; about half a minute).

Times, as the median of N rounds in fresh processes, `fristvakt --help`, `fristvakt validate`
and `fristvakt agenda` on a project `fristvakt init` made (agenda after one `apply`), against
bare `python -c pass` measured in the same rounds. The console script's own Python runs all of
them, so the ratio is what our imports add to an interpreter's start.

Targets, as ratios to bare Python so that a loaded machine slows both sides alike: `--help`
within 12 times and `validate` within 25 times (on an idle 2-core machine, where bare Python
starts in 0.02 s: 0.25 s and 0.5 s). `agenda` (which opens the database) is printed, with no
target. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
FRISTVAKT = [PYTHON, "-m", "scheduler"]
# command name → the most times bare Python's start it may take; None: printed only.
TARGETS: dict[str, float | None] = {"--help": 12.0, "validate": 25.0, "agenda": None}


def _timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "FRISTVAKT_LANG": "en"})
    return time.perf_counter() - start


def _project(root: Path) -> Path:
    """A project as `fristvakt init` makes it, applied once so agenda has a database."""
    folder = root / "project"
    subprocess.run([*FRISTVAKT, "init", str(folder)], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*FRISTVAKT, "apply"], cwd=folder, check=True, stdout=subprocess.DEVNULL)
    return folder


def measure(rounds: int, folder: Path) -> dict[str, float]:
    """Median seconds of each command and of bare Python, the rounds interleaved so that
    load on the machine falls on all of them alike."""
    commands = {"python -c pass": [PYTHON, "-c", "pass"]}
    commands |= {name: [*FRISTVAKT, name] for name in TARGETS}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            times[name].append(_timed(command, folder))
    return {name: statistics.median(found) for name, found in times.items()}


def report(medians: dict[str, float]) -> bool:
    """Print every figure; True when every target is met."""
    bare = medians["python -c pass"]
    print(f"{'python -c pass':18} {bare:6.3f} s")
    ok = True
    for name, target in TARGETS.items():
        seconds, ratio = medians[name], medians[name] / bare
        line = f"{'fristvakt ' + name:18} {seconds:6.3f} s  ratio {ratio:5.1f}x"
        if target:
            met = ratio <= target
            ok &= met
            line += f"  (target <= {target:g}x): " + ("met" if met else "NOT met")
        print(line)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = _project(Path(tmp))
        _timed([*FRISTVAKT, "validate"], folder)  # the first run writes the bytecode caches
        ok = report(measure(args.rounds, folder))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
