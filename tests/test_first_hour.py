"""A newcomer's first hour: `init` and finding the config behave the same on any day, in any
language, from any folder of the project."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from scheduler.cli import main


def _toml(path: Path) -> dict[str, object]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_init_dates_the_example_plan_from_the_day_given(tmp_path: Path) -> None:
    assert main(["init", "--today", "2031-02-03", str(tmp_path)]) == 0
    example = _toml(tmp_path / "timelines" / "eksempel.toml")
    assert example["timeline"]["ref_year"] == 2031  # type: ignore[index]
    dues = [task.get("due") for task in example["task"]]  # type: ignore[attr-defined]
    assert str(dues[-1]) == "2031-03-20"  # 45 days after --today


@pytest.mark.parametrize(("env", "value", "lang"), [
    ("FRISTVAKT_LANG", "sv", "sv"), ("LANG", "nn_NO.UTF-8", "nn"), ("LANG", "C.UTF-8", "en")])
def test_init_writes_the_users_language_for_the_coordinator(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: str, value: str, lang: str) -> None:
    monkeypatch.setenv(env, value)
    assert main(["init", str(tmp_path)]) == 0
    assert _toml(tmp_path / "fristvakt.toml")["coordinator"]["lang"] == lang  # type: ignore[index]


def test_init_lang_option_wins_and_a_bad_one_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["init", "--lang", "nn", str(tmp_path / "a")]) == 0
    assert _toml(tmp_path / "a" / "fristvakt.toml")["coordinator"]["lang"] == "nn"  # type: ignore[index]
    assert main(["init", "--lang", "de", str(tmp_path / "b")]) == 2
    assert not (tmp_path / "b").exists()


def test_the_config_is_found_in_a_parent_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "--lang", "en", str(tmp_path / "proj")]) == 0
    monkeypatch.chdir(tmp_path / "proj" / "timelines")
    capsys.readouterr()
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.startswith("ok: 1 timeline")


def test_a_project_around_you_wins_over_fristvakt_config(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "--lang", "en", str(tmp_path / "here")]) == 0
    monkeypatch.setenv("FRISTVAKT_CONFIG", str(tmp_path / "elsewhere" / "fristvakt.toml"))
    monkeypatch.chdir(tmp_path / "here")
    assert main(["validate"]) == 0
    monkeypatch.chdir(tmp_path)  # no project around: the variable names the config
    capsys.readouterr()
    assert main(["validate"]) == 1
    assert "elsewhere" in capsys.readouterr().err


def test_an_explicit_config_wins_over_the_one_around_you(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "--lang", "en", str(tmp_path / "here")]) == 0
    monkeypatch.chdir(tmp_path / "here")
    capsys.readouterr()
    assert main(["-c", str(tmp_path / "none.toml"), "validate"]) == 1
    assert "none.toml" in capsys.readouterr().err
