"""Presses on the staff's list and card: open an event, hide it from families or show it
again, and what a finished draft leaves (its card, said to be published)."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import Data, DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Button, Select

from bot.telegram.dialogs import toast
from handlers.callback_types import parse_id
from handlers.events.editor.getters import EVENT, PUBLISHED
from handlers.events.editor.states import EventAdmin
from services.events.service import EventService


def _events(manager: DialogManager) -> EventService:
    return manager.middleware_data["events"]


async def open_event(
    query: CallbackQuery, widget: Select[str], manager: DialogManager, item_id: str
) -> None:
    event_id = parse_id(item_id)
    if event_id is None or await _events(manager).get(event_id) is None:
        manager.show_mode = ShowMode.NO_UPDATE
        toast(manager, "event-gone-toast")
        return
    manager.dialog_data[EVENT] = event_id
    await manager.switch_to(EventAdmin.card)


async def hide(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _set_hidden(manager, hidden=True)


async def show(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _set_hidden(manager, hidden=False)


async def _set_hidden(manager: DialogManager, *, hidden: bool) -> None:
    if await _events(manager).set_hidden(manager.dialog_data.get(EVENT, 0), hidden):
        toast(manager, "eadm-hidden-toast" if hidden else "eadm-shown-toast")
    else:
        toast(manager, "event-gone-toast")


async def draft_done(start_data: Data, result: Any, manager: DialogManager) -> None:
    """A published draft returns {"event": id, "title": ...}: its card, with a word that it
    is out; a cancelled one returns nothing, and the list is back."""
    if isinstance(result, dict) and "event" in result:
        manager.dialog_data[EVENT] = result["event"]
        manager.dialog_data[PUBLISHED] = result.get("title", "")
        await manager.switch_to(EventAdmin.card)
