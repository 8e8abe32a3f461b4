"""The MAX transport with a log: `MaxSession` that records every Bot API call the bot makes, as
`OfflineSession` does, so tests and the shell look at a MAX chat the way they look at a Telegram
one (which methods went out, with which texts; which the fake MAX server refused)."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import SendDocument, SendPhoto, TelegramMethod
from aiogram.types import InputFile, Message

from bot.max.session import MaxSession
from bot.testing.offline_session import Listener, Outgoing


class RecordingMaxSession(MaxSession):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.log: list[Outgoing] = []
        self.listeners: list[Listener] = []

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        outgoing = Outgoing(method)
        if isinstance(method, SendDocument | SendPhoto):
            file = method.document if isinstance(method, SendDocument) else method.photo
            if isinstance(file, InputFile):  # the bytes as uploaded (read again by the session)
                outgoing.upload = b"".join([chunk async for chunk in file.read(bot)])
        try:
            result = await super().make_request(bot, method, timeout)
        except TelegramBadRequest as error:  # what MAX refused, as Telegram's twin
            outgoing.error = error
            self._publish(outgoing)
            raise
        if isinstance(result, Message):
            outgoing.message = result
        self._publish(outgoing)
        return result

    def _publish(self, outgoing: Outgoing) -> None:
        self.log.append(outgoing)
        for listener in self.listeners:
            listener(outgoing)
