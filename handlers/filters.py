"""Filters shared by the routers."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import Message

from bot.telegram.i18n import Locales


class MenuButton(Filter):
    """A reply-keyboard press: the message text equals the button's label in any language."""

    def __init__(self, key: str) -> None:
        self.key = key
        self._labels: frozenset[str] | None = None

    async def __call__(self, message: Message, locales: Locales) -> bool:
        if self._labels is None:
            self._labels = frozenset(locales.all(self.key))
        return message.text in self._labels
