"""Consultation set-up files in chat (staff): /consult_import explains the format and sends the
template, /consult_export sends the current set-up in the same format. An uploaded file is
imported by handlers/staff/files.py, which tells a set-up (its sheet names or header) from a
catalogue."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from aiogram.filters import Command
from aiogram.types import BufferedInputFile, FSInputFile, Message

from bot.config import PROJECT_ROOT, Settings
from bot.telegram.i18n import Translator
from handlers.filters import PrivateChat
from handlers.routes import Routes
from services.consultations.files import SetupFiles

router = Routes("staff_consult_files")
router.filter("message", PrivateChat())
router.staff_only(refusal="scadm-staff-only")

TEMPLATE = PROJECT_ROOT / "data" / "consultations_template.xlsx"


@router.message(Command("consult_export"))
async def export_command(
    message: Message, t: Translator, settings: Settings, setup_files: SetupFiles
) -> None:
    today = datetime.now(settings.zone).date()
    buffer = BytesIO()
    summary = await setup_files.export(buffer, today)
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
