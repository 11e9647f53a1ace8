"""A task's status words, and which of them are open (the task still gets reminders, counts
as outstanding in agendas, pages and reports).

>>> "ongoing" in OPEN_STATUSES, "done" in OPEN_STATUSES
(True, False)
"""

from __future__ import annotations

OPEN_STATUSES = ("planned", "ongoing")
CLOSED_STATUSES = ("done", "cancelled")
