"""The catalogue's files (staff): /export gets the whole catalogue, /import explains the format
and sends the template; an uploaded file is imported by handlers/staff/files.py."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from aiogram.filters import Command
from aiogram.types import BufferedInputFile, FSInputFile, Message

from bot.config import PROJECT_ROOT, Settings
from bot.telegram.i18n import Translator
from handlers.filters import PrivateChat
from handlers.routes import Routes
from services.catalog.files import CatalogFiles

router = Routes("admin_import")
router.filter("message", PrivateChat())
router.staff_only(refusal="import-admin-only")

TEMPLATE = PROJECT_ROOT / "data" / "catalog_template.xlsx"


@router.message(Command("export"))
async def export_command(
    message: Message, t: Translator, settings: Settings, catalog_files: CatalogFiles
) -> None:
    buffer = BytesIO()
    summary = await catalog_files.export(buffer, kind="xlsx")
    stamp = datetime.now(settings.zone).strftime("%Y-%m-%d")
    await message.answer_document(
        BufferedInputFile(buffer.getvalue(), filename=f"catalog-{stamp}.xlsx"),
        caption=t(
            "export-caption",
            organisations=summary.organisations,
            programmes=summary.programmes,
        ),
    )


@router.message(Command("import"))
async def import_command(message: Message, t: Translator) -> None:
    await message.answer(t("import-help"))
    await message.answer_document(FSInputFile(TEMPLATE), caption=t("import-template-caption"))
