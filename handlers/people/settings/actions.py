"""The settings' answers. Profile fields (role, locality, children) need consent first: someone
without it is asked, and «Не сейчас» changes nothing. Each saved answer is saved at once and
the screen shows it."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Button

from bot.telegram.dialogs import translator
from bot.telegram.i18n import Locales
from handlers.menu import main_menu
from handlers.people.children import open_children
from handlers.people.say import say
from handlers.people.settings.states import SettingsMenu
from handlers.people.subscriptions import open_subscriptions
from handlers.pickers.locality import chosen_locality, pick_locality
from handlers.pickers.widgets import AGREE
from services.people.profiles import Profile, ProfileService


async def _save(manager: DialogManager, **changes: object) -> Profile:
    """The profile changed, and this update's screens drawn from the changed one."""
    profiles: ProfileService = manager.middleware_data["profiles"]
    profile: Profile = manager.middleware_data["profile"]
    profile = await profiles.update(profile.user_id, **changes)
    manager.middleware_data["profile"] = profile
    return profile


async def _saved(manager: DialogManager) -> None:
    t = translator(manager)
    await say(manager, t("settings-saved"), main_menu(t))
    await manager.switch_to(SettingsMenu.main, show_mode=ShowMode.SEND)  # below that message


async def profile_item(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    profile: Profile = manager.middleware_data["profile"]
    if not profile.has_consent:
        manager.dialog_data["after_consent"] = button.widget_id
        await manager.switch_to(SettingsMenu.consent)
        return
    await _open(manager, button.widget_id)


async def _open(manager: DialogManager, item: str) -> None:
    if item == "locality":
        await pick_locality(manager)
    elif item == "children":
        await open_children(manager)
    else:
        await manager.switch_to(SettingsMenu.role)


async def consent_answered(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    item = manager.dialog_data.pop("after_consent", "role")
    if button.widget_id != AGREE:
        manager.dialog_data["refused"] = True
        await manager.switch_to(SettingsMenu.main)
        return
    profiles: ProfileService = manager.middleware_data["profiles"]
    profile: Profile = manager.middleware_data["profile"]
    manager.middleware_data["profile"] = await profiles.give_consent(profile.user_id)
    await _open(manager, item)


async def language_chosen(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    locales: Locales = manager.middleware_data["locales"]
    if button.widget_id not in locales.available:
        return
    profile = await _save(manager, locale=button.widget_id)
    t = locales.get(profile.locale, manager.middleware_data["messenger"])
    manager.middleware_data["t"] = t  # the screen is drawn in the new language at once
    await say(manager, t("settings-language-changed"), main_menu(t))
    await manager.switch_to(SettingsMenu.main)


async def role_chosen(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    profile: Profile = manager.middleware_data["profile"]
    if profile.has_consent:
        await _save(manager, role=button.widget_id)
    await manager.switch_to(SettingsMenu.main)


async def locality_result(start_data: Any, result: Any, manager: DialogManager) -> None:
    locality_id = chosen_locality(result)
    if locality_id is None:  # «◀️ Назад» from the list
        await manager.switch_to(SettingsMenu.main)
        return
    await _save(manager, locality_id=locality_id)
    await _saved(manager)


async def subscriptions(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await open_subscriptions(manager)


async def quiz(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """The interest quiz (its own feature's section) over the settings; closing it comes back
    here (`locality_result` with no locality: the screen)."""
    await manager.start(manager.middleware_data["sections"]["quiz"].dialog)
