"""Updates being handled right now, so a stopping bot can let them finish (polling has already
moved its offset past them: an update cut short would be lost)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject


class InFlight(BaseMiddleware):
    """Outer middleware on updates: notes the task handling each update until it is done."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[Any]] = set()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        task = asyncio.current_task()
        if task is None:
            return await handler(event, data)
        self.tasks.add(task)
        try:
            return await handler(event, data)
        finally:
            self.tasks.discard(task)

    async def finish(self, timeout: float) -> None:
        """Waits (at most `timeout` seconds) for the updates under way."""
        running = {task for task in self.tasks if task is not asyncio.current_task()}
        if running:
            await asyncio.wait(running, timeout=timeout)
