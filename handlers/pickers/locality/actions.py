"""The locality picker's answers: a locality pressed in a list, or a name typed or a location
shared; the picker ends with `{"locality_id": id}` for the dialog that opened it (or, opened
to keep a shared location, with `{"location": [latitude, longitude]}`)."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import MessageInput

from bot.telegram.dialogs import toast, translator
from handlers.callback_types import parse_id
from handlers.pickers.locality.states import LocalityPicker
from handlers.pickers.places import place_or_matches
from services.catalog.localities import LocalityService

RESULT = "locality_id"
LOCATION = "location"
KEEP_LOCATION = "keep_location"  # the start data's flag


def _localities(manager: DialogManager) -> LocalityService:
    return manager.middleware_data["localities"]


async def pressed(query: CallbackQuery, widget: Any, manager: DialogManager, item_id: str) -> None:
    locality_id = parse_id(item_id)
    place = await _localities(manager).get(locality_id) if locality_id else None
    if place is None:
        toast(manager, "locality-gone", alert=True)
        manager.show_mode = ShowMode.NO_UPDATE  # the list shows the same places: no redraw
        return
    await manager.done({RESULT: place.id})


async def sent(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    start_data = manager.start_data if isinstance(manager.start_data, dict) else {}
    if message.location and start_data.get(KEEP_LOCATION):
        await manager.done({LOCATION: [message.location.latitude, message.location.longitude]})
        return
    place, matches = await place_or_matches(message, translator(manager), _localities(manager))
    if place is not None:
        await manager.done({RESULT: place.id})
    elif matches:
        manager.dialog_data["matches"] = [p.id for p in matches]
        await manager.switch_to(LocalityPicker.matches)
