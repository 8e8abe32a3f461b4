"""How a booking, a move or a cancellation ends: the service's answer shown in place of the
pressed screen, an .ics file for the calendar, the hooks for others, and the dialogs closed.

The service decides (clash, slot taken, limit, too late); a refusal that leaves something to
choose keeps the dialog on a window of it (taken, clash), others close it with a message.

Events for others (notices to the specialist, reminders): after a successful book, cancel or
move, `booking_events` (the dispatcher's keyword, handlers/hooks.py), when it is there, gets
    booked(info) · cancelled(info) · moved(info, old_starts_at)
An absent hook is ignored; a failing hook is logged and never undoes the parent's action.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram_dialog import DialogManager, StartMode

from bot.telegram.dates import when_text
from bot.telegram.dialogs import translator
from bot.telegram.i18n import Html
from bot.telegram.screens import redraw, redraw_markup
from handlers.booking import views
from handlers.booking.wizard import answers as a
from handlers.booking.wizard.states import Booking, Consultations
from handlers.menu import main_menu
from services.booking.ics import CalendarEvent, event_ics
from services.booking.service import BookingError, BookingInfo, BookingService, Contact

log = logging.getLogger(__name__)
ICS_DOMAIN = "consultations.edu-navigator"


def _booking(manager: DialogManager) -> BookingService:
    return manager.middleware_data["booking"]


def _user_id(manager: DialogManager) -> int:
    return manager.middleware_data["profile"].user_id


async def _close(manager: DialogManager) -> None:
    """The dialogs end on a message without buttons: nothing is left for the next dialog to
    take off it (Telegram would refuse that edit as «not modified»)."""
    await manager.reset_stack(remove_keyboard=False)
    manager.current_stack().last_message_id = None


async def notice_agreed(query: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data["notice_at"] = _booking(manager).now().isoformat()
    await manager.next()


async def notice_refused(query: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    """Declined before any of the booking's data is asked for: nothing is kept."""
    await redraw(query, translator(manager)("booking-notice-refused"), None)
    await _close(manager)


async def stopped(query: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    t = translator(manager)
    await redraw_markup(query, None)
    await _close(manager)
    await query.message.answer(t("cancel-done"), reply_markup=main_menu(t))


async def confirmed(query: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    data = a.answers(manager)
    if a.is_move(data):
        await _move(query, manager, data)
        return
    if "notice_at" not in data:  # a dialog begun before the notice: it is shown first
        await manager.switch_to(Booking.notice)
        return
    contact = Contact(
        name=data["name"],
        phone=data["phone"],
        child_age=data.get("age"),
        question=data.get("question"),
        locale=translator(manager).locale,
        notice_at=datetime.fromisoformat(data["notice_at"]),
    )
    try:
        info = await _booking(manager).book(
            _user_id(manager), a.choice(data), data["slot"], data["format"], contact
        )
    except BookingError as error:
        await _refused(query, manager, data, error)
        return
    t = translator(manager)
    zone = _booking(manager).zone
    await redraw(query, t("booking-done", details=Html(views.booking_lines(t, info, zone))), None)
    await _close(manager)
    await _send_ics(query.message, manager, info, "booking-ics-caption")
    await publish(manager, "booked", info)


async def _move(query: CallbackQuery, manager: DialogManager, data: a.Answers) -> None:
    old_at = datetime.fromisoformat(data["old_at"])
    booking = _booking(manager)
    try:
        info = await booking.reschedule(_user_id(manager), data["booking"], data["slot"])
    except BookingError as error:
        await _refused(query, manager, data, error)
        return
    t = translator(manager)
    text = t(
        "booking-moved",
        old=Html(when_text(t, old_at, booking.zone)),
        details=Html(views.booking_lines(t, info, booking.zone)),
    )
    await redraw(query, text, None)
    await _close(manager)
    await _send_ics(query.message, manager, info, "booking-ics-caption-moved")
    await publish(manager, "moved", info, old_at)


async def _refused(
    query: CallbackQuery, manager: DialogManager, data: a.Answers, error: BookingError
) -> None:
    group = manager.current_context().state.group
    if error.reason == "clash" and error.clash is not None:
        manager.dialog_data["clash"] = error.clash.id
        await manager.switch_to(group.clash)
        return
    if error.reason == "slot_taken":
        offered = await a.alternatives(_booking(manager), data, error.alternatives)
        manager.dialog_data["offered"] = [slot.id for slot in offered]
        await manager.switch_to(group.taken)
        return
    if error.reason == "limit":
        await manager.start(Consultations.limit, mode=StartMode.RESET_STACK)
    elif a.is_move(data):
        key = "booking-too-late" if error.reason == "too_late" else "booking-not-found"
        await manager.start(Consultations.mine, {"note": key}, mode=StartMode.RESET_STACK)
    else:
        await manager.start(
            Consultations.intro, {"note": "booking-gone"}, mode=StartMode.RESET_STACK
        )


async def cancel_booking(message: Message, manager: DialogManager, reason: str | None) -> None:
    """The section's «Отменить» with a reason or without: the answer as a new message."""
    t = translator(manager)
    booking_id = manager.dialog_data.get("booking", 0)
    await manager.reset_stack(remove_keyboard=True)
    booking = _booking(manager)
    try:
        info = await booking.cancel(_user_id(manager), booking_id, reason)
    except BookingError as error:
        key = "booking-too-late" if error.reason == "too_late" else "booking-not-found"
        await message.answer(t(key), reply_markup=main_menu(t))
        return
    when = when_text(t, info.starts_at, booking.zone)
    await message.answer(
        t("booking-cancelled", when=Html(when), code=info.code), reply_markup=main_menu(t)
    )
    await publish(manager, "cancelled", info)


async def _send_ics(
    message: Message, manager: DialogManager, info: BookingInfo, caption: str
) -> None:
    t = translator(manager)
    location = views.place_text(info.specialist.provider, info.address)
    if info.format != "in_person":
        location = f"{views.plain(views.format_text(t, info.format))}: {info.specialist.provider}"
    event = CalendarEvent(
        uid=f"consultation-{info.id}-{info.code}@{ICS_DOMAIN}",
        starts_at=info.starts_at,
        ends_at=info.ends_at,
        summary=views.plain(t("booking-ics-summary", service=info.service.title(t.locale))),
        location=location,
        description=views.plain(
            t(
                "booking-ics-description",
                code=info.code,
                specialist=views.specialist_text(info.specialist.name, info.specialist.position),
                format=Html(views.format_text(t, info.format)),
            )
        ),
        stamp=_booking(manager).now(),
    )
    document = BufferedInputFile(event_ics(event), filename=f"konsultaciya-{info.code}.ics")
    await message.answer_document(document, caption=t(caption), reply_markup=main_menu(t))


async def publish(manager: DialogManager, name: str, *args: Any) -> None:
    events = manager.middleware_data.get("booking_events")
    if events is None:
        return
    try:
        await getattr(events, name)(*args)
    except Exception:
        log.exception("booking_events.%s failed", name)
