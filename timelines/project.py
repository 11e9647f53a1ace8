"""Load a whole project: config plus every timeline file, with all problems collected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from timelines.checks import check_timeline, duplicate_timelines
from timelines.config import Config, read_config
from timelines.exceptions import ValidationFailed
from timelines.files import TimelineFile, read_timeline, timeline_paths
from timelines.problems import Problem, errors


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
            problems.extend(check_timeline(config, tl))
            files.append(tl)
    problems.extend(duplicate_timelines(files))
    return Project(config, files, problems)


def load_project(config_path: Path, lang: str = "en") -> Project:
    """The project, or ValidationFailed with every error (warnings are kept on the project)."""
    project = read_project(config_path, lang)
    if not project.ok:
        raise ValidationFailed(project.problems)
    return project
