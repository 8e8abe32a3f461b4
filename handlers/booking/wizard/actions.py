"""Presses of the booking and reschedule dialogs up to the time and the format: each checks
the choice again with the booking service (the screen may be minutes old, the item id forged)
and answers a vanished one with a toast, changing nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode

from bot.config import Settings
from bot.telegram.dialogs import toast
from handlers.booking.wizard import answers as a
from handlers.callback_types import parse_id
from services.booking.service import BookingService

Press = CallbackQuery


def refused(manager: DialogManager, key: str) -> None:
    """A toast, and the screen stays as it is (an unchanged redraw would be refused)."""
    toast(manager, key, alert=True)
    manager.show_mode = ShowMode.NO_UPDATE


def _booking(manager: DialogManager) -> BookingService:
    return manager.middleware_data["booking"]


async def topic_chosen(query: Press, widget: Any, manager: DialogManager, item_id: str) -> None:
    service_id = parse_id(item_id)
    if service_id is None or await _booking(manager).service(service_id) is None:
        refused(manager, "booking-choice-gone")
        return
    a.forget(manager, "provider", "specialist", "day", "slot", "format")
    manager.dialog_data["service"] = service_id
    await manager.next()


async def organisation_chosen(
    query: Press, widget: Any, manager: DialogManager, item_id: str
) -> None:
    provider_id = parse_id(item_id)
    service_id = manager.dialog_data["service"]
    known = {p.id for p in await _booking(manager).providers(service_id)}
    if provider_id not in known:
        refused(manager, "booking-choice-gone")
        return
    await _organisation(manager, provider_id)


async def any_organisation(query: Press, widget: Any, manager: DialogManager) -> None:
    await _organisation(manager, None)


async def _organisation(manager: DialogManager, provider_id: int | None) -> None:
    a.forget(manager, "specialist", "day", "slot", "format")
    manager.dialog_data["provider"] = provider_id
    await manager.next()


async def specialist_chosen(
    query: Press, widget: Any, manager: DialogManager, item_id: str
) -> None:
    specialist_id = parse_id(item_id)
    data = manager.dialog_data
    people = await _booking(manager).specialists(data["service"], data.get("provider"))
    if specialist_id not in {person.id for person in people}:
        refused(manager, "booking-choice-gone")
        return
    await _specialist(manager, specialist_id)


async def any_specialist(query: Press, widget: Any, manager: DialogManager) -> None:
    await _specialist(manager, None)


async def _specialist(manager: DialogManager, specialist_id: int | None) -> None:
    a.forget(manager, "day", "slot", "format")
    manager.dialog_data["specialist"] = specialist_id
    await manager.next()


async def day_chosen(event: Any, widget: Any, manager: DialogManager, day: date) -> None:
    """A day of the calendar (within its bounds: bot/telegram/month_calendar.py)."""
    settings: Settings = manager.middleware_data["settings"]
    booking = _booking(manager)
    first, last = a.horizon(booking, settings)
    if not first <= day <= last or not await a.slots(booking, a.answers(manager), day):
        refused(manager, "booking-day-empty")
        return
    a.forget(manager, "slot")
    manager.dialog_data["day"] = day.isoformat()
    await manager.next()


async def time_chosen(query: Press, widget: Any, manager: DialogManager, item_id: str) -> None:
    booking, data = _booking(manager), a.answers(manager)
    free = {slot.id for slot in await a.slots(booking, data, date.fromisoformat(data["day"]))}
    slot_id = parse_id(item_id)
    details = await a.details(booking, data, slot_id) if slot_id in free else None
    if details is None:
        refused(manager, "booking-time-gone")
        if not free:
            await manager.back(show_mode=ShowMode.AUTO)
        return
    manager.dialog_data["slot"] = slot_id
    if not a.is_move(data) and data.get("format") not in details.slot.formats:
        a.forget(manager, "format")
    await manager.next()


async def format_chosen(query: Press, widget: Any, manager: DialogManager, item_id: str) -> None:
    data = a.answers(manager)
    details = await a.details(_booking(manager), data, data["slot"])
    if details is None or item_id not in details.slot.formats:
        refused(manager, "booking-choice-gone")
        await manager.back(show_mode=ShowMode.AUTO)
        return
    manager.dialog_data["format"] = item_id
    await manager.next()


async def other_day(query: Press, widget: Any, manager: DialogManager) -> None:
    """After «slot taken» or «you have a booking then»: the calendar again."""
    a.forget(manager, "slot", "offered", "clash")
    await manager.switch_to(manager.current_context().state.group.day)


async def alternative_chosen(
    query: Press, widget: Any, manager: DialogManager, item_id: str
) -> None:
    booking, data = _booking(manager), a.answers(manager)
    slot_id = parse_id(item_id)
    details = None
    if slot_id is not None and slot_id in data.get("offered", []):
        details = await a.details(booking, data, slot_id)
    if details is None or data["format"] not in details.slot.formats:
        refused(manager, "booking-time-gone")
        return
    local_day = details.slot.starts_at.astimezone(booking.zone).date()
    manager.dialog_data.update(slot=slot_id, day=local_day.isoformat())
    a.forget(manager, "offered")
    await manager.switch_to(manager.current_context().state.group.confirm)
