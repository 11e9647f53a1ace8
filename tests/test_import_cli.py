"""`fristvakt import`: files written, summary, --json, --force, and the round trip through
`validate` and `apply` for every seed plan (acceptance point 6)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from conftest import PLANS, Project

from scheduler.cli import main
from timelines.base.i18n import _

SEEDS = sorted(PLANS.glob("*.txt"))


def counted(lang: str, tasks: object = "") -> str:
    """The start of the summary's counts line: `18 tasks` (en), `18 oppgaver` (nb)."""
    line = _(lang, "{tasks} tasks: {dated} dated, {inherited} inherited, {undated} undated; "
                   "{owners} owners/roles", tasks=tasks, dated="", inherited="", undated="",
             owners="")
    return line.split(":")[0].strip()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("plan", SEEDS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_import_validate_apply_each_seed(project: Project, plan: Path) -> None:
    for old in project.timelines.glob("*.toml"):
        old.unlink()  # only the imported plan: the example file is not what is tested
    imported = project.run("import", str(plan))
    assert imported.code == 0, imported.err
    lang = project.lang
    assert _(lang, "needs attention") in imported.out or counted(lang) in imported.out
    validated = project.run("validate")
    assert validated.code == 0, validated.err
    applied = project.run("apply")
    assert applied.code == 0, applied.err
    (written,) = project.timelines.glob("*.toml")
    tasks = tomllib.loads(written.read_text(encoding="utf-8"))["task"]
    new = _(lang, "new") + " "
    assert sum(line.startswith(new) for line in applied.out.splitlines()) == len(tasks)


@pytest.mark.parametrize("plan", SEEDS, ids=lambda p: p.name[:3])
def test_reimport_gives_identical_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], plan: Path
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert run(capsys, "import", str(plan), "--out", str(first))[0] == 0
    assert run(capsys, "import", str(plan), "--out", str(second))[0] == 0
    (a,), (b,) = first.glob("*.toml"), second.glob("*.toml")
    ids_a = [t["id"] for t in tomllib.loads(a.read_text(encoding="utf-8"))["task"]]
    ids_b = [t["id"] for t in tomllib.loads(b.read_text(encoding="utf-8"))["task"]]
    assert ids_a == ids_b and len(set(ids_a)) == len(ids_a)


def test_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    plan = str(SEEDS[2])
    assert run(capsys, "import", plan, "--out", str(tmp_path))[0] == 0
    (written,) = tmp_path.glob("*.toml")
    written.write_text("# edited by the coordinator\n", encoding="utf-8")
    code, _, err = run(capsys, "import", plan, "--out", str(tmp_path))
    assert code == 1 and "--force" in err
    assert written.read_text(encoding="utf-8") == "# edited by the coordinator\n"
    assert run(capsys, "import", plan, "--out", str(tmp_path), "--force")[0] == 0
    assert "[[task]]" in written.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "nb", "sv"])
def test_summary_names_counts_year_and_attention(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    lang: str,
) -> None:
    monkeypatch.setenv("FRISTVAKT_LANG", lang)
    (plan,) = PLANS.glob("004_*.txt")  # a bokmål plan: its file is written in bokmål
    code, out, _err = run(capsys, "import", str(plan), "--out", str(tmp_path))
    assert code == 0
    counts = _(lang, "{tasks} tasks: {dated} dated, {inherited} inherited, {undated} undated; "
                     "{owners} owners/roles", tasks=18, dated=16, inherited=1, undated=1, owners=5)
    assert counts in out
    assert _(lang, "{year} (from the order of the milestone list, line {line})", year=2017,
             line=50) in out
    assert _(lang, "undated ('{when}'): set a date when it is known", when="?") in out
    (written,) = tmp_path.glob("*.toml")
    text = written.read_text(encoding="utf-8")
    assert _("nb", "undated ('{when}'): set a date when it is known", when="?") in text
    assert _("nb", "roles found in the document: key = original label") in text


def test_json_output_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (plan,) = PLANS.glob("004_*.txt")
    code, out, _ = run(capsys, "import", str(plan), "--out", str(tmp_path), "--json")
    assert code == 0
    data = json.loads(out)
    (timeline,) = data["timelines"]
    assert set(timeline) == {"id", "title", "lang", "ref_year", "period", "source", "tasks"}
    task = timeline["tasks"][0]
    assert set(task) == {"id", "title", "section", "when", "kind", "start", "due", "approximate",
                         "owners", "participants", "status", "budget", "line"}
    assert (task["when"], task["start"], task["due"]) == ("22/5", "2017-05-22", "2017-05-22")
    assert {"file", "line", "reason"} == set(data["attention"][0])
    assert any(a["line"] == 17 for a in data["attention"])


def test_many_files_and_a_missing_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    missing = tmp_path / "nope.txt"
    code, out, err = run(capsys, "import", *map(str, SEEDS), str(missing),
                         "--out", str(tmp_path / "out"))
    assert code == 1
    cannot = _("en", "cannot read {path}: {error}", path=missing,
               error="").strip()  # no config: English
    assert cannot in err and "Traceback" not in err
    assert len(list((tmp_path / "out").glob("*.toml"))) == len(SEEDS)
    assert out.count(counted("en") + ":") == len(SEEDS)


def test_default_folder_is_the_configs_timelines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, "init", str(tmp_path / "proj"))[0] == 0
    config = tmp_path / "proj" / "fristvakt.toml"
    assert run(capsys, "-c", str(config), "import", str(SEEDS[2]))[0] == 0
    assert len(list((tmp_path / "proj" / "timelines").glob("genomforandeplan*.toml"))) == 1
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "-c", str(tmp_path / "none.toml"), "import", str(SEEDS[2]))[0] == 0
    assert len(list((tmp_path / "timelines").glob("*.toml"))) == 1


def test_unknown_language_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    code, _, err = run(capsys, "import", str(SEEDS[0]), "--lang", "de", "--out", str(tmp_path))
    assert code == 1 and "--lang de" in err
    assert list(tmp_path.glob("*.toml")) == []
