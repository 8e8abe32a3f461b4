"""The command menu of Telegram clients, one per language (setMyCommands)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand

from bot.i18n import Locales

COMMANDS = ("start", "menu", "settings", "help", "cancel", "mydata", "forget")


async def set_commands(bot: Bot, locales: Locales) -> None:
    for locale in locales.available:
        t = locales.get(locale)
        commands = [BotCommand(command=name, description=t(f"cmd-{name}")) for name in COMMANDS]
        # The default locale also serves every client language we do not speak.
        language = None if locale == locales.default else locale
        await bot.set_my_commands(commands, language_code=language)
