"""One transaction for an update's conversation-state writes (SQL storage only); handlers that
must see them committed before they go on (/forget) get `commit_state` (handlers/hooks.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from db.fsm_storage import SqlStorage


class DeferredStateWrites(BaseMiddleware):
    """The update is done only when its state is committed, as before; a handler that sets the
    state and then its data no longer pays a transaction for each."""

    def __init__(self, storage: SqlStorage) -> None:
        self.storage = storage

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        data["commit_state"] = self.storage.flush
        async with self.storage.deferred_writes():
            return await handler(event, data)
