"""What the coordinator reads is in their language: the rule that picks it, validation
problems and the import summary told in more than one language (the catalogs themselves:
test_i18n_catalogs.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import PLANS, Project
from rich.console import Console, RenderableType

from scheduler.cli import core
from timelines.base.i18n import _, _n, catalog_path
from timelines.base.lang import config_file_lang, locale_lang, ui_lang
from timelines.config import read_config
from timelines.files import read_timeline
from timelines.importer import import_document
from timelines.importer.summary import render


def test_nynorsk_is_not_bokmal() -> None:
    with catalog_path("nn").open("rb") as handle:
        nn = " ".join(form for message in read_po(handle) if message.id
                      for form in ([message.string] if isinstance(message.string, str)
                                   else message.string))
    for bokmal in (" ikke ", " fra ", " oppgave ", " mangler", " hvorfor"):
        assert bokmal not in f" {nn} "


def test_the_language_rule() -> None:
    assert ui_lang({"FRISTVAKT_LANG": "sv", "LANG": "nb_NO.UTF-8"}, "nn") == "sv"
    assert ui_lang({"FRISTVAKT_LANG": "de", "LANG": "nb_NO.UTF-8"}, "nn") == "nn"
    assert ui_lang({"LANG": "sv_SE.UTF-8"}, "nn") == "nn"
    assert ui_lang({"LANG": "sv_SE.UTF-8"}) == "sv"
    assert ui_lang({"LC_ALL": "nn_NO.UTF-8", "LANG": "sv_SE.UTF-8"}) == "nn"
    assert locale_lang({"LANG": "no_NO.UTF-8"}) == "nb"
    assert ui_lang({"LANG": "de_DE.UTF-8"}) == ui_lang({}) == "en"


def test_the_config_names_a_language_only_when_it_writes_one(tmp_path: Path) -> None:
    path = tmp_path / "fristvakt.toml"
    path.write_text('[coordinator]\nname = "K"\nlang = "sv"\n', encoding="utf-8")
    assert config_file_lang(path) == "sv"
    path.write_text('[coordinator]\nname = "K"\n', encoding="utf-8")
    assert config_file_lang(path) is None
    path.write_text("[coordinator\n", encoding="utf-8")
    assert config_file_lang(path) is None
    assert config_file_lang(tmp_path / "none.toml") is None


BROKEN = """\
[timeline]
id = "broken"
title = "Broken plan"
colour = "red"

[[task]]
id = "a"
title = "First"
due = "next week"
status = "begun"
lag = "2 days"
line = "x"
"""


@pytest.mark.parametrize("lang", ["nb", "sv", "en"])
def test_pydantic_errors_are_told_in_the_language_given(tmp_path: Path, lang: str) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(BROKEN, encoding="utf-8")
    _timeline, problems = read_timeline(path, lang)
    said = {p.key: p.message for p in problems}
    assert said["timeline.colour"] == _(lang, "unknown key (check the spelling)")
    assert said["task[1].due"] == _(lang, "must be a date like 2024-05-31 (got {value})",
                                    value="'next week'")
    assert said["task[1].status"] == _(lang, "must be one of: {expected} (got {value})",
                                       expected="planned, ongoing, done, cancelled",
                                       value="'begun'")
    assert said["task[1].lag"] == _(lang, "write days like 3d or weeks like 2w (got {value})",
                                    value="'2 days'")
    assert said["task[1].line"] == _(lang, "must be a whole number (got {value})", value="'x'")
    assert all(p.lang == lang for p in problems)


@pytest.mark.parametrize("lang", ["nb", "sv"])
def test_config_problems_are_told_in_the_language_given(tmp_path: Path, lang: str) -> None:
    path = tmp_path / "fristvakt.toml"
    path.write_text('timezone = "Europe/Osl"\nmissing_key = 1\n[smtp]\nport = 0\n'
                    '[coordinator]\nemail = "kari"\n[roles.au]\nmembers = ["ghost"]\n',
                    encoding="utf-8")
    _config, problems = read_config(path, lang)
    said = {p.key: p.message for p in problems}
    assert said["timezone"] == _(lang, "unknown time zone '{value}' (use e.g. Europe/Oslo)",
                                 value="Europe/Osl")
    assert said["missing_key"] == _(lang, "unknown key (check the spelling)")
    assert said["smtp.port"] == _(lang, "must be at least {limit} (got {value})", limit=1,
                                  value="0")
    assert said["coordinator.email"] == _(lang, "not an email address: '{value}'", value="kari")
    assert said["roles.au.members[1]"] == _(lang, "unknown owner '{member}': add [owners.{member}] "
                                                  "or fix the name", member="ghost")


def test_validate_speaks_the_configs_language_unless_told_otherwise(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    (project.timelines / "broken.toml").write_text(BROKEN, encoding="utf-8")
    (project.timelines / "roles.toml").write_text(
        '[timeline]\nid = "r"\ntitle = "R"\n\n[timeline.roles]\nau = "AU"\n\n'
        '[[task]]\nid = "t"\ntitle = "T"\nowners = ["au"]\n', encoding="utf-8")
    for lang in ("nb", "sv"):
        if lang != "nb":  # `init` writes coordinator.lang = "nb"; the environment wins
            monkeypatch.setenv("FRISTVAKT_LANG", lang)
        assert project.lang == lang
        result = project.run("validate")
        assert result.code == 1
        assert _(lang, "must be a date like 2024-05-31 (got {value})",
                 value="'next week'") in result.err
        unreached = _n(lang, "{n} task reaches no person, so its reminders go to the coordinator: "
                       "{shown}", "{n} tasks reach no person, so their reminders go to the "
                       "coordinator: {shown}", 1, shown="t")
        warning = _(lang, "(warning)") + " " + unreached
        assert warning in result.err


def test_errors_and_changes_are_told_in_the_language_in_force(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    assert project.run("diff").out.split()[0] == _("nb", "new")
    monkeypatch.setenv("FRISTVAKT_LANG", "sv")
    empty = project.run("feeds", "token", "create")
    assert empty.code == 1
    no_scope = _("sv", "give --owner, --timeline or --role (or several: they combine)")
    assert empty.err.strip() == _("sv", "error: {message}", message=no_scope)
    assert project.run("validate").out.strip() == core.valid_line("sv", 1, 3)
    assert core.valid_line("sv", 1, 3) == "ok: 1 tidslinje, 3 uppgifter"


def test_the_locale_speaks_when_the_config_does_not(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    text = project.config.read_text(encoding="utf-8")
    project.config.write_text(text.replace('lang = "nb"\n\n[smtp]', '\n[smtp]'), "utf-8")
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    assert project.lang == "sv"
    assert project.run("apply").code == 0
    assert project.run("apply").out.splitlines()[0] == _("sv", "no changes")


def test_the_summary_speaks_the_readers_language_the_file_the_plans(tmp_path: Path) -> None:
    (plan,) = PLANS.glob("004_*.txt")  # bokmål
    result = import_document(plan)
    assert result.timeline.lang == "nb"
    undated = next(task for task in result.timeline.tasks if task.when == "?")
    assert undated.attention.startswith(_("nb", "undated ('{when}'): set a date when it is known",
                                          when="?"))
    row = next(a for a in result.attention if a.line == undated.line)
    for lang in ("sv", "nn"):
        assert row.reason(lang).startswith(_(lang,
                                             "undated ('{when}'): set a date when it is known",
                                             when="?"))
        assert row.as_json(lang)["reason"] == row.reason(lang)
    lines = _plain(render(result, None, "sv"))
    assert _("sv", "needs attention") in lines
    assert _("sv", "{year} (from the order of the milestone list, line {line})", year=2017,
             line=50) in lines


def _plain(renderable: RenderableType) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()
