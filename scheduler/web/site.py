"""The coordinator's pages, served beside the feeds and the owners' pages, behind a login.

GET  /coordinator                 the overview (counts, waiting requests, silent owners,
                                  send problems), links to each plan and year wheel
GET  /coordinator/plans/<id>      a plan's timeline (?zoom=month|quarter|year)
GET  /coordinator/wheel/<year>    the årshjul of every plan
GET  /coordinator/login           the login form; POST checks the password

Without a session every page but the login answers 303 to the login form. Without a password
in the environment (the variable `[web] coordinator_password_env` names) every one of them
answers 404 with a page saying how to turn them on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from notifiers.feeds.cache import Clock
from notifiers.feeds.tokens import secret
from scheduler.pages.export import wheel_years
from scheduler.pages.gantt import ZOOMS
from scheduler.pages.html import (
    login_page,
    message_page,
    overview_page,
    plan_page,
    wheel_page,
)
from scheduler.pages.model import PlanView
from scheduler.pages.stored import plan_views
from scheduler.web import data
from scheduler.web.auth import LOCK_SECONDS, SESSION_COOKIE, SESSION_SECONDS, Login, Throttle
from timelines.base.i18n import _
from timelines.config import Config
from timelines.db import read_engine

ROOT = "/coordinator"
LOGIN = f"{ROOT}/login"
CSRF_COOKIE = "fristvakt_login_csrf"
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
           "X-Robots-Tag": "noindex", "X-Frame-Options": "DENY"}
DEFAULT_ENV = "FRISTVAKT_COORDINATOR_PASSWORD"
Handler = Callable[[Request], Awaitable[Response]]


def html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _safe_next(value: str) -> str:
    """Only our own coordinator pages are a place to go after the login (no open redirect)."""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith(ROOT) or value.startswith("//"):
        return ROOT
    return value


class Site:
    """The coordinator's pages, the login that guards them, and the throttle on it."""

    def __init__(self, config: Config, engine: Engine, clock: Clock) -> None:
        self.config, self.clock = config, clock
        self.reader = read_engine(engine)
        password = config.web.coordinator_password()
        self.login = Login(password, secret(config)) if password else None
        self.throttle = Throttle()
        self.lang = config.coordinator.lang

    def today(self) -> dt.date:
        return self.clock().astimezone(ZoneInfo(self.config.timezone)).date()

    def secure(self, request: Request) -> bool:
        """Cookies are Secure when the request came over HTTPS or the site is served so."""
        return request.url.scheme == "https" or self.config.base_url.startswith("https:")

    def guarded(self, handler: Handler) -> Handler:
        """`handler` for a logged-in coordinator; others go to the login form."""
        async def guard(request: Request) -> Response:
            if self.login is None:
                return self.off()
            if not self.login.valid_session(request.cookies.get(SESSION_COOKIE)):
                target = quote(request.url.path + (f"?{request.url.query}"
                                                   if request.url.query else ""))
                return RedirectResponse(f"{LOGIN}?next={target}", 303, headers=HEADERS)
            return await handler(request)
        return guard

    def off(self) -> Response:
        variable = self.config.web.coordinator_password_env or DEFAULT_ENV
        text = _(self.lang, "The coordinator's pages are off because no password is set. To "
                            "turn them on, set the environment variable {variable} (named by "
                            "[web] coordinator_password_env in fristvakt.toml) for `fristvakt "
                            "serve` and restart it.", variable=variable)
        heading = _(self.lang, "Coordinator pages are off")
        return html(message_page(self.lang, self.today(), heading, text, home="/"), 404)

    def _plans(self) -> list[PlanView]:
        with Session(self.reader) as session:
            return plan_views(session, self.config, self.today())

    async def overview(self, _request: Request) -> Response:
        return html(await run_in_threadpool(self._overview))

    def _overview(self) -> str:
        today = self.today()
        with Session(self.reader) as session:
            plans = plan_views(session, self.config, today)
            extras = data.extras(session, self.config, today)
        links = {plan.timeline_id: f"{ROOT}/plans/{plan.timeline_id}" for plan in plans}
        wheels = [(str(year), f"{ROOT}/wheel/{year}") for year in wheel_years(plans, today)]
        return overview_page(plans, self.lang, today, extras, links, home=ROOT,
                             wheel_links=wheels)

    async def plan(self, request: Request) -> Response:
        zoom = request.query_params.get("zoom", "quarter")
        if zoom not in ZOOMS:
            zoom = "quarter"
        found = await run_in_threadpool(self._plan, request.path_params["plan"], zoom)
        return html(found) if found else self.missing()

    def _plan(self, plan_id: str, zoom: str) -> str | None:
        chosen = [plan for plan in self._plans() if plan.timeline_id == plan_id]
        return plan_page(chosen[0], self.today(), zoom, home=ROOT) if chosen else None

    def missing(self) -> Response:
        return html(message_page(self.lang, self.today(), _(self.lang, "Not found"),
                                 _(self.lang, "There is no such page."), home=ROOT), 404)

    async def wheel(self, request: Request) -> Response:
        year = request.path_params["year"]
        if not 1900 <= year <= 2200:
            return self.missing()
        return html(await run_in_threadpool(self._wheel, year))

    def _wheel(self, year: int) -> str:
        return wheel_page(self._plans(), year, self.lang, self.today(), home=ROOT)

    async def login_form(self, request: Request) -> Response:
        if self.login is None:
            return self.off()
        next_url = _safe_next(request.query_params.get("next", ROOT))
        return self._form(request, next_url, "", 200)

    def _form(self, request: Request, next_url: str, problem: str, status: int) -> Response:
        """The login form with a fresh CSRF token, also set as a cookie (double submit)."""
        assert self.login is not None
        token = self.login.csrf()
        response = html(login_page(self.lang, self.today(), token, LOGIN, next_url, problem),
                        status)
        response.set_cookie(CSRF_COOKIE, token, max_age=3600, path=LOGIN, httponly=True,
                            samesite="strict", secure=self.secure(request))
        return response

    async def login_post(self, request: Request) -> Response:
        if self.login is None:
            return self.off()
        address = _client(request)
        if self.throttle.refused(address):
            return self._refused()
        fields = await request.form()
        next_url = _safe_next(str(fields.get("next", ROOT)))
        if not self.login.valid_csrf(str(fields.get("csrf", "")), request.cookies.get(CSRF_COOKIE)):
            return self._form(request, next_url, _(self.lang, "This login form has expired or did "
                                                   "not come from this site. Please try again."),
                              403)
        if not self.login.right(str(fields.get("password", ""))):
            self.throttle.failed(address)
            return self._form(request, next_url, _(self.lang, "Wrong password. Try again."), 401)
        self.throttle.forget(address)
        return self._session(request, next_url)

    def _refused(self) -> Response:
        text = _(self.lang, "Too many wrong passwords from this address. Try again in {minutes} "
                            "minutes.", minutes=LOCK_SECONDS // 60)
        body = message_page(self.lang, self.today(), _(self.lang, "Too many tries"), text,
                            home=LOGIN)
        response = html(body, 429)
        response.headers["Retry-After"] = str(LOCK_SECONDS)
        return response

    def _session(self, request: Request, next_url: str) -> Response:
        assert self.login is not None
        response = RedirectResponse(next_url, 303, headers=HEADERS)
        response.set_cookie(SESSION_COOKIE, self.login.session(), max_age=SESSION_SECONDS,
                            path=ROOT, httponly=True, samesite="lax",
                            secure=self.secure(request))
        response.delete_cookie(CSRF_COOKIE, path=LOGIN)
        return response


def coordinator_routes(config: Config, engine: Engine, clock: Clock) -> list[Route]:
    """The coordinator's pages and their login, to add to the feed server's app."""
    site = Site(config, engine, clock)
    return [Route(ROOT, site.guarded(site.overview), methods=["GET", "HEAD"]),
            Route(f"{ROOT}/plans/{{plan}}", site.guarded(site.plan), methods=["GET", "HEAD"]),
            Route(f"{ROOT}/wheel/{{year:int}}", site.guarded(site.wheel),
                  methods=["GET", "HEAD"]),
            Route(LOGIN, site.login_form, methods=["GET", "HEAD"]),
            Route(LOGIN, site.login_post, methods=["POST"])]
