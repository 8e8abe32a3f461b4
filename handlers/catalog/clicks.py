"""Presses in the catalogue's dialogs: a direction (its filters start from the person's profile),
a filter changed (the list goes back to its first page), a programme (its card below the list),
«nearby» (its dialog, in place of the directions). A press naming what no longer exists gets
a toast."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode, StartMode
from aiogram_dialog.widgets.kbd import Button

from bot.telegram.dialogs import toast, translator
from handlers.callback_types import parse_id
from handlers.catalog.cards import Viewer, send_programme
from handlers.catalog.getters import CENTRE_PROGRAMMES, CHOICES, PROGRAMMES
from handlers.catalog.nearby import open_nearby
from handlers.catalog.states import CatalogBrowse, CatalogCampaign
from handlers.demand import list_row
from handlers.filters import is_staff
from handlers.menu import main_menu
from handlers.pickers.child import chosen_age
from handlers.pickers.locality import chosen_locality, pick_locality
from services.catalog.terms import AGE_MAX, AGE_MIN, FORMATS
from services.people.children import Child, ChildService

FILTERS = ("d", "age", "loc", "free", "fmt")
FORMAT_CYCLE = [None, *FORMATS]


async def browse_started(start_data: Any, manager: DialogManager) -> None:
    """Started on a list (a directions button under another feature's words): its filters."""
    if isinstance(start_data, dict):
        manager.dialog_data.update({key: start_data.get(key) for key in FILTERS})
        await manager.find(PROGRAMMES).set_page(start_data.get("page", 0))


async def centre_started(start_data: Any, manager: DialogManager) -> None:
    manager.dialog_data["centre"] = start_data["centre"]
    await manager.find(CENTRE_PROGRAMMES).set_page(start_data.get("page", 0))


def _outdated(manager: DialogManager) -> None:
    """A forged or stale choice: say so, and leave the screen as it is."""
    toast(manager, "button-outdated")
    manager.show_mode = ShowMode.NO_UPDATE


async def _to_list(manager: DialogManager, **changes: object) -> None:
    manager.dialog_data.update(changes)
    await manager.find(PROGRAMMES).set_page(0)
    await manager.switch_to(CatalogBrowse.programmes)


async def direction_chosen(
    query: CallbackQuery, widget: object, manager: DialogManager, item_id: str
) -> None:
    if item_id not in CHOICES:
        _outdated(manager)
        return
    profile = manager.middleware_data["profile"]
    age = await chosen_age(manager.middleware_data)
    await _to_list(manager, d=item_id, age=age, loc=profile.locality_id, free=False, fmt=None)


async def child_chosen(manager: DialogManager, child: Child) -> None:
    """«Для кого»: the list for that child's age (the directions screen remembers it too)."""
    age = child.age(ChildService.today())
    if manager.current_context().state == CatalogBrowse.programmes:
        await _to_list(manager, age=age)
    else:
        manager.dialog_data["age"] = age


async def nearby(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await open_nearby(manager)


async def quiz(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """The interest quiz (its own feature's section) in place of the directions, as «Рядом»."""
    quiz_intro = manager.middleware_data["sections"]["quiz"].dialog
    await manager.start(quiz_intro, mode=StartMode.RESET_STACK)


async def campaign(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """«📅 Когда начинается запись»: the September campaign's list (campaign.py)."""
    await manager.start(CatalogCampaign.openings)


async def programme_chosen(
    query: CallbackQuery, widget: object, manager: DialogManager, item_id: str
) -> None:
    data = manager.middleware_data
    programme_id = parse_id(item_id)
    staff = is_staff(query.from_user.id, data["settings"])
    sent = programme_id is not None and await send_programme(
        query.message,
        programme_id,
        data["t"],
        data["catalog"],
        data["localities"],
        staff,
        True,
        Viewer.of(query.from_user.id, data),
    )
    if not sent:
        toast(manager, "programme-gone", alert=True)
        return  # the list is drawn again, without it
    await data["demand"].opened(list_row(manager))
    manager.show_mode = ShowMode.NO_UPDATE  # the card goes below the list, which stays


async def age_chosen(
    query: CallbackQuery, widget: object, manager: DialogManager, item_id: str
) -> None:
    age = int(item_id) if item_id.isdecimal() and len(item_id) <= 2 else None
    if age is None or not AGE_MIN <= age <= AGE_MAX:
        _outdated(manager)
        return
    await _to_list(manager, age=age)


async def any_age(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _to_list(manager, age=None)


async def any_place(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _to_list(manager, loc=None)


async def place_asked(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """The one locality picker over the list: a name typed (typos forgiven), a location shared
    (its nearest locality) or one pressed in its list."""
    await pick_locality(manager, question="screens-place-ask")


async def place_picked(start_data: Any, result: Any, manager: DialogManager) -> None:
    """The picker's answer: the list in that place (and online), below a line saying so with
    the main menu's keyboard back; «◀️ Назад»: the list as it was."""
    t = translator(manager)
    bot, chat = manager.middleware_data["bot"], manager.middleware_data["event_chat"]
    locality_id = chosen_locality(result)
    place = await manager.middleware_data["localities"].get(locality_id)
    if place is None:
        await bot.send_message(chat.id, t("screens-place-unchanged"), reply_markup=main_menu(t))
    else:
        manager.dialog_data["loc"] = place.id
        await manager.find(PROGRAMMES).set_page(0)
        chosen = t("screens-place-chosen", place=place.title(t.locale))
        await bot.send_message(chat.id, chosen, reply_markup=main_menu(t))
    await manager.switch_to(CatalogBrowse.programmes, show_mode=ShowMode.SEND)


async def free_toggled(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _to_list(manager, free=not manager.dialog_data.get("free"))


async def format_cycled(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    shown = manager.dialog_data.get("fmt")
    at = FORMAT_CYCLE.index(shown) if shown in FORMAT_CYCLE else 0
    await _to_list(manager, fmt=FORMAT_CYCLE[(at + 1) % len(FORMAT_CYCLE)])
