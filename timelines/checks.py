"""Checks that span a whole timeline file or several: ids, dependencies, owners.

Problems are told in the language the file was read in (`tl.source.lang`)."""

from __future__ import annotations

from collections import Counter
from graphlib import CycleError, TopologicalSorter

from timelines.base.lang import plural
from timelines.base.problems import Problem
from timelines.base.status import OPEN_STATUSES
from timelines.config import Config
from timelines.files import TimelineFile
from timelines.people import reached


def duplicate_ids(tl: TimelineFile) -> list[Problem]:
    seen: Counter[str] = Counter()
    found = []
    for index, task in enumerate(tl.doc.task):
        seen[task.id] += 1
        if seen[task.id] == 2:
            found.append(tl.source.problem(
                tl.task_path(index, "id"), tl.source.say("duplicate_id", id=task.id)))
    return found


def unknown_after(tl: TimelineFile) -> list[Problem]:
    ids = {task.id for task in tl.doc.task}
    return [
        tl.source.problem(tl.task_path(index, "after"), tl.source.say("unknown_after", name=name))
        for index, task in enumerate(tl.doc.task)
        for name in task.after
        if name not in ids
    ]


def dependency_graph(tl: TimelineFile) -> dict[str, set[str]]:
    ids = {task.id for task in tl.doc.task}
    graph: dict[str, set[str]] = {}
    for task in tl.doc.task:  # duplicate ids are reported elsewhere; merge their edges here
        graph.setdefault(task.id, set()).update(a for a in task.after if a in ids)
    return graph


def cycles(tl: TimelineFile) -> list[Problem]:
    try:
        tuple(TopologicalSorter(dependency_graph(tl)).static_order())
    except CycleError as exc:
        loop = list(exc.args[1])
        index = next(i for i, t in enumerate(tl.doc.task) if t.id == loop[0])
        path = " → ".join(loop)
        return [tl.source.problem(tl.task_path(index, "after"),
                                  tl.source.say("cycle", path=path))]
    return []


def known_keys(config: Config, tl: TimelineFile) -> set[str]:
    return set(config.owners) | set(config.roles) | set(tl.doc.timeline.roles)


def unknown_owners(config: Config, tl: TimelineFile) -> list[Problem]:
    known = known_keys(config, tl)
    found = [
        tl.source.problem(("timeline", "owners", i), tl.source.say("unknown_owner", name=key))
        for i, key in enumerate(tl.doc.timeline.owners) if key not in known
    ]
    for index, task in enumerate(tl.doc.task):
        for field in ("owners", "participants"):
            for i, key in enumerate(getattr(task, field)):
                if key not in known:
                    found.append(tl.source.problem(tl.task_path(index, field, i),
                                                   tl.source.say("unknown_owner", name=key)))
    return found


def people_for(config: Config, key: str) -> list[str]:
    """Owner keys a key reaches: itself if a person, a role's members, else nobody."""
    return reached(key, config.owners, config.roles)


def unmapped_roles(config: Config, tl: TimelineFile) -> list[Problem]:
    """Roles named in the file that reach no person: their reminders go to the coordinator."""
    return [
        tl.source.problem(
            ("timeline", "roles", key),
            tl.source.say("unmapped_role", name=key, label=label),
            "warning",
        )
        for key, label in tl.doc.timeline.roles.items()
        if not people_for(config, key)
    ]


def unreached_tasks(config: Config, tl: TimelineFile) -> list[Problem]:
    """One warning per file listing the open tasks whose owners reach no person."""
    header = tl.doc.timeline
    ids = [
        task.id for task in tl.doc.task
        if task.status in OPEN_STATUSES
        and not any(people_for(config, key) for key in (task.owners or header.owners))
    ]
    if not ids:
        return []
    lang = tl.source.lang
    shown = ", ".join(ids[:5])
    if len(ids) > 5:
        shown = tl.source.say("more", shown=shown, n=len(ids) - 5)
    message = plural(lang, "problem.unreached", len(ids), shown=shown)
    return [tl.source.problem(("timeline",), message, "warning")]


def duplicate_timelines(files: list[TimelineFile]) -> list[Problem]:
    seen: dict[str, TimelineFile] = {}
    found = []
    for tl in files:
        if tl.id in seen:
            found.append(tl.source.problem(
                ("timeline", "id"),
                tl.source.say("duplicate_timeline", id=tl.id, file=seen[tl.id].path.name)))
        seen.setdefault(tl.id, tl)
    return found


def check_timeline(config: Config, tl: TimelineFile) -> list[Problem]:
    return [
        *duplicate_ids(tl), *unknown_after(tl), *cycles(tl),
        *unknown_owners(config, tl), *unmapped_roles(config, tl), *unreached_tasks(config, tl),
    ]
