"""Owners written as roles: "AU / regionrådgiver", "Ansvar: SR Deltaking: Kommunane".

Each role becomes a stable key (see ids.slug) with its original label; what cannot be read as
a short role name is handed back so the importer can ask a human to look.

>>> read_owner_cell("Ansvar: SR Deltaking: Kommunane (HR-nettverket)")
(['SR'], ['Kommunane'], [])
>>> read_owner_cell("AU / regionrådgiver/regionkoordinator")[0]
['AU', 'regionrådgiver', 'regionkoordinator']
"""

from __future__ import annotations

import re

from timelines.importer import vocab
from timelines.importer.ids import slug


def _words(names: tuple[str, ...]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_OWNER_PREFIX = re.compile(rf"^\s*(?:{_words(vocab.OWNER_PREFIXES)})\s*:\s*", re.IGNORECASE)
_PARTICIPANTS = re.compile(rf"\b(?:{_words(vocab.PARTICIPANT_PREFIXES)})\s*:\s*", re.IGNORECASE)
_SEPARATORS = re.compile(
    "|".join(re.escape(s) if s.strip() else rf"\s{re.escape(s.strip())}\s"
             for s in vocab.ROLE_SEPARATORS),
    re.IGNORECASE,
)
_PARENTHESES = re.compile(r"\([^()]*\)|«[^«»]*»|\"[^\"]*\"")
_ETC = re.compile(r"\b(m\.\s?fl|mfl|mv|m\.\s?m|etc|osv|o\.\s?l)\b\.?", re.IGNORECASE)
_UNDECIDED = ("må avklar", "blir avklart", "ikke avklart", "ikkje avklart", "ej klart", "ukjent")
_DOC_OWNER = re.compile(
    rf"\b(?:{_words(vocab.OWNER_PREFIXES)})\s*:\s*([^.;:\n]+)", re.IGNORECASE
)


def read_owner_cell(text: str) -> tuple[list[str], list[str], list[str]]:
    """(owner labels, participant labels, parts that are not role names)."""
    owners_text, participants_text = split_participants(text)
    owners, left = role_labels(owners_text)
    participants, left_p = role_labels(participants_text)
    return owners, participants, left + left_p


def split_participants(text: str) -> tuple[str, str]:
    """'Ansvar: X Deltaking: Y' -> ('X', 'Y'); a cell without 'Deltaking:' is all owners."""
    match = _PARTICIPANTS.search(text)
    if not match:
        return _OWNER_PREFIX.sub("", text), ""
    return _OWNER_PREFIX.sub("", text[: match.start()]), text[match.end():]


def role_labels(text: str) -> tuple[list[str], list[str]]:
    """Split a list of roles; parts longer than a role name are returned as not read."""
    if any(word in text.lower() for word in _UNDECIDED):
        return [], [text.strip()] if text.strip() else []
    text = _ETC.sub("", _PARENTHESES.sub("", text.replace("v/", "ved ")))
    labels: list[str] = []
    left: list[str] = []
    for part in _SEPARATORS.split(text):
        label = _label(part)
        if not label:
            continue
        fits = len(label.split()) <= vocab.ROLE_MAX_WORDS and slug(label, 60)
        (labels if fits else left).append(label)
    return labels, left


def _label(part: str) -> str:
    words = part.strip(" .,:;-–—\t").split()
    label = " ".join(words)
    # "Ansvarlig ordfører" names the mayor; the first word only says he or she is in charge.
    if len(words) > 1 and words[0].lower() in vocab.OWNER_PREFIXES:
        label = " ".join(words[1:])
    return label


def document_owner(text: str) -> list[str]:
    """Default owners named in prose: 'Ansvarig: Anna Omberg.'"""
    match = _DOC_OWNER.search(text)
    # "Ansvarig: Per Holm, näringslivschef": after a comma comes the person's title.
    return role_labels(match.group(1).split(",")[0])[0] if match else []


def role_key(label: str) -> str:
    return slug(label, 60)
