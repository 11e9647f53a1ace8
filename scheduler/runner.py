"""The send loop: claim due rows (committed), send outside any transaction, mark fenced.

`ReminderEngine.run_pass` is one pass (`fristvakt run --once`); `serve` runs passes on an
APScheduler clock. APScheduler is only the alarm clock: an in-memory job store with one
interval tick and one date job at the next due instant; the ledger is the only truth, so a
lost or doubled tick costs nothing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import os
import random
import signal
import socket
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import Engine as DbEngine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from notifiers.base import (
    AmbiguousDeliveryError,
    Notice,
    Notifier,
    PermanentDeliveryError,
    SendResult,
    TransportDeliveryError,
)
from scheduler import ledger
from scheduler.clock import Clock
from scheduler.notices import FeedUrl, Lookup, NothingToSend, UnknownRecipient, build_notice
from scheduler.planning import queue_alert, queue_outage, release_alerts
from scheduler.states import DeliveryOutcome, ReminderKind
from timelines.base.collector import frozen
from timelines.base.exceptions import DeliveryError
from timelines.config import Config
from timelines.db import installation_id, session_scope, tcp_checks
from timelines.model import Reminder, Task

if TYPE_CHECKING:
    from notifiers.email.ahead import RenderPool
    from notifiers.email.render import MailRenderer

log = logging.getLogger("fristvakt.runner")
UTC = dt.UTC
# A batch of at least this many messages is rendered in a worker process (`RenderPool`),
# while this one checks, sends and marks; below it, starting the worker (a few tenths of a
# second) costs more than it saves.
RENDER_AHEAD_FROM = 20
# A first claim this full (and at least its batch) is a backlog: the pass opens the further
# connections `[smtp] connections` allows. Below it one connection keeps up, in order.
MORE_CONNECTIONS_FROM = 20
# How much larger than `--batch` a lane's claims grow in a backlog (`next_claim`).
CLAIM_GROWTH = 4


def default_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class EngineOptions:
    """Tuning; tests shorten the lease and the tick."""

    worker: str = field(default_factory=default_worker)
    lease_seconds: float = 300.0
    batch: int = 50
    interval: float = 60.0
    # Accepted messages per commit: each alone (with the check of the next message), so a
    # crash resends one.
    mark_every: int = 1
    retry: ledger.RetryPolicy = field(default_factory=ledger.RetryPolicy)


@dataclass(frozen=True)
class Outcome:
    """One row's fate in a pass, for the report."""

    status: str
    kind: str
    recipient: str
    email: str
    idem_key: str
    detail: str = ""
    title: str = ""


@dataclass
class PassReport:
    outcomes: list[Outcome] = field(default_factory=list)
    outage: str = ""  # why the pass stopped early: no message could go out at all
    db_error: str = ""  # why the pass did not run: the database could not be used
    alerted: bool = False  # a reminder died: the coordinator's alert waits for the pass's end

    def of(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]


@dataclass
class Job:
    """A claimed row and the notice built for it in the claim transaction."""

    row_id: int
    lease: ledger.Lease
    previous: str
    row: Reminder
    notice: Notice | None
    problem: Exception | None = None
    prepared: object = None  # the message, made while the one before it was being sent
    rendering: asyncio.Future[Any] | None = None  # the message, being made in a worker

    @property
    def token(self) -> str:
        return self.lease.token

    def outcome(self, status: str, detail: str = "") -> Outcome:
        r = self.row
        title = self.notice.tasks[0].title if self.notice and self.notice.tasks else ""
        # The address the message went to (fristvakt.toml now), not the one planned with.
        email = self.notice.recipient.email if self.notice else r.email
        return Outcome(status, r.kind, r.recipient, email, r.idem_key, detail, title)


def failure_of(exc: BaseException) -> ledger.Failure:
    code = getattr(exc, "code", None)
    if isinstance(exc, AmbiguousDeliveryError):
        return ledger.Failure("ambiguous", code, str(exc))
    if isinstance(exc, PermanentDeliveryError):
        return ledger.Failure("permanent", code, str(exc))
    if isinstance(exc, DeliveryError):
        return ledger.Failure("transient", code, str(exc))
    return ledger.Failure("permanent", None, f"{type(exc).__name__}: {exc}")


def email_notifier(config: Config, clock: Clock, pool: RenderPool | None = None) -> Notifier[Any]:
    from notifiers.email.smtp import EmailNotifier
    from scheduler.answers.mail_links import mail_actions

    # The Date header follows --now / simulated time; the owners' answer buttons come along.
    return EmailNotifier.from_config(config, actions=mail_actions(config), clock=clock.now,
                                     pool=pool)


def mail_renderer(config: Config) -> MailRenderer:
    """The renderer of `email_notifier`, made again in a worker process (`RenderPool`)."""
    from notifiers.email.smtp import renderer_from_config
    from scheduler.answers.mail_links import mail_actions

    return renderer_from_config(config, mail_actions(config))


def _title(session: Session, row: Reminder) -> str:
    task = session.get(Task, row.task_pk) if row.task_pk is not None else None
    return task.title if task else ""


# A message the server took, waiting to be marked `sent`.
Accepted = tuple[Job, SendResult]
# A claim: the jobs to send, the rows that expired instead, how many were superseded.
Claimed = tuple[list[Job], list[Outcome], int]


def _once_per_owner(feed_url: FeedUrl | None) -> FeedUrl | None:
    """`feed_url` asked at most once per owner: a pass sends one owner many reminders, and
    their link does not change while it runs."""
    if feed_url is None:
        return None
    return functools.cache(feed_url)


class ReminderEngine:
    """Claims, sends and marks reminders: one worker identity (`options.worker`), whose
    passes send over one connection, or over several (`Lane`) when a backlog is due."""

    def __init__(self, db: DbEngine, config: Config, clock: Clock,
                 notifier: Callable[[], Notifier[Any]] | None = None,
                 options: EngineOptions | None = None, feed_url: FeedUrl | None = None,
                 rng: random.Random | None = None) -> None:
        self.db, self.config, self.clock = db, config, clock
        self.given_notifier = notifier  # None: email as fristvakt.toml says (`email_notifier`)
        self._pool: RenderPool | None = None  # renders a pass's large batches
        self.options = options or EngineOptions()
        self.feed_url = feed_url
        self.rng = rng or random.Random()
        self.stopping = False
        self._installation: str | None = None
        self._links = feed_url  # the owners' links, asked once per owner in each pass
        self._probe: DbEngine | None = None  # new connections, to see an outage (`_reachable`)
        self._wake = False  # a new config is in force: rows waiting for an owner are due

    @property
    def installation(self) -> str:
        """The database's random id, read once (it never changes)."""
        if self._installation is None:
            self._installation = installation_id(self.db)
        return self._installation

    def _reachable(self) -> None:
        """Before a pass, one cheap statement on a new connection: an outage of the database
        raises here (DBAPIError, which `serve` reports once while it lasts). A pooled
        connection may outlive the server's reachability (a proxy in between keeps it
        open), so it cannot tell; SQLite, a file, has no such outage."""
        if self.db.dialect.name == "sqlite":
            return
        if self._probe is None:
            self._probe = create_engine(self.db.url, poolclass=NullPool,
                                        connect_args=tcp_checks(self.db.url))
        with self._probe.connect() as conn:
            conn.execute(text("SELECT 1"))

    def use_config(self, config: Config) -> None:
        """A new fristvakt.toml (`serve` re-read it): from the next pass on, and the rows that
        waited for an owner it may now name are due in that pass."""
        self.config, self._wake = config, True

    def _wake_waiting(self) -> None:
        if not self._wake:
            return
        with session_scope(self.db) as session:
            ledger.wake_waiting(session, self.clock.now())
        self._wake = False

    async def run_pass(self) -> PassReport:
        """Send everything due now (the first pass after a start is the catch-up)."""
        self._reachable()
        self._wake_waiting()
        # One alert per coordinator per pass, however many batches it takes.
        report, alert_key = PassReport(), f"alert:{uuid.uuid4().hex[:12]}"
        self._links = _once_per_owner(self.feed_url)
        # Each full collection would scan every owner's config again: at 5,000 owners that
        # was a third of the pass's CPU (timelines.base.collector).
        try:
            with frozen():
                await self._send_due(report, alert_key)
        finally:
            self._close_pool()
        return report

    async def _send_due(self, report: PassReport, alert_key: str) -> None:
        """One connection drains the due rows; when its first claim comes back full (a
        backlog), the others `[smtp] connections` allows join it, each a worker of its own
        (`worker/2`, ...) with its own leases and one message in flight."""
        first = Lane(self, self.options.worker, report, alert_key)
        claimed = first.claim()
        others = [Lane(self, f"{self.options.worker}/{n}", report, alert_key)
                  for n in range(2, self._connections(claimed) + 1)]
        failed = await asyncio.gather(first.drain(claimed), *(lane.drain() for lane in others),
                                      return_exceptions=True)
        for problem in failed:  # a lane's error (the database gone) once they all stopped
            if isinstance(problem, BaseException):
                raise problem
        if report.alerted and self._release_alerts(alert_key):
            await Lane(self, self.options.worker, report, alert_key).drain()

    def _release_alerts(self, alert_key: str) -> int:
        """The pass's alert, held while its connections sent (a death after the alert was
        built would be missing from it), now due: the last claim sends it."""
        with session_scope(self.db) as session:
            return release_alerts(session, alert_key, self.clock.now())

    def _connections(self, claimed: Claimed) -> int:
        backlog = len(claimed[0]) >= max(self.options.batch, MORE_CONNECTIONS_FROM)
        return self.config.smtp.connections if backlog else 1

    def _notifier(self, jobs: list[Job]) -> Notifier[Any]:
        """The batch's notifier: the one given, or email, rendered in a worker process when
        the batch is large."""
        if self.given_notifier is not None:
            return self.given_notifier()
        return email_notifier(self.config, self.clock, self._pool_for(jobs))

    def _pool_for(self, jobs: list[Job]) -> RenderPool | None:
        if len(jobs) < RENDER_AHEAD_FROM:
            return None
        if self._pool is None:  # made for this pass's config (`serve` may load a new one)
            from notifiers.email.ahead import RenderPool

            self._pool = RenderPool(functools.partial(mail_renderer, self.config))
        return self._pool

    def _close_pool(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def _claim(self, worker: str, limit: int) -> Claimed:
        """Up to `limit` due rows leased to `worker`: the jobs to send, the rows that expired,
        and how many were superseded."""
        now = self.clock.now()
        lease = ledger.new_lease(worker, now, self.options.lease_seconds)
        _ = self.installation  # read before the claim's write transaction, not inside it
        with session_scope(self.db) as session:
            claimed = ledger.claim(session, now, lease, limit)
            lookup = Lookup(session)
            lookup.preload(claimed.rows)
            jobs = [self._job(lookup, row, lease, claimed.previous, now)
                    for row in claimed.rows]
            expired = [Outcome("expired", r.kind, r.recipient, r.email, r.idem_key,
                               r.last_error, _title(session, r)) for r in claimed.expired]
        return jobs, expired, claimed.superseded

    def _job(self, lookup: Lookup, row: Reminder, lease: ledger.Lease,
             previous: dict[int, str], now: dt.datetime) -> Job:
        assert row.id is not None
        job = Job(row.id, lease, previous[row.id], row, None)
        try:
            job.notice = build_notice(lookup, self.config, row, now, self._links,
                                      self.installation)
        except (DeliveryError, NothingToSend, UnknownRecipient) as exc:
            job.problem = exc
        return job

    def next_due(self) -> dt.datetime | None:
        with session_scope(self.db) as session:
            return ledger.next_due(session)


class Lane:
    """One sending connection of a pass: a worker of its own, with its own leases, its own
    database connections for the checks and marks, and at most one message in flight."""

    def __init__(self, engine: ReminderEngine, worker: str, report: PassReport,
                 alert_key: str) -> None:
        self.engine, self.worker, self.report, self.alert_key = engine, worker, report, alert_key
        # The pass's: `serve` takes in a new config between passes, never during one.
        self.db, self.clock, self.options = engine.db, engine.clock, engine.options
        self.config, self.rng = engine.config, engine.rng
        self._conn: Connection | None = None  # the batch's, for its checks and marks
        self._auto: Connection | None = None  # PostgreSQL: the batch's, for one-statement fences
        self.accepted: list[Accepted] = []
        self.size = self.options.batch  # rows the next claim takes at most

    def claim(self) -> Claimed:
        claimed = self.engine._claim(self.worker, self.size)
        self.report.outcomes += claimed[1]
        return claimed

    async def drain(self, claimed: Claimed | None = None) -> None:
        """Claim and send batches until nothing is due (or the pass stops); `claimed`: the
        first claim, already made."""
        while not self.engine.stopping and not self.report.outage:
            jobs, expired, superseded = claimed or self.claim()
            claimed = None
            if not jobs and not expired and not superseded:
                return
            if jobs:
                started = time.monotonic()
                await self._send_batch(jobs)
                self.size = next_claim(self.options, self.size, len(jobs),
                                       time.monotonic() - started)

    async def _send_batch(self, jobs: list[Job]) -> None:
        with ExitStack() as held:
            self._conn = held.enter_context(self.db.connect())
            if self.db.dialect.name == "postgresql":
                auto = held.enter_context(self.db.connect())
                self._auto = auto.execution_options(isolation_level="AUTOCOMMIT")
            try:
                await self._send_all(jobs)
            finally:
                self._conn = self._auto = None

    @contextmanager
    def _short(self) -> Iterator[Connection]:
        """A short transaction on the batch's connection: taken from the pool once per batch,
        since a checkout per message cost a ping and a rollback on PostgreSQL."""
        assert self._conn is not None, "checks and marks happen inside _send_batch"
        with self._conn.begin():
            yield self._conn

    async def _send_all(self, jobs: list[Job]) -> None:
        done = 0
        try:
            async with self.engine._notifier(jobs) as notifier:
                _render_ahead(notifier, jobs)
                for job, following in zip(jobs, [*jobs[1:], None], strict=True):
                    if self.engine.stopping:
                        break
                    await self._send_one(notifier, job, following)
                    done += 1
        except TransportDeliveryError as exc:  # no route at all: every row waits, none dies
            self._flush_sent()
            self._outage(jobs[done:], exc)
            return
        finally:
            self._flush_sent()
            _drop_renders(jobs[done:])
        for job in jobs[done:]:  # stopping: hand the unsent rows back at once
            self._release(job)

    def _outage(self, jobs: list[Job], exc: DeliveryError) -> None:
        """The pass stops: the rows stay due after a backoff, their attempt uncounted, and
        the coordinator's one alert for this outage is queued (it goes out when any route
        works again)."""
        now, detail = self.clock.now(), str(exc)
        self.report.outage = detail
        with session_scope(self.db) as session:
            delay = self.options.retry.delay(1, self.rng)
            for job in jobs:
                ledger.defer(session, job.row_id, job.token, now, delay, self.worker,
                             detail)
            queue_outage(session, self.config, detail, now)
        log.debug("no message could be sent: %s", detail)

    async def _send_one(self, notifier: Notifier[Any], job: Job, following: Job | None) -> None:
        lost = self._lost(job)
        if lost == "expiring":  # not sent, and known not sent: due again, not a duplicate
            self._release(job)
            return
        if lost == "lost":
            self.report.outcomes.append(job.outcome("lost", ledger.detail_code("lost-before-send")))
            return
        if lost:
            self.report.outcomes.append(job.outcome(lost, ledger.detail_code("task-changed")))
            return
        if isinstance(job.problem, UnknownRecipient):
            self._wait(job, job.problem.key)
            return
        if isinstance(job.problem, NothingToSend):
            with session_scope(self.db) as session:
                ledger.drop(session, job.row_id, job.token, self.clock.now(),
                            ledger.detail_code("nothing-open"))
            return
        try:
            result = await self._deliver(notifier, job, following)
        except TransportDeliveryError:
            raise  # an outage: the whole pass stops, no row is to blame
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
            self._fail(job, failure_of(exc))
            return
        self.accepted.append((job, result))

    async def _deliver(self, notifier: Notifier[Any], job: Job,
                       following: Job | None) -> SendResult:
        """Send the job's message; while the server works on it, make the next one (still
        one message in flight: the next is checked and sent only after this reply)."""
        await _prepare(notifier, job)
        if job.problem is not None:
            raise job.problem
        assert job.prepared is not None
        delivery = asyncio.ensure_future(notifier.deliver(job.prepared))
        try:
            if following is not None:
                await _prepare(notifier, following)
        finally:
            await asyncio.wait([delivery])
        return delivery.result()

    def _lost(self, job: Job) -> str:
        """Why this row must not be sent now ("" if it may): the lease runs out too soon
        ("expiring"; checked on this worker's clock, so a worker resumed after a freeze sends
        nothing), another worker holds it ("lost"), or its task was closed or moved since the
        claim ("superseded"). The token check when marking catches whatever slips through.
        The messages accepted before it are marked in the same short transaction."""
        margin = min(self.config.smtp.timeout, self.options.lease_seconds / 3)
        if self.clock.now() >= job.lease.until - dt.timedelta(seconds=margin):
            self._flush_sent()
            return "expiring"
        found = self._check(self._take_marks(self.options.mark_every), job)
        if found is not None:
            return found
        with session_scope(self.db) as session:  # the task changed: supersede as before
            return ledger.check_held(session, job.row_id, job.token, self.clock.now())

    def _check(self, marks: list[Accepted], job: Job) -> str | None:
        """Mark the accepted messages, then check the job's row (`ledger.held_now`)."""
        if self._auto is not None and len(marks) <= 1:
            return self._fence(marks, job, self._auto)
        with self._short() as conn:
            self._mark(conn, marks)
            return ledger.held_now(conn, job.row_id, job.token)

    def _fence(self, marks: list[Accepted], job: Job, auto: Connection) -> str | None:
        """PostgreSQL: the mark and the check in one statement; a mark that its lease no
        longer holds changed nothing there, and is made as `_mark` makes it."""
        if not marks:
            return ledger.held_now(auto, job.row_id, job.token)
        (done, result), = marks
        marked, found = ledger.mark_and_check(auto, _sent_by(done, result), self.clock.now(),
                                              self.worker, job.row_id, job.token)
        if marked:
            self.report.outcomes.append(done.outcome(DeliveryOutcome.SENT, ""))
        else:
            with self._short() as conn:
                self._mark(conn, marks)
        return found

    def _take_marks(self, least: int = 1) -> list[Accepted]:
        if len(self.accepted) < least:
            return []
        accepted, self.accepted = self.accepted, []
        return accepted

    def _flush_sent(self) -> None:
        """Mark the accepted messages `sent` in one small transaction of their own."""
        marks = self._take_marks()
        if marks:
            with self._short() as conn:
                self._mark(conn, marks)

    def _mark(self, conn: Connection, marks: list[Accepted]) -> None:
        """Mark accepted messages `sent` (with `mark_every` = 1 each on its own, before the
        next message goes out, so a crash can resend only the one in flight; it is then
        flagged a possible duplicate). A row superseded while it was sent is recorded as
        `sent-after-supersede`, never as a normal send."""
        if not marks:
            return
        sent = [_sent_by(job, result) for job, result in marks]
        done = ledger.mark_sent_many(conn, sent, self.clock.now(), self.worker)
        for (job, _), status in zip(marks, done, strict=True):
            detail = "" if status == DeliveryOutcome.SENT else ledger.detail_code("sent-late")
            self.report.outcomes.append(job.outcome(status, detail))

    def _fail(self, job: Job, failure: ledger.Failure) -> None:
        now = self.clock.now()
        with session_scope(self.db) as session:
            status = ledger.mark_failed(session, job.row_id, job.token, now,
                                        self.worker, failure, self.options.retry,
                                        self.rng)
            if status == DeliveryOutcome.DEAD and job.row.kind != ReminderKind.ALERT:
                held = now + dt.timedelta(seconds=self.options.lease_seconds)
                queue_alert(session, self.config, self.alert_key, job.row_id, now, held)
                self.report.alerted = True
        self.report.outcomes.append(job.outcome(status or "lost", failure.detail))

    def _wait(self, job: Job, key: str) -> None:
        """Try again later without counting the attempt: the config may name them soon."""
        detail = ledger.detail_code(ledger.UNKNOWN_OWNER, key)
        with session_scope(self.db) as session:
            ledger.defer(session, job.row_id, job.token, self.clock.now(),
                         self.options.retry.delay(1, self.rng), self.worker, detail,
                         outcome="retry")
        self.report.outcomes.append(job.outcome("retry", detail))

    def _release(self, job: Job) -> None:
        with session_scope(self.db) as session:
            ledger.release(session, job.row_id, job.token, job.previous, self.clock.now())


def next_claim(options: EngineOptions, size: int, sent: int, seconds: float) -> int:
    """The most rows a lane's next claim takes, after it sent `sent` of a claim of `size` in
    `seconds`. In a backlog (that claim came back full) it takes what the lane sends in a
    tenth of its lease at the rate it just sent, up to CLAIM_GROWTH times `--batch`: each
    claim opens a new connection to the server and holds every lane while it runs. A slow
    relay keeps claims at `--batch`, well inside the lease.

    >>> options = EngineOptions(batch=50, lease_seconds=300)
    >>> next_claim(options, 50, 50, 0.15), next_claim(options, 200, 200, 0.6)  # a backlog
    (200, 200)
    >>> next_claim(options, 50, 50, 100.0)  # a relay taking a message in two seconds
    50
    >>> next_claim(options, 200, 120, 0.4)  # the claim was not full: the backlog is gone
    50
    """
    if sent < size:
        return options.batch
    fits = int(sent / max(seconds, 1e-3) * options.lease_seconds / 10)
    return max(options.batch, min(options.batch * CLAIM_GROWTH, fits))


def _sent_by(job: Job, result: SendResult) -> ledger.SentBy:
    return ledger.SentBy(job.row_id, job.token, result.message_id, result.code, result.reply,
                         job.row.attempts)


async def _prepare(notifier: Notifier[Any], job: Job) -> None:
    """The job's message made (once); a failure to make it is the job's problem, raised when
    its turn comes (after its check, as a failed send would be)."""
    if job.prepared is not None or job.problem is not None or job.notice is None:
        return
    try:
        job.prepared = await (job.rendering or notifier.prepare(job.notice))
    except Exception as exc:  # noqa: BLE001 - recorded on the row when its turn comes
        job.problem = exc


def _render_ahead(notifier: Notifier[Any], jobs: list[Job]) -> None:
    """With a notifier that renders in a worker process, ask for every message of the batch
    at once: the worker makes them one after the other while this process sends."""
    prepare_all = getattr(notifier, "prepare_all", None)
    if getattr(notifier, "pool", None) is None or prepare_all is None:
        return
    wanted = [job for job in jobs if job.notice is not None and job.problem is None]
    for job, made in zip(wanted, prepare_all([job.notice for job in wanted]), strict=True):
        job.rendering = asyncio.ensure_future(made)


def _drop_renders(jobs: list[Job]) -> None:
    """The renders of messages that will not be sent in this batch: stopped (or, when done,
    their outcome taken, so no failure is reported as never retrieved)."""
    for job in jobs:
        if job.rendering is None:
            continue
        if job.rendering.done() and not job.rendering.cancelled():
            job.rendering.exception()
        else:
            job.rendering.cancel()


# An extra long-running part of `serve` (the feed server of #7): runs until `stop` is set.
Service = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
JOB_DEFAULTS = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}


# Called before every pass with False, and on SIGHUP with True: re-read the config if it
# changed (or always, when forced), keeping the old one if the new one does not validate.
Reload = Callable[[bool], None]


class Ticker:
    """Runs passes on the scheduler's alarms, one at a time, and re-arms the next alarm."""

    def __init__(self, engine: ReminderEngine, scheduler: AsyncIOScheduler,
                 on_report: Callable[[PassReport], None], reload: Reload | None = None) -> None:
        self.engine, self.scheduler, self.on_report = engine, scheduler, on_report
        self.reload = reload or (lambda force: None)
        self.lock = asyncio.Lock()

    async def tick(self) -> None:
        # The pass runs in its own task: cancelling the scheduler's job (APScheduler cancels
        # running jobs when it shuts down) must not cut a send off between 250 and marking.
        try:
            await asyncio.shield(self._pass())
        except asyncio.CancelledError:
            # Only shutdown cancels a tick, and `serve` waits for the shielded pass itself
            # (`idle`); letting the error out would make APScheduler log a traceback.
            return

    async def _pass(self) -> None:
        async with self.lock:  # the interval tick and the date alarm never overlap
            if self.engine.stopping:
                return
            self.reload(False)
            try:
                report = await self.engine.run_pass()
                self._arm()
            except DBAPIError as exc:  # an outage of the database: the next tick tries again
                report = PassReport(db_error=str(exc.orig or exc).strip())
            self.on_report(report)

    def _arm(self) -> None:
        moment = self.engine.next_due()
        if moment is None or self.engine.stopping:
            return
        delay = max(0.0, (moment - self.engine.clock.now()).total_seconds())
        if delay < self.engine.options.interval:  # else the interval tick comes first anyway
            run_at = dt.datetime.now(UTC) + dt.timedelta(seconds=delay)
            self.scheduler.add_job(self.tick, "date", run_date=run_at, id="next-due",
                                   replace_existing=True, **JOB_DEFAULTS)

    async def idle(self) -> None:
        """Wait for the pass in flight (it stops after its current send)."""
        async with self.lock:
            return


def _new_scheduler() -> AsyncIOScheduler:
    return AsyncIOScheduler(jobstores={"default": MemoryJobStore()}, timezone=UTC,
                            job_defaults=JOB_DEFAULTS)


async def serve(engine: ReminderEngine, on_report: Callable[[PassReport], None],
                services: Sequence[Service] = (), reload: Reload | None = None) -> None:
    """Run until SIGTERM/SIGINT: the in-flight send finishes, claimed rows are released.
    SIGHUP re-reads the config at once (it is also re-read before a pass when it changed)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    scheduler = _new_scheduler()
    ticker = Ticker(engine, scheduler, on_report, reload)
    if reload is not None:
        loop.add_signal_handler(signal.SIGHUP, reload, True)
    scheduler.add_job(ticker.tick, "interval", seconds=engine.options.interval, id="tick",
                      next_run_time=dt.datetime.now(UTC))  # the first tick is the catch-up
    scheduler.start()
    extra = [asyncio.create_task(service(stop)) for service in services]
    await stop.wait()
    engine.stopping = True
    await ticker.idle()  # the send in flight finishes and is marked; the rest is released
    scheduler.shutdown(wait=False)
    await asyncio.gather(*extra, return_exceptions=True)
    log.debug("stopped %s", engine.options.worker)
