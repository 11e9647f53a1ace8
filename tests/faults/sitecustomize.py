"""Crash injection for the crash tests, from the test side: a child process started with
this folder on PYTHONPATH and `FRISTVAKT_TEST_FAULT=<point>:<kill|stop>` kills (SIGKILL) or
freezes (SIGSTOP) itself once at a point of the send path, to prove the ledger survives
exactly there. The product has no such hook; this module patches it at interpreter start.

Points: `after_claim` (rows claimed and committed, nothing sent), `after_send` (the server
said 250, the ledger does not know yet), `during_export` (`feeds export` has read the
database and is writing its first file), `during_apply` (`apply` has committed its first
step and is writing its second); `small_steps` only makes `apply`'s steps SQLite's size on
either database.
"""

from __future__ import annotations

import os
import signal
from typing import Any

SPEC = os.environ.get("FRISTVAKT_TEST_FAULT", "")
_fired: list[bool] = []


def _fire(action: str) -> None:
    if _fired:
        return
    _fired.append(True)
    os.kill(os.getpid(), signal.SIGSTOP if action == "stop" else signal.SIGKILL)


def _after_claim(action: str) -> None:
    from scheduler import runner

    original = runner.ReminderEngine._claim

    def claim(self: runner.ReminderEngine, worker: str, limit: int) -> Any:
        out = original(self, worker, limit)
        if out[0]:  # some rows were claimed
            _fire(action)
        return out

    runner.ReminderEngine._claim = claim  # type: ignore[method-assign]


def _after_send(action: str) -> None:
    from notifiers.email.smtp import EmailNotifier

    original = EmailNotifier.deliver

    async def deliver(self: EmailNotifier, mail: Any) -> Any:
        result = await original(self, mail)
        _fire(action)
        return result

    EmailNotifier.deliver = deliver  # type: ignore[method-assign]


def _during_export(action: str) -> None:
    from scheduler.cli import feeds

    original = feeds._write

    def write(path: Any, body: bytes) -> bool:
        _fire(action)
        return original(path, body)

    feeds._write = write


def _small_steps() -> None:
    """`fristvakt apply` in SQLite's steps on PostgreSQL too, so a test's few files make
    several steps on both."""
    from scheduler import hooks

    hooks.STEP_TASKS = dict.fromkeys(hooks.STEP_TASKS, hooks.STEP_TASKS["sqlite"])


def _during_apply(action: str) -> None:
    from scheduler import hooks

    _small_steps()

    original = hooks._apply_step
    steps: list[int] = []

    def step(*args: Any) -> Any:
        out = original(*args)
        steps.append(1)
        if len(steps) == 2:  # written, not committed
            _fire(action)
        return out

    hooks._apply_step = step


if SPEC:
    point, _, how = SPEC.partition(":")
    {"after_claim": _after_claim, "after_send": _after_send,
     "during_export": _during_export, "during_apply": _during_apply,
     "small_steps": lambda _: _small_steps()}[point](how)
