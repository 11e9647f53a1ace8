"""`fristvakt report --format pdf` prints the timeline too, on A4 landscape (headless
Chromium; without it the test skips with the reason, as the report command says)."""

from __future__ import annotations

import pdfplumber
import pytest
from conftest import Project
from test_owners_support import setup_plan

from scheduler.report.formats import chromium
from timelines.base.i18n import _


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_report_pdf_includes_the_timeline_on_a4_landscape(project: Project) -> None:
    if chromium() is None:
        pytest.skip("PDF needs Chromium (apt-get install chromium)")
    setup_plan(project)
    target = project.root / "status.pdf"
    result = project.run("report", "--format", "pdf", "--as-of", "2026-03-02", "-o", str(target))
    assert result.code == 0, result.err
    with pdfplumber.open(target) as pdf:
        first = pdf.pages[0]
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert first.width > first.height  # landscape
    assert first.width == pytest.approx(842, abs=2) and first.height == pytest.approx(595, abs=2)
    assert _("nb", "Timeline") in text
    assert _("nb", "today") in text  # the today line's label: drawn by the timeline SVG
