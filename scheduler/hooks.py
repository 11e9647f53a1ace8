"""What happens in the `apply` transaction after the tasks are written.

The reminder engine plans its ledger rows here, so planning and data never disagree.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from scheduler.ledger import plan_after_apply
from timelines.config import Config
from timelines.sync import Change


def after_apply(session: Session, config: Config, changes: list[Change], now: dt.datetime) -> None:
    """Plan reminders for the changed tasks."""
    plan_after_apply(session, config, changes, now)
