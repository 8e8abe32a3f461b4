"""Consultation set-up files in chat: /consult_import explains the format and sends the
template, /consult_export sends the current set-up in the same format. An admin's uploaded
file reaches `import_setup_file` through handlers.catalog.files, which downloads every staff
file and tells a set-up workbook (its sheet names) or CSV (its header) from a catalogue one.
"""

from __future__ import annotations

import logging
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from aiogram import F
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, FSInputFile, Message

from bot.config import PROJECT_ROOT, Settings
from bot.telegram.i18n import Translator
from handlers.factories import session_factories
from handlers.routes import Routes
from handlers.staff.import_reports import setup_report
from services.consultations.exports import export_setup
from services.consultations.imports import import_consultations

router = Routes("staff_consult_files")
router.filter("message", F.chat.type == "private")
router.staff_only()
log = logging.getLogger(__name__)

TEMPLATE = PROJECT_ROOT / "data" / "consultations_template.xlsx"


async def import_setup_file(
    message: Message,
    t: Translator,
    progress: Any,  # handlers.catalog.files.ChatProgress: the «received» message, edited
    content: bytes | Path,
    name: str,
    dry_run: bool,
    data: dict[str, Any],
) -> None:
    settings: Settings = data["settings"]
    _sessions, write_sessions = session_factories(data)

    async def phase(step: str) -> None:
        await progress.show(t(f"cimp-progress-{step}"))

    report = await import_consultations(
        write_sessions,
        content,
        zone=settings.zone,
        horizon_days=settings.booking.horizon_days,
        file_name=name,
        dry_run=dry_run,
        now=data["booking"].now() if "booking" in data else None,
        progress=phase,
    )
    log.info(
        "consultation set-up import by %s from %s: ok=%s dry_run=%s problems=%d cancelled=%d",
        message.from_user.id if message.from_user else "-",
        name,
        report.ok,
        dry_run,
        len(report.problems),
        len(report.cancelled),
    )
    await progress.show(t("cimp-progress-finished"))
    await message.answer(setup_report(t, report))


@router.message(Command("consult_export"))
async def export_command(message: Message, t: Translator, settings: Settings, **data: Any) -> None:
    today = datetime.now(settings.zone).date()
    buffer = BytesIO()
    summary = await export_setup(data["sessions"], buffer, today)
    await message.answer_document(
        BufferedInputFile(buffer.getvalue(), filename=f"consultations-{today}.xlsx"),
        caption=t(
            "cimp-export-caption",
            services=summary.services,
            providers=summary.providers,
            specialists=summary.specialists,
        ),
    )


@router.message(Command("consult_import"))
async def import_command(message: Message, t: Translator) -> None:
    await message.answer(t("cimp-help"))
    await message.answer_document(FSInputFile(TEMPLATE), caption=t("cimp-template-caption"))
