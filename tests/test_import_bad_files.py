"""Files that are no plan, or no plan we can read: one clear line naming the file, exit 1,
nothing written. And the traps a newcomer met with `import` (empty, binary, UTF-16 files,
`--json`, paths relative to the folder the command runs in)."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import PLANS, Project
from msoffcrypto.format.ooxml import OOXMLFile

from scheduler.cli import main
from timelines.base.i18n import _

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "office"
SEED = next(PLANS.glob("002_*.txt"))


def refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], path: Path) -> str:
    """Import `path`; it must fail with exactly one line on stderr and write nothing."""
    out = tmp_path / "out"
    capsys.readouterr()
    code = main(["import", str(path), "--out", str(out)])
    stdout, stderr = capsys.readouterr()
    assert code == 1
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "Traceback" not in stderr + stdout
    assert not out.exists() or not list(out.iterdir())
    return lines[0]


def _xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Tiltak", "Frist"])
    book.active.append(["Møte", "1. mars 2024"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_truncated_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _xlsx_bytes()
    (tmp_path / "plan.xlsx").write_bytes(data[: len(data) // 2])
    line = refused(tmp_path, capsys, tmp_path / "plan.xlsx")
    assert line.endswith(_("en", "{path} cannot be read as {kind}{detail}: the file is damaged or "
                                 "not what its name says; open it and save it again, or save it as "
                                 "text (.txt) and import that", path=tmp_path / "plan.xlsx",
                             kind="Excel (.xlsx)", detail="").split(": ", 1)[1])


def test_encrypted_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(_xlsx_bytes())).encrypt("hemmelig", encrypted)
    (tmp_path / "plan.xlsx").write_bytes(encrypted.getvalue())
    line = refused(tmp_path, capsys, tmp_path / "plan.xlsx")
    assert _("en", "{path} is password-protected: save a copy without the password and import "
                   "that; nothing written", path=tmp_path / "plan.xlsx") in line


def test_docx_without_a_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = docx.Document()
    document.add_paragraph("Referat fra styremøtet")
    document.add_paragraph("Styret drøftet økonomien og ble enige om å se på saken igjen.")
    document.save(tmp_path / "referat.docx")
    line = refused(tmp_path, capsys, tmp_path / "referat.docx")
    assert _("en", "{path}: no tasks found (no table with an activity column, no dated list); "
                   "nothing written", path=tmp_path / "referat.docx") in line


def test_scanned_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = refused(tmp_path, capsys, FIXTURES / "scanned.pdf")
    assert _("en", "{path} has no text, only images (a scanned page?): import the original "
                   "document instead; nothing written", path=FIXTURES / "scanned.pdf") in line


@pytest.mark.parametrize("name", ["plan.doc", "plan.xls"])
def test_old_binary_office_files_are_told_to_be_saved_as_new(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    line = refused(tmp_path, capsys, tmp_path / name)
    assert ".docx or .xlsx" in line


def test_refusals_are_translated(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRISTVAKT_LANG", "sv")
    line = refused(tmp_path, capsys, FIXTURES / "scanned.pdf")
    assert _("sv", "{path} has no text, only images (a scanned page?): import the original "
                   "document instead; nothing written", path=FIXTURES / "scanned.pdf") in line


# the newcomer's traps -------------------------------------------------------------------------
@pytest.mark.parametrize("data", [b"", b"\n\n  \n", b"\xef\xbb\xbf"], ids=["empty", "blank", "bom"])
def test_empty_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                data: bytes) -> None:
    (tmp_path / "plan.txt").write_bytes(data)
    line = refused(tmp_path, capsys, tmp_path / "plan.txt")
    assert _("en", "{path} is empty; nothing written", path=tmp_path / "plan.txt") in line


def test_binary_garbage_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plan.txt").write_bytes(bytes(range(256)) * 8)
    line = refused(tmp_path, capsys, tmp_path / "plan.txt")
    assert _("en", "{path}: no tasks found (no table with an activity column, no dated list); "
                   "nothing written", path=tmp_path / "plan.txt") in line


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                            encoding: str) -> None:
    (tmp_path / "plan.txt").write_bytes(SEED.read_text(encoding="utf-8").encode(encoding))
    capsys.readouterr()
    assert main(["import", str(tmp_path / "plan.txt"), "--json"]) == 0
    utf16 = json.loads(capsys.readouterr().out)["timelines"][0]
    assert main(["import", str(SEED), "--json"]) == 0
    utf8 = json.loads(capsys.readouterr().out)["timelines"][0]
    assert utf16["tasks"] == utf8["tasks"] and len(utf8["tasks"]) == 12


def test_json_prints_and_writes_nothing(tmp_path: Path, project: Project) -> None:
    before = sorted(project.timelines.iterdir())
    printed = project.run("import", str(SEED), "--json")
    assert printed.code == 0
    assert len(json.loads(printed.out)["timelines"][0]["tasks"]) == 12
    assert sorted(project.timelines.iterdir()) == before


def test_relative_path_from_another_folder(tmp_path: Path, project: Project,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """`fristvakt import ../plans/x.txt` in the project folder: the path is the shell's."""
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "plan.txt").write_bytes(SEED.read_bytes())
    monkeypatch.chdir(project.root)
    relative = os.path.relpath(plans / "plan.txt", project.root)
    assert relative.startswith("..")
    imported = project.run("import", relative)
    assert imported.code == 0, imported.err
    assert (project.timelines / "genomforandeplan-av-den-regionala.toml").is_file()
