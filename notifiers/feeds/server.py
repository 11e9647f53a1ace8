"""The feed server: `GET`/`HEAD /feeds/<token>.ics` and `/healthz` (starlette + uvicorn).

    await serve_feeds(config, engine, "127.0.0.1", 8080)   # until cancelled
    run_feeds(config, engine, "127.0.0.1", 8080)           # `fristvakt feeds serve`
    feed_service(config)                                   # a `fristvakt serve` service

uvicorn's access log is off: request paths carry the private tokens. The listening socket is
bound before anything else starts (`listening_socket`), so a taken port is a clear error
(`AddressInUse`) instead of uvicorn ending the process from inside a task.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import signal
import socket
from collections.abc import Callable, Coroutine, Iterator
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from notifiers.calendar.feed import ComponentKind
from notifiers.feeds.cache import Clock, Entry, FeedCache, utc_now
from timelines.base.exceptions import FristvaktError
from timelines.base.i18n import _
from timelines.config import Config
from timelines.db import open_database

CALENDAR = "text/calendar; charset=utf-8"
KINDS: dict[str, ComponentKind] = {"event": "event", "todo": "todo"}
_STATUS_TEXT = {404: "Not found\n", 410: "Gone: this subscription was revoked\n",
                503: "Service unavailable: the database cannot be reached, try again later\n"}
log = logging.getLogger("fristvakt.feeds")
# The pages a layer above serves beside the feeds, made from what the feeds are made from.
RouteMaker = Callable[[Config, Engine, Clock], list[Route]]


def _tags(header: str) -> set[str]:
    """Entity tags in If-None-Match, weak prefix and our gzip suffix dropped (weak comparison)."""
    return {tag.strip().removeprefix("W/").replace("-gzip\"", "\"") for tag in header.split(",")}


def not_modified(request: Request, entry: Entry) -> bool:
    """RFC 9110: If-None-Match decides when present; otherwise If-Modified-Since."""
    match = request.headers.get("if-none-match")
    if match is not None:
        tags = _tags(match)
        return "*" in tags or entry.etag in tags
    since = request.headers.get("if-modified-since")
    if not since:
        return False
    try:
        return entry.feed.last_modified <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as the RFC asks


def wants_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").split(","):
        name, _, q = part.strip().partition(";")
        if name.strip().lower() == "gzip" and q.replace(" ", "") not in ("q=0", "q=0.0"):
            return True
    return False


def _headers(entry: Entry, gz: bool) -> dict[str, str]:
    etag = entry.etag[:-1] + '-gzip"' if gz else entry.etag  # a strong tag per encoding
    headers = {"ETag": etag, "Last-Modified": entry.last_modified,
               "Cache-Control": "private", "Vary": "Accept-Encoding"}
    if gz:
        headers["Content-Encoding"] = "gzip"
    return headers


def feed_response(request: Request, entry: Entry) -> Response:
    gz = wants_gzip(request)
    headers = _headers(entry, gz)
    if not_modified(request, entry):
        return Response(status_code=304, headers=headers)
    body = entry.gzipped() if gz else entry.feed.body
    if request.method == "HEAD":  # the length of what GET would send, and no body
        headers["Content-Length"] = str(len(body))
        body = b""
    return Response(body, headers=headers, media_type=CALENDAR)


def no_routes(config: Config, engine: Engine, clock: Clock) -> list[Route]:
    """The feeds alone: no pages of a layer above served beside them."""
    return []


def make_app(config: Config, engine: Engine, clock: Clock = utc_now,
             recheck: float = 1.0, routes: RouteMaker = no_routes,
             warm: bool = False) -> Starlette:
    """The ASGI app; `clock` lets tests say which day it is, `recheck` is how many seconds
    what the database said is trusted (see FeedCache); `routes` adds the pages the caller
    serves beside the feeds (the scheduler's answer pages); `warm` pays the one-time costs
    of a first feed now (`FeedCache.warm`)."""
    cache = FeedCache(config, engine, clock, recheck)
    if warm:
        cache.warm()

    async def feed(request: Request) -> Response:
        name: str = request.path_params["name"]
        kind = KINDS.get(request.query_params.get("kind", "event"))
        if not name.endswith(".ics") or kind is None:
            return PlainTextResponse(_STATUS_TEXT[404], status_code=404)
        token = name.removesuffix(".ics")
        found = cache.fresh(token, kind)  # from memory: no thread, no query
        if found is None:
            found = await looked_up(token, kind)
        if isinstance(found, int):
            headers = {"Retry-After": "60"} if found == 503 else None
            return PlainTextResponse(_STATUS_TEXT[found], status_code=found, headers=headers)
        return feed_response(request, found)

    down: list[str] = []  # the outage in progress, logged once when it begins

    async def looked_up(token: str, kind: ComponentKind) -> Entry | int:
        try:
            found = await run_in_threadpool(cache.get, token, kind)
        except DBAPIError as exc:  # the database is down: a client should come back later
            if not down:
                down.append(str(exc.orig or exc))
                log.warning(_(config.lang,
                              "the database cannot be used, nothing is sent until it is back: "
                              "{detail}", detail=down[0]))
            return 503
        down.clear()
        return found

    async def healthz(_: Request) -> Response:
        try:
            await run_in_threadpool(cache.ping)
        except Exception:  # any database failure means "not healthy", whatever its kind
            return PlainTextResponse("database unavailable\n", status_code=503)
        return PlainTextResponse("ok\n")

    own = [Route("/feeds/{name}", feed, methods=["GET", "HEAD"]),
           Route("/healthz", healthz, methods=["GET", "HEAD"])]
    return Starlette(routes=own + routes(config, engine, clock))


class EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves SIGTERM/SIGINT to its host: inside `fristvakt serve` the
    scheduler owns the signals and stops this server through `should_exit`."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def server(config: Config, engine: Engine, host: str, port: int,
           clock: Clock = utc_now, recheck: float = 1.0,
           routes: RouteMaker = no_routes, warm: bool = False) -> EmbeddedServer:
    """A uvicorn server for the feeds, not yet started (tests start it in a thread)."""
    app = make_app(config, engine, clock, recheck, routes, warm)
    settings = uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning",
                              lifespan="off")
    return EmbeddedServer(settings)


def default_port(config: Config) -> int:
    """The port of `base_url`, else 8080 (behind a proxy, base_url often has none)."""
    return urlsplit(config.base_url).port or 8080


class AddressInUse(FristvaktError):
    """The feed server's address is taken: another `serve` runs, or base_url names a busy
    port."""


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _cannot_listen(exc: OSError, host: str, port: int, lang: str) -> FristvaktError:
    address = _address(host, port)
    if exc.errno == errno.EADDRINUSE:
        return AddressInUse(_(lang, "cannot serve feeds on {address}: the port is already in use. "
                                    "Is another `fristvakt serve` (or `fristvakt feeds serve`) "
                                    "running? Stop it, or set base_url in fristvakt.toml to a free "
                                    "port.", address=address))
    return FristvaktError(_(lang, "cannot serve feeds on {address}: {error}. Check the address, or "
                                  "set base_url in fristvakt.toml to an address and port this "
                                  "machine can use.", address=address,
                            error=exc.strerror or exc))


def listening_socket(host: str, port: int, lang: str = "en") -> socket.socket:
    """The feed server's socket, bound now (as uvicorn would bind it); a taken port raises
    `AddressInUse`, told in `lang`."""
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets whose protocol says TCP,
    # and without it every response waits for the client's delayed ACK (about 40 ms).
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
                         socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise _cannot_listen(exc, host, port, lang) from exc
    return sock


async def serve_until(stop: asyncio.Event, config: Config, engine: Engine, host: str,
                      port: int, sock: socket.socket | None = None,
                      routes: RouteMaker = no_routes) -> None:
    """Serve until `stop` is set (or this is cancelled), then finish in-flight requests;
    on `sock` when given (bound by `listening_socket`), else uvicorn binds host:port."""
    srv = server(config, engine, host, port, routes=routes, warm=True)  # before it listens
    task = asyncio.create_task(srv.serve(sockets=[sock] if sock else None))
    stopper = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        srv.should_exit = True
        stopper.cancel()
        await task


def feed_service(config: Config, host: str = "127.0.0.1", port: int | None = None, *,
                 lang: str = "en", routes: RouteMaker = no_routes
                 ) -> Callable[[asyncio.Event], Coroutine[Any, Any, None]]:
    """The feed server as a service of `fristvakt serve`: runs until `stop` is set. Its port
    is bound here, before the scheduler starts: a taken one raises `AddressInUse`."""
    port = port or default_port(config)
    sock = listening_socket(host, port, lang)

    async def run(stop: asyncio.Event) -> None:
        engine = open_database(config.resolved_database_url())
        try:
            await serve_until(stop, config, engine, host, port, sock, routes)
        finally:
            engine.dispose()
            sock.close()

    return run


async def serve_feeds(config: Config, engine: Engine, host: str, port: int) -> None:
    """Serve until cancelled."""
    await serve_until(asyncio.Event(), config, engine, host, port)


async def _until_signal(config: Config, engine: Engine, host: str, port: int,
                        sock: socket.socket, routes: RouteMaker) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await serve_until(stop, config, engine, host, port, sock, routes)


def run_feeds(config: Config, engine: Engine, host: str, port: int, lang: str = "en",
              routes: RouteMaker = no_routes) -> None:
    """Serve in the foreground until SIGTERM or Ctrl+C (`fristvakt feeds serve`); a taken
    port raises `AddressInUse` (told in `lang`) before anything starts."""
    sock = listening_socket(host, port, lang)
    try:
        asyncio.run(_until_signal(config, engine, host, port, sock, routes))
    finally:
        sock.close()
