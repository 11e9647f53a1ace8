"""Crash injection for the crash tests: a process can be made to kill or freeze itself at a
named point of the send path, to prove the ledger survives exactly there.

`FRISTVAKT_FAULT=after_claim:kill` (or `:stop` for SIGSTOP); points: `after_claim` (rows
claimed and committed, nothing sent), `after_send` (the server said 250, not yet marked sent).
Unset in normal use; each point fires at most once per process.
"""

from __future__ import annotations

import os
import signal

ENV = "FRISTVAKT_FAULT"
_fired: set[str] = set()


def reach(point: str) -> None:
    spec = os.environ.get(ENV, "")
    name, _, action = spec.partition(":")
    if name != point or point in _fired:
        return
    _fired.add(point)
    os.kill(os.getpid(), signal.SIGSTOP if action == "stop" else signal.SIGKILL)
