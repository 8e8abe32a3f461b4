"""/cancel: leaves any dialog from anywhere."""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram_dialog import DialogManager

from bot.telegram.i18n import Translator
from handlers.conversation import in_conversation, leave
from handlers.filters import MenuButton
from handlers.menu import main_menu
from handlers.routes import Routes

router = Routes("common")


@router.message(Command("cancel"))
@router.message(MenuButton("btn-cancel"))
async def cancel(
    message: Message, state: FSMContext, t: Translator, dialog_manager: DialogManager
) -> None:
    had_dialog = await in_conversation(state, dialog_manager)
    await leave(state, dialog_manager)
    await message.answer(
        t("cancel-done" if had_dialog else "cancel-nothing"), reply_markup=main_menu(t)
    )
