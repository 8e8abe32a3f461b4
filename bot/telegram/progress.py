"""One message that shows how a long task is getting on, edited in place."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import Message

log = logging.getLogger(__name__)
INTERVAL = 2.0  # seconds between edits


class ChatProgress:
    """Edits one message: callers show a new text when `due()` (at most every `interval`
    seconds), and a text it already shows is never sent again (Telegram rejects "message is
    not modified")."""

    def __init__(
        self,
        bot: Bot,
        message: Message,
        interval: float = INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot = bot
        self.chat_id = message.chat.id
        self.message_id = message.message_id
        self.text = message.text or ""
        self.interval = interval
        self.clock = clock
        self.last = clock()

    def due(self) -> bool:
        return self.clock() - self.last >= self.interval

    async def show(self, text: str) -> None:
        if text == self.text:
            return
        self.last = self.clock()
        try:
            await self.bot.edit_message_text(
                text=text, chat_id=self.chat_id, message_id=self.message_id
            )
        except TelegramBadRequest as exc:
            # The person may have deleted the message; progress is not worth failing for.
            log.warning("progress message not edited: %s", exc.message)
            return
        self.text = text
