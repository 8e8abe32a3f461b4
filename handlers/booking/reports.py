"""Staff reports (admins only): /reports opens a menu of bookings by day (the /bookings
screen), the bookings export for a period (XLSX and/or CSV) and the yearly plan report (text
and a chart).

Callback data carries letters, day ordinals and a year only:
  srm:<a>                 the menu's entries: a = d (by day), x (export), p (plan)
  sxp:<k>                 an export period: k = m (this month), l (last month), y (this year),
                          c (type one)
  sxk:<first>:<last>:<k>  export the period (day ordinals) as k = x (XLSX), c (CSV), b (both)
  spy:<year>              the plan report of a year
The router takes admins' updates only (handlers/routes.py `staff_only`): the files hold
parents' names, phones and questions (shown only to admins and the booking's specialist).
"""

from __future__ import annotations

import logging
import tempfile
from datetime import date
from pathlib import Path

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    FSInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.callback_answer import CallbackAnswer

from bot.config import Settings
from bot.telegram.i18n import Translator
from bot.telegram.progress import ChatProgress
from handlers.booking.plan_chart import chart_png
from handlers.booking.plan_text import plan_messages
from handlers.booking.specialist import SpecView, render_screen
from handlers.callback_types import DayOrdinal, Year, one_of
from handlers.filters import FreeText
from handlers.routes import Routes
from services.booking.exports import (
    MAX_DAYS,
    Period,
    PeriodError,
    parse_period,
    preset_period,
)
from services.booking.reports import BookingReports
from services.booking.service import BookingService
from services.booking.specialists import SpecialistService
from services.files.isolated import run_isolated
from services.files.limits import LIMITS

router = Routes("staff_reports")
router.filter("message", F.chat.type == "private")
router.filter("callback_query", F.message.chat.type == "private")
log = logging.getLogger(__name__)

PROGRESS_ROWS = 2000  # exports larger than this show a progress message
MAX_FILE_MB = 50  # what Telegram accepts from a bot
PRESETS = {"m": "month", "l": "last_month", "y": "year"}
KINDS = {"x": ("xlsx",), "c": ("csv",), "b": ("xlsx", "csv")}
YEARS = range(2000, 2101)
CHART_SECONDS = 120


class StaffMenu(CallbackData, prefix="srm"):
    a: one_of("d", "x", "p")


class ExportPeriod(CallbackData, prefix="sxp"):
    k: one_of("m", "l", "y", "c")


class ExportKind(CallbackData, prefix="sxk"):
    f: DayOrdinal
    l: DayOrdinal  # noqa: E741 - the period's last day
    k: one_of("x", "c", "b")


class PlanYear(CallbackData, prefix="spy"):
    y: Year


class ReportsFlow(StatesGroup):
    period = State()


router.staff_only(refusal="srep-admin-only", dialogs=(ReportsFlow,))


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def menu_markup(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(t("srep-btn-day"), StaffMenu(a="d"))],
            [_button(t("srep-btn-export"), StaffMenu(a="x"))],
            [_button(t("srep-btn-plan"), StaffMenu(a="p"))],
        ]
    )


def _today(booking: BookingService) -> date:
    return booking.now().astimezone(booking.zone).date()


@router.message(Command("reports"))
async def reports(message: Message, t: Translator, state: FSMContext) -> None:
    await state.clear()
    await message.answer(t("srep-menu"), reply_markup=menu_markup(t))


@router.callback_query(StaffMenu.filter())
async def menu_entry(
    query: CallbackQuery,
    callback_data: StaffMenu,
    t: Translator,
    settings: Settings,
    bot: Bot,
    state: FSMContext,
    callback_answer: CallbackAnswer,
    booking: BookingService,
    specialists: SpecialistService,
    booking_reports: BookingReports,
) -> None:
    chat_id = query.from_user.id
    if callback_data.a == "d":
        view = SpecView(v="a", d=specialists.today().toordinal())
        screen = await render_screen(t, specialists, settings.zone, view, None)
        await bot.send_message(chat_id, screen.text, reply_markup=screen.markup)
    elif callback_data.a == "x":
        await state.clear()
        await bot.send_message(chat_id, t("srep-export-ask-period"), reply_markup=_periods(t))
    elif callback_data.a == "p":
        await send_plan(bot, chat_id, t, settings, booking_reports, _today(booking).year)
    else:
        callback_answer.text = t("button-outdated")


# --- export ----------------------------------------------------------------------------------
def _periods(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(t("srep-btn-period-month"), ExportPeriod(k="m")),
                _button(t("srep-btn-period-last-month"), ExportPeriod(k="l")),
            ],
            [
                _button(t("srep-btn-period-year"), ExportPeriod(k="y")),
                _button(t("srep-btn-period-custom"), ExportPeriod(k="c")),
            ],
        ]
    )


def _kinds(t: Translator, period: Period) -> InlineKeyboardMarkup:
    first, last = period.first.toordinal(), period.last.toordinal()
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(t("srep-btn-kind-xlsx"), ExportKind(f=first, l=last, k="x")),
                _button(t("srep-btn-kind-csv"), ExportKind(f=first, l=last, k="c")),
            ],
            [_button(t("srep-btn-kind-both"), ExportKind(f=first, l=last, k="b"))],
        ]
    )


@router.callback_query(ExportPeriod.filter())
async def period_chosen(
    query: CallbackQuery,
    callback_data: ExportPeriod,
    t: Translator,
    settings: Settings,
    bot: Bot,
    state: FSMContext,
    callback_answer: CallbackAnswer,
    booking: BookingService,
) -> None:
    chat_id = query.from_user.id
    if callback_data.k == "c":
        await state.set_state(ReportsFlow.period)
        await bot.send_message(chat_id, t("srep-export-type-period"))
        return
    preset = PRESETS.get(callback_data.k)
    if preset is None:
        callback_answer.text = t("button-outdated")
        return
    await state.clear()
    period = preset_period(preset, _today(booking))
    await bot.send_message(
        chat_id, t("srep-export-ask-kind", period=period.label()), reply_markup=_kinds(t, period)
    )


@router.message(ReportsFlow.period, FreeText())
async def period_typed(message: Message, t: Translator, state: FSMContext) -> None:
    try:
        period = parse_period(message.text)
    except PeriodError as error:
        text = error.text or message.text.strip()[:64]
        await message.answer(t(f"srep-period-bad-{error.reason}", text=text, days=str(MAX_DAYS)))
        return
    await state.clear()
    await message.answer(
        t("srep-export-ask-kind", period=period.label()), reply_markup=_kinds(t, period)
    )


@router.message(ReportsFlow.period, ~F.text)
async def period_not_text(message: Message, t: Translator) -> None:
    await message.answer(t("srep-export-type-period"))


def _period_of(callback_data: ExportKind) -> Period | None:
    """The period of a (possibly forged) button: real days, in order, not too long."""
    try:
        period = Period(date.fromordinal(callback_data.f), date.fromordinal(callback_data.l))
    except (ValueError, OverflowError):
        return None
    if period.last < period.first or period.days > MAX_DAYS:
        return None
    return period


@router.callback_query(ExportKind.filter())
async def export_chosen(
    query: CallbackQuery,
    callback_data: ExportKind,
    t: Translator,
    settings: Settings,
    bot: Bot,
    callback_answer: CallbackAnswer,
    booking_reports: BookingReports,
) -> None:
    period, kinds = _period_of(callback_data), KINDS.get(callback_data.k)
    if period is None or kinds is None:
        callback_answer.text = t("button-outdated")
        return
    # Answered now: a big export takes a while, and the button should not spin meanwhile.
    callback_answer.disable()
    await query.answer(t("srep-export-preparing"))
    await send_export(bot, query.from_user.id, t, booking_reports, period, kinds)


async def send_export(
    bot: Bot,
    chat_id: int,
    t: Translator,
    reports: BookingReports,
    period: Period,
    kinds: tuple[str, ...],
) -> None:
    label = period.label()
    total = await reports.count(period)
    if total == 0:
        await bot.send_message(chat_id, t("srep-export-empty", period=label))
        return
    report = None
    if total > PROGRESS_ROWS:
        status = await bot.send_message(
            chat_id, t("srep-export-progress", period=label, done=0, total=total)
        )
        progress = ChatProgress(bot, status)

        async def report(done: int, total: int) -> None:
            if done < total and not progress.due():
                return
            await progress.show(t("srep-export-progress", period=label, done=done, total=total))

    with tempfile.TemporaryDirectory(prefix="bookings-") as folder:
        paths = {kind: Path(folder) / f"bookings_{period.slug()}.{kind}" for kind in kinds}
        result = await reports.export(period, paths, progress=report, total=total)
        log.info("bookings export %s by %s: %d rows", label, chat_id, result.rows)
        caption = t("srep-export-caption", period=label, rows=result.rows)
        for path in paths.values():
            if path.stat().st_size > MAX_FILE_MB * 1024 * 1024:
                await bot.send_message(chat_id, t("srep-export-too-big", limit=MAX_FILE_MB))
                return
            await bot.send_document(chat_id, FSInputFile(path, filename=path.name), caption=caption)
    if report is not None:
        await progress.show(t("srep-export-finished", period=label, rows=result.rows))


# --- the yearly plan -------------------------------------------------------------------------
def _years(t: Translator, year: int) -> InlineKeyboardMarkup:
    row = [_button(t("srep-btn-plan-year", year=f"◀️ {year - 1}"), PlanYear(y=year - 1))]
    if year + 1 in YEARS:
        row.append(_button(t("srep-btn-plan-year", year=f"{year + 1} ▶️"), PlanYear(y=year + 1)))
    return InlineKeyboardMarkup(inline_keyboard=[row])


async def send_plan(
    bot: Bot,
    chat_id: int,
    t: Translator,
    settings: Settings,
    reports: BookingReports,
    year: int,
) -> None:
    plan = settings.booking
    report = await reports.plan(year, plan.yearly_plan, plan.provider_plans)
    for text in plan_messages(t, report):
        await bot.send_message(chat_id, text)
    try:
        png = await run_isolated(
            chart_png, t.locale, report, seconds=CHART_SECONDS, memory_mb=LIMITS.memory_mb
        )
    except Exception:  # a report without its picture is still the report
        log.exception("plan chart for %s not drawn", year)
        await bot.send_message(chat_id, t("srep-plan-chart-failed"), reply_markup=_years(t, year))
        return
    await bot.send_photo(
        chat_id,
        BufferedInputFile(png, filename=f"plan-{year}.png"),
        caption=t("srep-plan-caption", year=str(year)),
        reply_markup=_years(t, year),
    )


@router.callback_query(PlanYear.filter())
async def plan_year(
    query: CallbackQuery,
    callback_data: PlanYear,
    t: Translator,
    settings: Settings,
    bot: Bot,
    callback_answer: CallbackAnswer,
    booking_reports: BookingReports,
) -> None:
    if callback_data.y not in YEARS:
        callback_answer.text = t("button-outdated")
        return
    await send_plan(bot, query.from_user.id, t, settings, booking_reports, callback_data.y)
