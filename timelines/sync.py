"""Files → database: what a changed file changes (diff) and making it so (apply).

`apply` runs in the caller's transaction, is idempotent, and never deletes a task: one that
disappears from its file is marked removed so its reminder history stays. A file whose
content and config are those of the last apply (`Timeline.applied_hash`) is not written
again; one whose bytes are those the last apply read (`Timeline.file_hash`, `known_files`)
is not even parsed by `fristvakt apply` and `diff`: they pass its timeline id as `kept`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import pickle
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from operator import attrgetter
from typing import Any, Literal, NamedTuple

from sqlalchemy import (
    JSON,
    Connection,
    Row,
    Text,
    TypeDecorator,
    bindparam,
    cast,
    delete,
    insert,
    text,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from timelines.base.status import OPEN_STATUSES
from timelines.config import Config
from timelines.model import Owner, Role, Task, TaskPerson, Timeline, chunks, insert_rows
from timelines.occurrences import OccurrenceChange, kept_answers, occurrence_changes
from timelines.project import Known
from timelines.resolve import ResolvedTask, ResolvedTimeline

ChangeKind = Literal["new", "moved", "changed", "removed", "restored"]
Dates = tuple[dt.date | None, dt.date | None]

# ResolvedTask fields copied onto Task rows as they are.
_COPIED = [f.name for f in fields(ResolvedTask) if f.name not in ("timeline_id", "key")]
_LISTS = ("owners", "participants", "after")


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    timeline_id: str
    key: str
    title: str
    old: Dates | None = None
    new: Dates | None = None
    task_pk: int | None = None
    occurrences: tuple[OccurrenceChange, ...] = ()  # of a recurring task, one by one

    def as_json(self) -> dict[str, object]:
        def iso(d: Dates | None) -> list[str | None] | None:
            return [x.isoformat() if x else None for x in d] if d else None

        shown: dict[str, object] = {
            "kind": self.kind, "timeline": self.timeline_id, "task": self.key,
            "title": self.title, "old": iso(self.old), "new": iso(self.new)}
        if self.occurrences:
            shown["occurrences"] = [o.as_json() for o in self.occurrences]
        return shown


def _values(task: ResolvedTask) -> dict[str, Any]:
    return dict(zip(_COPIED, _copied(task), strict=True))


_GET_COPIED = attrgetter(*_COPIED)
_LIST_AT = [i for i, name in enumerate(_COPIED) if name in _LISTS]


def _copied(task: ResolvedTask) -> tuple[Any, ...]:
    """The copied fields in the order of `_COPIED`, the lists as the table stores them."""
    values = list(_GET_COPIED(task))
    for i in _LIST_AT:
        values[i] = list(values[i])
    return tuple(values)


# A task as stored, the columns a comparison and a write need (a Core row, not an ORM
# object: a changed file's hundred tasks are read in one cheap query).
Stored = Row[Any]


def _row_dates(row: Stored) -> Dates:
    return (row.start, row.due)


def _compare(row: Stored | None, task: ResolvedTask) -> ChangeKind | None:
    if row is None:
        return "new"
    if row.removed_at is not None:
        return "restored"
    if _row_dates(row) != task.dates:
        return "moved"
    # The copied columns end the row (`_STORED`): compared as one tuple, not name by name.
    return "changed" if tuple(row[_FIRST_COPIED:_COPIED_END]) != _copied(task) else None


def _with_answers(row: Stored | None, task: ResolvedTask, done: frozenset[int]) -> ResolvedTask:
    """A task as the file gives it plus what its owners answered that the database keeps:
    a plain task in `done` (answered done at its current date version) stays done while
    the file still says it is open, so it is not reported changed whenever its file is read
    again; a recurring task keeps the occurrences answered done. Neither once the dates
    moved: a new date version reopens them."""
    if row is None or _row_dates(row) != task.dates:
        return task
    if task.recurrence:
        return replace(task, occurrences=kept_answers(row.occurrences, task.occurrences))
    if row.pk in done and task.status in OPEN_STATUSES:
        return replace(task, status="done")
    return task


TASKS = Task.__table__  # type: ignore[attr-defined]
TASK_PEOPLE = TaskPerson.__table__  # type: ignore[attr-defined]


class _SharedJSON(TypeDecorator[Any]):
    """A JSON column read as its text and parsed once per distinct text: most tasks share
    their owners, an empty policy and no occurrences (a third of reading a file's rows).
    The values are shared between rows, so they are only ever read."""

    impl = Text
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return _parsed(value)

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        # The cached parse itself, not `process_result_value` behind two wrapper calls: half
        # a million values are read when every file changed.
        return _parsed


# Room for every distinct owner list of a country's plans (8,000 at 100k tasks): a cache
# smaller than the texts read in turn misses nearly always.
@lru_cache(maxsize=65536)
def _parsed(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _read(name: str) -> Any:
    column = TASKS.c[name]
    return cast(column, _SharedJSON()).label(name) if isinstance(column.type, JSON) else column


_OWN = ("pk", "key", "removed_at", "date_version", "sequence", "digest")
_STORED = [_read(name) for name in (*_OWN, *_COPIED)]
_FIRST_COPIED = len(_OWN)
_COPIED_END = _FIRST_COPIED + len(_COPIED)


# Built once (see `_UPDATE_TASK`): the columns in the places `_compare` reads them
# (`_FIRST_COPIED`), the file's id after them; of the tasks a step must compare.
_EXISTING = select(*[*_STORED, TASKS.c.timeline_id]).where(
    TASKS.c.pk.in_(bindparam("pks", expanding=True)))
# What tells whether a stored task is the file's task now (`_kept`): the columns an answer
# may write besides the digest of those only an apply writes. A third of the full row's cost.
_GLANCE = select(*[_read(name) for name in (
    "pk", "key", "removed_at", "digest", "start", "due", "status", "occurrences",
    "timeline_id")]).where(TASKS.c.timeline_id.in_(bindparam("tls", expanding=True)))


class _Unchanged:
    """A stored task that is the file's task now: nothing to compare, nothing to write."""


UNCHANGED: Any = _Unchanged()


def stored_tasks(session: Session, timeline_ids: Sequence[str], fresh: Mapping[str, Digests],
                 done: frozenset[int] = frozenset()) -> dict[str, dict[str, Stored]]:
    """The stored tasks of a few files (a step's, or one: the lists are bounded by the step,
    not by the data) by timeline id and key; a file with no stored task has an empty one.
    A task the file read now (`fresh`: its tasks and their digests) gives as stored is
    `UNCHANGED`: every file's rows are glanced at in one query, and only the others (changed,
    added back, or gone from the file now) are read whole, in another; those gone before
    are left alone."""
    found: dict[str, dict[str, Stored]] = {tl: {} for tl in timeline_ids}
    if not timeline_ids:
        return found
    whole: list[int] = []
    for row in session.execute(_GLANCE, {"tls": list(timeline_ids)}).all():
        digests = fresh[row.timeline_id]
        task = digests.task(row.key)
        if task is not None and _kept(row, task, digests, done):
            found[row.timeline_id][row.key] = UNCHANGED
        elif task is not None or row.removed_at is None:  # else long gone from the file
            whole.append(row.pk)
    for part in chunks(whole):
        for row in session.execute(_EXISTING, {"pks": part}).all():
            found[row.timeline_id][row.key] = row
    return found


def _kept(row: Stored, task: ResolvedTask, digests: Digests, done: frozenset[int]) -> bool:
    """The stored task is the file's `task` now, with what its owners answered: what only an
    apply writes by the digest of what the last one wrote, what an answer writes as
    stored (status, occurrences; the dates an answer's date version hangs on)."""
    if row.removed_at is not None:
        return False
    if task.recurrence or row.pk in done:  # else no answer changes it: `_with_answers`
        task = _with_answers(row, task, done)
    return (row.digest == digests.of(task) and row.status == task.status
            and row.start == task.start and row.due == task.due
            and row.occurrences == task.occurrences)


Pending = tuple[Change, Stored | None, ResolvedTask | None]


def _timeline_changes(session: Session, tl: ResolvedTimeline,
                      done: frozenset[int] = frozenset(),
                      stored: dict[str, Stored] | None = None,
                      digests: Digests | None = None,
                      stale: list[dict[str, Any]] | None = None) -> list[Pending]:
    """What writing the file changes, against its `stored` tasks (read here when not given:
    those the file gives as stored are `UNCHANGED`). A task compared whole and found
    unchanged whose stored digest is not its own (stored before digests were, or answered
    since) gets an UPDATE of the digest alone in `stale`, so the next apply need not compare
    it whole."""
    digests = digests or Digests(tl)
    rows = dict(stored) if stored is not None else stored_tasks(session, [tl.id],
                                                                {tl.id: digests}, done)[tl.id]
    out: list[Pending] = []
    for task in tl.tasks:
        row = rows.pop(task.key, None)
        if row is UNCHANGED:
            continue
        task = _with_answers(row, task, done)
        kind = _compare(row, task)
        if kind:
            old = _row_dates(row) if row else None
            each = occurrence_changes(row, task) if row and task.recurrence else ()
            change = Change(kind, tl.id, task.key, task.title, old, task.dates,
                            row.pk if row else None, each)
            out.append((change, row, task))
        elif row is not None and stale is not None:
            _stale(row, digests.of(task), stale)
    for row in rows.values():
        if row is not UNCHANGED and row.removed_at is None:
            change = Change("removed", tl.id, row.key, row.title, _row_dates(row), None, row.pk)
            out.append((change, row, None))
    return out


def _stale(row: Stored, digest: str, stale: list[dict[str, Any]]) -> None:
    """The digest alone written, where the stored one is not `digest`."""
    if row.digest != digest:
        stale.append({"b_pk": row.pk, "v_digest": digest})


def _vanished_timelines(session: Session, present: set[str]) -> list[str]:
    live = session.exec(select(Timeline).where(Timeline.removed_at.is_(None))).all()  # type: ignore[union-attr]
    return [t.id for t in live if t.id not in present]


def _removed_timeline(timeline_id: str) -> ResolvedTimeline:
    return ResolvedTimeline(timeline_id, "", None, None, "", "", (), {}, {}, ())


def diff(session: Session, timelines: Iterable[ResolvedTimeline],
         kept: Iterable[str] = (), done: frozenset[int] = frozenset()) -> list[Change]:
    """What applying these timelines would change; the database is not touched. `kept`:
    the ids of the files left unread as the last apply read them (nothing to change);
    `done`: the tasks answered done that stay so (`_with_answers`)."""
    timelines = list(timelines)
    present = {t.id for t in timelines} | set(kept)
    gone = [_removed_timeline(t) for t in _vanished_timelines(session, present)]
    return [c for tl in [*timelines, *gone]
            for c, _, _ in _timeline_changes(session, tl, done)]


def _task_update(change: Change, row: Stored, task: ResolvedTask | None,
                 now: dt.datetime, digest: str = "") -> dict[str, Any]:
    """A stored task changed, removed or restored: the parameters of its UPDATE (`digest`:
    of the task as written)."""
    if task is None:  # calendars must take the removal as newer than what they have
        return {"b_pk": row.pk, "v_changed_at": now, "v_removed_at": now,
                "v_sequence": row.sequence + 1}
    moved = change.kind == "moved" or (change.kind == "restored" and change.old != change.new)
    newer = (change.kind == "restored" or _cancelled(row.status) != _cancelled(task.status)
             or _series(row) != _series(task))
    values = {**_values(task), "removed_at": None, "changed_at": now,
              "date_version": row.date_version + moved, "sequence": row.sequence + newer,
              "digest": digest}
    return {"b_pk": row.pk, **{f"v_{name}": value for name, value in values.items()}}


# One UPDATE for every changed, removed or restored task of a file (an executemany), built
# once: building and hashing a statement of thirty columns costs more than running it. A
# removed task keeps its columns but these.
def _update_of(names: Iterable[str]) -> Any:
    """`UPDATE task SET <name> = :v_<name>, … WHERE pk = :b_pk`."""
    return update(TASKS).where(TASKS.c.pk == bindparam("b_pk")).values(
        {name: bindparam(f"v_{name}", type_=TASKS.c[name].type) for name in names})


_UPDATE_TASK = _update_of((*_COPIED, "removed_at", "changed_at", "date_version", "sequence",
                           "digest"))
_UPDATE_REMOVED = _update_of(("removed_at", "changed_at", "sequence"))
_UPDATE_DIGEST = _update_of(("digest",))


def _update_kind(update: dict[str, Any]) -> Any:
    """Which UPDATE sets these values: a removal sets no title, a digest alone is a stale
    one (`_timeline_changes`)."""
    if "v_title" in update:
        return _UPDATE_TASK
    return _UPDATE_REMOVED if "v_removed_at" in update else _UPDATE_DIGEST


def _update_tasks(session: Session, updates: list[dict[str, Any]]) -> None:
    """The UPDATEs gathered, one executemany per kind."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    for u in updates:
        groups.setdefault(_update_kind(u), []).append(u)
    for stmt, group in groups.items():
        session.execute(stmt, group)
    for u in updates:
        _expire(session, u["b_pk"])


def _expire(session: Session, pk: int) -> None:
    """A task object the session already holds (an answer's apply may have read it) reads
    the row written behind its back again when next used."""
    held = session.identity_map.get(session.identity_key(Task, pk))  # type: ignore[no-untyped-call]
    if held is not None:
        session.expire(held)


def _new_task(task: ResolvedTask, now: dt.datetime, digest: str) -> tuple[Any, ...]:
    """A new task row as the table stores it, every column (in the order of `_NEW`)."""
    values = _values(task)
    return (task.timeline_id, task.key, *(values[name] for name in _COPIED), 1, 0, {}, now, now,
            digest)


_NEW = ("timeline_id", "key", *_COPIED, "date_version", "sequence", "latest_status",
        "created_at", "changed_at", "digest")


def _insert_tasks(session: Session, timeline_id: str, tasks: list[ResolvedTask],
                  now: dt.datetime, digests: Digests) -> list[int]:
    """New tasks of one timeline in one executemany, not one ORM object each; their primary
    keys in the order given (read back by key: one query)."""
    if not tasks:
        return []
    insert_rows(session.connection(), TASKS, _NEW,
                [_new_task(task, now, digests.of(task)) for task in tasks])
    stmt = select(TASKS.c.key, TASKS.c.pk).where(TASKS.c.timeline_id == timeline_id)
    found = {key: pk for key, pk in session.execute(stmt)}
    return [found[task.key] for task in tasks]


def _write_tasks(session: Session, pending: list[Pending], now: dt.datetime, digests: Digests,
                 updates: list[dict[str, Any]]) -> list[int]:
    """Every pending change written, the task's primary key for each, in order: new tasks in
    bulk, the people each names to `task_person`; the UPDATEs of changed rows are gathered in
    `updates`, for the caller's `write_updates`."""
    new = [task for _, row, task in pending if row is None and task is not None]
    inserted = iter(_insert_tasks(session, pending[0][0].timeline_id if pending else "", new,
                                  now, digests))
    pks: list[int] = []
    people: list[tuple[str, int]] = []
    for change, row, task in pending:
        if row is None:
            pks.append(next(inserted))
        else:
            updates.append(_task_update(change, row, task, now,
                                        digests.of(task) if task is not None else ""))
            pks.append(row.pk)
            if task is None or _people(task) == _people(row):
                continue
            session.execute(delete(TASK_PEOPLE).where(TASK_PEOPLE.c.task_pk == row.pk))
        people += [(key, pks[-1]) for key in _people(task)]
    insert_rows(session.connection(), TASK_PEOPLE, ("key", "task_pk"), people)
    return pks


def write_updates(session: Session, updates: list[dict[str, Any]]) -> None:
    """The gathered UPDATEs of changed tasks, and whatever the session holds to write."""
    _update_tasks(session, updates)
    session.flush()


def _people(task: Stored | ResolvedTask | None) -> list[str]:
    """The keys a task names, each once: its owners, then its participants."""
    return list(dict.fromkeys([*task.owners, *task.participants])) if task else []


def _series(task: Stored | ResolvedTask) -> tuple[object, ...]:
    """What a recurring task's calendar series is made of besides its first dates."""
    return (task.recurrence, task.until, task.occurrences)


def _cancelled(status: str) -> bool:
    return status == "cancelled"


def _write_timeline(session: Session, tl: ResolvedTimeline, now: dt.datetime,
                    mark: str, read: str) -> bool:
    """Write the timeline's own fields, `mark` and the hash of the file `read` ("" when not
    known); True when a field other than the marks changed (then every task of it may plan
    otherwise)."""
    row = session.get(Timeline, tl.id) or Timeline(id=tl.id, title=tl.title, changed_at=now)
    values = {"title": tl.title, "lang": tl.lang, "ref_year": tl.ref_year, "source": tl.source,
              "path": tl.path, "owners": list(tl.owners), "roles": tl.roles, "policy": tl.policy,
              "removed_at": None}
    changed = row.applied_hash == "" or any(getattr(row, k) != v for k, v in values.items())
    if changed:
        for key, value in values.items():
            setattr(row, key, value)
        row.changed_at = now
    row.applied_hash = mark
    row.file_hash = read
    session.add(row)
    return changed


def _mark_timeline_removed(session: Session, timeline_id: str, now: dt.datetime) -> None:
    row = session.get(Timeline, timeline_id)
    if row is not None:
        row.removed_at = now
        row.changed_at = now
        session.add(row)


def sync_people(session: Session, config: Config) -> None:
    """Mirror [owners] and [roles] of the config into the database: only the rows that
    differ are written, a statement per kind of write (5,000 owners are one read)."""
    owners = {key: {"key": key, "name": o.name, "email": o.email, "lang": o.lang,
                    "timezone": o.timezone} for key, o in config.owners.items()}
    roles = {key: {"key": key, "label": r.label, "members": list(r.members)}
             for key, r in config.roles.items()}
    _mirror(session, Owner.__table__, owners)  # type: ignore[attr-defined]
    _mirror(session, Role.__table__, roles)  # type: ignore[attr-defined]


def _mirror(session: Session, table: Any, wanted: dict[str, dict[str, Any]]) -> None:
    """Make `table` (keyed by `key`) hold exactly `wanted`."""
    stored = {row.key: dict(row._mapping) for row in session.execute(select(table))}
    gone = [key for key in stored if key not in wanted]
    for part in chunks(gone):
        session.execute(delete(table).where(table.c.key.in_(part)))
    new = [row for key, row in wanted.items() if key not in stored]
    if new:
        session.execute(insert(table), new)
    changed = [{f"v_{name}": value for name, value in row.items()}
               for key, row in wanted.items() if key in stored and stored[key] != row]
    if changed:
        values = {c.name: bindparam(f"v_{c.name}", type_=c.type)
                  for c in table.c if c.name != "key"}
        stmt = update(table).where(table.c.key == bindparam("v_key")).values(**values)
        session.execute(stmt, changed)


# Any fixed number: with the schema, the key of the advisory lock that lets one `apply`
# run at a time (per schema, so installations sharing a server do not wait for each other).
APPLY_LOCK = 0x46_52_53_54


def serialise(session: Session) -> None:
    """Wait for any other `apply` to finish before reading anything, so the second of two
    concurrent applies of one edit sees it done and changes nothing. PostgreSQL: an advisory
    lock released at commit; SQLite: every write transaction begins IMMEDIATE already."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))"),
                        {"key": APPLY_LOCK})


@contextmanager
def apply_lock(conn: Connection) -> Iterator[None]:
    """For an apply in several transactions on one connection (`fristvakt apply`): on
    PostgreSQL the advisory lock of `serialise`, held by the connection from the first step
    to the last (`serialise` on the same connection then passes at once; another apply
    waits). SQLite needs none: each step's transaction holds the write lock, and reads the
    rows it compares inside it."""
    if conn.dialect.name != "postgresql":
        yield
        return
    key = {"key": APPLY_LOCK}
    conn.execute(text("SELECT pg_advisory_lock(:key, hashtext(current_schema()))"), key)
    conn.commit()
    try:
        yield
    finally:
        _unlock(conn, key)


def _unlock(conn: Connection, key: dict[str, int]) -> None:
    try:
        conn.rollback()
        conn.execute(text("SELECT pg_advisory_unlock(:key, hashtext(current_schema()))"), key)
        conn.commit()
    except DBAPIError:  # the connection is gone, and the lock with it: never reuse it
        conn.invalidate()


# The key in `Session.info` where `apply` leaves what the reminder engine must re-plan.
REPLAN = "fristvakt.replan"


@dataclass(frozen=True)
class Replan:
    """What `apply` may have changed besides its `Change`s: everything (the config differs
    from the last apply's, or there was none), or every task of these timelines (their own
    fields changed)."""

    everything: bool
    timelines: frozenset[str]


def _digest(data: bytes) -> str:
    """A mark's part: the first 24 hex digits of the data's sha256."""
    return hashlib.sha256(data).hexdigest()[:24]


# Settings for sending, feeds and the web pages: nothing an apply reads or writes depends on
# them (no check, no task, no ledger row), so a new SMTP host, a rotated secret's variable or
# a setting a release adds there re-reads and re-plans nothing. A setting anywhere else, new
# ones included, counts: re-planning when it need not costs time, not reminders.
_NOT_PLANNED = {"smtp", "feeds", "web", "base_url", "database_url"}


def config_hash(config: Config) -> str:
    """The config as the last apply read it, but for `_NOT_PLANNED`: any change re-reads
    and re-plans every file."""
    return _digest(config.model_dump_json(exclude=_NOT_PLANNED).encode())


def timeline_hash(tl: ResolvedTimeline, digests: Digests | None = None) -> str:
    """The resolved file: its fields and the digest of every task, in order."""
    return _digest(_pickled([_TIMELINE_FIELDS(tl)])[0]
                   + "".join((digests or Digests(tl)).in_order).encode())


_TASK_FIELDS = attrgetter(*(f.name for f in fields(ResolvedTask)))
_TIMELINE_FIELDS = attrgetter(*(f.name for f in fields(ResolvedTimeline) if f.name != "tasks"))


def _pickled(values: Iterable[tuple[Any, ...]]) -> tuple[bytes, list[int]]:
    """Each tuple of fields pickled in C (its `repr`, a Python call per task, cost twice as
    much), one after the other, and where each one's bytes end. Pickled without a memo
    ("fast" mode): two equal values are written alike whether or not they are one object
    (the cached `when` readings are shared between tasks, or not, by what else was read), so
    a file read again unchanged gets the same digests. As `repr`, a value of another type (1
    and True, a tuple and a list) writes otherwise: a digest tells a change, never misses
    one."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True  # no self-references here (tuples, dicts and dates of plain values)
    ends = []
    for fields_of in values:
        pickler.dump(fields_of)
        ends.append(out.tell())
    return out.getvalue(), ends


def _task_digests(tasks: Sequence[ResolvedTask]) -> list[str]:
    """`task_digest` of each: one pickler for them all, each task's bytes hashed apart."""
    data, ends = _pickled(map(_TASK_FIELDS, tasks))
    return [hashlib.blake2b(data[start:end], digest_size=12).hexdigest()
            for start, end in zip([0, *ends], ends, strict=False)]


def task_digest(task: ResolvedTask) -> str:
    """Every field of the task (as the file gives it, or as an apply writes it), in 24 hex
    digits: what `Task.digest` stores."""
    return _task_digests([task])[0]


class Digests:
    """The digests of a file's tasks as read, worked out once for them all."""

    def __init__(self, tl: ResolvedTimeline) -> None:
        self.in_order = _task_digests(tl.tasks)
        self._by_key = {task.key: (task, digest)
                        for task, digest in zip(tl.tasks, self.in_order, strict=True)}

    def task(self, key: str) -> ResolvedTask | None:
        held = self._by_key.get(key)
        return held[0] if held is not None else None

    def of(self, task: ResolvedTask) -> str:
        """The digest of `task`: the file's, or one an answer changed (worked out now)."""
        held = self._by_key.get(task.key)
        return held[1] if held is not None and held[0] is task else task_digest(task)


class Mark(NamedTuple):
    """A live timeline as the last apply left it: its mark (`<config>:<resolved>`), that
    apply's instant, the hash of the file it read ("" when not known) and its path."""

    mark: str
    at: int
    file: str
    path: str


def _stored_marks(session: Session) -> dict[str, Mark]:
    """Each live timeline's mark of the last apply (one row per file, not per task)."""
    stmt = select(Timeline.id, Timeline.applied_hash, Timeline.file_hash, Timeline.path).where(
        col(Timeline.removed_at).is_(None))
    found = {}
    for tl_id, stored, read, path in session.exec(stmt).all():
        mark, _, at = stored.rpartition("@")
        found[tl_id] = Mark(mark, int(at) if at.isdigit() else 0, read, path)
    return found


def known_files(session: Session, config: Config, now: dt.datetime | None) -> Known:
    """The files the last apply read that `config` lets a new one skip unread (by path:
    timeline id and file hash): applied under this config at no later instant than `now`
    (None: any instant, for `diff`, which plans nothing)."""
    part, at = f"{config_hash(config)}:", now.timestamp() if now else float("inf")
    return {m.path: (tl_id, m.file) for tl_id, m in _stored_marks(session).items()
            if m.file and m.path and m.mark.startswith(part) and m.at <= at}


@dataclass(frozen=True)
class Begun:
    """What an apply reads before it writes: each live file's mark of the last apply, this
    config's part of a mark, this apply's instant, whether every task is re-planned (the
    config differs from the last apply's, or an earlier instant is applied), and the hash
    of each file read now (by timeline id)."""

    stored: dict[str, Mark]
    config_part: str
    at: int
    everything: bool
    files: Mapping[str, str] = field(default_factory=dict)
    done: frozenset[int] = frozenset()  # the tasks answered done that stay so (`_with_answers`)
    marks: dict[str, tuple[ResolvedTimeline, str, Digests]] = field(default_factory=dict,
                                                                    repr=False)

    def mark(self, tl: ResolvedTimeline) -> str:
        """`<config>:<resolved>` of a file read now (hashed once per file: a hundred tasks'
        text)."""
        return self._held(tl)[1]

    def digests(self, tl: ResolvedTimeline) -> Digests:
        """The digests of the file's tasks, those its mark is made of."""
        return self._held(tl)[2]

    def _held(self, tl: ResolvedTimeline) -> tuple[ResolvedTimeline, str, Digests]:
        held = self.marks.get(tl.id)
        if held is None or held[0] is not tl:
            digests = Digests(tl)
            mark = f"{self.config_part}:{timeline_hash(tl, digests)}"
            held = self.marks[tl.id] = (tl, mark, digests)
        return held

    def unchanged(self, tl: ResolvedTimeline) -> bool:
        """The file is as the last apply read it, under the same config, applied at no
        earlier instant (one at an earlier instant may plan reminders a later one found
        already past)."""
        stored = self.stored.get(tl.id)
        return stored is not None and stored.mark == self.mark(tl) and stored.at <= self.at

    def untouched(self, tl: ResolvedTimeline) -> bool:
        """`unchanged`, and the file's hash stored is the one read now (else that is
        written, so the next apply need not parse it)."""
        stored = self.stored.get(tl.id)
        read = self.files.get(tl.id, "")
        return self.unchanged(tl) and (not read or stored is not None and stored.file == read)


def begin(session: Session, config: Config, now: dt.datetime,
          files: Mapping[str, str] | None = None, done: frozenset[int] = frozenset()) -> Begun:
    """The first step of an apply: read the marks; mirror the people when the config is new.
    `files`: the hash of each file read (by timeline id), stored with what it applies;
    `done`: the tasks answered done that stay so (`_with_answers`)."""
    stored, config_part, at = _stored_marks(session), config_hash(config), int(now.timestamp())
    everything = not stored or any(not m.mark.startswith(f"{config_part}:") or m.at > at
                                   for m in stored.values())
    if everything:
        sync_people(session, config)
    return Begun(stored, config_part, at, everything, dict(files or {}), done)


def apply_timeline(session: Session, begun: Begun, tl: ResolvedTimeline,
                   now: dt.datetime, stored: dict[str, Stored] | None = None,
                   later: list[dict[str, Any]] | None = None) -> list[Change] | None:
    """Write one file (its own row and its tasks, marked applied); None when it is skipped
    as unchanged. Leaves in `session.info[REPLAN]` what this file needs re-planned. A step
    of files passes their `stored` tasks (`stored_tasks`) and gathers the UPDATEs of
    changed tasks in `later`, so that it writes them all at once (`write_updates`)."""
    read = begun.files.get(tl.id, "")
    if begun.unchanged(tl):
        if not begun.untouched(tl):  # the same tasks from other bytes (a comment, say)
            session.execute(update(Timeline.__table__).where(  # type: ignore[attr-defined]
                Timeline.__table__.c.id == tl.id).values(file_hash=read))  # type: ignore[attr-defined]
        session.info[REPLAN] = Replan(False, frozenset())
        return None
    header = _write_timeline(session, tl, now, f"{begun.mark(tl)}@{begun.at}", read)
    updates: list[dict[str, Any]] = later if later is not None else []
    digests = begun.digests(tl)
    pending = _timeline_changes(session, tl, begun.done, stored, digests, updates)
    if stored is None or any(row is None for _, row, _ in pending):
        session.flush()  # a new task refers to its file's row
    pks = _write_tasks(session, pending, now, digests, updates)
    if later is None:
        write_updates(session, updates)
    whole = frozenset({tl.id}) if header or begun.everything else frozenset()
    session.info[REPLAN] = Replan(False, whole)
    return [replace(change, task_pk=pk) for (change, _, _), pk in zip(pending, pks, strict=True)]


def finish(session: Session, present: set[str], now: dt.datetime) -> list[Change]:
    """The last step of an apply: the tasks of files that are gone are marked removed.
    `present`: the ids of every file there, read or kept unread."""
    changes: list[Change] = []
    for timeline_id in _vanished_timelines(session, present):
        updates: list[dict[str, Any]] = []
        for change, row, task in _timeline_changes(session, _removed_timeline(timeline_id)):
            assert row is not None  # a removal: nothing is new
            updates.append(_task_update(change, row, task, now))
            changes.append(change)
        _update_tasks(session, updates)
        _mark_timeline_removed(session, timeline_id, now)
    session.info[REPLAN] = Replan(False, frozenset())
    return changes


def apply(session: Session, config: Config, timelines: Iterable[ResolvedTimeline],
          now: dt.datetime, kept: Iterable[str] = (),
          files: Mapping[str, str] | None = None,
          done: frozenset[int] = frozenset()) -> list[Change]:
    """Make the database match the files in the caller's one transaction; returns what
    changed (empty when nothing did). A file read as it was at the last apply, under the
    same config and no earlier `now`, is skipped. `kept`: the ids of the files left unread
    as the last apply read them; `files`: the hash of each file read, by timeline id;
    `done`: the tasks answered done that stay so. (`fristvakt apply` runs the same steps,
    a transaction per file: `scheduler.hooks.apply_in_steps`.)"""
    serialise(session)
    timelines = list(timelines)
    begun = begin(session, config, now, files, done)
    changes: list[Change] = []
    headers: set[str] = set()
    for tl in timelines:
        found = apply_timeline(session, begun, tl, now)
        if found is not None:
            changes += found
            headers |= session.info[REPLAN].timelines
    changes += finish(session, {t.id for t in timelines} | set(kept), now)
    session.info[REPLAN] = Replan(begun.everything, frozenset(headers))
    return changes
