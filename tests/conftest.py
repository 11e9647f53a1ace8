"""Shared fixtures: databases (SQLite and, when configured, PostgreSQL), projects, the CLI."""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from smtp_server import SmtpServer, smtp_server
from sqlalchemy.engine import Engine

from scheduler.cli import main
from timelines.base.lang import config_file_lang, ui_lang
from timelines.db import open_database
from timelines.files import read_timeline
from timelines.resolve import resolve_timeline

PG_ENV = "FRISTVAKT_TEST_DATABASE_URL"
PG_SKIP = (
    f"PostgreSQL tests need {PG_ENV} "
    "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test); .ci/run sets it"
)
ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "examples" / "plans"
# The day a test project is made on (`init --today`) and an instant on it for `--now`: the
# suite never depends on the day it runs.
INIT_TODAY = dt.date(2026, 11, 22)
NOW = "2026-11-22T09:00"


def pg_base_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    """An engine on the test PostgreSQL; fails (never skips) when the variable is set but the
    server is unreachable."""
    url = pg_base_url()
    if not url:
        pytest.skip(PG_SKIP)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:  # raises: an unreachable server is a failure
        conn.execute(sa.text("select 1"))
    yield engine
    engine.dispose()


def fresh_pg_schema(admin: Engine) -> tuple[str, str]:
    """A new empty schema and a URL whose connections use it first."""
    schema = f"fv_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'create schema "{schema}"'))
    sep = "&" if "?" in str(pg_base_url()) else "?"
    return schema, f"{pg_base_url()}{sep}options=-csearch_path%3D{schema}"


# Sessions still holding locks on a test's tables once the test is over. A child process
# killed mid-transaction (the crash tests) once left its server session idle in transaction
# on a socket that never closed, and the drop below waited on its locks for ever.
_LEFT_BEHIND = sa.text(
    "select distinct l.pid from pg_locks l join pg_class c on c.oid = l.relation "
    "join pg_namespace n on n.oid = c.relnamespace "
    "where n.nspname = :schema and l.pid <> pg_backend_pid()")


def drop_pg_schema(admin: Engine, schema: str) -> None:
    with admin.connect() as conn:
        for (pid,) in conn.execute(_LEFT_BEHIND, {"schema": schema}).all():
            conn.execute(sa.text("select pg_terminate_backend(:pid)"), {"pid": pid})
        conn.execute(sa.text(f'drop schema if exists "{schema}" cascade'))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test on SQLite and on PostgreSQL, each starting from an empty database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fristvakt.db'}"
        return
    yield request.getfixturevalue("pg_url")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = open_database(db_url)
    yield eng
    eng.dispose()


@pytest.fixture(autouse=True)
def _no_language_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's language comes from the project's config, not from the machine running the
    tests (timelines/base/lang.py): a test that wants another sets FRISTVAKT_LANG itself."""
    for name in ("FRISTVAKT_LANG", "LC_ALL", "LANG"):
        monkeypatch.delenv(name, raising=False)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@dataclass
class Project:
    """A project folder made by `fristvakt init`, pointed at the test database."""

    root: Path
    db_url: str
    capsys: pytest.CaptureFixture[str]

    @property
    def config(self) -> Path:
        return self.root / "fristvakt.toml"

    @property
    def timelines(self) -> Path:
        return self.root / "timelines"

    @property
    def lang(self) -> str:
        """The language the CLI speaks in this project (`init` writes coordinator.lang nb)."""
        return ui_lang(os.environ, config_file_lang(self.config))

    def run(self, *args: str) -> CliResult:
        self.capsys.readouterr()
        code = main(["-c", str(self.config), *args])
        captured = self.capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    def due(self, task: str) -> dt.date:
        """The deadline the example timeline gives `task` (init dates it from INIT_TODAY)."""
        path = self.timelines / "eksempel.toml"
        timeline, problems = read_timeline(path)
        assert timeline is not None, problems
        [found] = [t for t in resolve_timeline(timeline).tasks if t.key == task]
        assert found.due is not None
        return found.due

    def set_config(self, key: str, value: str) -> None:
        """Replace a top-level `key = ...` line of fristvakt.toml with a TOML value."""
        text = self.config.read_text(encoding="utf-8")
        text = re.sub(rf"(?m)^{key} = .*$", lambda _: f"{key} = {value}", text, count=1)
        self.config.write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]) -> Project:
    root = tmp_path / "proj"
    assert main(["init", "--today", INIT_TODAY.isoformat(), "--lang", "nb", str(root)]) == 0
    proj = Project(root, db_url, capsys)
    proj.set_config("database_url", f'"{db_url}"')
    return proj


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real aiosmtpd on a free loopback port that records what it accepts (a test module
    with a server of its own, failing on purpose, defines its own `smtp`)."""
    with smtp_server() as server:
        yield server


@pytest.fixture
def pg_url(pg_admin: Engine) -> Iterator[str]:
    """A URL on a new empty schema of the test PostgreSQL, dropped after the test."""
    schema, url = fresh_pg_schema(pg_admin)
    try:
        yield url
    finally:
        drop_pg_schema(pg_admin, schema)
