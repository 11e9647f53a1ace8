"""Messages made in a worker process are the messages this process makes, failures included."""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from notifiers.base import NOTICE_KINDS, Notice, PermanentDeliveryError
from notifiers.email.ahead import RenderPool
from notifiers.email.render import Contact, MailRenderer, RenderedMail
from notifiers.email.samples import sample_notice
from notifiers.email.smtp import EmailNotifier, SmtpSettings
from timelines.base.i18n import LANGS

SENDER, COORDINATOR = "Fristvakt <fristvakt@example.no>", Contact("Kari K", "kari@example.no")
NOW = datetime(2022, 11, 16, 7, 0, tzinfo=UTC)


def renderer() -> MailRenderer:
    return MailRenderer(SENDER, COORDINATOR, calendar_domain="fristvakt.example.no")


@pytest.fixture(scope="module")
def pool() -> Iterator[RenderPool]:
    made = RenderPool(renderer)
    try:
        yield made
    finally:
        made.close()


def in_worker(pool: RenderPool, notice: Notice) -> RenderedMail:
    return asyncio.run(pool.render(notice, NOW))


@pytest.mark.parametrize("lang", LANGS)
def test_every_kind_made_in_the_worker_is_the_message_made_here(pool: RenderPool,
                                                                 lang: str) -> None:
    for kind in NOTICE_KINDS:
        notice = sample_notice(kind, lang)
        assert in_worker(pool, notice) == renderer().render(notice, NOW), kind


def test_the_worker_builds_its_renderer_from_a_partial_of_a_module_function() -> None:
    made = RenderPool(functools.partial(MailRenderer, SENDER, COORDINATOR))
    try:
        notice = sample_notice("due", "sv")
        mail = in_worker(made, notice)
    finally:
        made.close()
    assert mail == MailRenderer(SENDER, COORDINATOR).render(notice, NOW)


def prepared(notifier: EmailNotifier, notice: Notice) -> RenderedMail:
    return asyncio.run(notifier.prepare(notice))


def test_an_address_no_server_takes_fails_in_the_worker_as_it_fails_here(
        pool: RenderPool) -> None:
    notice = sample_notice("due", "nb")
    notice = replace(notice, recipient=replace(notice.recipient, email="ola@@example.no"))
    settings = SmtpSettings(host="127.0.0.1", port=1)
    here = EmailNotifier(settings, renderer(), lambda: NOW)
    there = EmailNotifier(settings, renderer(), lambda: NOW, pool=pool)
    with pytest.raises(PermanentDeliveryError) as made_here:
        prepared(here, notice)
    with pytest.raises(PermanentDeliveryError) as made_there:
        prepared(there, notice)
    assert str(made_there.value) == str(made_here.value)
    assert made_there.value.code is None


def test_the_notifier_with_a_pool_dates_the_message_by_its_own_clock(pool: RenderPool) -> None:
    later = datetime(2022, 11, 17, 9, 30, tzinfo=UTC)
    notifier = EmailNotifier(SmtpSettings(host="127.0.0.1", port=1), renderer(), lambda: later,
                             pool=pool)
    notice = sample_notice("start", "en")
    assert prepared(notifier, notice) == renderer().render(notice, later)


class DyingRenderer(MailRenderer):
    """A renderer whose process dies on a notice titled "die" (as a killed worker would)."""

    def render(self, notice: Notice, now: datetime) -> RenderedMail:
        if notice.tasks and notice.tasks[0].title == "die":
            os._exit(1)
        return super().render(notice, now)


def dying() -> MailRenderer:
    return DyingRenderer(SENDER, COORDINATOR, calendar_domain="fristvakt.example.no")


def test_a_worker_that_dies_leaves_the_messages_to_be_made_here() -> None:
    """A lost worker fails no reminder: this message and the ones after it are made here."""
    made = RenderPool(dying)
    try:
        notifier = EmailNotifier(SmtpSettings(host="127.0.0.1", port=1), renderer(),
                                 lambda: NOW, pool=made)
        fatal, after = sample_notice("due", "nb", title="die"), sample_notice("moved", "sv")
        assert prepared(notifier, fatal) == renderer().render(fatal, NOW)
        assert notifier.pool is None
        assert prepared(notifier, after) == renderer().render(after, NOW)
    finally:
        made.close()


def test_a_worker_that_dies_in_a_batch_leaves_every_message_made_here_quietly(
        caplog: pytest.LogCaptureFixture) -> None:
    """The batch asked of the worker at once (`prepare_all`): when it dies on the first
    message, every message is made here, and no render left unawaited is logged as an
    error with a traceback (the worker's death is expected, not a fault)."""
    made = RenderPool(dying)
    notices = [sample_notice("due", "nb", title="die"),
               *(sample_notice(kind, "sv") for kind in ("due", "moved", "start"))]

    async def batch(notifier: EmailNotifier) -> list[RenderedMail]:
        return list(await asyncio.gather(*notifier.prepare_all(notices)))

    try:
        notifier = EmailNotifier(SmtpSettings(host="127.0.0.1", port=1), renderer(),
                                 lambda: NOW, pool=made)
        with caplog.at_level(logging.ERROR, logger="asyncio"):
            mails = asyncio.run(batch(notifier))
            gc.collect()  # a future whose exception nobody took logs it when collected
    finally:
        made.close()
    assert mails == [renderer().render(notice, NOW) for notice in notices]
    assert notifier.pool is None
    assert not [r for r in caplog.records if r.name == "asyncio"], caplog.text
