"""Benchmark: `import` of the five seed plans in every format, in ms per page.

Run: .venv/bin/python bench/import.py [--rounds N]
A page is a page of the plan as LibreOffice printed it (the seed's PDF). The text importer on
the same plans is the baseline measured in this run: each format's ratio to it is printed.
Target: a 20-page plan in under 2 s, i.e. at most 100 ms per page in every format; the bench
exits 1 above it.

Sampling: after one warm-up import of each file (libraries loaded), every round imports every
file of every format once, the formats taking turns, so a burst of load from other processes
falls on all of them alike. Each file's time is the median of its rounds. Both the wall-clock
time and the CPU time of this process are printed; the target is judged on the CPU time,
because the importer runs in one thread and, on a shared machine, wall-clock time also counts
the time other processes held the cores (on an idle machine the two agree).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

import pdfplumber  # noqa: E402

from timelines.importer import import_document  # noqa: E402

PLANS = Path(__file__).resolve().parents[1] / "examples" / "plans"
FORMATS = (".txt", ".docx", ".odt", ".pdf", ".xlsx", ".ods")
TARGET_MS_PER_PAGE = 2000 / 20
ROUNDS = 7
Sample = tuple[float, float]  # (wall-clock s, CPU s)


def pages(stem: str) -> int:
    with pdfplumber.open(PLANS / "office" / f"{stem}.pdf") as pdf:
        return len(pdf.pages)


def plan(stem: str, suffix: str) -> Path:
    return (PLANS if suffix == ".txt" else PLANS / "office") / f"{stem}{suffix}"


def timed(path: Path) -> Sample:
    """One import: its wall-clock and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    import_document(path)
    return time.perf_counter() - wall, time.process_time() - cpu


def samples(stems: dict[str, int], rounds: int) -> dict[tuple[str, str], list[Sample]]:
    """Every file's times, round after round, the formats taking turns within a round."""
    for suffix in FORMATS:  # warm up: the first import of a format loads its library
        for stem in stems:
            timed(plan(stem, suffix))
    found: dict[tuple[str, str], list[Sample]] = {}
    for _ in range(rounds):
        for stem in stems:
            for suffix in FORMATS:
                found.setdefault((suffix, stem), []).append(timed(plan(stem, suffix)))
    return found


def ms_per_page(found: dict[tuple[str, str], list[Sample]], suffix: str,
                stems: dict[str, int]) -> Sample:
    """Medians of each file's rounds, summed over the plans, per page."""
    wall = sum(statistics.median(s[0] for s in found[suffix, stem]) for stem in stems)
    cpu = sum(statistics.median(s[1] for s in found[suffix, stem]) for stem in stems)
    total = sum(stems.values())
    return 1000 * wall / total, 1000 * cpu / total


def report(results: dict[str, Sample], stems: dict[str, int], rounds: int) -> None:
    base_wall, base_cpu = results[".txt"]
    print(f"{sum(stems.values())} pages in {len(stems)} plans, median of {rounds} rounds; "
          f"target {TARGET_MS_PER_PAGE:.0f} ms/page CPU (a 20-page plan in 2 s)")
    print("format   CPU ms/page  x text   wall ms/page  x text   20 pages (CPU)")
    for suffix, (wall, cpu) in results.items():
        print(f"{suffix:6} {cpu:12.1f} {cpu / base_cpu:7.1f}x {wall:13.1f} "
              f"{wall / base_wall:7.1f}x  {20 * cpu / 1000:8.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    rounds = parser.parse_args().rounds
    stems = {path.stem: pages(path.stem) for path in sorted(PLANS.glob("*.txt"))}
    found = samples(stems, rounds)
    results = {suffix: ms_per_page(found, suffix, stems) for suffix in FORMATS}
    report(results, stems, rounds)
    slow = [s for s, (_, cpu) in results.items() if cpu > TARGET_MS_PER_PAGE]
    if slow:
        print(f"above target: {', '.join(slow)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
