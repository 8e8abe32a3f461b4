"""/settings (and its menu button, and /start settings): the settings dialog; /subscribe: the
topics over it. The dialog itself is tried late (`dialogs`, handlers/__init__.py): its steps
take typed text after commands and menu buttons."""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram_dialog import DialogManager, ShowMode, StartMode

from handlers.conversation import leave
from handlers.filters import MenuButton
from handlers.people.settings.dialog import settings_dialog
from handlers.people.settings.states import SettingsMenu
from handlers.people.subscriptions import open_subscriptions
from handlers.routes import Routes

router = Routes("settings")
dialogs = Routes("settings_dialog")
dialogs.dialog(settings_dialog)


async def open_settings(manager: DialogManager) -> None:
    await manager.start(SettingsMenu.main, mode=StartMode.RESET_STACK)


@router.message(Command("settings"))
@router.message(MenuButton("menu-settings"))
async def settings_command(
    message: Message, state: FSMContext, dialog_manager: DialogManager
) -> None:
    await leave(state, dialog_manager)
    await open_settings(dialog_manager)


@router.message(Command("subscribe"))
async def subscribe_command(
    message: Message, state: FSMContext, dialog_manager: DialogManager
) -> None:
    """The topics (or consent first), with the settings under them for «◀️ Назад»."""
    await leave(state, dialog_manager)
    await dialog_manager.start(
        SettingsMenu.main, mode=StartMode.RESET_STACK, show_mode=ShowMode.NO_UPDATE
    )
    await open_subscriptions(dialog_manager, show_mode=ShowMode.SEND)


__all__ = ["SettingsMenu", "dialogs", "open_settings", "router"]
