"""Bad timeline files: one message per problem, naming file, key and line; nothing stored."""

from __future__ import annotations

import sqlalchemy as sa
from conftest import Project

from timelines.base.i18n import _, _n
from timelines.db import open_database

LANG = "nb"  # the language in force: `fristvakt init` writes coordinator.lang = "nb"

BROKEN = """\
[timeline]
id = "broken"
title = "Broken plan"
lang = "nb"

[[task]]
id = "a"
title = "First"
due = "next week"
owners = ["nobody-known"]
after = ["c"]

[[task]]
id = "a"
title = "Duplicate id"
due = 2024-05-01

[[task]]
id = "c"
title = "Cycle"
after = ["a"]
"""


def _lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.strip()]


def test_every_problem_is_reported_once_with_file_key_and_line(project: Project) -> None:
    path = project.timelines / "broken.toml"
    path.write_text(BROKEN, encoding="utf-8")
    result = project.run("validate")
    assert result.code == 1
    lines = _lines(result.err)
    assert f"{path}:9: task[1].due:" in result.err and "next week" in result.err
    assert any(f"{path}:10: task[1].owners[1]" in ln and "nobody-known" in ln for ln in lines)
    duplicate = _(LANG, "duplicate task id '{id}': ids must be unique", id="a")
    assert any(f"{path}:14: task[2].id" in ln and duplicate in ln for ln in lines)
    cycle = _(LANG, "dependency cycle: {path}", path="").strip()
    assert any(cycle in ln for ln in lines)
    assert "Traceback" not in result.err


def test_syntax_error_names_file_and_line(project: Project) -> None:
    path = project.timelines / "syntax.toml"
    path.write_text('[timeline]\nid = "s"\ntitle = "x\n', encoding="utf-8")
    result = project.run("validate")
    assert result.code == 1
    syntax = _(LANG, "TOML syntax error: {message}", message="").strip()
    assert f"{path}:3:" in result.err and syntax in result.err


def test_problems_in_two_files_are_all_reported(project: Project) -> None:
    (project.timelines / "one.toml").write_text("[timeline\n", encoding="utf-8")
    (project.timelines / "two.toml").write_text('[timeline]\nid = "t"\n', encoding="utf-8")
    result = project.run("validate")
    assert result.code == 1
    assert "one.toml:1:" in result.err
    assert "two.toml" in result.err and "timeline.title" in result.err


def test_apply_with_a_broken_file_changes_nothing(project: Project) -> None:
    assert project.run("apply").code == 0
    engine = open_database(project.db_url)
    with engine.connect() as conn:
        before = conn.execute(sa.text("select key, due, date_version from task order by key")).all()
    (project.timelines / "broken.toml").write_text(BROKEN, encoding="utf-8")
    example = project.timelines / "eksempel.toml"
    example.write_text(example.read_text().replace("due = 20", "due = 19"), encoding="utf-8")
    result = project.run("apply")
    assert result.code == 1
    with engine.connect() as conn:
        after = conn.execute(sa.text("select key, due, date_version from task order by key")).all()
    engine.dispose()
    assert after == before


def test_config_errors_are_collected_and_located(project: Project) -> None:
    text = project.config.read_text(encoding="utf-8")
    text = text.replace('timezone = "Europe/Oslo"          #', 'timezone = "Europe/Osl"  #', 1)
    text = text.replace('members = ["ola"]', 'members = ["ola", "ghost"]')
    text = text.replace('security = "none"', 'security = "ssl"')
    project.config.write_text(text, encoding="utf-8")
    result = project.run("validate")
    assert result.code == 1
    zone = _(LANG, "unknown time zone '{value}' (use e.g. Europe/Oslo)", value="Europe/Osl")
    assert ":4: timezone:" in result.err and zone in result.err
    assert "smtp.security" in result.err
    assert "roles.regionradgiver.members[2]" in result.err and "ghost" in result.err


def test_roles_and_tasks_that_reach_nobody_are_warnings_not_errors(project: Project) -> None:
    (project.timelines / "roles.toml").write_text(
        '[timeline]\nid = "r"\ntitle = "R"\n\n[timeline.roles]\nau = "AU"\n\n'
        '[[task]]\nid = "t"\ntitle = "T"\nowners = ["au"]\n', encoding="utf-8")
    result = project.run("validate")
    assert result.code == 0
    assert _(LANG, "role '{name}' ({label}) maps to no person: add [roles.{name}] members = [...] "
                   "to fristvakt.toml (until then its reminders go to the coordinator)", name="au",
             label="AU") in result.err
    assert _n(LANG, "{n} task reaches no person, so its reminders go to the coordinator: {shown}",
              "{n} tasks reach no person, so their reminders go to the coordinator: {shown}", 1,
              shown="t") in result.err
