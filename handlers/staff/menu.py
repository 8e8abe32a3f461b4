"""/admin: what staff can do, one screen with every staff command."""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.types import Message

from bot.telegram.i18n import Translator
from handlers.routes import Routes

router = Routes("staff_menu")
router.staff_only(refusal="staff-only")


@router.message(Command("admin"))
async def staff_help(message: Message, t: Translator) -> None:
    await message.answer(t("staff-help"))
