"""A newcomer's plans: no date is lost in silence, `apply` and `run` say what they planned and
what comes next, piped output keeps one record per line, and odd file encodings are read or
named."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import NOW, Project

from timelines.base.i18n import _, _n

LANG = "nb"  # the conftest project's coordinator.lang

UNDATED = """
[[task]]
id = "haust"
title = "Haust"
when = "Haust 2099x"

[[task]]
id = "ingen"
title = "Ingen dato"

[[task]]
id = "ferdig"
title = "Ferdig"
status = "done"
"""


def _add_tasks(project: Project, text: str) -> Path:
    path = project.timelines / "eksempel.toml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


def _first(rows: list[dict[str, str]]) -> str:
    """The first send time of `plan --json` rows, as the coordinator reads it."""
    first = min(dt.datetime.fromisoformat(row["send_at"]) for row in rows)
    return first.astimezone(ZoneInfo("Europe/Oslo")).strftime("%Y-%m-%d %H:%M %Z")


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_validate_warns_of_an_unreadable_when_and_an_undated_open_task(
        project: Project) -> None:
    path = _add_tasks(project, UNDATED)
    result = project.run("validate")
    assert result.code == 0, result.err
    warning = _(LANG, "(warning)")
    unread = _(LANG, "cannot read the date {when}: write `due = YYYY-MM-DD` (an explicit date "
                     "wins), or fix `when`", when="'Haust 2099x'")
    at = _line_of(path, 'when = "Haust 2099x"')
    assert f"{path}:{at}: task[4].when: {warning} {unread}" in result.err
    no_date = _(LANG, "open task without a date, so it gets no reminders: write `due = YYYY-MM-DD`")
    assert f"task[5]: {warning} {no_date}" in result.err
    assert "task[6]" not in result.err  # a finished task needs no date
    assert "due = ÅÅÅÅ-MM-DD" in result.err


def test_diff_and_apply_report_a_date_they_cannot_read(project: Project) -> None:
    _add_tasks(project, UNDATED)
    unread = _(LANG, "cannot read the date {when}: write `due = YYYY-MM-DD` (an explicit date "
                     "wins), or fix `when`", when="'Haust 2099x'")
    assert unread in project.run("diff").err
    applied = project.run("apply", "--now", NOW)
    assert applied.code == 0 and unread in applied.err


def test_a_date_that_becomes_unreadable_is_shown_as_lost(project: Project) -> None:
    assert project.run("apply", "--now", NOW).code == 0
    path = project.timelines / "eksempel.toml"
    text = path.read_text(encoding="utf-8")
    first = text.split('when = "', 1)[1].split('"', 1)[0]
    path.write_text(text.replace(f'when = "{first}"', 'when = "Haust 2099x"'), "utf-8")
    moved = project.run("diff")
    assert "(" + _(LANG, "no date") + ")" in moved.out
    assert "innspillsmote" in moved.out and "Haust 2099x" in moved.err


def test_apply_says_how_many_reminders_it_planned_and_when_the_next_is(
        project: Project) -> None:
    result = project.run("apply", "--now", NOW)
    assert result.code == 0, result.err
    rows = json.loads(project.run("plan", "--json", "--now", NOW).out)
    said = _n(LANG, "{n} reminder planned, next on {next}", "{n} reminders planned, next on {next}",
              len(rows), next=_first(rows))
    assert len(rows) > 1 and said in result.out.splitlines()


def test_apply_of_a_plan_wholly_in_the_past_says_how_to_replay_it(project: Project) -> None:
    later = "2028-01-10T09:00"  # after every date init wrote from INIT_TODAY
    result = project.run("apply", "--now", later)
    assert result.code == 0
    assert _(LANG, "no reminders planned") in result.out
    hint = _(LANG, "{timeline}: every date lies in the past (the last is {last}), so it gets no "
                   "reminders; to replay it as if it were earlier: fristvakt apply --now {now}",
             timeline="eksempel", last=project.due("horing"),
             now="2026-11-02T08:00")
    assert hint in result.out


def test_apply_with_another_now_that_replans_never_says_no_changes(project: Project) -> None:
    assert project.run("apply", "--now", "2028-01-10T09:00").code == 0
    again = project.run("apply", "--now", NOW)
    assert again.code == 0
    assert _(LANG, "no changes") not in again.out
    assert _(LANG, "no task changed, but the reminder plan did: {before} → {after} waiting",
             before=0, after=14) in again.out
    same = project.run("apply", "--now", NOW)
    assert same.out.splitlines()[0] == _(LANG, "no changes")


def test_run_once_with_nothing_due_says_when_the_next_reminder_is(project: Project) -> None:
    assert project.run("apply", "--now", NOW).code == 0
    result = project.run("run", "--once", "--now", NOW)
    assert result.code == 0, result.err
    rows = json.loads(project.run("plan", "--json", "--now", NOW).out)
    assert result.out.splitlines()[-1] == _(LANG, "next reminder: {next}", next=_first(rows))


def test_run_once_with_nothing_planned_says_so(project: Project) -> None:
    result = project.run("run", "--once", "--now", NOW)
    assert result.out.splitlines()[-1] == _(LANG, "no reminders planned")


def test_piped_output_is_one_record_per_line(project: Project) -> None:
    long_title = "Ein svært lang tittel " * 8
    _add_tasks(project, f'\n[[task]]\nid = "lang"\ntitle = "{long_title.strip()}"\n'
                        'due = 2026-12-01\n')
    env = {**os.environ, "COLUMNS": "80", "FRISTVAKT_LANG": "en"}
    done = subprocess.run([sys.executable, "-m", "scheduler", "-c", str(project.config), "diff"],
                          capture_output=True, text=True, env=env, check=True)
    records = done.stdout.splitlines()
    assert len(records) == 4 and all(line.startswith("new ") for line in records)
    assert any(line.endswith(long_title.strip()) for line in records)


def test_a_timeline_saved_with_a_byte_order_mark_is_read(project: Project) -> None:
    path = project.timelines / "eksempel.toml"
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    config = project.config
    config.write_bytes(codecs.BOM_UTF8 + config.read_bytes())
    result = project.run("validate")
    assert result.code == 0, result.err
    assert project.lang == LANG  # the config's language is still read through the mark


def test_a_latin1_timeline_is_named_with_what_to_do(project: Project) -> None:
    path = project.timelines / "eksempel.toml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    result = project.run("validate")
    assert result.code == 1
    said = _(LANG, "{file} is not UTF-8 (it looks like {guess}): save it as UTF-8",
             file="eksempel.toml", guess="Latin-1/Windows-1252")
    assert said in result.err
    assert "codec" not in result.err and "0x" not in result.err


def test_a_utf16_config_is_named_as_such(project: Project) -> None:
    config = project.config
    config.write_bytes(config.read_text(encoding="utf-8").encode("utf-16"))
    result = project.run("validate")
    assert result.code == 1
    said = _("en", "{file} is not UTF-8 (it looks like {guess}): save it as UTF-8",
             file="fristvakt.toml", guess="UTF-16")
    assert said in result.err  # its language cannot be read from it: the default speaks


def test_a_database_that_cannot_be_opened_is_told_in_one_language(
        project: Project, tmp_path: Path) -> None:
    project.set_config("database_url", f'"sqlite:///{tmp_path}/no/such/dir/x.db"')
    result = project.run("plan")
    assert result.code != 0
    assert result.err.startswith(_(LANG, "error: {message}", message="kan ikke åpne databasen"))
    assert "cannot open" not in result.err and "Traceback" not in result.err
