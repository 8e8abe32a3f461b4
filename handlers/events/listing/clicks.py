"""Presses on the list: open an event's card (a message of its own under the list, as a deep
link's card is), and switch between the events that fit and all of them."""

from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Button, Select

from bot.telegram.dialogs import toast, translator
from handlers.callback_types import parse_id
from handlers.events.cards import send_card
from handlers.events.listing.getters import SHOW_ALL
from handlers.events.paging import SCROLL


async def open_card(
    query: CallbackQuery, widget: Select[str], manager: DialogManager, item_id: str
) -> None:
    manager.show_mode = ShowMode.NO_UPDATE  # the list stays as it is, the card comes below
    event_id = parse_id(item_id)
    card = await manager.middleware_data["events"].open(event_id) if event_id else None
    if card is None:
        toast(manager, "event-gone-toast", alert=True)
        return
    settings = manager.middleware_data["settings"]
    localities = manager.middleware_data["localities"]
    await send_card(query.message, card, translator(manager), settings.zone, localities)


async def toggle_all(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data[SHOW_ALL] = not manager.dialog_data.get(SHOW_ALL)
    await manager.find(SCROLL).set_page(0)
