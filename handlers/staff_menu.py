"""/admin: what staff can do, one screen with every staff command."""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.types import Message

from bot.config import Settings
from bot.i18n import Translator
from handlers.routes import Routes

router = Routes("staff_menu")


@router.message(Command("admin"))
async def staff_help(message: Message, t: Translator, settings: Settings) -> None:
    staff = message.from_user is not None and message.from_user.id in settings.admin_ids
    await message.answer(t("staff-help" if staff else "staff-only"))
