"""A small MIME writer for the one message shape we send.

Why not `email.message.EmailMessage`: its header parsing and refolding is where CVE-2024-6923
lives on this Python (3.11.7), and it costs ~3 ms per message, most of the sending budget.
Here every header value is either plain printable ASCII or written as base64 encoded words,
so no input can produce a line break; bodies are quoted-printable or base64, so boundaries
containing "=_" can never occur inside them (RFC 2045 §6.7).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

CRLF = b"\r\n"
_PLAIN = re.compile(r"[\x20-\x7e]*")
_WORD_BYTES = 42  # base64 of 42 bytes is 56 chars: an encoded word stays under 76 chars


@dataclass(frozen=True)
class Part:
    """One leaf part: `content_type` carries its parameters, `body` the encoded bytes."""

    content_type: str
    encoding: str
    body: bytes
    disposition: str | None = None


def _chunks(text: str) -> list[bytes]:
    """UTF-8 pieces of at most _WORD_BYTES bytes, never splitting a character."""
    data = text.encode("utf-8")
    chunks: list[bytes] = []
    start = 0
    while len(data) - start > _WORD_BYTES:
        cut = start + _WORD_BYTES
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to the lead byte
            cut -= 1
        chunks.append(data[start:cut])
        start = cut
    return [*chunks, data[start:]] if start < len(data) else chunks


def encode_words(text: str) -> str:
    """RFC 2047 base64 encoded words, folded; the output holds no CR, LF or raw text."""
    words = [f"=?utf-8?b?{base64.b64encode(chunk).decode('ascii')}?=" for chunk in _chunks(text)]
    return "\r\n ".join(words)


def header_value(text: str) -> str:
    """Plain text stays as it is when printable ASCII without "=?"; else encoded words."""
    if _PLAIN.fullmatch(text) and "=?" not in text and len(text) < 900:
        return text
    return encode_words(text)


def phrase_address(name: str, addr: str) -> str:
    """`"Name" <addr>` with the display name quoted or encoded; addr must already be checked."""
    if not name:
        return f"<{addr}>"
    if _PLAIN.fullmatch(name) and not set(name) & set('"\\=?'):
        return f'"{name}" <{addr}>'
    return f"{encode_words(name)} <{addr}>"


def header_block(headers: Sequence[tuple[str, str]]) -> bytes:
    """The header lines; a value containing CR or LF here is a bug, so it raises."""
    lines = []
    for name, value in headers:
        unfolded = value.replace("\r\n ", "")
        if "\r" in unfolded or "\n" in unfolded:
            raise ValueError(f"line break in header {name}")
        lines.append(f"{name}: {value}".encode("ascii"))
    return CRLF.join(lines) + CRLF


def text_part(text: str, subtype: str) -> Part:
    """A UTF-8 text part in quoted-printable, with CRLF line ends."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    body = binascii.b2a_qp(raw, istext=True).replace(b"\n", CRLF)
    return Part(f'text/{subtype}; charset="utf-8"', "quoted-printable", body)


def html_part(html: str) -> Part:
    """The HTML part in base64: nobody reads HTML source, and it encodes 10x faster than QP."""
    return base64_part(html.encode("utf-8"), 'text/html; charset="utf-8"')


def base64_part(data: bytes, content_type: str, filename: str | None = None) -> Part:
    """A part in base64, 76-character lines; an attachment when it has a file name."""
    # One b2a_base64 call and slicing: base64.encodebytes calls it once per 57-byte line.
    raw = binascii.b2a_base64(data, newline=False)
    encoded = CRLF.join([raw[i:i + 76] for i in range(0, len(raw), 76)]) + CRLF if raw else b""
    disposition = f'attachment; filename="{filename}"' if filename else None
    return Part(content_type, "base64", encoded, disposition)


def _leaf(part: Part) -> bytes:
    head = [("Content-Type", part.content_type), ("Content-Transfer-Encoding", part.encoding)]
    if part.disposition:
        head.append(("Content-Disposition", part.disposition))
    return header_block(head) + CRLF + part.body


def boundary(seed: str, label: str) -> str:
    """A boundary that cannot occur in QP or base64 content (it contains "=_")."""
    return f"=_fv_{hashlib.sha256(seed.encode()).hexdigest()[:24]}_{label}"


def multipart(subtype: str, parts: Sequence[bytes], mark: str) -> tuple[str, bytes]:
    """(Content-Type value, body) of a multipart made of already written parts."""
    delimiter = f"--{mark}".encode("ascii")
    body = b"".join(delimiter + CRLF + part + (b"" if part.endswith(CRLF) else CRLF)
                    for part in parts)
    return f'multipart/{subtype}; boundary="{mark}"', body + delimiter + b"--" + CRLF


def message_bytes(headers: Sequence[tuple[str, str]], text: str, html: str,
                  attachment: Part | None, seed: str) -> bytes:
    """A whole message: alternative(text, html), wrapped in mixed when there is an attachment."""
    alt_type, alt_body = multipart(
        "alternative", [_leaf(text_part(text, "plain")), _leaf(html_part(html))],
        boundary(seed, "alt"))
    content_type, body = alt_type, alt_body
    if attachment is not None:
        inner = header_block([("Content-Type", alt_type)]) + CRLF + alt_body
        content_type, body = multipart("mixed", [inner, _leaf(attachment)],
                                       boundary(seed, "mix"))
    top = [*headers, ("MIME-Version", "1.0"), ("Content-Type", content_type)]
    return header_block(top) + CRLF + body
