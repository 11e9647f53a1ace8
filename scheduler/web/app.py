"""Routes of the owners' pages, mounted into the feed server's app.

GET /a/<token>   a confirm page for one task (never records anything)
POST /a/<token>  records the choice made on that page (needs the page's form token)
GET /me/<token>  "Mine oppgaver": the person's open tasks with their links, and their history

Refusals are pages too, in the person's language when the token names one, with a 4xx status:
tampered 400, not yours 403, expired 410, replayed 409, unreadable input 422.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from notifiers.feeds.cache import Clock, utc_now
from scheduler.answers import store
from scheduler.answers.signing import ActionToken, Signer, TokenRefused, signer
from scheduler.pages.html import card_script
from scheduler.web import data, views
from scheduler.web.site import coordinator_routes
from scheduler.web.templating import page
from timelines.base.i18n import N_, translate
from timelines.config import Config
from timelines.db import read_engine, session_scope

REFUSED = {"tampered": 400, "not_yours": 403, "expired": 410, "replayed": 409}
# Why a link or a form was refused, as its owner reads it.
REFUSALS = {
    "tampered": N_("The link is incomplete or has been changed."),
    "not_yours": N_("The link does not belong to this person or task."),
    "expired": N_("The link has expired."),
    "replayed": N_("This form has already been sent once."),
    "bad_input": N_("The form was not filled in correctly (a new date must be a future date)."),
}
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
           "X-Robots-Tag": "noindex"}


def html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def refused(reason: str, lang: str) -> HTMLResponse:
    return html(page("refused.html.j2", lang, text=translate(lang, REFUSALS[reason])),
                REFUSED.get(reason, 400))


class Pages:
    """The handlers, with the project, its database and the clock they answer for."""

    def __init__(self, config: Config, engine: Engine, clock: Clock) -> None:
        self.config, self.engine, self.clock = config, engine, clock
        self.reader = read_engine(engine)
        self.sign: Signer | None = signer(config)

    def today(self) -> dt.date:
        return self.clock().astimezone(ZoneInfo(self.config.timezone)).date()

    def lang(self, person: str | None = None) -> str:
        return views.person_lang(self.config, person)

    def _signer(self) -> Signer:
        if self.sign is None:
            raise TokenRefused("tampered")  # without the secret no link can be good
        return self.sign

    async def confirm(self, request: Request) -> Response:
        return await run_in_threadpool(self._confirm, request.path_params["token"],
                                       request.query_params.get("do", ""))

    def _confirm(self, raw: str, chosen: str) -> Response:
        try:
            token = self._signer().read_action(raw, self.today())
            with Session(self.reader) as session:
                task = store.task_for(session, self.config, token)
                form = self._signer().form(token.id, self.today())
                values = views.confirm_values(session, self.config, token, task, self.today())
        except TokenRefused as exc:
            return refused(exc.reason, self.lang())
        lang = self.lang(token.person)
        return html(page("confirm.html.j2", lang, form=form, chosen=chosen,
                         statuses=views.status_choices(lang), **values))

    async def answer(self, request: Request) -> Response:
        fields = dict(await request.form())
        return await run_in_threadpool(self._answer, request.path_params["token"], fields)

    def _answer(self, raw: str, fields: dict[str, Any]) -> Response:
        try:
            token = self._signer().read_action(raw, self.today())
            form_id = self._signer().read_form(str(fields.get("form", "")), token.id,
                                               self.today())
        except TokenRefused as exc:
            return refused(exc.reason, self.lang())
        lang = self.lang(token.person)
        choice = views.choice(fields, self.today())
        if choice is None:
            return html(page("refused.html.j2", lang, text=translate(lang, REFUSALS["bad_input"])),
                        422)
        return self._record(token, form_id, choice, lang)

    def _record(self, token: ActionToken, form_id: str, choice: store.Choice,
                lang: str) -> Response:
        try:
            with session_scope(self.engine) as session:
                answer = store.record(session, self.config, token, form_id, choice, self.clock())
                values = views.thanks_values(answer, lang)
        except TokenRefused as exc:
            return refused(exc.reason, lang)
        mine = views.mine_url(self.config, self._signer(), token.person, self.today())
        return html(page("thanks.html.j2", lang, mine=mine, **values))

    async def mine(self, request: Request) -> Response:
        return await run_in_threadpool(self._mine, request.path_params["token"])

    def _mine(self, raw: str) -> Response:
        try:
            token = self._signer().read_page(raw, self.today())
        except TokenRefused as exc:
            return refused(exc.reason, self.lang())
        with Session(self.reader) as session:
            values = views.mine_values(session, self.config, self._signer(), token.person,
                                       self.today())
            timeline = data.owner_timeline(session, self.config, token.person, self.today())
        values["timeline"] = Markup(timeline)  # rendered by the autoescaping pages templates
        values["card_js"] = Markup(card_script())
        return html(page("mine.html.j2", self.lang(token.person), **values))


def answer_routes(config: Config, engine: Engine, clock: Clock = utc_now) -> list[Route]:
    """The routes to add to the feed server's app: the owners' pages and the coordinator's
    (scheduler/web/site.py, behind its login)."""
    pages = Pages(config, engine, clock)
    return [Route("/a/{token}", pages.confirm, methods=["GET", "HEAD"]),
            Route("/a/{token}", pages.answer, methods=["POST"]),
            Route("/me/{token}", pages.mine, methods=["GET", "HEAD"]),
            *coordinator_routes(config, engine, clock)]
