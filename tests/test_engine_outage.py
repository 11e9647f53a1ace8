"""A PostgreSQL outage while `serve` runs: logged once when it begins and once when it ends,
never a traceback per tick, and the reminders go out once the database is back.

The outage is real: `serve` reaches PostgreSQL through a loopback TCP relay that the test
closes (every connection dropped, new ones refused) and opens again."""

from __future__ import annotations

import contextlib
import datetime as dt
import signal
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from smtp_server import free_port, smtp_server
from test_engine_serve import output, wait_for
from test_engine_support import TestProject, oslo, spawn

SERVE = ("serve", "--now", "2026-06-05T08:00", "--interval", "0.3")


class Relay:
    """Forwards a loopback port to PostgreSQL until `cut()`; `mend()` listens again."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target, self.port = target, free_port()
        self.pairs: list[socket.socket] = []
        self.listener: socket.socket | None = None

    def mend(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=True)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self) -> None:
        assert self.listener is not None
        self.listener.close()
        for sock in self.pairs:
            _drop(sock)
        self.pairs.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # closed by cut()
                return
            server = socket.create_connection(self.target)
            self.pairs += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()


def _drop(sock: socket.socket) -> None:
    """Cut a line at once: `close` alone, while a pipe thread waits in `recv` on it, leaves
    the connection open until that call returns, and `serve` then waited on its query for
    half a minute instead of seeing the outage."""
    with contextlib.suppress(OSError):  # already gone
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (src, dst):
            sock.close()


def _through(url: str, port: int) -> str:
    """The same PostgreSQL URL, reached through the relay's port."""
    parts = urlsplit(url)
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@127.0.0.1:{port}" if userinfo else f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=netloc))


def test_a_database_outage_is_logged_once_and_sending_resumes(tmp_path: Path,
                                                             pg_url: str) -> None:
    target = urlsplit(pg_url)
    relay = Relay((target.hostname or "127.0.0.1", target.port or 5432))
    relay.mend()
    with smtp_server() as server:
        proj = TestProject(tmp_path / "p", _through(pg_url, relay.port), server.port,
                           policy={"before_due": ["3d"], "overdue_max": 0})
        proj.write_config(base_url=f"http://127.0.0.1:{free_port()}")
        proj.write_timeline([{"id": "a", "title": "Oppgåve a", "due": dt.date(2026, 6, 8),
                              "owners": ["ola"]}])
        proj.apply(oslo(2026, 5, 1))
        proc = spawn(proj, *SERVE, env={"FRISTVAKT_LANG": "en"})
        wait_for(lambda: len(server.messages) == 1, 30, "the first reminder")
        relay.cut()
        time.sleep(3)  # about ten ticks with no database
        relay.mend()
        proj.write_timeline([{"id": "a", "title": "Oppgåve a", "due": dt.date(2026, 6, 8),
                              "owners": ["ola"]},
                             {"id": "b", "title": "Oppgåve b", "due": dt.date(2026, 6, 8),
                              "owners": ["ola"]}])
        proj.apply(oslo(2026, 6, 1))
        wait_for(lambda: len(server.messages) == 2, 30, "the reminder after the outage")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    relay.cut()
    logged = output(proc, proj, "err") + output(proc, proj, "out")
    assert logged.count("the database cannot be used") == 1, logged
    assert logged.count("the database is back") == 1, logged
    assert "Traceback" not in logged
