"""Stable ASCII keys: task ids and role keys from titles and labels.

The same title always gives the same id, so a re-imported document can be diffed against the
file a coordinator has already edited.

>>> slug("Formulera förslag till struktur av länsgemensam påverkansagenda")
'formulera-forslag-till-struktur-av'
>>> slug("Regionrådgiver")
'regionradgiver'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Letters NFKD does not split into a base letter and an accent.
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o", "ß": "ss", "đ": "d"})
_NOT_KEY = re.compile(r"[^a-z0-9]+")
ID_LENGTH = 36
SECTION_LENGTH = 20
LONG_LENGTH = 72


def slug(text: str, limit: int = ID_LENGTH) -> str:
    """Lower-case ASCII words joined by '-', cut at a word boundary within `limit`."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    ascii_text = folded.encode("ascii", "ignore").decode()
    words = [w for w in _NOT_KEY.split(ascii_text) if w]
    out = ""
    for word in words:
        joined = f"{out}-{word}" if out else word
        if len(joined) > limit:
            return out or word[:limit]
        out = joined
    return out


def unique_ids(items: list[tuple[str, str]]) -> list[str]:
    """Ids for (title, section) pairs in document order: unique, and the same on every run.

    A title repeated in several sections is qualified by its section; what is still repeated
    gets -2, -3 ... in document order.
    """
    bases = _distinct_bases([title for title, _ in items])
    sections: dict[str, set[str]] = {}
    for base, (_, section) in zip(bases, items, strict=True):
        sections.setdefault(base, set()).add(section)
    qualified = [
        _qualify(base, section) if len(sections[base]) > 1 else base
        for base, (_, section) in zip(bases, items, strict=True)
    ]
    return _number_repeats(qualified)


def _distinct_bases(titles: list[str]) -> list[str]:
    """Short slugs, made longer where two different titles would otherwise share one."""
    short = [slug(title) or "task" for title in titles]
    full: dict[str, set[str]] = {}
    for base, title in zip(short, titles, strict=True):
        full.setdefault(base, set()).add(slug(title, LONG_LENGTH))
    return [
        slug(title, LONG_LENGTH) if len(full[base]) > 1 else base
        for base, title in zip(short, titles, strict=True)
    ]


def _qualify(base: str, section: str) -> str:
    prefix = slug(section, SECTION_LENGTH)
    return f"{prefix}-{base}" if prefix else base


def _number_repeats(ids: list[str]) -> list[str]:
    repeated = {key for key, n in Counter(ids).items() if n > 1}
    taken = set(ids)
    out: list[str] = []
    seen: Counter[str] = Counter()
    for key in ids:
        seen[key] += 1
        if key in repeated and seen[key] > 1:
            key = _next_free(key, seen[key], taken)
            taken.add(key)
        out.append(key)
    return out


def _next_free(key: str, number: int, taken: set[str]) -> str:
    while f"{key}-{number}" in taken:
        number += 1
    return f"{key}-{number}"
