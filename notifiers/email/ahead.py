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
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from notifiers.base import Notice
from notifiers.email.render import MailRenderer, RenderedMail

RendererFactory = Callable[[], MailRenderer]

# The worker's renderer, made once by `_start` when the worker starts.
_renderer: MailRenderer | None = None


def _start(factory: RendererFactory) -> None:
    global _renderer
    _renderer = factory()


def _render(notice: Notice, now: dt.datetime) -> RenderedMail:
    assert _renderer is not None, "the worker starts with _start"
    return _renderer.render(notice, now)


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

    def close(self) -> None:
        """Stop the worker; renders not begun are dropped (their messages were not sent)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
