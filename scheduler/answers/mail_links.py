"""The answer buttons of a reminder or digest: the mail renderer asks this for each notice."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from notifiers.base import Notice
from scheduler.answers.links import ActionLinks, page_url, task_links
from scheduler.answers.signing import signer
from timelines.config import Config

ANSWERABLE = frozenset({"due", "start", "overdue", "moved", "digest"})


@dataclass(frozen=True)
class TaskActions:
    title: str
    links: ActionLinks


@dataclass(frozen=True)
class MailActions:
    """What templates/mail/_actions.* show: per task the three links, and the owner page."""

    tasks: tuple[TaskActions, ...]
    mine: str

    def __repr__(self) -> str:
        return f"MailActions({len(self.tasks)} tasks, <secret>)"


def mail_actions(config: Config, env: Mapping[str, str] = os.environ
                 ) -> Callable[[Notice], MailActions | None]:
    """notice → its answer links, or None (no secret set, a notice nobody answers, or a
    recipient who is not a person of the config, such as the coordinator standing in)."""
    sign = signer(config, env)

    def actions(notice: Notice) -> MailActions | None:
        person = notice.recipient.key
        if sign is None or notice.kind not in ANSWERABLE or person not in config.owners:
            return None
        tasks = tuple(TaskActions(task.title, task_links(
            config, sign, person, task.timeline_id, task.task_id, notice.today,
            task.occurrence or None))
            for task in notice.tasks)
        return MailActions(tasks, page_url(config, sign, person, notice.today)) if tasks else None

    return actions
