"""`fristvakt serve`'s feed socket: accepted connections answer without waiting for a
delayed ACK, as fast as uvicorn on a socket of its own."""

from __future__ import annotations

import asyncio
import http.client
import socket
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from conftest import Project
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from test_feed_build import setup_scenario
from test_feed_http import SECRET, new_token

from notifiers.calendar.feed import Scope
from notifiers.feeds.server import feed_service, listening_socket
from timelines.config import load_config

REQUESTS = 20


def _accepted_nodelay() -> int:
    """TCP_NODELAY on the transport asyncio makes for a connection to `listening_socket`."""
    seen: list[int] = []

    async def main() -> None:
        sock = listening_socket("127.0.0.1", 0)

        async def handle(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            conn = writer.get_extra_info("socket")
            seen.append(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        srv = await asyncio.start_server(handle, sock=sock)
        port = sock.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        while not seen:
            await asyncio.sleep(0.01)
        writer.close()
        srv.close()
        await srv.wait_closed()

    asyncio.run(main())
    return seen[0]


def test_accepted_connections_get_tcp_nodelay() -> None:
    assert _accepted_nodelay() != 0


def _timed_gets(port: int, path: str) -> tuple[float, bytes]:
    """Seconds for REQUESTS sequential GETs on one keep-alive connection, and the last body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    body = b""
    start = time.perf_counter()
    for _ in range(REQUESTS):
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        assert response.status == 200
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed, body


@contextmanager
def in_thread(run: Callable[[asyncio.Event], Coroutine[Any, Any, None]]) -> Iterator[None]:
    """A service of `fristvakt serve` on its own event loop until the block ends."""
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    thread = threading.Thread(target=loop.run_until_complete, args=(run(stop),), daemon=True)
    thread.start()
    try:
        yield
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()


@contextmanager
def static_uvicorn(body: bytes) -> Iterator[int]:
    """uvicorn binding its own socket, answering `body` as a static calendar file."""
    async def static(_: Request) -> Response:
        return Response(body, media_type="text/calendar")

    app = Starlette(routes=[Route("/feed.ics", static)])
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield srv.servers[0].sockets[0].getsockname()[1]
    finally:
        srv.should_exit = True
        thread.join(10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_keep_alive_feed_requests_are_as_fast_as_a_static_uvicorn(
        project: Project, engine: Engine, monkeypatch: Any) -> None:
    for name, value in SECRET.items():
        monkeypatch.setenv(name, value)
    setup_scenario(project)
    token = new_token(project, engine, Scope(owner="ola"))
    port = _free_port()
    with in_thread(feed_service(load_config(project.config), "127.0.0.1", port)):
        deadline = time.monotonic() + 20
        while True:
            try:
                _timed_gets(port, "/healthz")
                break
            except (OSError, AssertionError):
                assert time.monotonic() < deadline, "feed server did not start"
                time.sleep(0.05)
        _timed_gets(port, f"/feeds/{token}.ics")  # warms the feed cache
        served, body = min(_timed_gets(port, f"/feeds/{token}.ics") for _ in range(3))
    with static_uvicorn(body) as static_port:
        static, _ = min(_timed_gets(static_port, "/feed.ics") for _ in range(3))
    # A delayed ACK costs ~40 ms a request: 20 of them would be over 20x the static server.
    assert served < 5 * static + 0.1, (served, static)
