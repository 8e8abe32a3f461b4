"""The consultations section as a dialog: its first screen («Записаться», «Мои записи»), the
limit of active bookings, my bookings (each with «Отменить» and «Перенести») and the reason
for cancelling. Booking and moving are sub-dialogs started from here (dialog.py): closing them
comes back here."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Back, Button, ListGroup, Row, SwitchTo
from aiogram_dialog.widgets.text import List

from bot.config import Settings
from bot.telegram.dates import when_text
from bot.telegram.dialogs import Tr
from bot.telegram.i18n import Html, Translator
from handlers.booking import views
from handlers.booking.wizard import answers as a
from handlers.booking.wizard import outcomes, typed
from handlers.booking.wizard.actions import refused
from handlers.booking.wizard.states import Booking, Consultations, Reschedule
from handlers.booking.wizard.texts import Plain, said
from handlers.callback_types import parse_id
from handlers.filters import FreeText
from services.booking.service import BookingInfo, BookingService
from services.people.profiles import Profile

MAX_LISTED = 10


async def intro(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    note = (dialog_manager.start_data or {}).get("note")
    return {"gone": note == "booking-gone", "plain": note is None}


async def limit(settings: Settings, **_: Any) -> dict[str, Any]:
    return {"limit": settings.booking.max_active}


async def mine(
    dialog_manager: DialogManager,
    booking: BookingService,
    t: Translator,
    profile: Profile,
    **_: Any,
) -> dict[str, Any]:
    note = (dialog_manager.start_data or {}).get("note")
    zone = booking.zone
    found = (await booking.user_bookings(profile.user_id))[:MAX_LISTED]
    items = []
    for info in found:
        when = views.short_when(info.starts_at, zone)
        items.append(
            {
                "id": str(info.id),
                "lines": Html(views.booking_lines(t, info, zone)),
                "cancel": views.plain(t("booking-btn-cancel-item", when=when)),
                "move": views.plain(t("booking-btn-move-item", when=when)),
            }
        )
    return {
        "bookings": items,
        "any": bool(items),
        "none": not items,
        "too_late": note == "booking-too-late",
        "not_found": note == "booking-not-found",
    }


async def reason(
    dialog_manager: DialogManager, booking: BookingService, t: Translator, **_: Any
) -> dict[str, Any]:
    info = await booking.booking(dialog_manager.dialog_data.get("booking", 0))
    return {
        "when": Html(when_text(t, info.starts_at, booking.zone)) if info else "—",
        "code": info.code if info else "—",
    }


# --- presses ---------------------------------------------------------------------------------
def _booking(manager: DialogManager) -> BookingService:
    return manager.middleware_data["booking"]


def _user_id(manager: DialogManager) -> int:
    return manager.middleware_data["profile"].user_id


async def book_pressed(query: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    settings: Settings = manager.middleware_data["settings"]
    active = await _booking(manager).user_bookings(_user_id(manager))
    if len(active) >= settings.booking.max_active:
        await manager.switch_to(Consultations.limit)
        return
    await manager.start(Booking.topic)


async def to_mine(query: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    await manager.start(Consultations.mine, mode=StartMode.RESET_STACK)


async def _own_upcoming(manager: DialogManager, item_id: str) -> BookingInfo | None:
    booking_id = parse_id(item_id)
    info = await _booking(manager).booking(booking_id) if booking_id else None
    if info is None or info.user_id != _user_id(manager) or info.status != "active":
        return None
    return info if info.starts_at > _booking(manager).now() else None


async def cancel_pressed(query: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    info = await _own_upcoming(manager, manager.item_id)
    if info is None:
        refused(manager, "booking-not-found")
        return
    manager.dialog_data["booking"] = info.id
    await manager.switch_to(Consultations.reason)


async def move_pressed(query: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    info = await _own_upcoming(manager, manager.item_id)
    if info is None:
        refused(manager, "booking-not-found")
        return
    await manager.start(Reschedule.day, a.move_data(info))


async def reason_typed(message: Message, widget: Any, manager: DialogManager) -> None:
    text = message.text.strip()
    if len(text) > a.MAX_REASON:
        await typed.refuse(message, manager, "booking-reason-too-long", limit=a.MAX_REASON)
        return
    await outcomes.cancel_booking(message, manager, text)


async def no_reason(query: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    await outcomes.cancel_booking(query.message, manager, None)


def _item(field: str):  # type: ignore[no-untyped-def]
    return lambda data: data["item"][field]


def section_dialog() -> Dialog:
    buttons_only = (MessageInput(typed.use_buttons),)
    return Dialog(
        Window(
            Tr("booking-intro", when="plain"),
            Tr("booking-gone", when="gone"),
            Row(
                Button(Tr("booking-btn-book"), id="book", on_click=book_pressed),
                SwitchTo(Tr("booking-btn-mine"), id="mine", state=Consultations.mine),
            ),
            *buttons_only,
            state=Consultations.intro,
            getter=intro,
        ),
        Window(
            said("booking-limit", "limit"),
            SwitchTo(Tr("booking-btn-mine"), id="mine", state=Consultations.mine),
            *buttons_only,
            state=Consultations.limit,
            getter=limit,
        ),
        Window(
            Tr("booking-too-late", when="too_late"),
            Tr("booking-not-found", when="not_found"),
            Tr("booking-mine-header", when="any"),
            Tr("booking-mine-empty", when="none"),
            List(Tr("booking-mine-item", lines=_item("lines")), items="bookings", sep="\n\n"),
            ListGroup(
                Row(
                    Button(Plain("cancel"), id="cancel", on_click=cancel_pressed),
                    Button(Plain("move"), id="move", on_click=move_pressed),
                ),
                id="bookings",
                item_id_getter=lambda item: item["id"],
                items="bookings",
            ),
            Button(Tr("booking-btn-book"), id="book", on_click=book_pressed, when="none"),
            *buttons_only,
            state=Consultations.mine,
            getter=mine,
        ),
        Window(
            said("booking-ask-reason", "when", "code"),
            Button(Tr("booking-btn-no-reason"), id="no_reason", on_click=no_reason),
            Back(Tr("btn-back")),
            MessageInput(reason_typed, filter=FreeText()),
            *buttons_only,
            state=Consultations.reason,
            getter=reason,
        ),
    )
