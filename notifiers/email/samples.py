"""Realistic notices of every kind, from the seed plans: for previews, tests and the benchmark."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from notifiers.base import FailureLine, Notice, NoticeKind, Recipient, TaskView

BYREGION = TaskView(
    timeline_id="byregion", timeline_title="Byregionprogrammet Sør-Troms", timeline_lang="nn",
    section="Innovasjon og entreprenørskap", task_id="makerspace",
    title="Koordinere og vidareutvikle konseptet Makerspace i alle kommunar",
    when_text="Haust 2022", kind="dated", start=date(2022, 9, 1), due=date(2022, 11, 30),
    approximate=False, status="ongoing", owners=["Ola Nordmann", "Regionrådet"],
    participants=["Kommunane"], date_version=2, due_from_when=True,
    reaches={"Ola Nordmann": ("ola",), "Regionrådet": ("ola", "kari"), "Kommunane": ()},
)
AGENDA = TaskView(
    timeline_id="pavirkansagenda", timeline_title="Länsgemensam påverkansagenda",
    timeline_lang="sv", section="Aktiviteter", task_id="formulera-forslag",
    title="Formulera förslag till struktur av länsgemensam påverkansagenda",
    when_text="2020-04-07 och 2020-04-24", kind="dated", start=date(2020, 4, 7),
    due=date(2020, 4, 24), approximate=False, status="planned", owners=["Anna Omberg"],
    participants=[], date_version=1, due_from_when=True, reaches={"Anna Omberg": ("anna",)},
)
OWNER = Recipient("ola", "Ola Nordmann", "ola@example.no", "nn", "Europe/Oslo")
TODAY = date(2022, 11, 16)
FEED = "http://127.0.0.1:8080/feeds/ola-7f3a.ics"


def sample_notice(kind: NoticeKind, lang: str | None = "nn", *, title: str | None = None,
                  idem_key: str | None = None) -> Notice:
    """A notice of `kind` for Ola in `lang`, about the Makerspace task (title overridable)."""
    task = replace(BYREGION, title=title) if title is not None else BYREGION
    recipient = replace(OWNER, lang=lang)
    key = idem_key or f"sample:{kind}:{lang}"
    base = Notice(kind=kind, recipient=recipient, tasks=(task,), idem_key=key,
                  today=TODAY, feed_url=FEED)
    if kind == "start":
        return replace(base, today=date(2022, 8, 29))
    if kind == "overdue":
        return replace(base, today=date(2022, 12, 5))
    if kind == "moved":
        return replace(base, moved=(date(2022, 3, 1), date(2022, 5, 31)))
    if kind == "digest":
        late = replace(AGENDA, due=date(2022, 11, 10), title="Rapport til regionrådet")
        return replace(base, tasks=(task, late))
    if kind == "alert":
        return replace(base, tasks=(), feed_url=None, failures=(
            FailureLine(task.title, "Kari <kari@example.no>", "550 5.1.1 mailbox unknown"),))
    return base
