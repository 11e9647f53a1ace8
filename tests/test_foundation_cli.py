"""The coordinator's first five minutes: init, validate, agenda, and errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import NOW, Project

from scheduler.cli import main
from timelines.base.i18n import _


def test_init_then_validate_exits_zero_and_agenda_lists_the_examples(project: Project) -> None:
    assert project.run("validate").code == 0
    result = project.run("agenda", "--json", "--days", "120", "--now", NOW)
    assert result.code == 0
    titles = {item["title"] for item in json.loads(result.out)}
    assert "Høring av planforslaget" in titles
    assert len(titles) >= 1


def test_init_refuses_to_overwrite(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["init", str(tmp_path)]) == 0
    before = (tmp_path / "fristvakt.toml").read_text()
    assert main(["init", str(tmp_path)]) == 1  # no config here and no locale: English
    exists = _("en", "{path} already exists; nothing was changed", path=tmp_path / "fristvakt.toml")
    assert exists in capsys.readouterr().err
    assert (tmp_path / "fristvakt.toml").read_text() == before


def test_missing_config_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scheduler", "-c", str(tmp_path / "nope.toml"), "validate"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 1
    assert _("en",
             "{path}: no such config file (create one with `fristvakt init`, or pass -c PATH)",
             path=tmp_path / "nope.toml") in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_agenda_for_an_owner_shows_their_subscription_link(
        project: Project, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FRISTVAKT_FEED_SECRET", "a-test-secret-of-some-length")
    assert project.run("apply", "--now", NOW).code == 0
    created = project.run("feeds", "token", "create", "--owner", "anna")
    assert created.code == 0
    webcal = next(line for line in created.out.split() if line.startswith("webcal://"))
    shown = project.run("agenda", "--owner", "anna", "--days", "120", "--now", NOW)
    assert shown.code == 0
    assert webcal in shown.out
    other = project.run("agenda", "--owner", "ola", "--days", "120", "--now", NOW)
    assert webcal not in other.out


def test_a_usage_error_is_exit_2_with_a_usage_message(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["dates", "x", "--year", "abc"]) == 2
    err = capsys.readouterr().err
    assert "--year" in err and "Traceback" not in err
