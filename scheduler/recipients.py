"""Who a task's messages go to: the people its owners reach, else the coordinator."""

from __future__ import annotations

from notifiers.base import Recipient
from timelines.checks import people_for
from timelines.config import Config

# Not a valid owner key (those start with [a-z0-9]), so it can never collide with one.
COORDINATOR = "@coordinator"


def recipients_of(config: Config, owners: list[str]) -> list[str]:
    """Owner keys reached by the task's owners (roles resolved), once each, in order; a task
    whose owners reach nobody goes to the coordinator (and `validate` warns about it)."""
    keys = [person for key in owners for person in people_for(config, key)]
    return list(dict.fromkeys(keys)) or [COORDINATOR]


def zone_of(config: Config, key: str) -> str:
    return config.timezone if key == COORDINATOR else config.owner_zone(key)


def email_of(config: Config, key: str) -> str:
    if key == COORDINATOR:
        return config.coordinator.email
    owner = config.owners.get(key)
    return owner.email if owner else ""


def recipient(config: Config, key: str) -> Recipient:
    """The person as fristvakt.toml describes them now; KeyError if they were removed."""
    if key == COORDINATOR:
        c = config.coordinator
        return Recipient(key, c.name, c.email, c.lang, config.timezone)
    owner = config.owners[key]
    return Recipient(key, owner.name, owner.email, owner.lang, zone_of(config, key))


def display_names(config: Config, keys: list[str], roles: dict[str, str]) -> list[str]:
    """How owners are shown in a message: a person's name, else the role's label."""
    out = []
    for key in keys:
        if key in config.owners:
            out.append(config.owners[key].name)
        elif key in config.roles and config.roles[key].label:
            out.append(config.roles[key].label)
        else:
            out.append(roles.get(key) or key)
    return out
