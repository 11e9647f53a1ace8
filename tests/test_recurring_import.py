"""`fristvakt import` of a plan with recurring rows: recurring tasks over the plan's period,
listed in the summary in the coordinator's language."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from scheduler.cli import main
from timelines.base.i18n import _
from timelines.files import read_timeline
from timelines.occurrences import occurrences_of
from timelines.resolve import resolve_timeline

PLAN = """Handlingsplan for regionrådet 2024–2026

Tiltak\tFrist\tAnsvar
Årsmelding til fylket\tårlig innen 1. mars\tRådgiver
Rapportere på tilskudd\tkvartalsvis\tRådgiver
Revidere strategien\t1. juni 2025\tRådgiver
"""


@pytest.mark.parametrize("lang", ["nb", "nn", "sv", "en"])
def test_recurring_rows_become_recurring_tasks_and_are_listed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        lang: str) -> None:
    monkeypatch.setenv("FRISTVAKT_LANG", lang)
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    assert main(["import", str(plan), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    listed = _(lang, "{count} recurring: {titles}", count=2,
               titles="Årsmelding til fylket, Rapportere på tilskudd")
    assert listed in " ".join(out.split())
    (written,) = (tmp_path / "out").glob("*.toml")
    data = tomllib.loads(written.read_text(encoding="utf-8"))
    assert data["timeline"]["period"] == "2024-2026"
    resolved = resolve_timeline(read_timeline(written)[0])  # type: ignore[arg-type]
    yearly, quarterly, once = resolved.tasks
    assert (yearly.kind, quarterly.kind, once.kind) == ("recurring", "recurring", "dated")
    assert [o.due for o in occurrences_of(yearly)] == [dt.date(y, 3, 1) for y in (2024, 2025,
                                                                                   2026)]
    assert len(occurrences_of(quarterly)) == 12
    assert occurrences_of(quarterly)[-1].label == "2026-12-31"
