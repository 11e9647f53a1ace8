"""What the coordinator reads is in their language: the rule that picks it, the catalogs that
hold every text (complete in nb, nn, sv), validation problems and the import summary told in
more than one language."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import PLANS, ROOT, Project
from rich.console import Console, RenderableType

from scheduler import reports
from scheduler.cli import core, engine
from timelines import tomlfile
from timelines.base.i18n import catalog, t
from timelines.base.lang import config_file_lang, locale_lang, plural, ui_lang
from timelines.config import read_config
from timelines.files import read_timeline
from timelines.importer import import_document
from timelines.importer.messages import say
from timelines.importer.summary import render

SECTIONS = ("cli", "problem", "importer", "office")
CODE = [*ROOT.glob("timelines/**/*.py"), *ROOT.glob("scheduler/**/*.py")]
# How code names a catalog key: a full dotted key, or a short one behind a helper.
FULL = re.compile(r"""["']((?:cli|problem|importer|office)\.[a-z_.]+[a-z_])["']""")
SHORT = {
    "problem": re.compile(r"""(?:\.say|Invalid)\(\s*["']([a-z_]+)["']"""),
    # say("key"...), said("key"...), and said("a" if ... else "b"...)
    "importer": re.compile(r"""\b(?:say|said)\(\s*(?:["'][a-z_]+["']\s+if\s[^()]*?else\s+)?"""
                           r"""["']([a-z_.]+)["']"""),
}
SAID = re.compile(r"""said\(\s*["']([a-z_]+)["']""")
REASONS = re.compile(r"""["']((?:year|skip)_[a-z_]+)["']""")


def _exists(key: str) -> bool:
    en = catalog("en")
    return key in en or (f"{key}.one" in en and f"{key}.other" in en)


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for path in CODE:
        text = path.read_text(encoding="utf-8")
        keys.update(FULL.findall(text))
        importer = "importer" in path.parts or path.name == "importer.py"
        keys.update(f"problem.{k}" for k in SHORT["problem"].findall(text) if not importer)
        if importer:
            keys.update(k if k.startswith("office.") else f"importer.{k}"
                        for k in SHORT["importer"].findall(text))
            keys.update(f"importer.{k}" for k in SAID.findall(text))
            keys.update(f"importer.{k}" for k in REASONS.findall(text))
    return keys


def test_every_key_the_code_uses_exists_in_english() -> None:
    used = _used_keys()
    dynamic = {f"problem.{k}" for k in (*tomlfile._KEYS.values(), *tomlfile._LIMITS.values(),
                                        *tomlfile.PATTERN_HINTS.values())}
    dynamic |= {f"cli.core.change.{kind}" for kind in core.CHANGE_KINDS}
    dynamic |= {f"cli.core.col_{col}" for col in ("due", "task", "plan", "who")}
    dynamic |= {f"cli.engine.col_{col}" for col in (*engine.PLAN_COLUMNS, *engine.LOG_COLUMNS)}
    # A status has its text in `cli.engine.status`, or (added later) `reliability.status`.
    dynamic |= {next((key for key in (f"cli.engine.status.{s}", f"reliability.status.{s}")
                      if _exists(key)), f"cli.engine.status.{s}")
                for s in (s.replace("-", "_") for s in reports.STATUSES)}
    dynamic |= {f"cli.engine.kind.{kind}" for kind in reports.KINDS}
    assert len(used) > 80  # the scan finds the keys (a broken pattern would find none)
    assert sorted(k for k in used | dynamic if not _exists(k)) == []


@pytest.mark.parametrize("lang", ["nb", "nn", "sv"])
def test_nb_nn_sv_have_every_english_key(lang: str) -> None:
    own = catalog(lang)
    english = [k for k in catalog("en") if k.split(".")[0] in SECTIONS]
    assert [k for k in english if k not in own] == []


@pytest.mark.parametrize("lang", ["nb", "nn", "sv"])
def test_translations_keep_the_placeholders(lang: str) -> None:
    own, en = catalog(lang), catalog("en")
    fields = re.compile(r"{(\w+)}")
    for key in (k for k in en if k.split(".")[0] in SECTIONS):
        assert set(fields.findall(own[key])) == set(fields.findall(en[key])), key


def test_nynorsk_is_not_bokmal() -> None:
    nn = " ".join(v for k, v in catalog("nn").items() if k.split(".")[0] in SECTIONS)
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
    _, problems = read_timeline(path, lang)
    said = {p.key: p.message for p in problems}
    assert said["timeline.colour"] == t(lang, "problem.extra")
    assert said["task[1].due"] == t(lang, "problem.date", value="'next week'")
    assert said["task[1].status"] == t(lang, "problem.literal",
                                       expected="planned, ongoing, done, cancelled",
                                       value="'begun'")
    assert said["task[1].lag"] == t(lang, "problem.pattern_lag", value="'2 days'")
    assert said["task[1].line"] == t(lang, "problem.int", value="'x'")
    assert all(p.lang == lang for p in problems)


@pytest.mark.parametrize("lang", ["nb", "sv"])
def test_config_problems_are_told_in_the_language_given(tmp_path: Path, lang: str) -> None:
    path = tmp_path / "fristvakt.toml"
    path.write_text('timezone = "Europe/Osl"\nmissing_key = 1\n[smtp]\nport = 0\n'
                    '[coordinator]\nemail = "kari"\n[roles.au]\nmembers = ["ghost"]\n',
                    encoding="utf-8")
    _, problems = read_config(path, lang)
    said = {p.key: p.message for p in problems}
    assert said["timezone"] == t(lang, "problem.zone", value="Europe/Osl")
    assert said["missing_key"] == t(lang, "problem.extra")
    assert said["smtp.port"] == t(lang, "problem.ge", limit=1, value="0")
    assert said["coordinator.email"] == t(lang, "problem.email", value="kari")
    assert said["roles.au.members[1]"] == t(lang, "problem.role_member", member="ghost")


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
        assert t(lang, "problem.date", value="'next week'") in result.err
        warning = f"{t(lang, 'problem.warning')} {plural(lang, 'problem.unreached', 1, shown='t')}"
        assert warning in result.err


def test_errors_and_changes_are_told_in_the_language_in_force(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    assert project.run("diff").out.split()[0] == t("nb", "cli.core.change.new")
    monkeypatch.setenv("FRISTVAKT_LANG", "sv")
    empty = project.run("feeds", "token", "create")
    assert empty.code == 1
    assert empty.err.strip() == t("sv", "cli.errors.error", message=t("sv", "cli.feeds.no_scope"))
    assert project.run("validate").out.strip() == core.valid_line("sv", 1, 3)
    assert core.valid_line("sv", 1, 3) == "ok: 1 tidslinje, 3 uppgifter"


def test_the_locale_speaks_when_the_config_does_not(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    text = project.config.read_text(encoding="utf-8")
    project.config.write_text(text.replace('lang = "nb"\n\n[smtp]', '\n[smtp]'), "utf-8")
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    assert project.lang == "sv"
    assert project.run("apply").code == 0
    assert project.run("apply").out.splitlines()[0] == t("sv", "cli.core.no_changes")


def test_the_summary_speaks_the_readers_language_the_file_the_plans(tmp_path: Path) -> None:
    (plan,) = PLANS.glob("004_*.txt")  # bokmål
    result = import_document(plan)
    assert result.timeline.lang == "nb"
    undated = next(task for task in result.timeline.tasks if task.when == "?")
    assert undated.attention.startswith(say("undated", "nb", when="?"))
    row = next(a for a in result.attention if a.line == undated.line)
    for lang in ("sv", "nn"):
        assert row.reason(lang).startswith(say("undated", lang, when="?"))
        assert row.as_json(lang)["reason"] == row.reason(lang)
    lines = _plain(render(result, None, "sv"))
    assert say("summary_attention", "sv") in lines
    assert say("year_list_order", "sv", year=2017, line=50) in lines


def _plain(renderable: RenderableType) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()
