"""The importer's rules on small documents written the way plans are (acceptance point 8):
each test states a rule, not the contents of a seed file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from timelines.base.exceptions import ImportFailed
from timelines.base.i18n import _
from timelines.importer import ImportResult, import_document, vocab
from timelines.importer.ids import slug, unique_ids

D = dt.date


def doc(tmp_path: Path, text: str | bytes, **options: object) -> ImportResult:
    path = tmp_path / "plan.txt"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return import_document(path, **options)  # type: ignore[arg-type]


def rows(*lines: str) -> str:
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("activity", vocab.COLUMNS["activity"])
def test_every_activity_header_word_starts_a_table(tmp_path: Path, activity: str) -> None:
    header = f"{activity.title()}\tFrist\tAnsvar"
    text = rows("Tiltaksplan 2024", "", header, "Lage rapport\t1. mars\tAU")
    (task,) = doc(tmp_path, text).timeline.tasks
    assert (task.title, task.due, task.owners) == ("Lage rapport", D(2024, 3, 1), ["au"])


@pytest.mark.parametrize("date_word", vocab.COLUMNS["date"])
def test_every_date_header_word_is_the_date_column(tmp_path: Path, date_word: str) -> None:
    text = rows("Plan 2024", "", f"Aktiviteter\t{date_word.title()}", "Møte\t2024-05-02")
    (task,) = doc(tmp_path, text).timeline.tasks
    assert (task.start, task.due, task.inherited) == (D(2024, 5, 2), D(2024, 5, 2), False)


def test_row_without_date_takes_the_plan_period_and_is_flagged(tmp_path: Path) -> None:
    text = rows("Handlingsplan 2025-2026", "", "Tiltak\tTidsplan", "Kartlegge behov\t",
                "Sende ut invitasjon\tmars 2025")
    result = doc(tmp_path, text)
    empty, dated = result.timeline.tasks
    assert (empty.when, empty.start, empty.due) == ("2025-2026", D(2025, 1, 1), D(2026, 12, 31))
    took = _(result.timeline.lang, "no date of its own; took the plan period '{when}'",
             when="2025-2026")  # the plan's language
    assert empty.inherited and took in empty.attention
    assert (dated.start, dated.due, dated.inherited) == (D(2025, 3, 1), D(2025, 3, 31), False)
    assert took not in dated.attention


def test_question_mark_is_undated_and_flagged(tmp_path: Path) -> None:
    text = rows("Handlingsplan 2025", "", "Aktiviteter\tDato\tAnsvarlig", "Seminar\t?\tRådgiver")
    result = doc(tmp_path, text)
    (task,) = result.timeline.tasks
    assert task.span.kind == "undated"
    assert _(result.timeline.lang, "undated ('{when}'): set a date when it is known",
             when="?") in task.attention


def test_continuation_rows_inherit_the_group(tmp_path: Path) -> None:
    text = rows("Handlingsplan 2024", "", "Satsingsområde\tTiltak\tFrist",
                "Reiseliv\tLage strategi\tvår 2024", "\tMarknadsføring\thaust 2024")
    first, second = doc(tmp_path, text).timeline.tasks
    assert "Satsingsområde: Reiseliv" in first.notes and "Satsingsområde: Reiseliv" in second.notes
    assert (second.start, second.due) == (D(2024, 9, 1), D(2024, 11, 30))


def test_table_without_activity_column_is_skipped_and_said(tmp_path: Path) -> None:
    text = rows("Plan 2024", "", "Rolle\tAnsvar\tBudsjett", "Leiar\tStyret\t2 mill")
    result = doc(tmp_path, text)
    assert result.timeline.tasks == []
    assert [n.line for n in result.notes] == [3]


def test_italic_remark_rows_are_not_tasks(tmp_path: Path) -> None:
    remark = "<i>Dette er bare et utkast</i>\t"
    text = rows("Plan 2024", "", "Tiltak\tFrist", "Møte\t3.4.2024", remark)
    assert [t.title for t in doc(tmp_path, text).timeline.tasks] == ["Møte"]


def test_milestone_lines_with_date_first_or_last(tmp_path: Path) -> None:
    text = rows("Fremdriftsplan", "", "Milepæler", "", "15. mars 2024: oppstartsmøte",
                "", "• Sluttrapport levert desember 2024", "",
                "Dette avsnittet handler om arbeidet som startet i mars 2024.")
    tasks = doc(tmp_path, text).timeline.tasks
    assert [(t.title, t.start, t.due) for t in tasks] == [
        ("oppstartsmøte", D(2024, 3, 15), D(2024, 3, 15)),
        ("Sluttrapport levert", D(2024, 12, 1), D(2024, 12, 31)),
    ]
    assert {t.section for t in tasks} == {"Milepæler"}


def test_years_follow_the_order_of_a_milestone_list(tmp_path: Path) -> None:
    text = rows("Fremdrift", "", "Oktober: forslag", "November 2024: høring",
                "Januar: vedtak", "Mars: oppstart")
    result = doc(tmp_path, text)
    assert [t.start for t in result.timeline.tasks] == [
        D(2024, 10, 1), D(2024, 11, 1), D(2025, 1, 1), D(2025, 3, 1)]
    assert result.timeline.ref_year == 2024 and result.year.reason == "year_list_order"
    assert [t.explicit for t in result.timeline.tasks] == [False, False, True, True]


def test_year_option_overrides_and_no_year_is_flagged(tmp_path: Path) -> None:
    text = rows("Fremdrift", "", "Tiltak\tFrist", "Møte\t20. mai")
    result = doc(tmp_path, text)
    (unread,) = result.timeline.tasks
    no_year = _(result.timeline.lang, "date without a year and no year for the plan: '{when}'",
                when="20. mai")
    assert unread.span.kind == "unparsed" and no_year in unread.attention
    (given,) = doc(tmp_path, text, year=2030).timeline.tasks
    assert given.due == D(2030, 5, 20) and no_year not in given.attention


def test_full_dates_give_the_year(tmp_path: Path) -> None:
    text = rows("Plan", "", "Aktiviteter\tDatum", "Start\t2031-02-03", "Slut\t10 mars")
    result = doc(tmp_path, text)
    assert result.year.year == 2031 and result.timeline.tasks[1].due == D(2031, 3, 10)


def test_owner_cell_splits_owners_and_participants(tmp_path: Path) -> None:
    text = rows("Handlingsplan 2024", "", "Tiltak\tFrist\tAnsvar og deltaking",
                "Møte\tmai 2024\tAnsvar: Rådmann / Økonomisjef Deltaking: Kommunane, NAV m.fl.")
    result = doc(tmp_path, text)
    (task,) = result.timeline.tasks
    assert task.owners == ["radmann", "okonomisjef"]
    assert task.participants == ["kommunane", "nav"]
    assert result.timeline.roles["okonomisjef"] == "Økonomisjef"


def test_document_owner_is_the_default(tmp_path: Path) -> None:
    text = rows("Genomförandeplan 2024", "", "Ansvarig: Lars Berg.", "",
                "Aktiviteter\tDatum", "Möte\t2024-09-01")
    result = doc(tmp_path, text)
    assert result.timeline.owners == ["lars-berg"]
    assert result.timeline.tasks[0].attention == ""


def test_unreadable_owner_text_is_flagged(tmp_path: Path) -> None:
    text = rows("Plan 2024", "", "Tiltak\tFrist\tAnsvar", "Møte\tmai 2024\tMå avklares senere")
    result = doc(tmp_path, text)
    (task,) = result.timeline.tasks
    unread = _(result.timeline.lang, "owner not read as roles: '{text}'", text="Må avklares senere")
    assert task.owners == [] and unread in task.attention


@pytest.mark.parametrize(("remark", "status"), [
    ("Gjennomført i mars", "done"), ("Pågår fortsatt", "ongoing"), ("Påbörjad", "ongoing"),
    ("Avlyst", "cancelled"), ("Venter på svar", "planned")])
def test_status_remark_decides_status_and_is_kept(tmp_path: Path, remark: str, status: str):
    text = rows("Plan 2024", "", "Hovedaktiviteter\tAnsvar", f"Lage plan STATUS: {remark}\tAU")
    (task,) = doc(tmp_path, text).timeline.tasks
    assert (task.title, task.status) == ("Lage plan", status)
    assert remark in task.notes


@pytest.mark.parametrize(("text", "nok"), [
    ("0,5 mill", 500_000), ("1 200 000 kr", 1_200_000), ("kr 30 000", 30_000), ("Drift", None)])
def test_budget_cells(tmp_path: Path, text: str, nok: int | None) -> None:
    plan = rows("Plan 2024", "", "Tiltak\tBudsjett", f"Kurs\t{text}")
    (task,) = doc(tmp_path, plan).timeline.tasks
    assert (task.budget_text, task.budget_nok) == (text, nok)


def test_numbered_headings_are_the_sections(tmp_path: Path) -> None:
    text = rows("Plan 2024", "", "1. Kultur", "", "Delmål", "", "Tiltak\tFrist", "A\tmai 2024",
                "", "2. Helse", "", "Mål", "", "Tiltak\tFrist", "B\tjuni 2024")
    assert [t.section for t in doc(tmp_path, text).timeline.tasks] == ["Kultur", "Helse"]


def test_markup_is_cleaned(tmp_path: Path) -> None:
    text = rows("Plan 2024", "", "Tiltak\tFrist",
                "<p>**Lage** <i>ny</i> plan &amp; budsjett</p>\tjuni 2024")
    assert doc(tmp_path, text).timeline.tasks[0].title == "Lage ny plan & budsjett"


def test_ids_are_unique_stable_and_qualified_by_section() -> None:
    items = [("Følge opp planer", "Helse"), ("Følge opp planer", "Kultur"),
             ("Møte", "Helse"), ("Møte", "Helse")]
    ids = unique_ids(items)
    assert ids == unique_ids(items)
    assert len(set(ids)) == 4
    assert ids[0].startswith("helse-") and ids[1].startswith("kultur-")
    assert all(key == slug(key, 200) for key in ids)  # ASCII slug characters only


def test_role_keys_fold_scandinavian_letters() -> None:
    assert [slug(s) for s in ("Æreshjørne", "Ålesund", "Länsstyrelsen", "Förvaltning")] == [
        "aereshjorne", "alesund", "lansstyrelsen", "forvaltning"]


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-8-sig"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    text = "Handlingsplan 2024\r\n\r\nTiltak\tFrist\r\nMøte i rådet\thøsten 2024\r\n"
    (task,) = doc(tmp_path, text.encode(encoding)).timeline.tasks
    assert task.title == "Møte i rådet" and task.line == 4
    assert (task.start, task.due) == (D(2024, 9, 1), D(2024, 11, 30))


def test_mixed_encodings_in_one_file(tmp_path: Path) -> None:
    data = b"Plan 2024\n\nTiltak\tFrist\n" + "Møte\tmai 2024\n".encode("latin-1") + \
        "Årsmøte\tjuni 2024\n".encode()
    titles = [t.title for t in doc(tmp_path, data).timeline.tasks]
    assert titles == ["Møte", "Årsmøte"]


def test_empty_file_gives_an_empty_timeline(tmp_path: Path) -> None:
    result = doc(tmp_path, b"")
    assert result.timeline.tasks == [] and result.timeline.id == "plan"


def test_a_folder_is_not_a_document(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="cannot read"):
        import_document(tmp_path)


def test_plain_question_headers(tmp_path: Path) -> None:
    text = rows("Årsplan 2024", "", "Hva\tNår\tHvem", "Budsjettmøte\tuke 40\tRådmann")
    (task,) = doc(tmp_path, text).timeline.tasks
    assert (task.title, task.start, task.owners) == ("Budsjettmøte", D(2024, 9, 30), ["radmann"])


def test_a_sentence_starting_with_a_year_is_not_a_milestone(tmp_path: Path) -> None:
    text = rows("Plan", "", "2024 blir et viktig år for regionen.")
    assert doc(tmp_path, text).timeline.tasks == []


def test_a_year_no_timeline_accepts_is_not_the_plans_year(tmp_path: Path) -> None:
    result = doc(tmp_path, rows("Handlingsplan 2999", "", "Tiltak\tFrist", "Møte\t"))
    assert result.timeline.ref_year is None and result.year.reason == "year_none"
    assert _(result.timeline.lang,
             "no date, and the plan has no period to take") in result.timeline.tasks[0].attention


@pytest.mark.parametrize("magic", [b"PK\x03\x04", b"%PDF-1.7", b"\xd0\xcf\x11\xe0"])
def test_office_and_pdf_files_are_refused_with_advice(tmp_path: Path, magic: bytes) -> None:
    (tmp_path / "plan.docx").write_bytes(magic + b"\x00\x01binary")
    with pytest.raises(ImportFailed, match="save it as text"):
        import_document(tmp_path / "plan.docx")


def test_markdown_pipe_tables_are_tables(tmp_path: Path) -> None:
    text = rows("Handlingsplan 2024", "", "| Tiltak | Frist | Ansvar |", "|---|---|---|",
                "| Lage budsjett | 1. oktober | Rådmann |")
    (task,) = doc(tmp_path, text).timeline.tasks
    assert (task.title, task.due, task.owners) == ("Lage budsjett", D(2024, 10, 1), ["radmann"])


def test_schedule_heading_under_numbered_headings_is_a_section(tmp_path: Path) -> None:
    text = rows("Plan 2024", "", "Ansvarig: Per Holm, näringslivschef.", "", "1. Kultur", "",
                "Åtgärder\tTidsperiod", "Konsert\tmaj 2024", "", "Tidsplan", "",
                "• Beslut senast 15 juni")
    result = doc(tmp_path, text)
    assert [t.section for t in result.timeline.tasks] == ["Kultur", "Tidsplan"]
    assert result.timeline.owners == ["per-holm"]
