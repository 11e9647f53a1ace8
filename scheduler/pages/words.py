"""The texts a page draws about one task, in the reader's language."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from babel.dates import get_month_names

from scheduler.pages.model import TaskMark
from timelines.base.i18n import _, format_date, locale, translate
from timelines.base.status import PROGRESS_WORDS, status_word


def day(value: dt.date | None, lang: str) -> str:
    """A date as the reader writes it, short (`7. apr. 2020`), or the word for none."""
    return format_date(value, lang, "medium") if value else _(lang, "no date")


def month_names(lang: str, width: Literal["abbreviated", "narrow", "wide"] = "wide") -> list[str]:
    """January .. December in the reader's language (babel's, not ours)."""
    names = get_month_names(width, locale=locale(lang))
    return [str(names[month]) for month in range(1, 13)]


def status_text(task: TaskMark, lang: str) -> str:
    """Status in words, never colour alone: `ongoing · delayed · overdue · no answer`."""
    parts = [status_word(task.status, lang)]
    if task.answer:
        parts.append(translate(lang, PROGRESS_WORDS[task.answer]))
    if task.overdue:
        parts.append(_(lang, "overdue"))
    if task.unanswered:
        parts.append(_(lang, "no answer"))
    if task.approximate_start or task.approximate_due:
        parts.append(_(lang, "approximate dates"))
    return " · ".join(parts)


def span_text(task: TaskMark, lang: str) -> str:
    """`7. apr. 2020 – 24. apr. 2020`, one date for a milestone, the list for a recurring."""
    if task.occurrences:  # an occurrence not in the task's status says its own
        return ", ".join(day(occ.due, lang) if occ.status == task.status
                         else f"{day(occ.due, lang)} ({status_word(occ.status, lang)})"
                         for occ in task.occurrences)
    if task.milestone:
        return day(task.due or task.start, lang)
    return _(lang, "{start} – {due}", start=day(task.start, lang), due=day(task.due, lang))


def card(task: TaskMark, lang: str) -> str:
    """The task card (hover and focus): title, owners, when text, status, latest note."""
    lines = [task.title, _(lang, "Owners") + f": {', '.join(task.owners) or '–'}",
             _(lang, "When (as written)") + f": {task.when_text or '–'}",
             _(lang, "Dates") + f": {span_text(task, lang)}",
             _(lang, "Status") + f": {status_text(task, lang)}"]
    if task.note:
        lines.append(_(lang, "Latest status note") + f": {task.note}")
    return "\n".join(lines)


def label(task: TaskMark, lang: str) -> str:
    """What a screen reader says on focus: title, dates, status."""
    return f"{task.title}; {span_text(task, lang)}; {status_text(task, lang)}"
