"""What the templates show: a Notice turned into localized strings, decided here, not in Jinja."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from notifiers.base import Notice, Recipient, TaskView
from timelines.base.i18n import _, format_date, format_distance, pick_lang, template_gettext
from timelines.base.status import status_word

SINGLE_TASK_KINDS = frozenset({"due", "start", "overdue", "moved"})


@dataclass(frozen=True)
class TaskLines:
    """One task, every field already in the reader's words (None: leave the line out)."""

    title: str
    plan: str
    section: str
    deadline: str
    start: str | None
    when: str | None
    others: str | None
    participants: str | None
    status: str
    approximate: bool


def notice_lang(notice: Notice) -> str:
    """Owner's language, else the (first) timeline's, else English."""
    timeline_lang = notice.tasks[0].timeline_lang if notice.tasks else None
    return pick_lang(notice.recipient.lang, timeline_lang)


@lru_cache(maxsize=4096)  # a batch repeats the same few deadlines, seen from the same day
def dated(day: date | None, today: date, lang: str) -> str:
    """`fredag 20. oktober 2017 (om 3 dager)`, or "not set"."""
    if day is None:
        return _(lang, "not set")
    return _(lang, "{date} ({distance})", date=format_date(day, lang),
             distance=format_distance((day - today).days, lang))


def is_fuzzy(task: TaskView) -> bool:
    """The plan's own words matter when they named a span or a guess, not one exact day."""
    return bool(task.when_text.strip()) and (task.approximate or task.start != task.due)


def _when(task: TaskView, lang: str) -> str | None:
    """The plan's words, with "read as <deadline>" only when the deadline came from them."""
    if not is_fuzzy(task) or task.due is None:
        return None
    words = task.when_text.strip()
    if not task.due_from_when:
        return _(lang, "“{when}”", when=words)
    return _(lang, "“{when}”, read as {date}", when=words, date=format_date(task.due, lang))


def _names(task: TaskView, names: list[str], reader: Recipient) -> str | None:
    """The names other than the reader's own, nor a role whose only member is the reader."""
    others = [name for name in names
              if name != reader.name and task.reaches.get(name) != (reader.key,)]
    return ", ".join(others) or None


def _start(start: date | None, notice: Notice, lang: str) -> str | None:
    # How far away the start is matters only in a start reminder; elsewhere it is noise.
    if start is None:
        return None
    return dated(start, notice.today, lang) if notice.kind == "start" else format_date(start, lang)


def task_lines(task: TaskView, notice: Notice, lang: str) -> TaskLines:
    """The reminder's facts: what, plan, section, deadline and distance, when, who, status."""
    me = notice.recipient
    return TaskLines(
        title=task.title, plan=task.timeline_title, section=task.section,
        deadline=dated(task.due, notice.today, lang),
        start=_start(task.start, notice, lang),
        when=_when(task, lang), others=_names(task, task.owners, me),
        participants=_names(task, task.participants, me),
        status=status_word(task.status, lang), approximate=task.approximate,
    )


def digest_item(task: TaskView, notice: Notice, lang: str) -> str:
    """One line of a digest: title, plan, deadline, distance (or only title and plan)."""
    if task.due is None:
        return _(lang, "{title} ({plan})", title=task.title, plan=task.timeline_title)
    return _(lang, "{title} ({plan}): {date}, {distance}", title=task.title,
             plan=task.timeline_title,
             date=format_date(task.due, lang),
             distance=format_distance((task.due - notice.today).days, lang))


def _digest(notice: Notice, lang: str) -> dict[str, list[str]]:
    tasks = sorted(notice.tasks, key=lambda task: (task.due or date.max, task.title))
    late = [task for task in tasks if task.due and task.due < notice.today]
    upcoming = [task for task in tasks if task not in late]
    return {"overdue": [digest_item(task, notice, lang) for task in late],
            "upcoming": [digest_item(task, notice, lang) for task in upcoming]}


def _moved(notice: Notice, lang: str) -> dict[str, str | None] | None:
    if notice.moved is None or not notice.tasks:
        return None
    old_start, old_due = notice.moved
    task = notice.tasks[0]
    show_start = old_start != task.start
    return {"old_due": dated(old_due, notice.today, lang),
            "new_due": dated(task.due, notice.today, lang),
            "old_start": dated(old_start, notice.today, lang) if show_start else None,
            "new_start": dated(task.start, notice.today, lang) if show_start else None}


def _failures(notice: Notice, lang: str) -> list[str]:
    return [_(lang, "{task} → {recipient}: {error}", task=line.task, recipient=line.recipient,
              error=line.error) for line in notice.failures]


def webcal(url: str | None) -> str | None:
    """The subscription link a click subscribes with: `webcal://` opens the calendar app,
    where an http(s) link would only download the file.

    >>> webcal("https://fristvakt.example.no/feeds/abc.ics")
    'webcal://fristvakt.example.no/feeds/abc.ics'
    """
    return "webcal://" + url.split("://", 1)[-1] if url else None


def template_context(notice: Notice, lang: str, coordinator: str) -> dict[str, Any]:
    """Everything a mail template may use; StrictUndefined catches anything else."""
    single = notice.kind in SINGLE_TASK_KINDS and bool(notice.tasks)
    return {
        **template_gettext(lang), "lang": lang, "kind": notice.kind,
        "name": notice.recipient.name, "coordinator": coordinator,
        "feed_url": notice.feed_url, "webcal_url": webcal(notice.feed_url),
        "task": task_lines(notice.tasks[0], notice, lang) if single else None,
        "digest": _digest(notice, lang) if notice.kind == "digest" else None,
        "moved": _moved(notice, lang), "failures": _failures(notice, lang),
    }
