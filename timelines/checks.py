"""Checks that span a whole timeline file or several: ids, dependencies, owners.

Problems are told in the language the file was read in (`tl.source.lang`)."""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter

from timelines.base.i18n import _, _n
from timelines.base.problems import Problem
from timelines.base.status import OPEN_STATUSES
from timelines.config import Config
from timelines.files import TimelineFile
from timelines.people import reached


def duplicate_ids(tl: TimelineFile) -> list[Problem]:
    """Each id used twice, told once, at its second use."""
    seen: set[str] = set()
    told: set[str] = set()
    found = []
    for index, task in enumerate(tl.doc.task):
        if task.id in seen and task.id not in told:
            told.add(task.id)
            said = _(tl.source.lang, "duplicate task id '{id}': ids must be unique", id=task.id)
            found.append(tl.source.problem(tl.task_path(index, "id"), said))
        seen.add(task.id)
    return found


def unknown_after(tl: TimelineFile) -> list[Problem]:
    ids = {task.id for task in tl.doc.task}
    return [
        tl.source.problem(tl.task_path(index, "after"),
                          _(tl.source.lang, "unknown task id '{name}' in after", name=name))
        for index, task in enumerate(tl.doc.task)
        for name in task.after
        if name not in ids
    ]


def dependency_graph(tl: TimelineFile) -> dict[str, set[str]]:
    """Each task that waits for another or is waited for → the ids it waits for, in the order
    of the file. A task linked to no other is left out: it needs no ordering, and most tasks
    are such (graphlib then sorts the few that are linked, and finds the same cycle as it
    would among all)."""
    ids = {task.id for task in tl.doc.task}
    linked: set[str] = set()
    for task in tl.doc.task:
        preds = [a for a in task.after if a in ids]
        if preds:
            linked.update((task.id, *preds))
    graph: dict[str, set[str]] = {}
    for task in tl.doc.task:  # duplicate ids are reported elsewhere; merge their edges here
        if task.id in linked:
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
                                  _(tl.source.lang, "dependency cycle: {path}", path=path))]
    return []


def unknown_occurrences(tl: TimelineFile) -> list[Problem]:
    """`[task.occurrence."2031"]` for an occurrence the series does not have: a typo or a
    year outside the period, which would change nothing."""
    from timelines.occurrences import occurrences_of  # resolve imports this module
    from timelines.resolve import resolve_task

    found = []
    for index, spec in enumerate(tl.doc.task):
        if not spec.occurrence:
            continue
        labels = {o.label for o in occurrences_of(resolve_task(tl, spec))}
        found += [tl.source.problem(tl.task_path(index, "occurrence", label),
                                    _(tl.source.lang,
                                      "the task has no occurrence {value} between its first and "
                                      "its last (until)", value=label))
                  for label in spec.occurrence if label not in labels]
    return found


@dataclass(frozen=True)
class _Keys:
    """The owner and role keys a file may name, looked up in place: a set of the config's
    thousands of owners, made for each file, cost more than checking the file."""

    owners: Mapping[str, object]
    roles: Mapping[str, object]
    own_roles: Mapping[str, object]

    def __contains__(self, key: object) -> bool:
        return key in self.owners or key in self.roles or key in self.own_roles


def known_keys(config: Config, tl: TimelineFile) -> Container[str]:
    return _Keys(config.owners, config.roles, tl.doc.timeline.roles)


def _unknown_owner(tl: TimelineFile, path: tuple[str | int, ...], key: str) -> Problem:
    return tl.source.problem(path, _(tl.source.lang, "unknown owner or role '{name}': add "
                                     "[owners.{name}] or [roles.{name}] to fristvakt.toml, or "
                                     "list it under [timeline.roles]", name=key))


def unknown_owners(config: Config, tl: TimelineFile) -> list[Problem]:
    known = known_keys(config, tl)
    found = [_unknown_owner(tl, ("timeline", "owners", i), key)
             for i, key in enumerate(tl.doc.timeline.owners) if key not in known]
    for index, task in enumerate(tl.doc.task):
        for field in ("owners", "participants"):
            for i, key in enumerate(getattr(task, field)):
                if key not in known:
                    found.append(_unknown_owner(tl, tl.task_path(index, field, i), key))
    return found


def people_for(config: Config, key: str) -> list[str]:
    """Owner keys a key reaches: itself if a person, a role's members, else nobody."""
    return reached(key, config.owners, config.roles)


def unmapped_roles(config: Config, tl: TimelineFile) -> list[Problem]:
    """Roles named in the file that reach no person: their reminders go to the coordinator."""
    return [
        tl.source.problem(
            ("timeline", "roles", key),
            _(tl.source.lang,
              "role '{name}' ({label}) maps to no person: add [roles.{name}] members = [...] to "
              "fristvakt.toml (until then its reminders go to the coordinator)", name=key,
              label=label),
            "warning",
        )
        for key, label in tl.doc.timeline.roles.items()
        if not people_for(config, key)
    ]


def _reaches_someone(config: Config, keys: list[str]) -> bool:
    return any(people_for(config, key) for key in keys)


def unreached_tasks(config: Config, tl: TimelineFile) -> list[Problem]:
    """One warning per file listing the open tasks whose owners reach no person."""
    header = tl.doc.timeline
    ids = [task.id for task in tl.doc.task if task.status in OPEN_STATUSES
           and not _reaches_someone(config, task.owners or header.owners)]
    if not ids:
        return []
    lang = tl.source.lang
    shown = ", ".join(ids[:5])
    if len(ids) > 5:
        shown = _(tl.source.lang, "{shown} and {n} more", shown=shown, n=len(ids) - 5)
    message = _n(lang,
                 "{n} task reaches no person, so its reminders go to the coordinator: {shown}",
                 "{n} tasks reach no person, so their reminders go to the coordinator: {shown}",
                 len(ids), shown=shown)
    return [tl.source.problem(("timeline",), message, "warning")]


def duplicate_timelines(files: list[TimelineFile]) -> list[Problem]:
    seen: dict[str, TimelineFile] = {}
    found = []
    for tl in files:
        if tl.id in seen:
            found.append(tl.source.problem(
                ("timeline", "id"),
                _(tl.source.lang, "timeline id '{id}' is also used by {file}", id=tl.id,
                  file=seen[tl.id].path.name)))
        seen.setdefault(tl.id, tl)
    return found


def check_timeline(config: Config, tl: TimelineFile) -> list[Problem]:
    return [
        *duplicate_ids(tl), *unknown_after(tl), *cycles(tl), *unknown_occurrences(tl),
        *unknown_owners(config, tl), *unmapped_roles(config, tl), *unreached_tasks(config, tl),
    ]
