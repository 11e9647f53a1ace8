"""Header values built from plan text, made safe before the email package sees them.

Python's email package before 3.11.10 has CVE-2024-6923: an unstructured header value is
parsed for RFC 2047 encoded words, so a task title containing `=?UTF-8?Q?=0A?=` becomes a real
newline and, when the header is folded, a new header line (`Bcc: ...`) or a blank line that
ends the header block. So every header value that comes from plan text goes through
`clean_header_text` (no control or line-separator characters, no `=?` that could start an
encoded word) before it is set on the message, and every generated message goes through
`check_header_block` before it is sent.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

# Cc: C0/C1 controls incl. CR, LF, NEL; Zl/Zp: U+2028/U+2029; Cf: bidi overrides, zero-width.
_BAD_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Cf"})
_SPACES = re.compile(r"\s+")
MAX_HEADER_TEXT = 200


def clean_header_text(value: str, limit: int = MAX_HEADER_TEXT) -> str:
    """Plan text fit for a header: one line, printable, and no encoded-word trigger."""
    if not value.isprintable():  # str.isprintable is False for every category we remove
        value = "".join(" " if unicodedata.category(ch) in _BAD_CATEGORIES else ch
                        for ch in value)
    text = _SPACES.sub(" ", value).strip()
    # "=?" opens an encoded word that the header parser would decode; "= ?" reads the same.
    text = text.replace("=?", "= ?")
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def clean_phrase(value: str) -> str:
    """A display name or List-Id description: header-clean and without quoting characters."""
    return clean_header_text(value.replace('"', "'").replace("\\", "/"), limit=78)


_ADDR = re.compile(r"[^\s<>()\[\],;:\"@\\]+@[A-Za-z0-9.-]+")


def checked_address(email: str) -> str:
    """A plain ASCII addr-spec, or ValueError: nothing else may reach an address header."""
    email = email.strip()
    if not email.isascii() or not _ADDR.fullmatch(email):
        raise ValueError(f"not a usable email address: {email!r}")
    return email


def message_id(idem_key: str, domain: str, installation: str = "") -> str:
    """The same idempotency key always gives the same Message-ID (a retry is recognisable);
    the installation's random id makes it unique across databases (a rebuilt database, or
    a second installation with the same sender domain, never reuses one)."""
    seed = f"{installation}:{idem_key}" if installation else idem_key
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:40]
    return f"<{digest}@{domain}>"


def key_header(idem_key: str) -> str:
    """The `X-Fristvakt-Key` value: the key itself when it is plain, else a stable digest."""
    if re.fullmatch(r"[\x21-\x7e]{1,200}", idem_key) and "=?" not in idem_key:
        return idem_key
    return "sha256:" + hashlib.sha256(idem_key.encode("utf-8")).hexdigest()


def list_id(title: str, timeline_id: str, domain: str) -> tuple[str, str]:
    """(description, list id) for `List-Id: "Plan title" <timeline-id.domain>` (RFC 2919)."""
    label = re.sub(r"[^a-z0-9-]+", "-", timeline_id.lower()).strip("-") or "plan"
    return clean_phrase(title), f"{label}.{domain}"


def header_names(data: bytes) -> list[str]:
    """The names of the header lines of a serialized message, in order."""
    head = data.split(b"\r\n\r\n", 1)[0]
    return [line.split(b":", 1)[0].decode("ascii", "replace")
            for line in head.split(b"\r\n") if line[:1] not in (b" ", b"\t")]


def check_header_block(data: bytes, expected: Iterable[str]) -> None:
    """Refuse to send a message whose header block is not exactly the headers we set, once each."""
    names = sorted(name.lower() for name in header_names(data))
    head, blank, _ = data.partition(b"\r\n\r\n")
    stray = head.replace(b"\r\n", b"")
    if names != sorted(name.lower() for name in expected) or not blank or b"\r" in stray \
            or b"\n" in stray:
        raise ValueError(f"generated message has unexpected header lines: {names}")
