"""PostgreSQL connections notice a silent network: libpq's keepalive probes and TCP user
timeout are set on every connection `open_database` makes, unless the URL sets them itself.
(A loopback relay cannot be silent as a dropped network is: its kernel acknowledges every
byte and probe, so what is checked here is what each connection was asked to do.)"""

from __future__ import annotations

from typing import Any

from timelines.db import PG_TCP_CHECKS, open_database


def parameters(url: str) -> dict[str, Any]:
    """The libpq parameters a connection of the engine was made with."""
    engine = open_database(url)
    try:
        with engine.connect() as conn:
            return dict(conn.connection.driver_connection.info.get_parameters())  # type: ignore[union-attr]
    finally:
        engine.dispose()


def test_every_postgresql_connection_probes_a_silent_server(pg_url: str) -> None:
    found = parameters(pg_url)
    wanted = {k: str(v) for k, v in PG_TCP_CHECKS.items() if k != "keepalives"}  # on by default
    assert {k: found.get(k) for k in wanted} == wanted


def test_the_urls_own_settings_win(pg_url: str) -> None:
    joiner = "&" if "?" in pg_url else "?"
    found = parameters(f"{pg_url}{joiner}keepalives_idle=5&tcp_user_timeout=2000")
    assert (found.get("keepalives_idle"), found.get("tcp_user_timeout")) == ("5", "2000")
    assert found.get("keepalives_count") == str(PG_TCP_CHECKS["keepalives_count"])
