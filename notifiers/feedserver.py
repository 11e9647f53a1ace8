"""The feed server: `GET`/`HEAD /feeds/<token>.ics` and `/healthz` (starlette + uvicorn).

    await serve_feeds(config, engine, "127.0.0.1", 8080)   # beside the scheduler in `serve`
    run_feeds(config, engine, "127.0.0.1", 8080)           # `fristvakt feeds serve`

uvicorn's access log is off: request paths carry the private tokens.
"""

from __future__ import annotations

import asyncio
from email.utils import parsedate_to_datetime

import uvicorn
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from notifiers.feedcache import Clock, Entry, FeedCache, utc_now
from notifiers.ical import Kind
from timelines.config import Config

CALENDAR = "text/calendar; charset=utf-8"
KINDS: dict[str, Kind] = {"event": "event", "todo": "todo"}
_STATUS_TEXT = {404: "Not found\n", 410: "Gone: this subscription was revoked\n"}


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


def make_app(config: Config, engine: Engine, clock: Clock = utc_now) -> Starlette:
    """The ASGI app; `clock` exists so tests can say which day it is."""
    cache = FeedCache(config, engine, clock)

    async def feed(request: Request) -> Response:
        name: str = request.path_params["name"]
        kind = KINDS.get(request.query_params.get("kind", "event"))
        if not name.endswith(".ics") or kind is None:
            return PlainTextResponse(_STATUS_TEXT[404], status_code=404)
        found = await run_in_threadpool(cache.get, name.removesuffix(".ics"), kind)
        if isinstance(found, int):
            return PlainTextResponse(_STATUS_TEXT[found], status_code=found)
        return feed_response(request, found)

    async def healthz(_: Request) -> Response:
        try:
            await run_in_threadpool(cache.ping)
        except Exception:  # any database failure means "not healthy", whatever its kind
            return PlainTextResponse("database unavailable\n", status_code=503)
        return PlainTextResponse("ok\n")

    routes = [Route("/feeds/{name}", feed, methods=["GET", "HEAD"]),
              Route("/healthz", healthz, methods=["GET", "HEAD"])]
    return Starlette(routes=routes)


def server(config: Config, engine: Engine, host: str, port: int,
           clock: Clock = utc_now) -> uvicorn.Server:
    """A uvicorn server for the feeds, not yet started (tests start it in a thread)."""
    app = make_app(config, engine, clock)
    settings = uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning",
                              lifespan="off")
    return uvicorn.Server(settings)


async def serve_feeds(config: Config, engine: Engine, host: str, port: int) -> None:
    """Serve until cancelled or signalled; runs beside the scheduler in `fristvakt serve`."""
    await server(config, engine, host, port).serve()


def run_feeds(config: Config, engine: Engine, host: str, port: int) -> None:
    """Serve in the foreground until Ctrl+C (`fristvakt feeds serve`)."""
    asyncio.run(serve_feeds(config, engine, host, port))
