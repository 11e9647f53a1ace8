"""aiosmtplib's and the socket's exceptions → our three delivery errors.

Transient: a 4xx reply, refused connection, timeout, disconnect before the message content
was handed over. Permanent: a 5xx reply (bad address, content rejected, 535 wrong password),
or a setup the server will never accept (no STARTTLS offered, certificate not trusted).
Ambiguous: the connection broke or timed out after the content went out, before the reply.
"""

from __future__ import annotations

import ssl

from aiosmtplib import SMTPException, SMTPNotSupported, SMTPResponseException

from notifiers.base import (
    AmbiguousDeliveryError,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from timelines.exceptions import DeliveryError

DELIVERY_FAILURES = (SMTPException, OSError, TimeoutError)


def code_and_reply(exc: BaseException) -> tuple[int | None, str]:
    """The server's code (None if it never answered) and its text, or what went wrong."""
    if isinstance(exc, SMTPResponseException) and exc.code >= 100:
        return exc.code, exc.message
    return None, str(exc) or type(exc).__name__


def _is_setup_problem(exc: BaseException) -> bool:
    # aiosmtplib raises the bare SMTPException only for what the server can never do
    # (e.g. "AUTH extension not supported"): waiting will not fix it.
    return type(exc) is SMTPException or isinstance(
        exc, SMTPNotSupported | ssl.SSLCertVerificationError)


def delivery_error(exc: BaseException, *, server: str, handed_over: bool) -> DeliveryError:
    """The typed error for a failure at `server`; `handed_over`: the content went out."""
    code, reply = code_and_reply(exc)
    said = f"{code} {reply}" if code else reply
    if handed_over and code is None:
        return AmbiguousDeliveryError(
            f"{server}: connection lost after the message was sent, it may have arrived "
            f"({said})", code=None, reply=reply)
    if (code is not None and 500 <= code < 600) or _is_setup_problem(exc):
        return PermanentDeliveryError(f"{server} refused: {said}", code=code, reply=reply)
    return TransientDeliveryError(f"{server} failed, try again later: {said}",
                                  code=code, reply=reply)
