"""The static export of owners' pages: a folder meant for publishing names them by a code only
the feed secret's holder can work out, never by owner key, unless `--public` asks for that;
and the command says what it did about owner and coordinator pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Project

from scheduler.cli.pages import owner_code
from timelines.base.i18n import _

SECRET = "export-test-secret"
NOW = "2026-11-22T09:00"


def export(project: Project, out: Path, *flags: str) -> str:
    result = project.run("pages", "export", str(out), "--now", NOW, *flags)
    assert result.code == 0, result.err
    return result.out


def owner_files(out: Path) -> set[str]:
    return {path.name for path in (out / "owners").glob("*.html")} if (out / "owners").exists() \
        else set()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_owner_pages_are_named_by_a_code_from_the_secret(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRISTVAKT_FEED_SECRET", SECRET)
    out = tmp_path / "site"
    said = export(project, out)
    files = owner_files(out)
    assert files and not files & {"ola.html", "anna.html"}
    assert f"{owner_code(SECRET.encode(), 'ola')}.html" in files
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "owners/" not in index  # the index never leads to a coded page
    assert _("nb", "owner pages are named by an unguessable code (owners/<code>.html); give each "
                   "owner only their own link") in said
    assert _("nb",
             "the export contains no coordinator page (use --coordinator to include it)") in said
    assert not (out / "coordinator.html").exists()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_without_the_secret_owner_pages_are_left_out_and_it_says_so(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRISTVAKT_FEED_SECRET", raising=False)
    out = tmp_path / "site"
    said = export(project, out)
    assert owner_files(out) == set()
    assert _("nb", "owner pages were left out: set {variable} (the feed secret) for unguessable "
                   "names, or use --public", variable="FRISTVAKT_FEED_SECRET") in said


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_public_names_owner_pages_by_key_and_lists_them(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRISTVAKT_FEED_SECRET", raising=False)
    out = tmp_path / "site"
    said = export(project, out, "--public", "--coordinator")
    assert "ola.html" in owner_files(out)
    assert 'href="owners/ola.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert _("nb", "owner pages are named by owner key (owners/<key>.html, --public): anyone who "
                   "can read the folder can open each of them") in said
    assert _("nb", "the export includes the coordinator's overview (coordinator.html): do not "
                   "publish it") in said
    assert (out / "coordinator.html").is_file()
