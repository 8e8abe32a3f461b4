"""A process sends only to its own messenger's people: a Telegram process asked to write to a
MAX person's id (or a MAX process to a Telegram id) refuses the call as a blocked person's
would be refused (`TelegramForbiddenError`), so every caller's existing handling applies and
nothing reaches the wrong messenger."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramForbiddenError
from aiogram.methods import TelegramMethod

from services.messengers.ids import Messenger, messenger_of

ADDRESSED_BY = ("chat_id", "user_id")


class OwnChatsOnly(BaseRequestMiddleware):
    def __init__(self, messenger: Messenger) -> None:
        self.messenger = messenger

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[Any],
        bot: Bot,
        method: TelegramMethod[Any],
    ) -> Any:
        for name in ADDRESSED_BY:
            value = getattr(method, name, None)
            if isinstance(value, int) and value > 0 and messenger_of(value) != self.messenger:
                raise TelegramForbiddenError(
                    method=method,
                    message=f"Forbidden: the person is not in {self.messenger} (another "
                    "messenger's id); not sent",
                )
        return await make_request(bot, method)
