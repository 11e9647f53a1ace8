"""The coordinator's login: a password from the environment, compared in constant time,
refused for a while after too many wrong tries from one address, and a signed session cookie.

The session cookie is signed with itsdangerous under a key made from the feed secret (or a
key made for this process when none is set: sessions then end with the server) and carries
a digest of the password, so changing the password ends every session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeTimedSerializer

SESSION_COOKIE = "fristvakt_session"
SESSION_SALT, CSRF_SALT = "fristvakt-coordinator-session", "fristvakt-coordinator-login"
SESSION_SECONDS = 12 * 3600  # a working day; then the coordinator logs in again
CSRF_SECONDS = 3600  # how long a login form stays usable
MAX_FAILURES = 10
LOCK_SECONDS = 15 * 60


@dataclass
class Throttle:
    """Wrong passwords per client address: after `limit` of them within `window` seconds,
    every try from that address is refused until the window has passed (kept in memory)."""

    limit: int = MAX_FAILURES
    window: float = LOCK_SECONDS
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, list[float]] = field(default_factory=dict)

    def _recent(self, address: str) -> list[float]:
        since = self.clock() - self.window
        kept = [moment for moment in self._failures.get(address, []) if moment > since]
        if kept:
            self._failures[address] = kept
        else:
            self._failures.pop(address, None)
        return kept

    def refused(self, address: str) -> bool:
        return len(self._recent(address)) >= self.limit

    def failed(self, address: str) -> None:
        self._failures.setdefault(address, []).append(self.clock())

    def forget(self, address: str) -> None:
        self._failures.pop(address, None)


class Login:
    """Checks the password and makes and reads the session and login-form tokens."""

    def __init__(self, password: str, key: bytes | None) -> None:
        self._password = password.encode()
        self._digest = hashlib.sha256(b"fristvakt-login\0" + self._password).hexdigest()[:32]
        self._key = key or secrets.token_bytes(32)

    def __repr__(self) -> str:
        return "Login(<secret>)"

    def _s(self, salt: str) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self._key + self._password, salt=salt)

    def right(self, given: str) -> bool:
        """The password, compared in constant time."""
        return hmac.compare_digest(given.encode(), self._password)

    def session(self) -> str:
        return str(self._s(SESSION_SALT).dumps({"who": "coordinator", "pw": self._digest}))

    def valid_session(self, cookie: str | None) -> bool:
        if not cookie:
            return False
        try:
            data = self._s(SESSION_SALT).loads(cookie, max_age=SESSION_SECONDS)
        except BadSignature:
            return False
        return isinstance(data, dict) and data.get("pw") == self._digest

    def csrf(self) -> str:
        """A login form's token: a random nonce, signed, also set as a cookie (double
        submit), so a form posted from another site is refused."""
        return str(self._s(CSRF_SALT).dumps(secrets.token_hex(16)))

    def valid_csrf(self, form: str, cookie: str | None) -> bool:
        if not form or not cookie or not hmac.compare_digest(form, cookie):
            return False
        try:
            self._s(CSRF_SALT).loads(form, max_age=CSRF_SECONDS)
        except BadSignature:
            return False
        return True
