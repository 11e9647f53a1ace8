"""A task's status words, and which of them are open (the task still gets reminders, counts
as outstanding in agendas, pages and reports).

>>> "ongoing" in OPEN_STATUSES, "done" in OPEN_STATUSES
(True, False)
>>> status_word("ongoing", "nn")
'pågår'
"""

from __future__ import annotations

from timelines.base.i18n import N_, translate

OPEN_STATUSES = ("planned", "ongoing")
CLOSED_STATUSES = ("done", "cancelled")

# What a person reads for each status (marked for translation; `status_word` tells them).
STATUS_WORDS = {"planned": N_("planned"), "ongoing": N_("ongoing"), "done": N_("done"),
                "cancelled": N_("cancelled")}
# How the work goes, as an owner last answered (the latest status beside a task).
PROGRESS_WORDS = {"on_track": N_("on track"), "delayed": N_("delayed"),
                  "blocked": N_("blocked")}


def status_word(status: str, lang: str) -> str:
    """A task's status in `lang`; one without a word (a newer model?) as it is written."""
    word = STATUS_WORDS.get(status)
    return translate(lang, word) if word else status
