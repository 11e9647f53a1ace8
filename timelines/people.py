"""Who a key in a timeline reaches: the one rule, for the config and for the stored rows.

>>> reached("anna", {"anna", "nils"}, {})
['anna']
>>> reached("au", {"anna", "nils"}, {"au": Members(["nils", "gone"])})
['nils']
>>> reached("nobody", {"anna"}, {})
[]
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol


class HasMembers(Protocol):
    """A role: the config's `[roles.<key>]` or a stored role row."""

    @property
    def members(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Members:
    """A role given by its members alone."""

    members: Sequence[str]


def reached(key: str, owners: Container[str], roles: Mapping[str, HasMembers]) -> list[str]:
    """Owner keys a key reaches: itself if a person, a role's members who are owners, else
    nobody."""
    if key in owners:
        return [key]
    role = roles.get(key)
    return [m for m in role.members if m in owners] if role else []
