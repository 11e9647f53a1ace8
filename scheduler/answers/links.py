"""The answer links of a task for one person: what mails and the owner page show."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass

from scheduler.answers.signing import VALID_DAYS, Signer, signer
from timelines.config import Config


@dataclass(frozen=True)
class ActionLinks:
    """The three buttons of one task and the owner page (the URLs carry tokens: never logged)."""

    done: str
    more_time: str
    status: str
    mine: str

    def __repr__(self) -> str:
        return "ActionLinks(<secret>)"


def _base(config: Config) -> str:
    return config.base_url.rstrip("/")


def page_url(config: Config, sign: Signer, person: str, today: dt.date) -> str:
    token = sign.page(person, today + dt.timedelta(days=VALID_DAYS))
    return f"{_base(config)}/me/{token}"


def task_links(config: Config, sign: Signer, person: str, timeline: str, task: str,
               today: dt.date, occurrence: str | None = None) -> ActionLinks:
    """Links valid for VALID_DAYS from `today` (the day the mail is made)."""
    expires = today + dt.timedelta(days=VALID_DAYS)
    url = f"{_base(config)}/a/{sign.action(person, timeline, task, occurrence, expires)}"
    return ActionLinks(f"{url}?do=done", f"{url}?do=more_time", f"{url}?do=status",
                       page_url(config, sign, person, today))


def links_for(config: Config, person: str, timeline: str, task: str, today: dt.date,
              env: Mapping[str, str] = os.environ) -> ActionLinks | None:
    """The links of one task, or None when the secret is not set (mails go without them)."""
    sign = signer(config, env)
    return task_links(config, sign, person, timeline, task, today) if sign else None
