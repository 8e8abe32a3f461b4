"""What /reports' buttons and typed period do: open the bookings of the day, choose the export's
period and send its files, send the plan report of a year. The period lives in the dialog's
data as ISO dates, checked again before an export (the storage is only as honest as its
writers)."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode

from bot.telegram.dialogs import toast, translator
from handlers.booking.reports_dialog.sending import send_export, send_plan
from handlers.booking.reports_dialog.states import StaffReports
from handlers.booking.specialist import SpecView, render_screen
from services.booking.exports import MAX_DAYS, Period, PeriodError, parse_period, preset_period
from services.booking.service import BookingService

PRESETS = {"month": "month", "last_month": "last_month", "year": "year"}  # button id → preset
KINDS = {"xlsx": ("xlsx",), "csv": ("csv",), "both": ("xlsx", "csv")}  # button id → files
YEARS = range(2000, 2101)


def today(manager: DialogManager) -> date:
    booking: BookingService = manager.middleware_data["booking"]
    return booking.now().astimezone(booking.zone).date()


def chosen_period(manager: DialogManager) -> Period | None:
    """The period in the dialog's data: real days, in order, not too long."""
    try:
        first = date.fromisoformat(str(manager.dialog_data.get("first")))
        last = date.fromisoformat(str(manager.dialog_data.get("last")))
    except ValueError:
        return None
    period = Period(first, last)
    return period if first <= last and period.days <= MAX_DAYS else None


async def _choose(manager: DialogManager, period: Period) -> None:
    manager.dialog_data.update(first=period.first.isoformat(), last=period.last.isoformat())
    await manager.switch_to(StaffReports.kind)


async def by_day(callback: CallbackQuery, button: Any, manager: DialogManager) -> None:
    """All specialists' bookings of today (the /bookings screen), under the menu."""
    specialists = manager.middleware_data["specialists"]
    settings = manager.middleware_data["settings"]
    view = SpecView(v="a", d=specialists.today().toordinal())
    screen = await render_screen(translator(manager), specialists, settings.zone, view, None)
    await callback.bot.send_message(callback.from_user.id, screen.text, reply_markup=screen.markup)
    manager.show_mode = ShowMode.NO_UPDATE


async def preset(callback: CallbackQuery, button: Any, manager: DialogManager) -> None:
    await _choose(manager, preset_period(PRESETS[button.widget_id], today(manager)))


async def period_typed(message: Message, widget: Any, manager: DialogManager, text: str) -> None:
    try:
        period = parse_period(text)
    except PeriodError as error:
        shown = error.text or text.strip()[:64]
        t = translator(manager)
        await message.answer(t(f"srep-period-bad-{error.reason}", text=shown, days=str(MAX_DAYS)))
        manager.show_mode = ShowMode.NO_UPDATE
        return
    await _choose(manager, period)


async def not_text(message: Message, widget: Any, manager: DialogManager) -> None:
    await message.answer(translator(manager)("srep-export-type-period"))
    manager.show_mode = ShowMode.NO_UPDATE


async def export(callback: CallbackQuery, button: Any, manager: DialogManager) -> None:
    period, kinds = chosen_period(manager), KINDS.get(button.widget_id)
    manager.show_mode = ShowMode.NO_UPDATE  # the kinds stay above the files, for another kind
    if period is None or kinds is None:
        toast(manager, "button-outdated")
        return
    t = translator(manager)
    # Answered now: a big export takes a while, and the button should not spin meanwhile.
    manager.middleware_data["callback_answer"].disable()
    await callback.answer(t("srep-export-preparing"))
    reports = manager.middleware_data["booking_reports"]
    await send_export(callback.bot, callback.from_user.id, t, reports, period, kinds)


async def _plan(callback: CallbackQuery, manager: DialogManager, year: int) -> None:
    """The plan report of `year` above, this window (other years) under it."""
    manager.dialog_data["year"] = year
    data = manager.middleware_data
    await send_plan(
        callback.bot,
        callback.from_user.id,
        translator(manager),
        data["settings"],
        data["booking_reports"],
        year,
    )
    await manager.switch_to(StaffReports.plan, show_mode=ShowMode.SEND)


async def plan(callback: CallbackQuery, button: Any, manager: DialogManager) -> None:
    await _plan(callback, manager, today(manager).year)


async def other_year(callback: CallbackQuery, button: Any, manager: DialogManager) -> None:
    shown = manager.dialog_data.get("year")
    year = (shown if isinstance(shown, int) else today(manager).year) + (
        1 if button.widget_id == "next_year" else -1
    )
    if year not in YEARS:
        toast(manager, "button-outdated")
        manager.show_mode = ShowMode.NO_UPDATE
        return
    await _plan(callback, manager, year)
