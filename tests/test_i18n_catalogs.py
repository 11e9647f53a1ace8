"""Every text a user reads is translated: `pybabel extract` finds each message of the code and
the templates, and the nb, nn and sv catalogs translate every one of them (no fuzzy, no empty
plural form, the same placeholders), keep nothing the code no longer says, and are read from
the .po when its .mo is missing or older."""

from __future__ import annotations

import ast
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from conftest import ROOT
from jinja2 import Environment, nodes

from timelines.base import i18n
from timelines.base.i18n import _, _n, _p, catalog_path

LOCALE = ROOT / "templates" / "locale"
SOURCES = ("scheduler", "timelines", "notifiers", "templates")
TRANSLATED = ("nb", "nn", "sv")
# The literal arguments of each gettext function (by position, the message first) in the code
# and in the templates.
PYTHON_CALLS = {"_": (1,), "_n": (1, 2), "_p": (2, 1), "N_": (0,)}
TEMPLATE_CALLS = {"_": (0,), "gettext": (0,), "ngettext": (0, 1), "pgettext": (1, 0)}
Key = tuple[str, str | None]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """What `pybabel extract` finds with the project's mapping (as `make messages` runs it)."""
    pot = tmp_path_factory.mktemp("pot") / "fristvakt.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(LOCALE / "babel.cfg"),
                                "-o", str(pot), *(str(ROOT / source) for source in SOURCES)])
    with pot.open("rb") as handle:
        return read_po(handle)


def _catalog(lang: str) -> Catalog:
    with catalog_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def _key(message: Message) -> Key:
    return (message.id if isinstance(message.id, str) else message.id[0], message.context)


def _messages(catalog: Catalog) -> dict[Key, Message]:
    return {_key(message): message for message in catalog if message.id}


def _forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [
        message.string]


def test_extraction_finds_the_code_and_the_templates(extracted: Catalog) -> None:
    found = _messages(extracted)
    assert len(found) > 400
    assert ("Hello {name},", None) in found  # a template (and Python)
    assert ("Deadline {date}: {title}", "calendar alarm") in found  # a context
    assert ("{n} task", None) in found and found["{n} task", None].pluralizable
    assert ("Show tracebacks.", None) in found  # a `--help` text, from a table


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(extracted: Catalog, lang: str) -> None:
    own = _messages(_catalog(lang))
    missing = [key for key in _messages(extracted) if key not in own]
    fuzzy = [key for key, message in own.items() if message.fuzzy]
    empty = [key for key, message in own.items() if not all(_forms(message))]
    assert (missing, fuzzy, empty) == ([], [], [])


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_catalog_keeps_a_message_the_code_no_longer_says(extracted: Catalog,
                                                            lang: str) -> None:
    stale = set(_messages(_catalog(lang))) - set(_messages(extracted))
    assert sorted(stale, key=str) == []


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_the_placeholders(lang: str) -> None:
    catalog = _catalog(lang)
    assert [(message.id, errors) for message, errors in catalog.check()] == []
    assert catalog.num_plurals == 2  # like English: one, other
    for message in (m for m in catalog if m.id):
        english = message.id if isinstance(message.id, str) else message.id[1]
        forms = _forms(message)
        assert len(forms) == (2 if message.pluralizable else 1), message.id
        for form in forms:
            assert _fields(form) == _fields(english), (message.id, form)


def _python_calls() -> Iterator[tuple[Path, ast.Call, tuple[int, ...]]]:
    for source in SOURCES[:3]:
        for path in (ROOT / source).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and (
                        node.func.id in PYTHON_CALLS):
                    yield path, node, PYTHON_CALLS[node.func.id]


def test_every_gettext_call_in_the_code_gets_literals(extracted: Catalog) -> None:
    """A message that is not a literal escapes extraction (and so translation); so does one
    inside an f-string, which pybabel does not look into: each must be in the .pot."""
    known = {message.id if isinstance(message.id, str) else message.id[0]
             for message in extracted if message.id}
    calls, unseen = 0, []
    for path, call, positions in _python_calls():
        calls += 1
        args = [call.args[i] if i < len(call.args) else None for i in positions]
        if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
            unseen.append(f"{path.relative_to(ROOT)}:{call.lineno} not literal")
            continue
        message = args[0].value  # type: ignore[union-attr]
        if message not in known:
            unseen.append(f"{path.relative_to(ROOT)}:{call.lineno} {message!r} not extracted")
    assert calls > 400
    assert unseen == []


def test_every_gettext_call_in_the_templates_gets_literals() -> None:
    env = Environment(extensions=["jinja2.ext.i18n"])
    calls, wrong = 0, []
    for path in (ROOT / "templates").rglob("*.j2"):
        tree = env.parse(path.read_text(encoding="utf-8"))
        for call in tree.find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name in TEMPLATE_CALLS:
                calls += 1
                args = [call.args[i] if i < len(call.args) else None
                        for i in TEMPLATE_CALLS[call.node.name]]
                if not all(isinstance(a, nodes.Const) and isinstance(a.value, str)
                           for a in args):
                    wrong.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert calls > 100
    assert wrong == []


@pytest.mark.parametrize(("lang", "one", "two"), [
    ("nb", "1 oppgave", "2 oppgaver"), ("nn", "1 oppgåve", "2 oppgåver"),
    ("sv", "1 uppgift", "2 uppgifter"), ("en", "1 task", "2 tasks"),
])
def test_plural_forms_follow_the_language(lang: str, one: str, two: str) -> None:
    assert _n(lang, "{n} task", "{n} tasks", 1) == one
    assert _n(lang, "{n} task", "{n} tasks", 2) == two
    assert _n(lang, "{n} task", "{n} tasks", 0) == two.replace("2", "0")


def test_one_english_text_translated_two_ways_by_its_context() -> None:
    assert _("nb", "Overdue") == "Fristen er passert"  # the mail's heading
    assert _p("nb", "table column", "Overdue") == "Forfalt"
    assert _p("nb", "status report", "Overdue") == "Over fristen"


def test_a_language_without_a_catalog_and_english_say_the_message_itself() -> None:
    assert _("en", "Hello {name},", name="Kari") == "Hello Kari,"
    assert _("de", "Hello {name},", name="Kari") == "Hello Kari,"
    assert _("nb", "A text no catalog has") == "A text no catalog has"


@pytest.fixture
def locale_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The catalogs in a folder of their own, read from there (and the cache emptied)."""
    shutil.copytree(LOCALE, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    i18n.translations.cache_clear()
    yield tmp_path / "locale"
    i18n.translations.cache_clear()


def _compile_changed(po: Path, text: str) -> Path:
    """A .mo beside `po` whose `Hello {name},` says `text`."""
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="nb")
    catalog.get("Hello {name},").string = text
    mo = po.with_suffix(".mo")
    with mo.open("wb") as handle:
        write_mo(handle, catalog)
    return mo


def test_a_catalog_without_its_mo_is_read_from_the_po(locale_copy: Path) -> None:
    assert not list(locale_copy.rglob("*.mo"))
    assert _("nb", "Hello {name},", name="Kari") == "Hei Kari,"


def test_a_mo_older_than_its_po_gives_way_to_the_po(locale_copy: Path) -> None:
    po = locale_copy / "nb" / "LC_MESSAGES" / "fristvakt.po"
    mo = _compile_changed(po, "Hallo {name},")
    stamp = po.stat().st_mtime
    os.utime(mo, (stamp + 60, stamp + 60))
    assert _("nb", "Hello {name},", name="Kari") == "Hallo Kari,"  # the compiled one
    i18n.translations.cache_clear()
    os.utime(mo, (stamp - 60, stamp - 60))  # the .po was edited after compiling
    assert _("nb", "Hello {name},", name="Kari") == "Hei Kari,"
