"""Signed links for owners' answers (itsdangerous), from the feed tokens' secret.

Three kinds, each under its own salt so one can never pass for another:
- an action token: one person, one task (occurrence), an expiry date;
- an owner-page token ("Mine oppgaver"): one person, an expiry date;
- a form token: printed into a confirm page, bound to the action token's id and the form's
  own id; only a POST carrying it records anything, and each form id records once.

The expiry is a date inside the signed payload, checked against a `today` the caller passes
(so what decides validity takes the clock as a parameter). Nothing about a token is stored
until an answer is recorded; the answer keeps the token's id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets as pysecrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from itsdangerous import BadSignature, URLSafeSerializer

from notifiers.feeds.tokens import secret
from timelines.config import Config

ACTION, PAGE, FORM = "fristvakt-answer-action", "fristvakt-answer-page", "fristvakt-answer-form"
VALID_DAYS = 60  # how long a link in a mail answers; a later mail brings fresh ones
FORM_DAYS = 2  # how long a confirm page may stay open before its POST is refused

Reason = Literal["tampered", "expired", "not_yours", "replayed"]


class TokenRefused(Exception):
    """A token that does not allow what was asked; `reason` says why (for the page shown)."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason: Reason = reason


@dataclass(frozen=True)
class ActionToken:
    """What an action link allows: `person` may answer for `task` of `timeline`."""

    person: str
    timeline: str
    task: str
    occurrence: str | None
    expires: dt.date
    id: str

    def __repr__(self) -> str:
        return f"ActionToken({self.person}, {self.timeline}/{self.task}, id={self.id})"


@dataclass(frozen=True)
class PageToken:
    """What an owner-page link allows: `person` sees their own tasks and history."""

    person: str
    expires: dt.date
    id: str


class Signer:
    """Makes and reads the three kinds of token with one secret key."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __repr__(self) -> str:
        return "Signer(<secret>)"

    def _s(self, salt: str) -> URLSafeSerializer:
        return URLSafeSerializer(self._key, salt=salt)

    def action(self, person: str, timeline: str, task: str, occurrence: str | None,
               expires: dt.date) -> str:
        """A link token; the same inputs give the same token (a mail renders the same twice)."""
        data = [person, timeline, task, occurrence, expires.isoformat()]
        return str(self._s(ACTION).dumps([*data, _id(data)]))

    def page(self, person: str, expires: dt.date) -> str:
        data = [person, expires.isoformat()]
        return str(self._s(PAGE).dumps([*data, _id(data)]))

    def form(self, token_id: str, today: dt.date) -> str:
        """A fresh form token for one confirm page (a new form id on every GET)."""
        expires = today + dt.timedelta(days=FORM_DAYS)
        return str(self._s(FORM).dumps([token_id, pysecrets.token_hex(16), expires.isoformat()]))

    def read_action(self, token: str, today: dt.date) -> ActionToken:
        person, timeline, task, occurrence, expires, token_id = self._load(ACTION, token, 6)
        return ActionToken(person, timeline, task, occurrence,
                           _unexpired(expires, today), token_id)

    def read_page(self, token: str, today: dt.date) -> PageToken:
        person, expires, token_id = self._load(PAGE, token, 3)
        return PageToken(person, _unexpired(expires, today), token_id)

    def read_form(self, form: str, token_id: str, today: dt.date) -> str:
        """The form id of a form token made for `token_id`; refused for any other token."""
        bound, form_id, expires = self._load(FORM, form, 3)
        _unexpired(expires, today)
        if bound != token_id:
            raise TokenRefused("not_yours")
        return str(form_id)

    def _load(self, salt: str, token: str, size: int) -> list[Any]:
        try:
            data = self._s(salt).loads(token)
        except BadSignature as exc:
            raise TokenRefused("tampered") from exc
        if not isinstance(data, list) or len(data) != size:
            raise TokenRefused("tampered")
        return data


def _id(data: list[Any]) -> str:
    """A short, stable id of a token's contents: what an answer records as "via which link"."""
    return hashlib.sha256(repr(data).encode()).hexdigest()[:16]


def _unexpired(expires: str, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(expires)
    except (TypeError, ValueError) as exc:
        raise TokenRefused("tampered") from exc
    if day < today:
        raise TokenRefused("expired")
    return day


def signer(config: Config, env: Mapping[str, str] = os.environ) -> Signer | None:
    """The signer of this project, or None when the secret is not set (no links then)."""
    key = secret(config, env)
    return Signer(key) if key else None
