"""The words the ledger stores: a reminder row's status, a reminder's kind, a delivery's outcome.

StrEnums, so the stored strings are the words themselves and a row read back compares equal.

>>> ReminderStatus.PENDING == "pending"
True
>>> DeliveryOutcome("lease-lost") is DeliveryOutcome.LEASE_LOST
True
"""

from __future__ import annotations

from enum import StrEnum


class ReminderStatus(StrEnum):
    """Where a reminder row is: waiting (pending, retry), being sent (claimed), or finished."""

    PENDING = "pending"
    RETRY = "retry"
    CLAIMED = "claimed"
    SENT = "sent"
    DEAD = "dead"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


class ReminderKind(StrEnum):
    """What a reminder is about (`alert`: a message to the coordinator about an outage)."""

    DUE = "due"
    START = "start"
    OVERDUE = "overdue"
    DIGEST = "digest"
    MOVED = "moved"
    ALERT = "alert"


class DeliveryOutcome(StrEnum):
    """What one send attempt came to, as the `delivery` table records it."""

    SENT = "sent"
    RETRY = "retry"
    DEAD = "dead"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"
    AMBIGUOUS = "ambiguous"
    OUTAGE = "outage"
    LEASE_LOST = "lease-lost"
    SENT_AFTER_SUPERSEDE = "sent-after-supersede"


# Rows a pass may still send (waiting), and those plus the ones a worker holds (active).
WAITING: tuple[ReminderStatus, ...] = (ReminderStatus.PENDING, ReminderStatus.RETRY)
ACTIVE: tuple[ReminderStatus, ...] = (*WAITING, ReminderStatus.CLAIMED)
