"""«Рядом»'s answers. It starts by asking where (the locality picker, a shared location kept as
it is); the picker's answer brings the centres nearest to it below (or, with none near, the
directions), «◀️ Назад» from the picker (or a locality gone meanwhile) the directions in place
of the list. A centre pressed: its card below the centres, which stay."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode, StartMode

from bot.telegram.dialogs import toast, translator
from handlers.callback_types import parse_id
from handlers.catalog.cards import send_centre
from handlers.catalog.nearby.getters import COUNT, PLACE, SCROLL, SPOT, nearest
from handlers.catalog.states import CatalogBrowse
from handlers.demand import keep_row, list_row
from handlers.filters import is_staff
from handlers.menu import main_menu
from handlers.pickers.child import chosen_age
from handlers.pickers.locality import chosen_locality, pick_locality, shared_location
from services.catalog.browse import NearbyCentre
from services.catalog.localities import LocalityService
from services.insights.demand import Search


async def started(start_data: Any, manager: DialogManager) -> None:
    await pick_locality(manager, question="nearby-ask", keep_location=True)


async def answered(start_data: Any, result: Any, manager: DialogManager) -> None:
    if isinstance(start_data, dict) and "centre" in start_data:
        return  # a centre's programmes closed with «← к списку»: the centres again
    t = translator(manager)
    spot, name = shared_location(result), None
    localities: LocalityService = manager.middleware_data["localities"]
    locality_id = chosen_locality(result)
    if spot is None and locality_id is not None:
        place = await localities.get(locality_id)
        if place is None:
            toast(manager, "locality-gone", alert=True)
        else:
            spot, name = (place.latitude, place.longitude), place.title(t.locale)
    if spot is None:
        await manager.start(CatalogBrowse.directions, mode=StartMode.RESET_STACK)
        return
    manager.dialog_data.update({SPOT: list(spot), PLACE: name})
    await manager.find(SCROLL).set_page(0)
    bot, chat = manager.middleware_data["bot"], manager.middleware_data["event_chat"]
    found = await nearest(manager)
    await _logged(manager, found, locality_id, spot)
    if not found:
        await bot.send_message(chat.id, t("nearby-empty"), reply_markup=main_menu(t))
        await manager.start(
            CatalogBrowse.directions, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND
        )
        return
    await bot.send_message(chat.id, t("nearby-searching"), reply_markup=main_menu(t))
    manager.show_mode = ShowMode.SEND  # the centres below; the list above loses its buttons


async def centre_chosen(
    query: CallbackQuery, widget: object, manager: DialogManager, item_id: str
) -> None:
    data = manager.middleware_data
    centre_id = parse_id(item_id)
    staff = is_staff(query.from_user.id, data["settings"])
    sent = centre_id is not None and await send_centre(
        query.message, centre_id, data["t"], data["catalog"], data["localities"], staff, True
    )
    if not sent:
        toast(manager, "centre-gone", alert=True)
        return  # the centres are drawn again, without it
    await data["demand"].opened(list_row(manager))
    manager.show_mode = ShowMode.NO_UPDATE  # the card goes below the centres, which stay


async def child_chosen(manager: DialogManager, child: object) -> None:
    """«Для кого»: the centres counted again for that child's age, from the first page."""
    await manager.find(SCROLL).set_page(0)


async def to_directions(query: CallbackQuery, widget: object, manager: DialogManager) -> None:
    await manager.start(CatalogBrowse.directions, mode=StartMode.RESET_STACK)


async def _logged(
    manager: DialogManager,
    found: list[NearbyCentre],
    locality_id: int | None,
    spot: tuple[float, float],
) -> None:
    """«Рядом» in the demand log: the locality (a shared spot's nearest one, never the spot
    itself), the chosen child's age band, how many of the nearest centres have programmes for it."""
    data = manager.middleware_data
    if locality_id is None:
        nearest_place = await data["localities"].nearest(*spot)
        locality_id = nearest_place[0].id if nearest_place else None
    search = Search(
        kind="nearby",
        results=sum(1 for near in found[:COUNT] if near.centre.programmes),
        locality_id=locality_id,
        age=await chosen_age(data),
    )
    keep_row(manager.dialog_data, [locality_id], await data["demand"].record(search))
