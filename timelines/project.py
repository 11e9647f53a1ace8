"""Load a whole project: config plus every timeline file, with all problems collected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from timelines.base.exceptions import ValidationFailed
from timelines.base.i18n import _
from timelines.base.problems import Problem, errors
from timelines.base.status import OPEN_STATUSES
from timelines.checks import check_timeline, duplicate_timelines
from timelines.config import Config, read_config
from timelines.files import TimelineFile, read_timeline, timeline_paths
from timelines.resolve import ResolvedTask, resolve_timeline
from timelines.tomlfile import shown


@dataclass
class Project:
    config: Config
    timelines: list[TimelineFile]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def read_project(config_path: Path, lang: str = "en") -> Project:
    """Everything that can be read, and every problem found on the way (told in `lang`)."""
    config, problems = read_config(config_path, lang)
    if config is None:
        raise ValidationFailed(problems)
    files: list[TimelineFile] = []
    for path in timeline_paths(config):
        tl, found = read_timeline(path, lang)
        problems.extend(found)
        if tl is not None:
            checked = check_timeline(config, tl)
            problems.extend(checked if errors(checked) else [*checked, *undated_tasks(tl)])
            files.append(tl)
    problems.extend(duplicate_timelines(files))
    return Project(config, files, problems)


def undated_tasks(tl: TimelineFile) -> list[Problem]:
    """A warning for each open task that ends up without any date (an unreadable `when`, or
    none at all): such a task would silently get no reminders."""
    found = []
    for index, task in enumerate(resolve_timeline(tl).tasks):
        if task.status in OPEN_STATUSES and not (task.start or task.due):
            found.append(_undated(tl, index, task))
    return found


def _undated(tl: TimelineFile, index: int, task: ResolvedTask) -> Problem:
    if task.kind == "unparsed":
        message = _(tl.source.lang,
                    "cannot read the date {when}: write `due = YYYY-MM-DD` (an explicit date "
                    "wins), or fix `when`", when=shown(task.when_text))
        return tl.source.problem(tl.task_path(index, "when"), message, "warning")
    message = _(tl.source.lang, "open task without a date, so it gets no reminders: write "
                                "`due = YYYY-MM-DD`")
    return tl.source.problem(tl.task_path(index), message, "warning")


def load_project(config_path: Path, lang: str = "en") -> Project:
    """The project, or ValidationFailed with every error (warnings are kept on the project)."""
    project = read_project(config_path, lang)
    if not project.ok:
        raise ValidationFailed(project.problems)
    return project
