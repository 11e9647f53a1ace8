"""Private subscription tokens: only their SHA-256 is stored.

How a link can be shown again (in reminder emails and in `agenda`) although only a hash is
stored: when the environment variable `FRISTVAKT_FEED_SECRET` (or the one `feeds.secret_env`
names) is set, a token is the HMAC of that secret and the token row's id and scope. Anyone who
can read the secret can recompute an owner's token; a copy of the database alone cannot, and
the database never holds a usable token. Without the secret a token is random and its link is
printed once, at creation; mails then go without a link. Rotating the secret keeps every
issued token working (lookups use the stored hash) but links can no longer be shown again.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import secrets
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from notifiers.calendar.select import Scope
from timelines.base.exceptions import NotFound
from timelines.config import Config
from timelines.db import read_engine
from timelines.model import FeedToken

SECRET_ENV = "FRISTVAKT_FEED_SECRET"
PREFIX = "fv1_"


@dataclass(frozen=True)
class Links:
    """The subscription URLs of one token (they contain the token: never logged)."""

    https: str
    webcal: str

    def __repr__(self) -> str:
        return "Links(<secret>)"


def secret(config: Config, env: Mapping[str, str] = os.environ) -> bytes | None:
    """The HMAC key, from the environment variable the config names (if it names one)."""
    name = config.feeds.secret_env or SECRET_ENV
    value = env.get(name)
    return value.encode() if value else None


def token_hash(token: str) -> str:
    """What the database keeps. Tokens carry 256 random or HMAC bits, so a plain SHA-256
    cannot be reversed by guessing, and a lookup on it tells nothing about other tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


def derive(key: bytes, row: FeedToken) -> str:
    """The token of a row, recomputable from the secret alone."""
    message = f"fristvakt-feed:{row.id}:{row.owner_key}:{row.timeline_id}:{row.role_key}"
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return PREFIX + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def links(config: Config, token: str) -> Links:
    """`https://…/feeds/<token>.ics` (the config's base URL) and the same as `webcal://`."""
    url = f"{config.base_url.rstrip('/')}/feeds/{token}.ics"
    return Links(url, "webcal://" + url.split("://", 1)[1])


def create(session: Session, config: Config, scope: Scope, now: dt.datetime,
           label: str = "", env: Mapping[str, str] = os.environ) -> str:
    """A new token for the scope; returns the token itself (store it nowhere)."""
    row = FeedToken(token_hash=f"pending-{uuid.uuid4().hex}", owner_key=scope.owner,
                    timeline_id=scope.timeline, role_key=scope.role, label=label,
                    created_at=now)
    session.add(row)
    session.flush()  # the id is part of a derived token
    key = secret(config, env)
    token = derive(key, row) if key else PREFIX + secrets.token_urlsafe(32)
    row.token_hash = token_hash(token)
    session.add(row)
    return token


def lookup(session: Session, token: str) -> FeedToken | None:
    """The row of a presented token (revoked ones too: they answer 410), by its hash."""
    return session.exec(select(FeedToken).where(FeedToken.token_hash == token_hash(token))).first()


def scope_of(row: FeedToken) -> Scope:
    return Scope(owner=row.owner_key, timeline=row.timeline_id, role=row.role_key)


def find(session: Session, ref: str) -> FeedToken:
    """A token row by its id (as `feeds token list` shows it), or by the token or its URL."""
    token = ref.rstrip("/").rsplit("/", 1)[-1].removesuffix(".ics")
    row = session.get(FeedToken, int(ref)) if ref.isdigit() else lookup(session, token)
    if row is None:
        raise NotFound(f"no feed token {ref if ref.isdigit() else '(given token)'}: "
                       "see `fristvakt feeds token list`")
    return row


def revoke(session: Session, ref: str, now: dt.datetime) -> FeedToken:
    """Revoke a token; its URL answers 410 Gone from then on. Revoking twice is harmless."""
    row = find(session, ref)
    if row.revoked_at is None:
        row.revoked_at = now
        session.add(row)
    return row


def all_tokens(session: Session) -> list[FeedToken]:
    return list(session.exec(select(FeedToken).order_by(col(FeedToken.id))).all())


def shown_token(config: Config, row: FeedToken, env: Mapping[str, str] = os.environ) -> str | None:
    """The token of a row if the secret can recompute it (a derived, not a random, token)."""
    key = secret(config, env)
    if key is None:
        return None
    token = derive(key, row)
    return token if hmac.compare_digest(token_hash(token), row.token_hash) else None


def owner_links(session: Session, config: Config, owner: str,
                env: Mapping[str, str] = os.environ) -> Links | None:
    """The owner's own subscription links for emails and `agenda`: their newest active
    owner-wide token that can be shown again, or None."""
    query = select(FeedToken).where(
        FeedToken.owner_key == owner, col(FeedToken.timeline_id).is_(None),
        col(FeedToken.role_key).is_(None), col(FeedToken.revoked_at).is_(None),
    ).order_by(col(FeedToken.id).desc())
    for row in session.exec(query).all():
        token = shown_token(config, row, env)
        if token:
            return links(config, token)
    return None


def feed_url_function(config: Config, engine: Engine, env: Mapping[str, str] = os.environ
                      ) -> Callable[[str], str | None] | None:
    """owner key → their https subscription URL or None: the reminder engine's `FeedUrl`;
    None without a feed secret (no link can be shown again, so none is looked up).

    It reads on its own connection (`read_engine`), so calling it inside the engine's write
    transaction never waits for that transaction's SQLite lock."""
    if secret(config, env) is None:
        return None
    reader = read_engine(engine)

    def url(owner: str) -> str | None:
        with Session(reader) as session:
            found = owner_links(session, config, owner, env)
        return found.https if found else None

    return url
