"""Puts the user's profile and translator into every handler's data.

The translator is the person's language in the messenger the update came from: `messenger` in
the handler data ("max" from bot/max/feed.py; Telegram's updates carry none)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject, User

from bot.telegram.i18n import Locales
from services.people.profiles import ProfileService


class ProfileMiddleware(BaseMiddleware):
    def __init__(self, profiles: ProfileService, locales: Locales) -> None:
        self.profiles = profiles
        self.locales = locales

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        messenger = data.setdefault("messenger", "telegram")
        if user is None or user.is_bot or (chat is not None and chat.type != "private"):
            # Only people who talk to the bot in private get a profile.
            locale = self.locales.pick(user.language_code if user else None)
            data["t"] = self.locales.get(locale, messenger)
            return await handler(event, data)
        profile = await self.profiles.get_or_create(user.id, self.locales.pick(user.language_code))
        data["profile"] = profile
        data["t"] = self.locales.get(profile.locale, messenger)
        return await handler(event, data)
