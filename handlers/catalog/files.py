"""Catalogue files in chat: an admin sends .xlsx/.csv to import, /export gets the catalogue,
/import explains the format and sends the template. Others get a polite answer."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from aiogram import Bot, F
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, Document, FSInputFile, Message
from aiohttp import ClientError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import PROJECT_ROOT, Settings
from bot.telegram.i18n import Translator
from bot.telegram.progress import ChatProgress
from handlers.consultations.files import import_setup_file
from handlers.menu import main_menu
from handlers.routes import Routes
from handlers.staff.import_reports import catalog_report
from services.catalog.exports import export_catalog
from services.catalog.imports import file_kind, import_catalog
from services.consultations.imports import is_setup_upload
from services.files.isolated import on_disk

router = Routes("admin_import")
router.filter("message", F.chat.type == "private")
router.staff_only()  # others' files: handlers/staff/strangers.py
log = logging.getLogger(__name__)

MAX_DOWNLOAD_MB = 20  # getFile serves bots files up to 20 MB
TEMPLATE = PROJECT_ROOT / "data" / "catalog_template.xlsx"
DRY_RUN_CAPTIONS = frozenset({"проверка", "проверить", "check", "dry-run", "dry run"})

Downloader = Callable[[Bot, Document], Awaitable[bytes]]
"""Fetches an uploaded file's bytes; tests put their own in the dispatcher as `downloader`."""


async def telegram_download(bot: Bot, document: Document) -> bytes:
    buffer = BytesIO()
    await bot.download(document, destination=buffer)
    return buffer.getvalue()


def is_admin(message: Message, settings: Settings) -> bool:
    return message.from_user is not None and message.from_user.id in settings.admin_ids


class ImportProgress(ChatProgress):
    """The «received» message, edited with the catalogue import's rows read and written."""

    def __init__(self, bot: Bot, message: Message, t: Translator, **timing: Any) -> None:
        super().__init__(bot, message, **timing)
        self.t = t

    async def __call__(self, done: int, total: int, phase: str) -> None:
        if self.due():
            await self.show(self.t(f"import-progress-{phase}", done=done, total=total))


@router.message(F.document)
async def document_received(
    message: Message,
    bot: Bot,
    t: Translator,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    downloader: Downloader | None = None,
    search: Any = None,
    **extra: Any,
) -> None:
    if not is_admin(message, settings):
        await message.answer(t("import-not-admin"), reply_markup=main_menu(t))
        return
    document = message.document
    assert document is not None
    name = document.file_name or "file"
    if file_kind(name) is None:
        await message.answer(t("import-wrong-type", file=name))
        return
    if (document.file_size or 0) > MAX_DOWNLOAD_MB * 1024 * 1024:
        await message.answer(t("import-too-big", limit=MAX_DOWNLOAD_MB))
        return
    dry_run = " ".join((message.caption or "").lower().split()) in DRY_RUN_CAPTIONS

    status = await message.answer(t("import-received", file=name))
    progress = ImportProgress(bot, status, t)
    try:
        data = await (downloader or telegram_download)(bot, document)
    except (TelegramAPIError, ClientError, TimeoutError, OSError) as exc:
        log.warning("catalogue file not downloaded: %s", type(exc).__name__)
        await progress.show(t("import-download-failed"))
        return
    # Every look into the file happens in a worker process, within the file limits.
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = await on_disk(data, Path(folder), Path(name).suffix)
        del data
        if await is_setup_upload(path, name):  # a consultation set-up workbook or CSV
            context = {**extra, "settings": settings, "sessions": sessions}
            await import_setup_file(message, t, progress, path, name, dry_run, context)
            return
        report = await import_catalog(
            sessions, path, file_name=name, dry_run=dry_run, progress=progress
        )
    log.info(
        "catalogue import by %s from %s: ok=%s dry_run=%s problems=%d",
        message.from_user.id if message.from_user else "-",
        name,
        report.ok,
        dry_run,
        report.problem_count,
    )
    if report.written and search is not None:
        search.invalidate()  # the search service reads its vocabulary again
    await progress.show(t("import-progress-finished"))
    await message.answer(catalog_report(t, report))


@router.message(Command("export"))
async def export_command(
    message: Message,
    t: Translator,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    if not is_admin(message, settings):
        await message.answer(t("import-admin-only"))
        return
    buffer = BytesIO()
    summary = await export_catalog(sessions, buffer, kind="xlsx")
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
async def import_command(message: Message, t: Translator, settings: Settings) -> None:
    if not is_admin(message, settings):
        await message.answer(t("import-admin-only"))
        return
    await message.answer(t("import-help"))
    await message.answer_document(FSInputFile(TEMPLATE), caption=t("import-template-caption"))
