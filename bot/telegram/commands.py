"""The command menu of Telegram clients, one per language (setMyCommands).

Staff (ADMIN_IDS) get their own menu in their private chat: everyone's commands and theirs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat

from bot.telegram.i18n import Locales

COMMANDS = ("start", "menu", "settings", "quiz", "help", "cancel", "mydata", "forget")
STAFF_COMMANDS = (
    "admin",
    "import",
    "export",
    "consult_admin",
    "bookings",
    "reports",
    "insights",
    "events_admin",
    "broadcast",
)

log = logging.getLogger(__name__)


async def set_commands(bot: Bot, locales: Locales, admin_ids: Iterable[int] = ()) -> None:
    admins = list(admin_ids)
    for locale in locales.available:
        t = locales.get(locale)
        commands = [BotCommand(command=name, description=t(f"cmd-{name}")) for name in COMMANDS]
        staff = [BotCommand(command=name, description=t(f"cmd-{name}")) for name in STAFF_COMMANDS]
        # The default locale also serves every client language we do not speak.
        language = None if locale == locales.default else locale
        await bot.set_my_commands(commands, language_code=language)
        for admin in admins:
            try:
                await bot.set_my_commands(
                    commands + staff,
                    scope=BotCommandScopeChat(chat_id=admin),
                    language_code=language,
                )
            except TelegramAPIError as error:  # e.g. an admin who never opened the bot
                log.warning("staff command menu not set for an admin: %s", error.message)
