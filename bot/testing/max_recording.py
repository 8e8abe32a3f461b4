"""The MAX transport with a log: `MaxSession` that records every Bot API call the bot makes, as
`OfflineSession` does, so tests and the shell look at a MAX chat the way they look at a Telegram
one (which methods went out, with which texts; which the fake MAX server refused). `NotedIds`
keeps the mid ↔ id pairs it handed out at hand, so what the fake server shows can be named by
the ids the bot's code uses."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import SendDocument, SendPhoto, TelegramMethod
from aiogram.types import InputFile, Message, User

from bot.max.session import MaxSession
from bot.max.updates import MaxUpdates
from bot.testing.fake_max_api import FakeMaxApi
from bot.testing.offline_session import Listener, Outgoing
from services.messengers.max_messages import MaxMessageIds


class NotedIds(MaxMessageIds):
    """The mid map, noting each pair it hands out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.noted: dict[str, int] = {}
        self.mids: dict[int, str] = {}

    async def id_of(self, mid: str, *, new: bool = False) -> int:
        message_id = await super().id_of(mid, new=new)
        self.noted[mid] = message_id
        self.mids[message_id] = mid
        return message_id


async def person_id_offset() -> int:
    """What the bot adds to a MAX user id to name the person (its messenger id namespace),
    as its update converter says."""
    bot = User(id=1, is_bot=True, first_name="bot")
    converted = await MaxUpdates(NotedIds(None, None), bot).convert(  # type: ignore[arg-type]
        FakeMaxApi().start_update(1)
    )
    return converted[-1].message.from_user.id - 1


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
