"""aiosmtplib's and the socket's exceptions → our three delivery errors.

Transient: a 4xx reply at any stage; refused connection, timeout or disconnect before
aiosmtplib's `data()` was called. Permanent: a 5xx reply (bad address, content rejected, 535
wrong password), an address that cannot go on a command line, or a setup the server will never
accept (no STARTTLS offered, certificate not trusted). Ambiguous: the connection broke or timed
out while `data()` was in progress, so the server may have the message.
"""

from __future__ import annotations

import ssl

from aiosmtplib import SMTPException, SMTPNotSupported, SMTPResponseException

from notifiers.base import (
    AmbiguousDeliveryError,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from timelines.base.exceptions import DeliveryError

DELIVERY_FAILURES = (SMTPException, OSError, TimeoutError)
# aiosmtplib's mail() and rcpt() raise ValueError, before sending, for an unsendable address.
ENVELOPE_FAILURES = (*DELIVERY_FAILURES, ValueError)


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


def delivery_error(exc: BaseException, *, server: str, in_data: bool) -> DeliveryError:
    """The typed error for a failure at `server`; `in_data`: it happened inside `data()`."""
    code, reply = code_and_reply(exc)
    said = f"{code} {reply}" if code else reply
    if in_data and code is None:
        return AmbiguousDeliveryError(
            f"{server}: connection lost while the message was being sent, the server may "
            f"have it ({said})", code=None, reply=reply)
    if isinstance(exc, ValueError):  # never reached the server: no code, no retry
        return PermanentDeliveryError(f"{server}: cannot send to this address: {said}",
                                      code=None, reply=reply)
    if (code is not None and 500 <= code < 600) or _is_setup_problem(exc):
        return PermanentDeliveryError(f"{server} refused: {said}", code=code, reply=reply)
    return TransientDeliveryError(f"{server} failed, try again later: {said}",
                                  code=code, reply=reply)
