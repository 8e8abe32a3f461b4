"""Telegram's 400 "message is not modified" taken as success, for every edit the bot makes.

Two presses handled at once (polling and webhook both run updates as concurrent tasks), or a
double tap, redraw a message from the same copy: the second edit asks for what the message
already shows, and Telegram refuses it. The message shows what was wanted, so nothing failed.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import TelegramMethod

log = logging.getLogger(__name__)
NOT_MODIFIED = "message is not modified"


def is_not_modified(error: TelegramBadRequest) -> bool:
    return NOT_MODIFIED in error.message


class NotModifiedIsDone(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[Any],
        bot: Bot,
        method: TelegramMethod[Any],
    ) -> Any:
        try:
            return await make_request(bot, method)
        except TelegramBadRequest as error:
            if not (method.__api_method__.startswith("editMessage") and is_not_modified(error)):
                raise
            log.debug("%s changed nothing: taken as done", method.__api_method__)
            return True  # what an edit of an inline message returns: done, no message
