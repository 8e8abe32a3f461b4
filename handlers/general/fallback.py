"""Last router: whatever nothing else understood gets a helpful answer."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.telegram.i18n import Translator
from handlers.menu import main_menu
from handlers.routes import Routes

router = Routes("fallback")


@router.message()
async def not_understood(message: Message, t: Translator) -> None:
    key = "unknown-text" if message.text else "unknown-content"
    await message.answer(t(key), reply_markup=main_menu(t))


@router.callback_query()
async def stale_button(
    query: CallbackQuery, t: Translator, callback_answer: CallbackAnswer
) -> None:
    callback_answer.text = t("button-outdated")
    callback_answer.show_alert = True
