"""The schema of fristvakt.toml: one place that says what every option is.

Relative paths in the file are relative to the file itself, so a config works wherever the
command runs from.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr

from timelines.base.exceptions import ConfigError, ValidationFailed
from timelines.base.i18n import N_, _
from timelines.base.problems import Problem, errors
from timelines.tomlfile import Invalid, TomlSource, hinted

Lang = Literal["nb", "nn", "sv", "en"]
OFFSET = hinted(r"^\d+(d|wd)$", N_("write a number of days like 14d, or working days like "
                                   "3wd (got {value})"))
KEY_HINT = N_("use only lowercase letters a–z, digits, - and _, starting with a letter or "
              "digit, like regionradgiver (got {value})")
KEY = hinted(r"^[a-z0-9][a-z0-9_-]*$", KEY_HINT)


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid(N_("unknown time zone '{value}' (use e.g. Europe/Oslo)"), value=name) from exc
    return name


def _email(value: str) -> str:
    """An address a mail server takes: checked by email-validator (syntax only, no DNS), so
    `a@b.no;evil` fails here and not at send time."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise Invalid(N_("not an email address: '{value}'"), value=value) from exc
    return value


# Upper bounds of what later commands can plan with (and a coordinator could mean).
MAX_DAYS = 3650  # offsets and lags: ten years
MAX_OVERDUE = 100  # overdue notices per task
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def in_range(day: dt.date) -> dt.date:
    """A date the planner can count from: 1900-01-01 .. 2199-12-31."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise Invalid(N_("must be a date between {first} and {last} (got {value})"),
                      value=day.isoformat(),
                      first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())
    return day


def _offset_bound(value: str) -> str:
    if int(re.sub(r"\D", "", value)) > MAX_DAYS:
        raise Invalid(N_("at most {bound} days (got {value})"), value=value, bound=MAX_DAYS)
    return value


def _closed_day(value: str) -> str:
    try:
        day = dt.date.fromisoformat(value if len(value) > 5 else f"2000-{value}")
    except ValueError as exc:
        raise Invalid(N_("a closed day is written MM-DD or YYYY-MM-DD (got '{value}')"),
                      value=value) from exc
    in_range(day)
    return value


Zone = Annotated[str, AfterValidator(_zone)]
Email = Annotated[str, AfterValidator(_email)]
OffsetText = Annotated[str, Field(pattern=OFFSET), AfterValidator(_offset_bound)]
Day = Annotated[dt.date, AfterValidator(in_range)]
ClosedDay = Annotated[str, AfterValidator(_closed_day)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Coordinator(Strict):
    name: str = "Coordinator"
    email: Email = "coordinator@example.org"
    lang: Lang = "en"


class Smtp(Strict):
    host: str = "127.0.0.1"
    port: int = Field(8025, ge=1, le=65535)
    security: Literal["none", "starttls", "tls"] = "none"
    username: str = ""
    password_env: str = "FRISTVAKT_SMTP_PASSWORD"
    sender: str = "Fristvakt <fristvakt@localhost>"
    timeout: float = Field(30.0, gt=0)
    # Connections a pass sends over at once when a backlog is due, each with one message in
    # flight (a relay may allow fewer: 1 sends one message after the other, in order). At
    # most 4: with two database connections each, they and the claims fit the pool.
    connections: int = Field(2, ge=1, le=4)
    # The EHLO name; empty: the machine's name if it has a dot, else the sender's domain.
    helo_name: str = Field("", pattern=r"^[A-Za-z0-9.:\[\]-]*$")

    def password(self, env: Mapping[str, str] = os.environ) -> str | None:
        """The password from the environment variable this block names (never from the file)."""
        return env.get(self.password_env) or None


class Feeds(Strict):
    domain: str = "fristvakt.localhost"
    style: Literal["deadline", "span"] = "deadline"
    cancelled_days: int = Field(60, ge=0, le=MAX_DAYS)
    # With this secret set, subscription links can be shown again (in mails and `agenda`).
    secret_env: str = "FRISTVAKT_FEED_SECRET"


class Web(Strict):
    """The served pages: the coordinator's login takes its password from this variable
    (unset or empty: the coordinator's pages are off)."""

    coordinator_password_env: str = "FRISTVAKT_COORDINATOR_PASSWORD"

    def coordinator_password(self, env: Mapping[str, str] = os.environ) -> str | None:
        name = self.coordinator_password_env
        return (env.get(name) or None) if name else None


class Period(Strict):
    start: Day
    end: Day


class PolicyOverride(Strict):
    """Any subset of [policy]; used per timeline and per task."""

    before_due: list[OffsetText] | None = None
    before_start: list[OffsetText] | None = None
    send_time: dt.time | None = None
    overdue_every_days: int | None = Field(None, ge=1, le=MAX_DAYS)
    overdue_max: int | None = Field(None, ge=0, le=MAX_OVERDUE)
    digest: Literal["off", "weekly"] | None = None
    max_lateness: OffsetText | None = None


class Policy(Strict):
    before_due: list[OffsetText] = ["14d", "3wd"]
    before_start: list[OffsetText] = []
    send_time: dt.time = dt.time(8, 0)
    overdue_every_days: int = Field(7, ge=1, le=MAX_DAYS)
    overdue_max: int = Field(3, ge=0, le=MAX_OVERDUE)
    digest: Literal["off", "weekly"] = "off"
    digest_weekday: Literal[
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
    ] = "monday"
    max_lateness: OffsetText = "2d"
    holidays: Literal["NO", "SE", "none"] = "NO"
    closed_days: list[ClosedDay] = ["12-24", "12-31"]
    closed_periods: list[Period] = []

    def merged(self, *overrides: PolicyOverride | None) -> Policy:
        """This policy with the given overrides applied in order (later wins)."""
        values = self.model_dump()
        for override in overrides:
            if override is not None:
                values.update(override.model_dump(exclude_none=True))
        return Policy.model_validate(values)

    def overridden(self, *raw: Mapping[str, object] | None) -> Policy:
        """This policy with the `policy` tables of a timeline, then of a task, as read from
        their files (later wins): the one rule of how overrides merge."""
        return self.merged(*(PolicyOverride.model_validate(o) if o else None for o in raw))


class Owner(Strict):
    name: str
    email: Email
    lang: Lang | None = None
    timezone: Zone | None = None


class Role(Strict):
    label: str = ""
    members: list[str] = []


class StatusRound(Strict):
    """Before a council meeting: every owner of an open task in `plans` is asked for a status
    `days_ahead` days before, the silent ones reminded `remind_days` days before."""

    meeting: str
    date: dt.date
    plans: list[str] = []  # timeline ids; empty: every plan
    days_ahead: int = Field(14, ge=1)
    remind_days: int = Field(7, ge=0)


class Config(Strict):
    timezone: Zone = "Europe/Oslo"
    lang: Lang = "nb"
    database_url: str = "sqlite:///fristvakt.db"
    timelines: str = "timelines"
    base_url: str = "http://127.0.0.1:8080"
    coordinator: Coordinator = Coordinator()
    smtp: Smtp = Smtp()
    feeds: Feeds = Feeds()
    web: Web = Web()
    policy: Policy = Policy()
    owners: dict[Annotated[str, Field(pattern=KEY)], Owner] = {}
    roles: dict[Annotated[str, Field(pattern=KEY)], Role] = {}
    status_round: list[StatusRound] = []
    _path: Path = PrivateAttr(default=Path("fristvakt.toml"))

    @property
    def path(self) -> Path:
        return self._path

    @property
    def root(self) -> Path:
        return self._path.parent

    @property
    def timelines_dir(self) -> Path:
        return self.root / self.timelines

    def resolved_database_url(self) -> str:
        """The database URL with a relative SQLite path made relative to this file."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix):
            rest = self.database_url[len(prefix):]
            if rest and rest != ":memory:" and not rest.startswith(("/", "file:")):
                return prefix + str((self.root / rest).resolve())
        return self.database_url

    def owner_zone(self, key: str) -> str:
        owner = self.owners.get(key)
        return (owner.timezone if owner else None) or self.timezone

    def owner_lang(self, key: str, fallback: str | None = None) -> str:
        owner = self.owners.get(key)
        return (owner.lang if owner else None) or fallback or self.lang


def _cross_check(config: Config, source: TomlSource) -> list[Problem]:
    """Checks across sections: roles must name known owners."""
    found = []
    for role_key, role in config.roles.items():
        for index, member in enumerate(role.members):
            if member not in config.owners:
                found.append(source.problem(
                    ("roles", role_key, "members", index),
                    _(source.lang,
                      "unknown owner '{member}': add [owners.{member}] or fix the name",
                      member=member),
                ))
    return found


def read_config(path: Path, lang: str = "en") -> tuple[Config | None, list[Problem]]:
    """Load and check fristvakt.toml; returns the config (if usable) and every problem, told
    in `lang`."""
    if not path.is_file():
        raise ConfigError(_(lang, "{path}: no such config file (create one with `fristvakt init`, "
                                  "or pass -c PATH)", path=path))
    source = TomlSource(path, lang)
    config = source.salvage(Config, source.data, ()) if source.data is not None else None
    if config is not None:
        config._path = path.resolve()
        source.problems.extend(_cross_check(config, source))
    return config, source.problems


def load_config(path: Path, lang: str = "en") -> Config:
    """The config, or ValidationFailed naming every problem (told in `lang`)."""
    config, problems = read_config(path, lang)
    if config is None or errors(problems):
        raise ValidationFailed(problems)
    return config
