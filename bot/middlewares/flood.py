"""Per-person throttling of messages and button presses: one polite notice, then silence."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import CallbackQuery, Message, TelegramObject, User

from bot.middlewares.flood_gates import FloodGate, Verdict
from bot.telegram.i18n import Translator
from bot.webhook_reply import REPLY_SLOT

log = logging.getLogger(__name__)


class FloodControl(BaseMiddleware):
    """Outer middleware of `message` and `callback_query`: the person's gate decides whether
    the update is handled. Staff are never throttled. A throttled press is still answered
    (without an answer Telegram shows a spinner on the button)."""

    def __init__(self, gate: FloodGate, staff: Iterable[int] = ()) -> None:
        self.gate = gate
        self.staff = frozenset(staff)
        self.dropped = 0  # updates not handled, for the curious (bench/flood.py)
        self.notices = 0

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None or user.id in self.staff:
            return await handler(event, data)
        verdict = await self.gate.hit(user.id)
        if verdict is Verdict.PASS:
            return await handler(event, data)
        self.dropped += 1
        t: Translator = data["t"]
        notice = verdict is Verdict.NOTICE
        if notice:
            self.notices += 1
            log.info("user %s is flooding: throttled until the flood stops", user.id)
        if isinstance(event, CallbackQuery):
            await _answer_press(event, t("flood-notice-short") if notice else None)
        elif notice and isinstance(event, Message) and event.chat.type == "private":
            bot: Bot = data["bot"]
            await bot.send_message(event.chat.id, t("flood-notice"))
        return None


async def _answer_press(query: CallbackQuery, text: str | None) -> None:
    method = query.answer(text=text)
    slot = REPLY_SLOT.get()
    if slot is not None and slot.method is None:
        slot.method = method  # in webhook mode the answer rides on the reply
        return
    await method
