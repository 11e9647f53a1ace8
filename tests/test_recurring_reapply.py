"""An occurrence marked done, by its owner's answer or by the file, is news once: later
applies that read the file again (another task edited, the config changed) report nothing
about the recurring task and leave the feed's SEQUENCE alone. SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_engine_support import TestProject, oslo
from test_recurring_support import (
    DONE_2025,
    MOVED_2026,
    answer_done,
    feed_sequence,
    the_task,
    write_plan,
)

from timelines.occurrences import occurrence_named

OTHER = '\n[[task]]\nid = "budsjett"\ntitle = "Budsjett"\ndue = {due}\n'
NOW = oslo(2024, 1, 10, 12)


@pytest.fixture
def proj(tmp_path: Path, db_url: str) -> TestProject:
    p = TestProject(tmp_path / "proj", db_url, 2525,
                    policy={"before_due": ["7d"], "overdue_max": 0})
    p.write_config()
    return p


def statuses(proj: TestProject) -> list[str]:
    task = the_task(proj)
    return [o.status for o in (occurrence_named(task, y) for y in ("2024", "2025", "2026"))
            if o is not None]


def reread_twice(proj: TestProject, extra: str, day: int) -> list[list[tuple[str, str]]]:
    """Edit another task of the file, then change the config: both make `apply` read the
    file again. What each apply reported, as (kind, task)."""
    reported = []
    write_plan(proj, extra, OTHER.format(due="2024-05-02"))
    reported.append([(c.kind, c.key) for c in proj.apply(oslo(2024, 1, day, 12))])
    proj.policy = {**proj.policy, "before_due": ["8d"]}
    proj.write_config()
    reported.append([(c.kind, c.key) for c in proj.apply(oslo(2024, 1, day, 13))])
    return reported


def test_an_owners_done_on_one_occurrence_is_not_reported_again_by_later_applies(
        proj: TestProject) -> None:
    write_plan(proj, "", OTHER.format(due="2024-05-01"))
    proj.apply(NOW)
    sequence = feed_sequence(proj, NOW)
    answer_done(proj, "ola", "2025", oslo(2024, 1, 10, 13))
    assert statuses(proj) == ["planned", "done", "planned"]
    assert reread_twice(proj, "", 11) == [[("moved", "budsjett")], []]
    assert statuses(proj) == ["planned", "done", "planned"]  # the answer still holds
    assert feed_sequence(proj, oslo(2024, 1, 11, 14)) == sequence


def test_an_owners_done_on_a_moved_occurrence_is_kept_and_not_reported_again(
        proj: TestProject) -> None:
    write_plan(proj, MOVED_2026, OTHER.format(due="2024-05-01"))
    proj.apply(NOW)
    sequence = feed_sequence(proj, NOW)
    answer_done(proj, "anna", "2026", oslo(2024, 1, 10, 13))
    assert reread_twice(proj, MOVED_2026, 11) == [[("moved", "budsjett")], []]
    assert statuses(proj) == ["planned", "planned", "done"]
    assert feed_sequence(proj, oslo(2024, 1, 11, 14)) == sequence


def test_the_files_done_on_one_occurrence_is_reported_once(proj: TestProject) -> None:
    write_plan(proj, "", OTHER.format(due="2024-05-01"))
    proj.apply(NOW)
    write_plan(proj, DONE_2025, OTHER.format(due="2024-05-01"))
    assert [(c.kind, c.key) for c in proj.apply(oslo(2024, 1, 10, 13))] == [
        ("changed", "arsmelding")]
    sequence = feed_sequence(proj, oslo(2024, 1, 10, 14))
    assert reread_twice(proj, DONE_2025, 11) == [[("moved", "budsjett")], []]
    assert feed_sequence(proj, oslo(2024, 1, 11, 14)) == sequence


def test_the_file_writing_down_an_owners_done_changes_nothing_further(
        proj: TestProject) -> None:
    write_plan(proj, "", OTHER.format(due="2024-05-01"))
    proj.apply(NOW)
    answer_done(proj, "ola", "2025", oslo(2024, 1, 10, 13))
    sequence = feed_sequence(proj, oslo(2024, 1, 10, 14))
    write_plan(proj, DONE_2025, OTHER.format(due="2024-05-01"))
    assert proj.apply(oslo(2024, 1, 10, 15)) == []  # the file now says what the owner did
    assert reread_twice(proj, DONE_2025, 11) == [[("moved", "budsjett")], []]
    assert statuses(proj) == ["planned", "done", "planned"]
    assert feed_sequence(proj, oslo(2024, 1, 11, 14)) == sequence
