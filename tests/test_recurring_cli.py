"""`agenda`, `plan` and `diff` name each occurrence of a recurring task ("Årsmelding 2025")."""

from __future__ import annotations

import json

from conftest import Project

from timelines.base.i18n import _

PLAN = """[timeline]
id = "aarshjul"
title = "Årshjul 2024–2026"
lang = "nb"
ref_year = 2024
period = "2024-2026"
owners = ["ola"]

[[task]]
id = "arsmelding"
title = "Årsmelding"
when = "årlig innen 1. mars"
"""
NOW = "2024-01-10T12:00:00+01:00"


def test_agenda_plan_and_diff_name_the_occurrence(project: Project) -> None:
    for old in project.timelines.glob("*.toml"):
        old.unlink()
    path = project.timelines / "aarshjul.toml"
    path.write_text(PLAN, encoding="utf-8")
    assert project.run("apply", "--now", NOW).code == 0
    agenda = project.run("agenda", "--now", NOW, "--days", "800")
    assert all(f"Årsmelding {year}" in agenda.out for year in (2024, 2025, 2026)), agenda.out
    listed = json.loads(project.run("agenda", "--now", NOW, "--days", "800", "--json").out)
    assert [(i["occurrence"], i["due"]) for i in listed] == [
        ("2024", "2024-03-01"), ("2025", "2025-03-01"), ("2026", "2026-03-01")]
    plan = project.run("plan", "--now", NOW)
    assert all(f"Årsmelding {year}" in plan.out for year in (2024, 2025, 2026)), plan.out
    path.write_text(PLAN + '\n[task.occurrence."2026"]\ndue = 2026-03-16\n'
                    '\n[task.occurrence."2025"]\nstatus = "done"\n', encoding="utf-8")
    diff = project.run("diff")
    moved = _(project.lang, "moved")
    assert f"{moved} aarshjul/arsmelding@2026: Årsmelding 2026 " in " ".join(diff.out.split())
    assert "…..2026-03-01 → …..2026-03-16" in diff.out
    done = _(project.lang, "done")
    assert "aarshjul/arsmelding@2025: Årsmelding 2025" in diff.out and f"→ {done})" in diff.out
    shown = json.loads(project.run("diff", "--json").out)
    assert [o["occurrence"] for o in shown[0]["occurrences"]] == ["2025", "2026"]
    assert project.run("apply", "--now", NOW).code == 0
    agenda = project.run("agenda", "--now", NOW, "--days", "800", "--json")
    assert [(i["occurrence"], i["due"]) for i in json.loads(agenda.out)] == [
        ("2024", "2024-03-01"), ("2026", "2026-03-16")]
