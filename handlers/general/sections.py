"""/menu and help: the main menu shown again, and the help section (its button, /help, and
/start help through handlers/links.py). The other sections' buttons are their features'."""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram_dialog import DialogManager

from bot.telegram.i18n import Translator
from handlers.conversation import leave
from handlers.filters import MenuButton
from handlers.links import Section
from handlers.menu import main_menu
from handlers.routes import Routes

router = Routes("sections")
HELP = Section("help-text", main_menu)


@router.message(Command("menu"))
async def menu_command(
    message: Message, t: Translator, state: FSMContext, dialog_manager: DialogManager
) -> None:
    await leave(state, dialog_manager)
    await message.answer(t("menu-shown"), reply_markup=main_menu(t))


@router.message(Command("help"))
@router.message(MenuButton("menu-help"))
async def help_command(
    message: Message, t: Translator, state: FSMContext, dialog_manager: DialogManager
) -> None:
    await leave(state, dialog_manager)
    await HELP.open(message, t, dialog_manager)
