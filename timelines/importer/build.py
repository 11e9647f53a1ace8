"""Candidates to tasks: dates with the document's year, owners as role keys, status, budget."""

from __future__ import annotations

from dataclasses import dataclass, field

from timelines.base.i18n import N_, Deferred, _
from timelines.dates import DateSpan, parse_span
from timelines.importer.ids import unique_ids
from timelines.importer.messages import reasons_text
from timelines.importer.milestones import explicit, probe
from timelines.importer.model import Attention, Candidate, ImportedTask, YearChoice
from timelines.importer.owners import read_owner_cell, role_key, role_labels
from timelines.importer.remarks import budget_nok, status_of


@dataclass
class Context:
    file: str
    lang: str | None  # the language dates are read in; None tries all three
    text_lang: str  # the plan's language: attention texts in the file are told in it
    year: YearChoice
    list_years: dict[int, int]
    default_owners: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)


def build(found: list[Candidate], ctx: Context) -> tuple[list[ImportedTask], list[Attention]]:
    tasks = [_task(index, c, ctx) for index, c in enumerate(found)]
    ids = unique_ids([(t.title, t.section) for t in tasks])
    for task, key in zip(tasks, ids, strict=True):
        task.id = key
    attention = [Attention(ctx.file, t.line, tuple(t.reasons), t.where)
                 for t in tasks if t.reasons]
    return tasks, attention


def _task(index: int, c: Candidate, ctx: Context) -> ImportedTask:
    reasons: list[Deferred] = []
    task = ImportedTask("", c.title, c.section, c.when, DateSpan(c.when, "undated"), c.line,
                        where=c.where)
    _dates(index, c, ctx, task, reasons)
    _owners(c, ctx, task, reasons)
    remark = _status(c, task)
    if c.struck:
        task.status = "cancelled"
        reasons.append(Deferred(N_("struck through in the document: read as cancelled")))
    task.budget_text = c.budget_text
    task.budget_nok = budget_nok(c.budget_text) if c.budget_text else None
    comments = [_(ctx.text_lang, "comment: {text}", text=text) for text in c.comments]
    task.notes = "\n".join([*remark, *c.notes, *comments])
    task.reasons = reasons
    task.attention = reasons_text(reasons, ctx.text_lang)
    return task


def _dates(index: int, c: Candidate, ctx: Context, task: ImportedTask, why: list[Deferred]) -> None:
    if c.date is not None:  # a date cell: the day itself, whatever its shown text says
        task.span = DateSpan(c.when, "dated", c.date, c.date)
        task.exact = True
        return
    if not c.when:
        _inherit(c, ctx, task, why)
        return
    ref = ctx.list_years.get(index, ctx.year.year)
    task.span = parse_span(c.when, lang=ctx.lang, ref_year=ref)
    # Read with a year from the list's order, not the plan's: `when` alone would say otherwise.
    task.explicit = ref != ctx.year.year and task.span.kind == "dated" and not explicit(
        c.when, ctx.lang)
    if task.span.kind in ("undated", "unparsed"):
        why.append(_unread(task.span, ctx))


def _unread(span: DateSpan, ctx: Context) -> Deferred:
    if span.kind == "undated":
        return Deferred(N_("undated ('{when}'): set a date when it is known"), when=span.text)
    if ctx.year.year is None and probe(span.text, ctx.lang).kind == "dated":
        return Deferred(N_("date without a year and no year for the plan: '{when}'"),
                        when=span.text)
    return Deferred(N_("date not read: '{when}'"), when=span.text)


def _inherit(c: Candidate, ctx: Context, task: ImportedTask, why: list[Deferred]) -> None:
    period = ctx.year.period
    text = c.group_when or (period.text if period else "")
    if not text:
        why.append(Deferred(N_("no date, and the plan has no period to take")))
        return
    task.when, task.inherited = text, True
    task.span = parse_span(text, lang=ctx.lang, ref_year=ctx.year.year)
    why.append(Deferred(N_("no date of its own; took the date of its group '{when}'"), when=text)
               if c.group_when else
               Deferred(N_("no date of its own; took the plan period '{when}'"), when=text))


def _owners(c: Candidate, ctx: Context, task: ImportedTask, why: list[Deferred]) -> None:
    owners, participants, left = read_owner_cell(c.owners_text)
    extra, left_p = role_labels(c.participants_text)
    task.owners = _keys(owners, ctx)
    task.participants = [k for k in _keys(participants + extra, ctx) if k not in task.owners]
    why.extend(Deferred(N_("owner not read as roles: '{text}'"),
                        text=text) for text in left + left_p)
    if not task.owners and not ctx.default_owners and not left:
        why.append(Deferred(N_("no owner")))


def _keys(labels: list[str], ctx: Context) -> list[str]:
    keys: list[str] = []
    for label in labels:
        key = role_key(label)
        if key and key not in keys:
            ctx.roles.setdefault(key, label)
            keys.append(key)
    return keys


def _status(c: Candidate, task: ImportedTask) -> list[str]:
    """Set the task's status; returns the status remark to keep as a note."""
    remark = c.status_text
    if c.origin == "list":
        task.status = status_of(remark, anywhere=True) or ("done" if c.reported else "planned")
        return []
    task.status = (status_of(remark) if remark else None) or "planned"
    if task.span.kind == "ongoing" and task.status == "planned":
        task.status = "ongoing"
    return [f"STATUS: {remark}"] if remark else []
