"""The exception tree. Each class carries its exit code; the CLI maps them in one place."""

from __future__ import annotations

from timelines.base.problems import Problem


class FristvaktError(Exception):
    """Base of every error a user may see as a message instead of a traceback."""

    exit_code = 1


class ConfigError(FristvaktError):
    """fristvakt.toml is missing or unusable."""


class ValidationFailed(FristvaktError):
    """Config or timeline files have problems; carries all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ImportFailed(FristvaktError):
    """A plan document could not be imported at all."""


class NotFound(FristvaktError):
    """A task, owner, timeline or token named on the command line does not exist."""

    exit_code = 3


class DeliveryError(FristvaktError):
    """A message could not be delivered."""

    exit_code = 4


class DatabaseError(FristvaktError):
    """The database is unreachable or in an unexpected state."""

    exit_code = 5
