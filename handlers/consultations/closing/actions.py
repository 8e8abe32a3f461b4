"""What the closing dialog does with a typed day or reason and its buttons: checks them, closes
the days (cancelling the bookings on them, their parents told by the reminders worker, their
linked specialists told here), or ends without a change."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode

from bot.telegram.dialogs import toast, translator
from bot.telegram.i18n import Html
from handlers.consultations.closing.getters import days, picked, target
from handlers.consultations.closing.texts import days_text, target_text
from handlers.consultations.states import CloseDays
from handlers.hooks import BookingEvents
from services.booking.service import BookingService
from services.consultations.admin import MAX_DAYS, REASON_MAX, ConsultAdmin, DaysError, parse_days

log = logging.getLogger(__name__)


def _admin(manager: DialogManager) -> ConsultAdmin:
    return manager.middleware_data["consult_admin"]


async def _refuse(message: Message, manager: DialogManager, key: str, **args: object) -> None:
    """The step stays as it is; the answer says what was wrong."""
    await message.answer(translator(manager)(key, **args))
    manager.show_mode = ShowMode.NO_UPDATE


async def days_typed(message: Message, widget: Any, manager: DialogManager, text: str) -> None:
    try:
        first, last = parse_days(text, _admin(manager).today())
    except DaysError as error:
        await _refuse(
            message, manager, f"scadm-days-{error.reason.replace('_', '-')}", max=MAX_DAYS
        )
        return
    await _chosen(manager, first, last)


async def _chosen(manager: DialogManager, first: date, last: date) -> None:
    manager.dialog_data.pop("picked", None)
    manager.dialog_data.update(first=first.isoformat(), last=last.isoformat())
    await manager.switch_to(CloseDays.reason)


async def day_picked(
    callback: CallbackQuery, widget: Any, manager: DialogManager, day: date
) -> None:
    """The calendar: the first press marks the first day, the second the last (the same day
    again for one day); they are checked as typed days are."""
    first = picked(manager)
    if first is None:
        manager.dialog_data["picked"] = day.isoformat()
        return
    first, last = min(first, day), max(first, day)
    if first < _admin(manager).today():
        toast(manager, "scadm-days-past")
    elif (last - first).days + 1 > MAX_DAYS:
        toast(manager, "scadm-days-too-long", max=MAX_DAYS)
    else:
        await _chosen(manager, first, last)
        return
    manager.dialog_data.pop("picked", None)


async def reason_typed(message: Message, widget: Any, manager: DialogManager, text: str) -> None:
    reason = text.strip()
    if len(reason) > REASON_MAX:
        await _refuse(message, manager, "scadm-reason-too-long", max=REASON_MAX, length=len(reason))
        return
    manager.dialog_data["reason"] = reason
    await manager.switch_to(CloseDays.confirm)


async def not_text(message: Message, widget: Any, manager: DialogManager) -> None:
    await _refuse(message, manager, "scadm-not-text")


async def no_reason(callback: CallbackQuery, button: Any, manager: DialogManager) -> None:
    manager.dialog_data["reason"] = ""
    await manager.switch_to(CloseDays.confirm)


async def cancel(callback: CallbackQuery, button: Any, manager: DialogManager) -> None:
    toast(manager, "scadm-close-cancelled")
    await manager.done()


async def close(callback: CallbackQuery, button: Any, manager: DialogManager) -> None:
    """Closes the days; the result stays in the chat as a message of its own, and the screen
    the closing started from comes back under it."""
    admin, t = _admin(manager), translator(manager)
    kind, target_id = target(manager)
    chosen = days(manager)
    whose = await target_text(t, admin, kind, target_id)
    if chosen is None or whose is None:
        toast(manager, "scadm-gone-toast")
        await manager.done()
        return
    reason = str(manager.dialog_data.get("reason") or "")
    cancelled = await admin.close(kind, target_id, *chosen, reason)
    if cancelled is None:
        toast(manager, "scadm-gone-toast")
        await manager.done()
        return
    text = t(
        "scadm-closed", target=Html(whose), days=Html(days_text(t, *chosen)), count=len(cancelled)
    )
    await callback.bot.send_message(callback.from_user.id, text)
    await manager.done(show_mode=ShowMode.SEND)
    await tell_specialists(
        cancelled,
        manager.middleware_data["booking"],
        manager.middleware_data.get("booking_events"),
    )


async def tell_specialists(
    cancelled: list[int], booking: BookingService, events: BookingEvents | None
) -> None:
    """Each linked specialist hears of each booking the closing cancelled, as for any other
    cancellation (the parents' notices go through the reminders worker)."""
    if events is None:
        return
    for booking_id in cancelled:
        info = await booking.booking(booking_id)
        if info is None:
            continue
        try:
            await events.cancelled(info)
        except Exception:  # a notice that failed never undoes the closing
            log.exception("telling the specialist of closed booking %s failed", booking_id)
