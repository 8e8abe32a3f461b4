"""/admin: what staff can do, one screen with every staff command."""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.types import Message

from bot.config import Settings
from bot.telegram.i18n import Translator
from handlers.catalog.files import is_admin
from handlers.routes import Routes

router = Routes("staff_menu")


@router.message(Command("admin"))
async def staff_help(message: Message, t: Translator, settings: Settings) -> None:
    await message.answer(t("staff-help" if is_admin(message, settings) else "staff-only"))
