"""Files staff send in chat: a catalogue (.xlsx/.csv) or a consultation set-up (its sheet names
or header tell) is checked and imported, with a caption «проверка» only checked. Others' files
get handlers/staff/strangers.py's answer. The formats and templates: /import, /consult_import."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Awaitable, Callable
from io import BytesIO
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.enums import ContentType
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Document, Message
from aiohttp import ClientError

from bot.config import Settings
from bot.telegram.i18n import Translator
from bot.telegram.progress import ChatProgress
from handlers.filters import ContentIs, PrivateChat
from handlers.routes import Routes
from handlers.staff.import_reports import catalog_report, setup_report
from services.catalog.files import CatalogFiles
from services.catalog.imports import file_kind
from services.consultations.files import SetupFiles
from services.consultations.imports import is_setup_upload
from services.files.isolated import on_disk
from services.search import SearchService

router = Routes("staff_files")
router.filter("message", PrivateChat())
router.staff_only(refusal="import-not-admin")
log = logging.getLogger(__name__)

MAX_DOWNLOAD_MB = 20  # getFile serves bots files up to 20 MB
DRY_RUN_CAPTIONS = frozenset({"проверка", "проверить", "check", "dry-run", "dry run"})

Downloader = Callable[[Bot, Document], Awaitable[bytes]]
"""Fetches an uploaded file's bytes; tests put their own in the dispatcher as `downloader`."""


async def telegram_download(bot: Bot, document: Document) -> bytes:
    buffer = BytesIO()
    await bot.download(document, destination=buffer)
    return buffer.getvalue()


class ImportProgress(ChatProgress):
    """The «received» message, edited with the catalogue import's rows read and written."""

    def __init__(self, bot: Bot, message: Message, t: Translator, **timing: Any) -> None:
        super().__init__(bot, message, **timing)
        self.t = t

    async def __call__(self, done: int, total: int, phase: str) -> None:
        if self.due():
            await self.show(self.t(f"import-progress-{phase}", done=done, total=total))


@router.message(ContentIs(ContentType.DOCUMENT))
async def document_received(
    message: Message,
    bot: Bot,
    t: Translator,
    settings: Settings,
    catalog_files: CatalogFiles,
    setup_files: SetupFiles,
    search: SearchService,
    downloader: Downloader | None = None,
) -> None:
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
        log.warning("staff file not downloaded: %s", type(exc).__name__)
        await progress.show(t("import-download-failed"))
        return
    # Every look into the file happens in a worker process, within the file limits.
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = await on_disk(data, Path(folder), Path(name).suffix)
        del data
        if await is_setup_upload(path, name):  # a consultation set-up workbook or CSV
            await _import_setup(message, t, progress, setup_files, path, name, dry_run, settings)
            return
        report = await catalog_files.import_file(
            path, file_name=name, dry_run=dry_run, progress=progress
        )
    log.info(
        "catalogue import by %s from %s: ok=%s dry_run=%s problems=%d",
        message.from_user.id if message.from_user else "-",
        name,
        report.ok,
        dry_run,
        report.problem_count,
    )
    if report.written:
        search.invalidate()  # the search service reads its vocabulary again
    await progress.show(t("import-progress-finished"))
    await message.answer(catalog_report(t, report))


async def _import_setup(
    message: Message,
    t: Translator,
    progress: ChatProgress,
    setup_files: SetupFiles,
    path: Path,
    name: str,
    dry_run: bool,
    settings: Settings,
) -> None:
    async def phase(step: str) -> None:
        await progress.show(t(f"cimp-progress-{step}"))

    report = await setup_files.import_file(
        path,
        file_name=name,
        horizon_days=settings.booking.horizon_days,
        dry_run=dry_run,
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
