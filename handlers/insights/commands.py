"""/insights (staff): the demand report of the last 7, 30 or 90 days as chat messages (the
places where demand has no supply first), an XLSX of every section and a PNG chart; the
files are made in a worker process (services/files/isolated.py), the figures by the database
(services/insights/report.py), so the event loop only waits."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from aiogram import Bot
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, FSInputFile, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.telegram.i18n import Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from handlers.callback_types import bounded
from handlers.conversation import leave
from handlers.filters import PrivateChat
from handlers.insights import texts
from handlers.insights.chart import chart_png
from handlers.routes import Routes
from services.catalog.localities import LocalityService
from services.files.isolated import run_isolated
from services.files.limits import LIMITS
from services.insights.demand import DemandLogService
from services.insights.report import DemandReport, last_days
from services.insights.workbook import write_workbook

log = logging.getLogger(__name__)
router = Routes("insights")
router.filter("message", PrivateChat())
router.filter("callback_query", PrivateChat())
router.staff_only(refusal="insights-staff-only")
PERIODS = (7, 30, 90)
FILE_SECONDS = 120


class InsightsPeriod(CallbackData, prefix="ins"):
    days: bounded(1, 366)


@router.message(Command("insights"))
async def insights(
    message: Message, t: Translator, state: FSMContext, dialog_manager: DialogManager
) -> None:
    await leave(state, dialog_manager)
    builder = InlineKeyboardBuilder()
    for days in PERIODS:
        builder.button(
            text=t("insights-btn-days", days=days), callback_data=InsightsPeriod(days=days)
        )
    builder.adjust(len(PERIODS))
    await message.answer(t("insights-ask-period"), reply_markup=builder.as_markup())


@router.callback_query(InsightsPeriod.filter())
async def period_chosen(
    query: CallbackQuery,
    callback_data: InsightsPeriod,
    t: Translator,
    bot: Bot,
    settings: Settings,
    demand: DemandLogService,
    localities: LocalityService,
    callback_answer: CallbackAnswer,
) -> None:
    if callback_data.days not in PERIODS or query.message is None:
        callback_answer.text = t("button-outdated")
        return
    chat_id = query.message.chat.id
    window = last_days(callback_data.days, settings.zone, demand.now())
    report = await demand.report(window)
    places = {place.id: place.title(t.locale) for place in await localities.all()}
    period = texts.period_label(report, settings.zone)
    for text in texts.messages(t, report, places, period):
        await bot.send_message(chat_id, text)
    if report.searches:
        await send_files(bot, chat_id, t, report, places, period)


async def send_files(
    bot: Bot,
    chat_id: int,
    t: Translator,
    report: DemandReport,
    places: dict[int, str],
    period: str,
) -> None:
    """The XLSX and the chart, each drawn in a worker process; a failed one is said, and the
    other still goes."""
    sheets = [(table.title, table.headers, table.rows) for table in texts.tables(t, report, places)]
    slug = period.replace(".", "").replace("–", "-")
    with tempfile.TemporaryDirectory(prefix="insights-") as folder:
        path = Path(folder) / f"demand-{slug}.xlsx"
        try:
            await run_isolated(
                write_workbook, path, sheets, seconds=FILE_SECONDS, memory_mb=LIMITS.memory_mb
            )
        except Exception:
            log.exception("demand report workbook not written")
            await bot.send_message(chat_id, t("insights-file-failed"))
        else:
            await bot.send_document(
                chat_id,
                FSInputFile(path, filename=path.name),
                caption=t("insights-xlsx-caption", period=period),
            )
    title, legend = chart_words(t, period)
    try:
        png = await run_isolated(
            chart_png,
            title,
            texts.chart_bars(t, report, places),
            legend,
            seconds=FILE_SECONDS,
            memory_mb=LIMITS.memory_mb,
        )
    except Exception:
        log.exception("demand chart not drawn")
        await bot.send_message(chat_id, t("insights-file-failed"))
        return
    await bot.send_photo(
        chat_id,
        BufferedInputFile(png, filename=f"demand-{slug}.png"),
        caption=t("insights-chart-caption", period=period),
    )


def chart_words(t: Translator, period: str) -> tuple[str, tuple[str, str]]:
    plain = texts.plain_text
    return plain(t("insights-chart-title", period=period)), (
        plain(t("insights-chart-supplied")),
        plain(t("insights-chart-unsupplied")),
    )
