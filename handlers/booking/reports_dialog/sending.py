"""What /reports sends: the bookings export of a period as files (with a progress message for a
big one) and the yearly plan report (texts and a chart)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from aiogram import Bot
from aiogram.types import BufferedInputFile, FSInputFile

from bot.config import Settings
from bot.telegram.i18n import Translator
from bot.telegram.progress import ChatProgress
from handlers.booking.plan_chart import chart_png, months_png
from handlers.booking.plan_text import plan_messages
from services.booking.exports import Period
from services.booking.reports import BookingReports
from services.files.isolated import run_isolated
from services.files.limits import LIMITS

log = logging.getLogger(__name__)

PROGRESS_ROWS = 2000  # exports larger than this show a progress message
MAX_FILE_MB = 50  # what Telegram accepts from a bot
CHART_SECONDS = 120


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
    # Two pictures, as a staff member would draw them in Excel: the plan by organisation and
    # service, then the year by months (held, no-show, cancelled).
    charts = (
        (chart_png, f"plan-{year}.png", "srep-plan-caption"),
        (months_png, f"plan-{year}-months.png", "tools-plan-months-caption"),
    )
    for draw, filename, caption in charts:
        try:
            png = await run_isolated(
                draw, t.locale, report, seconds=CHART_SECONDS, memory_mb=LIMITS.memory_mb
            )
        except Exception:  # a report without its picture is still the report
            log.exception("plan chart %s for %s not drawn", filename, year)
            await bot.send_message(chat_id, t("srep-plan-chart-failed"))
            return
        await bot.send_photo(
            chat_id, BufferedInputFile(png, filename=filename), caption=t(caption, year=str(year))
        )
