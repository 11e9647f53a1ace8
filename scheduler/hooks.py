"""What happens in the `apply` transaction after the tasks are written.

The reminder engine plans its ledger rows here, so planning and data never disagree.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from timelines.config import Config
from timelines.sync import Change


def after_apply(session: Session, config: Config, changes: list[Change], now: dt.datetime) -> None:
    """Plan reminders for the changed tasks (filled in by the reminder engine, issue #6)."""
    try:
        from scheduler.ledger import plan_after_apply
    except ImportError:
        return
    plan_after_apply(session, config, changes, now)
