"""Open the database and bring its schema to the current version (alembic, automatically)."""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterator, Sequence
from contextlib import closing, contextmanager
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Select, event, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, create_engine, select

from timelines.base.exceptions import DatabaseError

if TYPE_CHECKING:  # alembic is imported only when a migration may run (see `open_database`)
    from alembic.config import Config as AlembicConfig

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration's revision (a test holds it to alembic's head): a database that says
# it is there needs no alembic at all.
HEAD = "0010_no_recipient_index"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers run beside the one writer; busy_timeout makes writers wait, not fail.
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode a commit then appends to the log without an fsync of its own: still safe
    # when the process is killed (only a power loss can drop the last commits), and cheap
    # enough to mark every accepted message in its own transaction.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # pysqlite's own BEGIN is deferred; IMMEDIATE takes the write lock up front, so two
    # processes claiming reminders serialise instead of deadlocking on lock upgrade.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "isolation_level": None})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args=tcp_checks(url))


# A network that silently drops the server's packets (a partition, a firewall forgetting an
# idle connection) would hold a pass, a feed request or an apply until the kernel gives up on
# the connection, some fifteen minutes later: keepalive probes find a silent server within a
# minute, and a query whose bytes stay unacknowledged fails after one (libpq's settings).
PG_TCP_CHECKS = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10,
                 "keepalives_count": 3, "tcp_user_timeout": 60_000}


def tcp_checks(url: str | URL) -> dict[str, Any]:
    """`PG_TCP_CHECKS` for a libpq driver (psycopg), but those the URL sets itself."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_driver_name() not in ("psycopg", "psycopg2"):
        return {}
    return {k: v for k, v in PG_TCP_CHECKS.items() if k not in parsed.query}


def read_engine(engine: Engine) -> Engine:
    """An engine for reading only. On SQLite, `make_engine` opens every transaction with
    BEGIN IMMEDIATE (the write lock), so readers (feed requests, link lookups inside the
    scheduler's write transaction) get a plain one and never wait for the writer; WAL mode,
    set by the shared engine, stays on the file. Other databases need no second engine."""
    if engine.dialect.name != "sqlite":
        return engine
    url = engine.url.render_as_string(hide_password=False)
    return create_engine(url, connect_args={"timeout": 30})


def alembic_config(engine: Engine) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def migrate(engine: Engine) -> None:
    """Apply every migration not yet applied (a no-op on an up-to-date database)."""
    from alembic import command

    # Alembic announces its DDL mode on every start; a coordinator's log needs none of it.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def open_database(url: str) -> Engine:
    """An engine on an up-to-date schema, or DatabaseError saying what is wrong."""
    engine = make_engine(url)
    try:
        if not at_head(engine):
            migrate(engine)
    except OperationalError as exc:
        raise DatabaseError(f"cannot open database {_safe(url)}: {exc.orig}") from exc
    return engine


def at_head(engine: Engine) -> bool:
    """Whether the schema is the newest one, read without alembic (importing it and reading
    its scripts is a tenth of a second of every command). Any failure (no such table, no
    server) is left to `migrate`, which creates the schema or says what is wrong."""
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:
        return False
    return [tuple(row) for row in found] == [(HEAD,)]


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def installation_id(engine: Engine) -> str:
    """This database's random installation id (written by its migration)."""
    from timelines.model import Installation

    with Session(engine) as session:
        row = session.exec(select(Installation)).first()
    return row.id if row is not None else ""


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A transaction that only reads: on SQLite a plain (deferred) one on `read_engine`, so
    however long it lasts it never holds the write lock the engine's writers need."""
    reader = read_engine(engine)
    try:
        with Session(reader, expire_on_commit=False) as session, session.begin():
            yield session
    finally:
        if reader is not engine:
            reader.dispose()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed on success, rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


def streamed_rows(conn: Connection, stmt: Select[Any],
                  size: int) -> Generator[Sequence[Any], None, None]:
    """The statement's rows, at most `size` of them in memory at a time, as SQLAlchemy
    gives them (its result processing applied).

    On PostgreSQL (libpq 17 or later) they come as the server sends them, `size` a message
    (psycopg's `stream`, libpq's chunked mode): the server may run the query in parallel and
    goes on sending while the rows are read. A server-side cursor, used elsewhere, runs it
    alone and waits for a round trip every `size` rows: reading a ledger of 800,000 rows
    took 4.9-5.3 s through one, 2.2-2.4 s streamed."""
    query = _streamable(conn, stmt)
    if query is None:
        result = conn.execution_options(yield_per=size).execute(stmt)
        for batch in result.partitions():
            yield from batch
        return
    sql, params = query
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver_errors(sql), driver.cursor() as cursor, \
            closing(cursor.stream(sql, params, size=size)) as rows:
        first = next(rows, None)
        if first is None:
            return
        # Known once the first rows arrived: what each column's type makes of its values.
        made = [c.type.dialect_impl(conn.dialect).result_processor(conn.dialect, d.type_code)
                for c, d in zip(stmt.selected_columns, cursor.description or (), strict=True)]
        if not any(made):
            yield first
            yield from rows
            return
        for row in chain([first], rows):
            yield tuple(value if p is None else p(value)
                        for p, value in zip(made, row, strict=True))


@contextmanager
def driver_errors(sql: str) -> Iterator[None]:
    """psycopg's errors, where a statement goes around SQLAlchemy (a stream, a COPY), raised
    as SQLAlchemy's: a caller, and the CLI's one clear line for a database that cannot be
    used, tell a database failure by that type."""
    import psycopg

    try:
        yield
    except psycopg.Error as exc:
        raise DBAPIError.instance(sql, None, exc, psycopg.Error) from exc


def _streamable(conn: Connection, stmt: Select[Any]) -> tuple[str, dict[str, Any]] | None:
    """The SQL and parameters psycopg's `stream` takes for `stmt`, each parameter processed
    as SQLAlchemy would; None where it cannot be streamed so (not PostgreSQL, a libpq before
    chunked mode, a list parameter whose type processes its values)."""
    dialect = conn.dialect
    if dialect.name != "postgresql" or _libpq_version() < 170000:
        return None
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    params = dict(compiled.construct_params())
    for bind, name in compiled.bind_names.items():
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None and bind.expanding:
            return None
        if process is not None:
            params[name] = process(params[name])
    return compiled.string, params


def _libpq_version() -> int:
    import psycopg

    return psycopg.pq.version()
