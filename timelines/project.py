"""Load a whole project: config plus every timeline file, with all problems collected."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from timelines.base.collector import few_full_collections
from timelines.base.exceptions import ValidationFailed
from timelines.base.i18n import _
from timelines.base.problems import Problem, errors
from timelines.base.status import OPEN_STATUSES
from timelines.checks import check_timeline, duplicate_timelines
from timelines.config import Config, read_config
from timelines.files import TimelineFile, read_timeline, timeline_paths
from timelines.resolve import ResolvedTask, ResolvedTimeline, resolve_timeline
from timelines.tomlfile import shown

# What the last apply read, for the files it may skip: path → (timeline id, `file_hash`).
Known = Mapping[str, tuple[str, str]]
# Asked once the config is read without error: the marks of the last apply under it.
KnownFor = Callable[[Config], Known]


@dataclass
class Project:
    config: Config
    timelines: list[TimelineFile]
    problems: list[Problem]
    # The undated-task warnings of the files read (each file is resolved once: on its
    # TimelineFile, `resolve_timeline`).
    undated: list[Problem] = field(default_factory=list)
    hashes: dict[Path, str] = field(default_factory=dict)  # of each file read: `file_hash`
    # The files left unread as the last apply read them (path → timeline id): no problem
    # of theirs is in `problems`.
    kept: dict[Path, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not errors(self.problems)

    def resolutions(self) -> list[ResolvedTimeline]:
        """Every file read, resolved (of a project that is `ok`), in the order of the files."""
        return [resolve_timeline(tl) for tl in self.timelines]


def file_hash(path: Path, data: bytes) -> str:
    """The file as read: its path (a resolved timeline names it), its bytes, and the code
    that reads it (another one may resolve the same text otherwise)."""
    digest = hashlib.sha256(f"{_code_version()}\0{path}\0".encode())
    digest.update(data)
    return digest.hexdigest()[:32]


@cache
def _code_version() -> str:
    """The package's version and a digest of this package's sources (the reader's code): a
    checkout keeps one version over many commits, and a file must be read again by code
    that reads it otherwise. Half a megabyte, hashed once per command."""
    return f"{_release()}+{code_digest(Path(__file__).parent)}"


def code_digest(package: Path) -> str:
    """A digest of the Python sources under `package`, their names and their bytes.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     root = Path(folder)
    ...     _ = (root / "a.py").write_text("A = 1")
    ...     before = code_digest(root)
    ...     _ = (root / "notes.txt").write_text("not code")
    ...     same = code_digest(root) == before
    ...     _ = (root / "a.py").write_text("A = 2")
    ...     (same, code_digest(root) == before)
    (True, False)
    """
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(f"{source.relative_to(package)}\0".encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _release() -> str:
    try:
        return version("fristvakt")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "source"


def read_project(config_path: Path, lang: str = "en", known: KnownFor | None = None) -> Project:
    """Everything that can be read, and every problem found on the way (told in `lang`).
    With `known` (what the last apply read), a file whose bytes are those it read is not
    parsed again (`Project.kept`), unless a file read declares its timeline id."""
    config, problems = read_config(config_path, lang)
    if config is None:
        raise ValidationFailed(problems)
    marks = known(config) if known is not None and not errors(problems) else {}
    project = Project(config, [], problems)
    with few_full_collections():  # what is read lives on: see timelines.base.collector
        for path in timeline_paths(config):
            _read_file(project, path, lang, marks)
    _read_rivals(project, lang)
    project.problems.extend(duplicate_timelines(project.timelines))
    return project


def _read_file(project: Project, path: Path, lang: str, marks: Known) -> None:
    """Read, check and resolve one file, or keep it unread when `marks` know its bytes.
    A file that cannot be read gets no hash, so it is never marked as applied. The bytes
    hashed are the bytes parsed: read twice, an edit in between and another one undoing it
    would leave the file skipped with the database holding the edit."""
    try:
        raw: bytes | None = path.read_bytes()
    except OSError:
        raw = None  # read_timeline says what is wrong with it
    digest = file_hash(path, raw) if raw is not None else ""
    mark = marks.get(str(path))
    if digest and mark is not None and mark[1] == digest:
        project.kept[path] = mark[0]
        return
    tl, found = read_timeline(path, lang, raw)
    project.problems.extend(found)
    if tl is None:
        return
    checked = check_timeline(project.config, tl)
    project.problems.extend(checked)
    project.timelines.append(tl)
    if digest and not errors(found):
        project.hashes[path] = digest
    if not errors(checked):
        undated = undated_tasks(tl)
        project.problems.extend(undated)
        project.undated.extend(undated)


def _read_rivals(project: Project, lang: str) -> None:
    """A file read that declares the timeline id of a file left unread: that one is read too
    (in the order of the files), so the duplicate is told as when every file is read."""
    ids = {tl.id for tl in project.timelines}
    rivals = [path for path, tl_id in project.kept.items() if tl_id in ids]
    for path in rivals:
        del project.kept[path]
        _read_file(project, path, lang, {})
    if rivals:
        project.timelines.sort(key=lambda tl: tl.path)


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


def load_project(config_path: Path, lang: str = "en", known: KnownFor | None = None) -> Project:
    """The project, or ValidationFailed with every error (warnings are kept on the project)."""
    project = read_project(config_path, lang, known)
    if not project.ok:
        raise ValidationFailed(project.problems)
    return project
