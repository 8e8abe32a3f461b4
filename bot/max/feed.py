"""One MAX update, as MAX posts it, through the dispatcher: what polling and the webhook
(bot/max/polling.py, bot/max/webhook.py) call for each update.

A press on a reply-menu button drawn inline reaches the handlers as the typed label, so nobody
answers its callback there; it is answered here, after the handlers ran, so MAX stops showing
the press as pending.

While a press is handled, its answer and the edit of the pressed message go as one MAX call
(bot/max/press.py).
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import TelegramMethod
from aiogram.types import Update

from bot.error_text import error_label
from bot.max.keyboards import menu_label
from bot.max.press import PRESS, Press, press_of
from bot.max.session import MaxSession
from bot.max.updates import MaxUpdates

log = logging.getLogger(__name__)


class MaxFeeder:
    def __init__(self, dispatcher: Dispatcher, bot: Bot, updates: MaxUpdates) -> None:
        self.dispatcher = dispatcher
        self.bot = bot
        self.updates = updates

    async def feed(self, data: dict[str, Any]) -> None:
        """Raises `NotAMaxUpdate` for JSON that is not a MAX update."""
        await self.handle(data, await self.updates.convert(data))

    async def handle(self, data: dict[str, Any], updates: list[Update]) -> None:
        """The aiogram updates `data` was converted to, through the dispatcher (handlers get
        `messenger="max"`); a handler's error propagates, as from `Dispatcher.feed_update`."""
        press = press_of(data)
        token = PRESS.set(press)
        try:
            await self._dispatch(data, updates)
        finally:
            PRESS.reset(token)
            if press is not None:
                press.open = False
                await self._send_kept_edit(press)

    async def _dispatch(self, data: dict[str, Any], updates: list[Update]) -> None:
        for update in updates:
            result = await self.dispatcher.feed_update(self.bot, update, messenger="max")
            if isinstance(result, TelegramMethod):  # a handler that returned a method
                await self.dispatcher.silent_call_request(self.bot, result)
        callback_id = menu_press(data)
        if callback_id is not None:
            try:
                await self.bot.answer_callback_query(callback_id)
            except TelegramAPIError as error:  # the press was handled; only the spinner stays
                log.warning("MAX menu press %s not answered: %s", callback_id, error_label(error))

    async def _send_kept_edit(self, press: Press) -> None:
        """An edit of the pressed message that nothing answered with (the handler failed)."""
        session = self.bot.session
        if press.edit is None or not isinstance(session, MaxSession):
            return
        try:
            await session.send_kept_edit(press)
        except TelegramAPIError as error:
            log.warning("MAX edit of a pressed message not sent: %s", error_label(error))


def menu_press(data: dict[str, Any]) -> str | None:
    """The callback id of a press on a reply-menu button, if the update is one."""
    if data.get("update_type") != "message_callback":
        return None
    callback = data.get("callback")
    if not isinstance(callback, dict) or menu_label(callback.get("payload")) is None:
        return None
    callback_id = callback.get("callback_id")
    return callback_id if isinstance(callback_id, str) else None
