"""The plan at a glance: Gantt timeline, årshjul, owner's and coordinator's pages.

Pure renderers: they take the typed records of `model` (made from resolved timelines by
`build`) and return SVG or HTML; `export.write_static` writes them as files.
"""

from scheduler.pages.build import counts, owner_view, plan_view
from scheduler.pages.export import write_static
from scheduler.pages.gantt import gantt_svg
from scheduler.pages.html import (
    index_page,
    overview_page,
    owner_page,
    plan_page,
    timeline_fragment,
    wheel_page,
)
from scheduler.pages.model import (
    AnswerMark,
    CoordinatorExtras,
    OccurrenceMark,
    PlanCounts,
    PlanView,
    Reader,
    Section,
    SendProblem,
    SilentOwner,
    TaskMark,
    WaitingRequest,
)
from scheduler.pages.wheel import wheel_svg

__all__ = [
    "AnswerMark", "CoordinatorExtras", "OccurrenceMark", "PlanCounts", "PlanView", "Reader",
    "Section", "SendProblem", "SilentOwner", "TaskMark", "WaitingRequest", "counts",
    "gantt_svg", "index_page", "overview_page", "owner_page", "owner_view", "plan_page",
    "plan_view", "timeline_fragment", "wheel_page", "wheel_svg", "write_static",
]
