"""Acceptance points 1-5 of issue #4 on the five seed plans in examples/plans/."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from timelines.importer import ImportedTask, ImportResult, import_document

PLANS = Path(__file__).resolve().parent.parent / "examples" / "plans"
D = dt.date


def seed(prefix: str) -> ImportResult:
    (path,) = PLANS.glob(f"{prefix}_*.txt")
    return import_document(path)


def by_title(result: ImportResult, start: str) -> ImportedTask:
    (task,) = [t for t in result.timeline.tasks if t.title.startswith(start)]
    return task


def flagged(result: ImportResult) -> set[int]:
    return {a.line for a in result.attention}


@pytest.fixture(scope="module")
def pavirkan() -> ImportResult:
    return seed("002")


def test_002_twelve_dated_tasks_with_spans(pavirkan: ImportResult) -> None:
    tasks = pavirkan.timeline.tasks
    assert len(tasks) == 12
    assert all(t.span.kind == "dated" and not t.inherited for t in tasks)
    assert (by_title(pavirkan, "Formulera förslag").start,
            by_title(pavirkan, "Formulera förslag").due) == (D(2020, 4, 7), D(2020, 4, 24))
    assert by_title(pavirkan, "Workshop").span.start == by_title(pavirkan, "Workshop").due
    assert by_title(pavirkan, "Workshop").due == D(2020, 11, 9)
    fast = by_title(pavirkan, "Fastställande")
    assert (fast.start, fast.due) == (D(2021, 1, 1), D(2021, 3, 31))


def test_002_default_owner_and_language(pavirkan: ImportResult) -> None:
    timeline = pavirkan.timeline
    assert timeline.lang == "sv"
    assert [timeline.roles[key] for key in timeline.owners] == ["Anna Omberg"]
    assert timeline.ref_year == 2020
    assert pavirkan.attention == []  # every row read: nothing to look at


@pytest.fixture(scope="module")
def byregion() -> ImportResult:
    return seed("004")


def test_004_innspillsmoter_from_bullets(byregion: ImportResult) -> None:
    bullets = [t for t in byregion.timeline.tasks if t.line < 20]
    assert [(t.when, t.start, t.due) for t in bullets] == [
        ("22/5", D(2017, 5, 22), D(2017, 5, 22)),
        ("2/6", D(2017, 6, 2), D(2017, 6, 2)),
        ("7/6", D(2017, 6, 7), D(2017, 6, 7)),
        ("?", None, None),
        ("30/8-1/9", D(2017, 8, 30), D(2017, 9, 1)),
    ]
    undated = bullets[3]
    assert undated.span.kind == "undated" and undated.line in flagged(byregion)
    assert undated.title == "Infrastruktur og samferdsel"


def test_004_year_from_the_milestone_list(byregion: ImportResult) -> None:
    assert byregion.timeline.ref_year == 2017
    assert byregion.year.reason == "year_list_order"


def test_004_fremdrift_milestones(byregion: ImportResult) -> None:
    fremdrift = [t for t in byregion.timeline.tasks if t.section.startswith("Fremdrift")]
    assert [(t.start, t.due) for t in fremdrift] == [
        (D(2017, 5, 1), D(2017, 9, 1)),
        (D(2017, 9, 1), D(2017, 10, 20)),
        (D(2017, 10, 20), D(2017, 10, 20)),
        (D(2017, 10, 25), D(2017, 10, 26)),
        (None, D(2017, 12, 8)),
        (D(2017, 12, 1), D(2018, 1, 31)),
        (D(2018, 2, 1), None),
        (D(2018, 3, 1), D(2018, 5, 31)),
    ]
    assert by_title(byregion, "vedtak av plan").span.approximate
    assert by_title(byregion, "Programavslutning").when == "vår 2018"
    # February follows January 2018 in the list: its year is not the plan's, so it is written.
    assert by_title(byregion, "GJENNOMFØRING").explicit


def test_004_tiltak_rows_under_their_malsetting(byregion: ImportResult) -> None:
    tiltak = [t for t in byregion.timeline.tasks if t.section.startswith("Målsetting")]
    assert [(t.section[:12], t.when) for t in tiltak] == [
        ("Målsetting A", "2018"), ("Målsetting A", "2018"),
        ("Målsetting B", "2018 - 2019"), ("Målsetting B", "2018-2020"), ("Målsetting B", "2019"),
    ]
    assert tiltak[-1].inherited and tiltak[-1].line in flagged(byregion)
    titles = " ".join(t.title for t in byregion.timeline.tasks)
    assert "eksempler" not in titles and "arbeidsverktøy" not in titles  # <i> remarks


@pytest.fixture(scope="module")
def sogn() -> ImportResult:
    return seed("001")


def test_001_tasks_in_four_sections(sogn: ImportResult) -> None:
    tasks = sogn.timeline.tasks
    assert len(tasks) == 21
    assert list(Counter(t.section for t in tasks)) == [
        "Attraktiv buregion", "Kompetanse", "Næringsutvikling", "Samferdsle"]
    assert sogn.timeline.lang == "nn"


def test_001_own_dates_and_inherited_year(sogn: ImportResult) -> None:
    own = [t for t in sogn.timeline.tasks if not t.inherited]
    inherited = [t for t in sogn.timeline.tasks if t.inherited]
    assert len(own) == 17 and all(t.span.kind == "dated" for t in own)
    assert len(inherited) == 4
    year = ("2022", D(2022, 1, 1), D(2022, 12, 31))
    assert {(t.when, t.start, t.due) for t in inherited} == {year}
    assert {t.line for t in inherited} <= flagged(sogn)
    haust = [t for t in own if t.when == "Haust 2022"]
    assert [(t.start, t.due) for t in haust] == [(D(2022, 9, 1), D(2022, 11, 30))]


def test_001_owners_participants_and_budget(sogn: ImportResult) -> None:
    first = by_title(sogn, "Felles profilering")
    assert (first.owners, first.participants) == (["sr"], ["kommunane"])
    sogn_for_alle = by_title(sogn, "Iverksetje den årlege handlingsplanen i prosjektet")
    assert sogn_for_alle.budget_nok == 4_800_000 and sogn_for_alle.budget_text == "4,8 mill"
    assert "naeringsliv" in sogn_for_alle.participants
    assert sogn.timeline.roles["sr"] == "SR"


def test_001_skips_tables_without_activity_column(sogn: ImportResult) -> None:
    skipped = {note.line for note in sogn.notes}
    assert {80, 98} <= skipped  # Arbeidsform and Samarbeidsformer og roller
    assert not any(t.line >= 78 for t in sogn.timeline.tasks)


@pytest.fixture(scope="module")
def fjell() -> ImportResult:
    return seed("000")


def test_000_tasks_inherit_the_plan_period(fjell: ImportResult) -> None:
    table_tasks = [t for t in fjell.timeline.tasks if t.section]
    assert len(table_tasks) == 25
    assert list(Counter(t.section for t in table_tasks)) == [
        "Interessepolitikk", "Næringsutvikling", "Kompetanseutvikling", "Kommunikasjon"]
    assert all(t.inherited and (t.start, t.due) == (D(2019, 1, 1), D(2020, 12, 31))
               for t in table_tasks)
    assert {t.line for t in table_tasks} <= flagged(fjell)


def test_000_statuses_and_owners(fjell: ImportResult) -> None:
    assert by_title(fjell, "Etablere samhandling").status == "ongoing"  # Pågående prosess
    assert by_title(fjell, "Arbeide for å sikre finansiering").status == "ongoing"  # Pågår
    assert by_title(fjell, "Gjennomføre Skapende ungdomsmesse").status == "done"
    assert by_title(fjell, "Delta aktivt i Jernbaneforum").status == "planned"
    assert "STATUS: Leder arbeidet" in by_title(fjell, "Delta aktivt i Jernbaneforum").notes
    owners = by_title(fjell, "Etablere samhandling").owners
    assert owners == ["au", "regionradgiver", "regionkoordinator", "referansegrupper"]
    assert fjell.timeline.roles["regionradgiver"] == "regionrådgiver"


def test_000_revision_milestone(fjell: ImportResult) -> None:
    revision = by_title(fjell, "Handlingsplanen rulleres")
    assert (revision.start, revision.due) == (D(2020, 9, 1), D(2020, 11, 30))


@pytest.fixture(scope="module")
def glamdal() -> ImportResult:
    return seed("003")


def test_003_reporting_milestone_and_reported_activities(glamdal: ImportResult) -> None:
    tasks = glamdal.timeline.tasks
    milestone = tasks[0]
    assert (milestone.start, milestone.due) == (D(2016, 2, 15), D(2016, 2, 15))
    activities = tasks[1:]
    assert len(activities) == 7
    assert [t.status for t in activities] == ["done"] * 5 + ["ongoing"] * 2
    titles = " ".join(t.title for t in tasks)
    assert "Prosjektorganisasjonen" not in titles and "Våler" not in titles
