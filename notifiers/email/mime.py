"""The one email policy every message is built and written with: `email.policy.SMTP`, with
what it would work out again for every message remembered.

A reminder's message has about twenty header lines, and most are the same in every message
(From, Reply-To, the parts' Content-Type and Content-Transfer-Encoding, MIME-Version) or in
most of them (Date in one pass, Content-Language). The stock policy parses each value into a
header object when it is set and refolds it when the message is written, and its header
registry makes a new header class for every header it is asked about: together more than half
the time of rendering a message. `MailPolicy` keeps the header objects of the values it has
seen (parsing is a function of the name and the value, and header objects never change) and
the written form of those objects, so a value seen before costs a dictionary lookup. The bytes
are the stock policy's: a test writes messages with both and compares them.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from email.headerregistry import BaseHeader, HeaderRegistry
from email.policy import EmailPolicy
from typing import Any

# Enough for every fixed value and the values of one pass (dates, languages, the parts'
# types), small enough to stay a few hundred kilobytes.
CACHE_SIZE = 256


class _Remembered:
    """A bounded mapping that forgets the least recently used entry first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any) -> Any:
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key: Any, value: Any) -> Any:
        self.entries[key] = value
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)
        return value


class CachingRegistry(HeaderRegistry):
    """The stock registry, making each header class once per name instead of once per call
    (`HeaderRegistry.__getitem__` builds a new class with `type()` every time)."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, type[BaseHeader]] = {}
        # The header objects made of (name, value): a function of those and this registry.
        self.parsed = _Remembered(CACHE_SIZE)

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        found = self._classes.get(key)
        if found is None:
            found = self._classes[key] = super().__getitem__(name)
        return found


# The headers whose values repeat from message to message; the others (To, Subject,
# Message-ID, ...) are new in every message, and keeping them would only push these out.
REPEATING = frozenset({"date", "content-language", "content-type", "content-transfer-encoding",
                       "content-disposition", "mime-version", "from", "reply-to",
                       "auto-submitted", "x-auto-response-suppress"})


def _repeats(name: str, value: object) -> bool:
    # A multipart boundary is made for its own message.
    return name.lower() in REPEATING and "boundary=" not in str(value)


def _key(name: str, value: object) -> tuple[str, str] | None:
    """What a value's header object is known by: plain text as it is, a date by its ISO form
    (aware dates at one instant compare equal whatever their offset); None for the rest."""
    if not _repeats(name, value):
        return None
    if type(value) is str:
        return name, value
    if isinstance(value, dt.datetime):
        return name, "date:" + value.isoformat()
    return None


class MailPolicy(EmailPolicy):
    """`email.policy.SMTP` that parses a header value and folds a header object once."""

    def header_store_parse(self, name: str, value: Any) -> tuple[str, Any]:
        key, registry = _key(name, value), self.header_factory
        if key is None or not isinstance(registry, CachingRegistry):
            return super().header_store_parse(name, value)  # type: ignore[no-any-return]
        found = registry.parsed.get(key)
        if found is None:
            found = registry.parsed.put(key, super().header_store_parse(name, value))
        return found  # type: ignore[no-any-return]

    def fold_binary(self, name: str, value: Any) -> bytes:
        # By identity: equal text may come from different sources (an encoded word and its
        # decoded text read the same). The object itself is kept with its bytes, so its id
        # cannot be reused while the entry lives.
        key = (name, id(value))
        found = _folded.get(key)
        if found is not None and found[0] is value:
            return found[1]  # type: ignore[no-any-return]
        data = super().fold_binary(name, value)
        # Only this policy's own folds, and those of its clones that fold alike: the
        # generator writes every subpart with a clone (`policy.clone(linesep=...)`), so the
        # parts' headers, the same in every message, would otherwise be folded every time.
        if isinstance(value, BaseHeader) and _folds_as_policy(self) and _repeats(name, value):
            _folded.put(key, (value, data))
        return data  # type: ignore[no-any-return]


def _folds_as_policy(policy: EmailPolicy) -> bool:
    """True for POLICY and its clones with nothing changed (a clone holds only the settings
    given to it or its original; the rest are the class's)."""
    return policy is POLICY or (type(policy) is MailPolicy and vars(policy) == vars(POLICY))


_folded = _Remembered(CACHE_SIZE)
POLICY = MailPolicy(linesep="\r\n", header_factory=CachingRegistry())
