"""What happens in the `apply` transaction after the tasks are written, and `apply` as the
command runs it: in steps.

The reminder engine plans its ledger rows here, so planning and data never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, String, cast, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from scheduler.answers.store import kept_done
from scheduler.ledger import digest_waiting, plan_after_apply
from scheduler.planning import CHANGED
from timelines.config import Config
from timelines.model import Task, Timeline
from timelines.resolve import ResolvedTimeline
from timelines.sync import (
    REPLAN,
    Begun,
    Change,
    Replan,
    apply,
    apply_lock,
    apply_timeline,
    begin,
    finish,
    stored_tasks,
    write_updates,
)


def after_apply(session: Session, config: Config, changes: list[Change], now: dt.datetime) -> None:
    """Plan reminders for the changed tasks."""
    plan_after_apply(session, config, changes, now)


@dataclass
class Applied:
    """What an apply did: the task changes, and how many waiting reminder rows it inserted,
    re-armed or superseded (the plan changed even where no task did, when not 0)."""

    changes: list[Change]
    replanned: int = 0


@contextmanager
def _step(conn: Connection, applied: Applied) -> Iterator[Session]:
    """One transaction of an apply on `conn`, committed at its end."""
    with Session(bind=conn, expire_on_commit=False) as session, session.begin():
        yield session
        applied.replanned += session.info.pop(CHANGED, 0)


def _digests(session: Session, config: Config, timelines: list[ResolvedTimeline],
             kept: set[str]) -> bool:
    """Whether a weekly digest is or may be planned: it lists tasks of several files (those
    `kept` unread as the database holds them)."""
    weekly = [config.policy.model_dump(), *(tl.policy for tl in timelines),
              *(task.policy for tl in timelines for task in tl.tasks),
              *(_kept_policies(session, kept) if kept else ())]
    return any(p.get("digest") == "weekly" for p in weekly) or digest_waiting(session)


def _kept_policies(session: Session, kept: set[str]) -> list[Mapping[str, Any]]:
    """The policies the files left unread set, as their last apply stored them (the tasks
    that set none are not read)."""
    own = session.exec(select(Timeline.id, Timeline.policy)).all()
    stmt = select(Task.timeline_id, Task.policy).where(
        col(Task.removed_at).is_(None), cast(col(Task.policy), String) != "{}")
    return [policy for tl_id, policy in [*own, *session.exec(stmt).all()] if tl_id in kept]


# Tasks written per transaction of `apply_in_steps` (whole files; a larger file alone), by
# database. SQLite: with their reminder rows, about half a second of its write lock, which
# every other writer waits for. PostgreSQL locks only the rows a step writes; there each
# step's dozen statements and commit were a third of an apply after a 1 % move in every file.
STEP_TASKS = {"sqlite": 1000, "postgresql": 5000}


def _steps(begun: Begun, timelines: list[ResolvedTimeline],
           limit: int) -> Iterator[list[ResolvedTimeline]]:
    """The changed files (or only their bytes), grouped into steps of about `limit` tasks."""
    step: list[ResolvedTimeline] = []
    size = 0
    for tl in timelines:
        if begun.untouched(tl):
            continue
        if step and size + len(tl.tasks) > limit:
            yield step
            step, size = [], 0
        step.append(tl)
        size += len(tl.tasks)
    if step:
        yield step


def _apply_step(session: Session, config: Config, begun: Begun, step: list[ResolvedTimeline],
                now: dt.datetime) -> list[Change]:
    """Some files' tasks and the reminders they plan, in the caller's transaction."""
    changes: list[Change] = []
    whole: set[str] = set()
    # Held for the step: the session's identity map keeps its objects only while they are
    # referenced, and each file's `session.get` must find its row there.
    held = _load_timelines(session, [tl.id for tl in step])
    # The step's stored tasks in one read, its changed tasks in one write per kind: three
    # statements a file were most of an apply's round trips when every file changed. Tasks
    # a changed file gives as stored are told by their digests, and not read whole.
    read = {tl.id: begun.digests(tl) for tl in step if not begun.unchanged(tl)}
    stored = stored_tasks(session, list(read), read, begun.done)
    later: list[dict[str, Any]] = []
    for tl in step:
        changes += apply_timeline(session, begun, tl, now, stored.get(tl.id), later) or []
        whole |= session.info.pop(REPLAN).timelines
    write_updates(session, later)
    session.info[REPLAN] = Replan(False, frozenset(whole))
    del held  # written and flushed: the rows may go
    after_apply(session, config, changes, now)
    return changes


def _load_timelines(session: Session, ids: list[str]) -> list[Timeline]:
    """The step's timeline rows in one query, into the session (each file's `session.get`
    then finds its own without one query each, while the caller holds the list)."""
    return list(session.exec(select(Timeline).where(col(Timeline.id).in_(ids))).all())


def apply_in_steps(engine: Engine, config: Config, timelines: Iterable[ResolvedTimeline],
                   now: dt.datetime, kept: Iterable[str] = (),
                   files: Mapping[str, str] | None = None) -> Applied:
    """`fristvakt apply`: the files' tasks and their reminders written a few files per short
    transaction (tasks, ledger rows, "moved" notices and the files' applied marks together),
    so the SQLite write lock is never held for long and a file applied is applied whole; an
    apply stopped half way leaves the rest for the next. PostgreSQL: one apply at a time
    (`apply_lock`). Where a weekly digest is planned (it lists tasks of several files) the
    whole apply is one transaction, as `sync.apply` with `after_apply`. `kept`: the ids of
    the files left unread as the last apply read them; `files`: the hash of each file read,
    by timeline id."""
    timelines, kept = list(timelines), set(kept)
    applied = Applied([])
    with engine.connect() as conn, apply_lock(conn):
        with _step(conn, applied) as session:
            if _digests(session, config, timelines, kept):
                applied.changes = apply(session, config, timelines, now, kept, files,
                                        kept_done(session))
                after_apply(session, config, applied.changes, now)
                return applied
            begun = begin(session, config, now, files, kept_done(session))
        for i, step in enumerate(_steps(begun, timelines, STEP_TASKS.get(engine.dialect.name,
                                                                          1000))):
            with _step(conn, applied) as session:
                applied.changes += _apply_step(session, config, begun, step, now)
            if i == 0:
                _first_statistics(conn)
        with _step(conn, applied) as session:
            changes = finish(session, {tl.id for tl in timelines} | kept, now)
            after_apply(session, config, changes, now)
            applied.changes += changes
        _statistics(conn, applied)
    return applied


# Rows written by one apply past which PostgreSQL's planner gets fresh statistics at once,
# when they are also this share of what its statistics say the tables held (its own
# autovacuum's default `autovacuum_analyze_scale_factor`).
BULK = 10_000
SHARE = 0.1
_ANALYZE = "ANALYZE task, task_person, reminder"
# What the statistics of the tables an apply writes say they held (-1: never analyzed).
_KNOWN_ROWS = text("SELECT COALESCE(SUM(GREATEST(reltuples, 0)), 0) FROM pg_class "
                   "WHERE oid IN ('task'::regclass, 'reminder'::regclass)")
_NEVER_ANALYZED = text("SELECT reltuples < 0 FROM pg_class WHERE oid = 'task'::regclass")


def _first_statistics(conn: Connection) -> None:
    """On a database whose tables PostgreSQL's planner has never sampled (a first apply), a
    sample after the first step: without one it guesses, and often reads the whole growing
    task table for each chunk's lookup by primary key (a cost that grows with the square of
    the tasks: 4.8 s of a first apply at 100k). The sample's density holds as the tables
    grow, since the planner scales it by their current size."""
    if conn.dialect.name != "postgresql" or not conn.execute(_NEVER_ANALYZED).scalar_one():
        conn.rollback()  # the read's transaction, if any
        return
    conn.execute(text(_ANALYZE))
    conn.commit()


def _statistics(conn: Connection, applied: Applied) -> None:
    """After a bulk load (a first apply) PostgreSQL's planner knows nothing of the new rows
    until autovacuum comes round, and meanwhile reads a whole table for a lookup by index
    (the next `run`, `plan` or feed); ANALYZE samples the tables now (a fraction of a
    second). Not after an apply that changed a small share of large tables (a move of 1 %
    of the dues at 100k: 16,000 rows of 900,000): the statistics still hold, and the ANALYZE
    would be most of a second of the server's."""
    written = len(applied.changes) + applied.replanned
    if conn.dialect.name != "postgresql" or written < BULK:
        return
    if written < SHARE * float(conn.execute(_KNOWN_ROWS).scalar_one()):
        conn.rollback()  # the read's transaction
        return
    conn.execute(text(_ANALYZE))
    conn.commit()
