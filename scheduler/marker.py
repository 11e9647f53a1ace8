"""Group commit for the hot path: accepted messages are marked `sent` in a thread, several
per transaction, while the next ones are rendered and sent.

At most `limit` accepted messages wait unmarked at any moment (plus the commit in flight), so
a crash can resend at most those few; each is flagged a possible duplicate when its lease is
reclaimed. One commit (an fsync) per message would otherwise bound the send rate.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Marker(Generic[T]):
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
