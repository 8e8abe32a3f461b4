"""The message a press came from, as handlers may use it: a text message they can redraw, or
an `InaccessibleMessage` they can only answer below (bot/telegram/screens.py sends the screen as
a new message then).

Telegram sends an InaccessibleMessage for messages too old to include; a press on a message
without text (a document, a location) is made one too, as that message cannot show a screen;
and a press from an inline message (no message at all) becomes one in the person's private
chat, so every handler has a chat to answer in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Chat, InaccessibleMessage, Message, TelegramObject


class PressOrigin(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, CallbackQuery):
            message = event.message
            if message is None:
                user = event.from_user
                chat = Chat(id=user.id, type="private", first_name=user.first_name)
                stand_in = InaccessibleMessage(chat=chat, message_id=0, date=0)
                data.setdefault("event_chat", chat)  # so a dialog finds its stack there too
            elif isinstance(message, Message) and message.text is None:
                stand_in = InaccessibleMessage(
                    chat=message.chat, message_id=message.message_id, date=0
                )
            else:
                return await handler(event, data)
            event = event.model_copy(update={"message": stand_in.as_(data["bot"])})
        return await handler(event, data)
