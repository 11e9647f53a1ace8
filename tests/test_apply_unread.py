"""`fristvakt apply` and `diff` leave a file unread when its bytes are those the last apply
read under the same config: the coordinator sees the same changes, removals and duplicate
ids as when every file is read, and a file is read again as soon as it or the config
changes."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from test_engine_support import TestProject, cli, numbered_tasks, oslo

from timelines import project as project_module
from timelines.base.i18n import _, _n
from timelines.config import Config
from timelines.db import open_database, read_session
from timelines.project import Known, read_project
from timelines.sync import known_files

NOW = oslo(2026, 3, 2, 12)
LANG = "nb"  # the test project's language
UNDATED = {"id": "uten", "title": "Uten dato", "when": "?", "owners": ["ola"]}


@pytest.fixture
def proj(tmp_path: Path, db_url: str) -> TestProject:
    p = TestProject(tmp_path / "proj", db_url, policy={"before_due": ["3d"]})
    p.write_config()
    p.write_timeline([*numbered_tasks("a", 3), UNDATED], tl_id="a")
    p.write_timeline(numbered_tasks("b", 3), tl_id="b")
    return p


def run(proj: TestProject, *args: str) -> subprocess.CompletedProcess[str]:
    return cli(proj, *args, *(("--now", NOW.isoformat()) if args[0] == "apply" else ()))


def unread(proj: TestProject, now: dt.datetime | None = NOW) -> set[str]:
    """The timeline ids an apply at `now` would leave unread."""
    db = open_database(proj.db_url)

    def known(config: Config) -> Known:
        with read_session(db) as session:
            return known_files(session, config, now)

    try:
        return set(read_project(proj.config_path, LANG, known).kept.values())
    finally:
        db.dispose()


def path_of(proj: TestProject, tl_id: str) -> Path:
    return proj.root / "timelines" / f"{tl_id}.toml"


def no_changes(result: subprocess.CompletedProcess[str]) -> bool:
    return result.returncode == 0 and result.stdout.splitlines()[0] == _(LANG, "no changes")


def test_an_unchanged_file_is_not_read_again(proj: TestProject) -> None:
    first = run(proj, "apply")
    assert first.returncode == 0, first.stderr
    assert f"{path_of(proj, 'a')}:" in first.stderr  # the undated task, where it is
    assert unread(proj) == {"a", "b"}
    again = run(proj, "apply")
    assert no_changes(again), again.stdout + again.stderr
    assert f"{path_of(proj, 'a')}:" not in again.stderr  # not read, so not told again ...
    assert _n(LANG, "{n} open task in files unchanged since they were last read has no date "
                    "(`fristvakt validate` lists it)",
              "{n} open tasks in files unchanged since they were last read have no date "
              "(`fristvakt validate` lists them)", 1) in again.stderr  # ... but counted
    assert unread(proj, None) == {"a", "b"}  # diff too
    assert no_changes(run(proj, "diff"))


def test_a_config_change_reads_every_file_again(proj: TestProject) -> None:
    assert run(proj, "apply").returncode == 0
    proj.people["ola"] = {**proj.people["ola"], "email": "ola.ny@example.no"}
    proj.write_config()
    assert unread(proj) == set()
    again = run(proj, "apply")
    assert again.returncode == 0 and f"{path_of(proj, 'a')}:" in again.stderr
    assert unread(proj) == {"a", "b"}


@pytest.mark.parametrize("setting", ["smtp", "base_url"])
def test_a_setting_for_sending_only_reads_no_file_again(proj: TestProject, setting: str) -> None:
    """A new SMTP host (or the address the feeds are served at) changes no task and no
    reminder: every file stays unread, and nothing is re-planned."""
    assert run(proj, "apply").returncode == 0
    if setting == "smtp":
        proj.smtp = {"host": "smtp.example.no", "connections": 3}
        proj.write_config()
    else:
        proj.write_config(base_url="https://frister.example.no")
    assert unread(proj) == {"a", "b"}
    assert no_changes(run(proj, "apply"))


def test_an_earlier_now_reads_every_file_again(proj: TestProject) -> None:
    assert run(proj, "apply").returncode == 0
    assert unread(proj, NOW - dt.timedelta(days=1)) == set()
    assert unread(proj, NOW + dt.timedelta(days=1)) == {"a", "b"}


def test_a_file_edited_back_and_forth_is_applied_each_time(proj: TestProject) -> None:
    assert run(proj, "apply").returncode == 0
    original = path_of(proj, "b").read_bytes()
    proj.write_timeline(numbered_tasks("b", 3, shift=7), tl_id="b")
    assert unread(proj) == {"a"}
    moved = run(proj, "apply")
    assert moved.returncode == 0 and moved.stdout.count("b/b") == 3, moved.stdout
    path_of(proj, "b").write_bytes(original)
    back = run(proj, "apply")
    assert back.returncode == 0 and back.stdout.count("b/b") == 3, back.stdout
    assert unread(proj) == {"a", "b"}
    assert no_changes(run(proj, "apply"))


def test_a_file_edited_while_it_is_read_is_parsed_as_it_was_hashed(
        proj: TestProject, monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor saving the file between its hash and its parse: what is applied is what
    was hashed, so when the edit is undone the file is not skipped with the edit stored."""
    original = path_of(proj, "b").read_bytes()
    hashed = project_module.file_hash

    def edited_right_after(path: Path, data: bytes) -> str:
        if path == path_of(proj, "b"):
            proj.write_timeline(numbered_tasks("b", 3, shift=7), tl_id="b")
        return hashed(path, data)

    monkeypatch.setattr(project_module, "file_hash", edited_right_after)
    project = read_project(proj.config_path, LANG)
    (b,) = [tl for tl in project.resolutions() if tl.id == "b"]
    assert [t.due for t in b.tasks] == [dt.date(2026, 9, 1) + dt.timedelta(days=n)
                                        for n in range(3)]  # the bytes hashed, not the edit
    assert project.hashes[path_of(proj, "b")] == hashed(path_of(proj, "b"), original)


def test_a_new_comment_is_read_once(proj: TestProject) -> None:
    assert run(proj, "apply").returncode == 0
    path = path_of(proj, "b")
    path.write_text("# a comment changes no task\n" + path.read_text("utf-8"), "utf-8")
    assert unread(proj) == {"a"}
    assert no_changes(run(proj, "apply"))
    assert unread(proj) == {"a", "b"}  # its new bytes are marked all the same


def test_a_removed_file_removes_its_tasks_and_no_other(proj: TestProject) -> None:
    assert run(proj, "apply").returncode == 0
    path_of(proj, "b").unlink()
    removed = run(proj, "apply")
    assert removed.returncode == 0, removed.stderr
    lines = [line for line in removed.stdout.splitlines() if "/" in line]
    assert len(lines) == 3 and all(" b/b" in line for line in lines), removed.stdout
    assert unread(proj) == {"a"}
    assert no_changes(run(proj, "apply"))


@pytest.mark.parametrize("name", ["0-first", "z-last"])
def test_a_new_file_with_the_id_of_an_unread_one_is_refused(proj: TestProject,
                                                             name: str) -> None:
    assert run(proj, "apply").returncode == 0
    text = path_of(proj, "b").read_text("utf-8")
    (proj.root / "timelines" / f"{name}.toml").write_text(text, "utf-8")
    refused = run(proj, "apply")
    assert refused.returncode != 0
    first, second = sorted([f"{name}.toml", "b.toml"])  # told at the second in order
    said = _(LANG, "timeline id '{id}' is also used by {file}", id="b", file=first)
    assert said in refused.stderr and second in refused.stderr, refused.stderr
    (proj.root / "timelines" / f"{name}.toml").unlink()
    assert no_changes(run(proj, "apply"))


def test_a_plan_wholly_past_is_told_while_its_file_is_unread(proj: TestProject) -> None:
    later = "2027-06-01T09:00"  # after every date of both plans
    first = cli(proj, "apply", "--now", later)
    assert first.returncode == 0
    hints = [line for line in first.stdout.splitlines() if "--now" in line]
    assert len(hints) == 2
    again = cli(proj, "apply", "--now", later)
    assert unread(proj, dt.datetime(2027, 6, 1, 7, tzinfo=dt.UTC)) == {"a", "b"}
    assert [line for line in again.stdout.splitlines() if "--now" in line] == hints
