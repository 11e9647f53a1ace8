"""Messages rendered in a process of their own, while the sender works on the one before.

Rendering a reminder (templates, the calendar, the email package writing every header) costs
about twice the CPU of claiming, sending and marking it, and Python runs one thread at a time.
A pass with many messages hands the rendering to one worker process, so the sender's process
only checks, sends and marks: the message bytes are the same (the same `MailRenderer` makes
them), and nothing about sending changes (still one message in flight; a message rendered
but never sent is simply dropped).

The worker is started by a fork server: a fresh interpreter that shares nothing with the
sender (no database or SMTP connection, no thread), and builds its renderer from `factory`,
a picklable callable (a module-level function, or a `functools.partial` of one).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from notifiers.base import Notice
from notifiers.email.render import MailRenderer, RenderedMail

RendererFactory = Callable[[], MailRenderer]
# Messages per call to the worker in `render_all`, after the first (alone, so the first send
# waits for one message only). Each call costs both processes pickling and a wake-up, about
# 0.2 ms of the sender's CPU: as much as a sixth of a message, paid once per chunk instead.
CHUNK = 8

# The worker's renderer, made once by `_start` when the worker starts.
_renderer: MailRenderer | None = None


def _start(factory: RendererFactory) -> None:
    global _renderer
    _renderer = factory()


def _render(notice: Notice, now: dt.datetime) -> RenderedMail:
    assert _renderer is not None, "the worker starts with _start"
    return _renderer.render(notice, now)


def _render_chunk(notices: Sequence[Notice], now: dt.datetime) -> list[RenderedMail | Exception]:
    """Each notice's message, or the exception making it raised (one bad notice spoils no
    other)."""
    made: list[RenderedMail | Exception] = []
    for notice in notices:
        try:
            made.append(_render(notice, now))
        except Exception as exc:  # noqa: BLE001 - handed to that notice's future
            made.append(exc)
    return made


def chunks(count: int, size: int = CHUNK) -> Iterator[slice]:
    """The first item alone, then `size` at a time.

    >>> [(s.start, s.stop) for s in chunks(12, 8)]
    [(0, 1), (1, 9), (9, 12)]
    """
    start, stop = 0, min(count, 1)
    while start < count:
        yield slice(start, stop)
        start, stop = stop, min(count, stop + size)


def _hand_out(futures: Sequence[asyncio.Future[RenderedMail]],
              call: asyncio.Future[list[RenderedMail | Exception]]) -> None:
    """A chunk's results to its notices' futures (those not cancelled meanwhile)."""
    if call.cancelled():
        for future in futures:
            future.cancel()
        return
    failure = call.exception()
    made = [failure] * len(futures) if failure is not None else call.result()
    for future, mail in zip(futures, made, strict=True):
        if future.done():
            continue
        if isinstance(mail, BaseException):
            future.set_exception(mail)
        else:
            future.set_result(mail)


class RenderPool:
    """One worker process that renders notices; `render` as `MailRenderer.render`, awaited."""

    def __init__(self, factory: RendererFactory) -> None:
        context = multiprocessing.get_context("forkserver")
        # The fork server imports what a worker needs once, and not the program's main
        # module (its default): `python -m scheduler` would run the command again there.
        context.set_forkserver_preload([__name__])
        self._pool = ProcessPoolExecutor(1, mp_context=context, initializer=_start,
                                         initargs=(factory,))

    async def render(self, notice: Notice, now: dt.datetime) -> RenderedMail:
        """The message, made in the worker (its exceptions come back as raised there)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, _render, notice, now)

    def render_all(self, notices: Sequence[Notice],
                   now: dt.datetime) -> list[asyncio.Future[RenderedMail]]:
        """`render` of every notice, asked at once: one future each, made in the worker in
        turn, a `chunks` at a time."""
        loop = asyncio.get_running_loop()
        futures: list[asyncio.Future[RenderedMail]] = [loop.create_future() for _ in notices]
        for part in chunks(len(notices)):
            hand_out = functools.partial(_hand_out, futures[part])
            try:
                call: Future[list[RenderedMail | Exception]] = self._pool.submit(
                    _render_chunk, notices[part], now)
            except BrokenProcessPool as exc:  # the worker died: each notice is told so
                broken = loop.create_future()
                broken.set_exception(exc)
                hand_out(broken)
                continue
            asyncio.wrap_future(call).add_done_callback(hand_out)
        return futures

    def close(self) -> None:
        """Stop the worker; renders not begun are dropped (their messages were not sent)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
