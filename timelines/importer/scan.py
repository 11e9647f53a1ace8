"""Walk a document's lines once: sections, tables, milestone lines, activity lists.

The scan only collects candidates and notes; dates are resolved afterwards, when the year of
the whole document is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from timelines.base.i18n import N_, Deferred
from timelines.importer import milestones, sections, vocab
from timelines.importer.lines import Line
from timelines.importer.model import Candidate, Origin
from timelines.importer.tables import Table, header_roles, read_table

_ITEM = re.compile(r"^\d{1,2}[.)]\s+(\S.*)$")
_LABEL = re.compile(r"^([^:]{2,60}):\s+(\S.*)$")
MAX_LABEL_WORDS = 5


@dataclass
class Skipped:
    line: int
    reason: Deferred  # why it was skipped
    detail: str = ""
    where: Deferred | None = None


@dataclass
class Scan:
    lang: str | None
    numbered: bool
    title_line: int
    section: str = ""
    heading: str = ""
    list_number: int = 0
    table: Table | None = None
    headless: Line | None = None  # first line of tab rows that have no header
    table_titles: set[int] = field(default_factory=set)  # "Interessepolitikk<TAB><TAB>" rows
    candidates: list[Candidate] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def feed(self, line: Line) -> None:
        if line.number == self.title_line:
            return
        if self.table is not None and self._in_table(line):
            return
        self._close_table()
        if line.tabbed and line.filled:
            self._tab_row(line)
        elif not line.blank:
            self._end_headless()
            self._text_line(line)

    def finish(self) -> None:
        self._close_table()
        self._end_headless()

    # tables -------------------------------------------------------------------------------
    def _in_table(self, line: Line) -> bool:
        assert self.table is not None
        if line.blank:
            return True
        if not line.tabbed or header_roles(line) or line.number in self.table_titles:
            return False
        if line.table != self.table.header.table:
            return False  # the format knows where a table ends
        self.table.rows.append(line)
        return True

    def _tab_row(self, line: Line) -> None:
        roles = header_roles(line)
        if roles:
            self._end_headless()
            self.table = Table(line, roles, self.section)
            self.list_number += 1
        elif line.number in self.table_titles:
            self._end_headless()
            self._set_heading(line)
        elif self.headless is None and not line.remark:
            self.headless = line

    def _close_table(self) -> None:
        if self.table is None:
            return
        table, self.table = self.table, None
        found = read_table(table)
        if found is None:
            self.skipped.append(Skipped(table.header.number, Deferred(N_(
                "table skipped: no activity column in its header")),
                                        where=table.header.where))
        else:
            self.candidates.extend(found)

    def _end_headless(self) -> None:
        if self.headless is not None:
            self.skipped.append(Skipped(self.headless.number, Deferred(N_(
                "table skipped: no header row, so no activity column")),
                                        where=self.headless.where))
            self.headless = None

    # text lines ---------------------------------------------------------------------------
    def _text_line(self, line: Line) -> None:
        if self._milestone(line):
            return
        if sections.heading(line):
            self._set_heading(line)
        elif self._activity_item(line):
            return
        else:
            self._revision(line)

    def _set_heading(self, line: Line) -> None:
        name = sections.heading(line) or ""
        self.heading = name
        self.list_number += 1
        # Under numbered headings an unnumbered one is a sub-heading ("Delmål"), unless it
        # introduces a schedule of its own ("Tidsplan", "Milepæler").
        if not self.numbered or sections.is_numbered(line) or sections.mentions(
                name, vocab.ACTIVITY_HEADINGS):
            self.section = name

    def _milestone(self, line: Line) -> bool:
        found = milestones.date_at_start(line.text, self.lang) or milestones.date_at_end(
            line.text, self.lang, allow_undated=line.bullet)
        if found is None or not found.title:
            return False
        origin: Origin = "bullet" if line.bullet else "milestone"
        self.candidates.append(Candidate(
            line.number, found.title, self.section, found.when, origin,
            list_key=f"list-{self.list_number}", where=line.where, struck=line.struck))
        return True

    def _activity_item(self, line: Line) -> bool:
        item = _ITEM.match(line.text)
        text = item.group(1) if item else line.text if line.bullet else ""
        if not text or not sections.mentions(self.heading, vocab.ACTIVITY_HEADINGS):
            return False
        title, notes = _split_label(text)
        self.candidates.append(Candidate(
            line.number, title, self.section, "", "list", notes=notes, status_text=text,
            reported=sections.mentions(self.heading, vocab.REPORT_WORDS), where=line.where,
            struck=line.struck))
        return True

    def _revision(self, line: Line) -> None:
        for sentence in re.split(r"(?<=[.!?])\s+", line.text):
            when = milestones.revision_dates(sentence, self.lang)
            if when:
                title = sentence[: sentence.find(when) + len(when)]
                self.candidates.append(Candidate(
                    line.number, title, self.section, when, "revision", where=line.where,
                    struck=line.struck))


def _split_label(text: str) -> tuple[str, list[str]]:
    """'Kompetanseplan: gjennomføring av ...' → title 'Kompetanseplan', the rest a note."""
    match = _LABEL.match(text)
    if match and len(match.group(1).split()) <= MAX_LABEL_WORDS:
        return match.group(1).strip(), [match.group(2).strip()]
    return text, []


def _table_titles(lines: list[Line]) -> set[int]:
    """Tab rows with one short filled cell right above a header row: they name the table."""
    filled = [line for line in lines if not line.blank]
    return {
        line.number
        for line, after in zip(filled, filled[1:], strict=False)
        if line.tabbed and sections.heading(line) and header_roles(after)
    }


def scan(lines: list[Line], lang: str | None, title_line: int) -> Scan:
    state = Scan(lang, sections.numbered_headings(lines), title_line)
    state.table_titles = _table_titles(lines)
    for line in lines:
        state.feed(line)
    state.finish()
    return state
