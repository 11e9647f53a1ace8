"""Keeping the SMTP connection busy: while one message is on the wire (the event loop waits
for the server), the next is rendered in a thread and the accepted ones are committed in
another. Both only use time the sender would spend waiting anyway.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from notifiers.base import Notice, Notifier, SendResult

T = TypeVar("T")


class Marker(Generic[T]):
    """Group commit: accepted messages are marked `sent` in a thread, several per transaction.

    At most `limit` accepted messages wait unmarked at any moment (plus the commit in flight),
    so a crash can resend at most those few; each is flagged a possible duplicate when its
    lease is reclaimed. One commit (an fsync) per message would otherwise bound the rate."""

    def __init__(self, mark: Callable[[list[T]], None], limit: int = 4) -> None:
        self.mark, self.limit = mark, limit
        self.waiting: list[T] = []
        self.task: asyncio.Task[None] | None = None

    async def add(self, item: T) -> None:
        self.waiting.append(item)
        busy = self.task is not None and not self.task.done()
        if busy and len(self.waiting) < self.limit:
            return  # the running commit is busy; this one joins the next
        await self._settle()
        self._start()

    async def flush(self) -> None:
        """Everything accepted so far is committed when this returns."""
        await self._settle()
        if self.waiting:
            self._start()
            await self._settle()

    def _start(self) -> None:
        batch, self.waiting = self.waiting, []
        self.task = asyncio.create_task(asyncio.to_thread(self.mark, batch))

    async def _settle(self) -> None:
        task, self.task = self.task, None
        if task is not None:
            await task


class Sender:
    """Sends notices in order. When the notifier can render apart from delivering (the email
    notifier: `renderer.render` + `deliver`), `prepare` renders the next message in a thread
    while the current one is being sent; any other notifier just gets `send`."""

    def __init__(self, notifier: Notifier, now: Callable[[], dt.datetime]) -> None:
        self.notifier, self.now = notifier, now
        renderer = getattr(notifier, "renderer", None)
        self.render = getattr(renderer, "render", None) if hasattr(notifier, "deliver") else None
        self.ahead: dict[str, asyncio.Task[Any]] = {}

    def prepare(self, notice: Notice | None) -> None:
        if self.render is not None and notice is not None and notice.idem_key not in self.ahead:
            self.ahead[notice.idem_key] = asyncio.create_task(
                asyncio.to_thread(self.render, notice, self.now()))

    async def send(self, notice: Notice) -> SendResult:
        rendering = self.ahead.pop(notice.idem_key, None)
        if rendering is None:
            return await self.notifier.send(notice)
        mail = await rendering  # a rendering error surfaces here, as it would from send()
        result: SendResult = await self.notifier.deliver(mail)  # type: ignore[attr-defined]
        return result

    async def close(self) -> None:
        """Wait out renderings nobody will send (stop, lost lease), ignoring their results."""
        await asyncio.gather(*self.ahead.values(), return_exceptions=True)
        self.ahead.clear()
