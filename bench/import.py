"""Benchmark: `import` of the five seed plans in every format, in ms per page.

Run: .venv/bin/python bench/import.py
A page is a page of the plan as LibreOffice printed it (the seed's PDF). The text importer on
the same plans is the baseline measured in this run: each format's ratio to it is printed.
Target: a 20-page plan in under 2 s, i.e. at most 100 ms per page in every format; the bench
exits 1 above it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

import pdfplumber  # noqa: E402

from timelines.importer import import_document  # noqa: E402

PLANS = Path(__file__).resolve().parents[1] / "examples" / "plans"
FORMATS = (".txt", ".docx", ".odt", ".pdf", ".xlsx", ".ods")
TARGET_MS_PER_PAGE = 2000 / 20
ROUNDS = 3


def pages(stem: str) -> int:
    with pdfplumber.open(PLANS / "office" / f"{stem}.pdf") as pdf:
        return len(pdf.pages)


def seconds(path: Path) -> float:
    """The best of a few imports: the time the importer needs, not the machine's hiccups."""
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        import_document(path)
        best = min(best, time.perf_counter() - start)
    return best


def ms_per_page(suffix: str, stems: dict[str, int]) -> float:
    folder = PLANS if suffix == ".txt" else PLANS / "office"
    total = sum(seconds(folder / f"{stem}{suffix}") for stem in stems)
    return 1000 * total / sum(stems.values())


def main() -> int:
    stems = {path.stem: pages(path.stem) for path in sorted(PLANS.glob("*.txt"))}
    for suffix in FORMATS:  # warm up: the first import of a format loads its library
        ms_per_page(suffix, dict(list(stems.items())[:1]))
    results = {suffix: ms_per_page(suffix, stems) for suffix in FORMATS}
    base = results[".txt"]
    print(f"{sum(stems.values())} pages in {len(stems)} plans; target {TARGET_MS_PER_PAGE:.0f} "
          "ms/page (a 20-page plan in 2 s)")
    for suffix, ms in results.items():
        print(f"{suffix:6} {ms:7.1f} ms/page  {ms / base:6.1f}x text  "
              f"20 pages: {20 * ms / 1000:.2f} s")
    slow = [s for s, ms in results.items() if ms > TARGET_MS_PER_PAGE]
    if slow:
        print(f"above target: {', '.join(slow)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
