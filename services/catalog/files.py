"""The catalogue's files for staff, over the bot's database: an upload imported, the whole
catalogue exported (services/catalog/imports.py and exports.py do the work)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.catalog.exports import Destination, ExportSummary, export_catalog
from services.catalog.imports import ImportReport, ProgressCallback, Source, import_catalog


class CatalogFiles:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def import_file(
        self,
        source: Source,
        *,
        file_name: str,
        dry_run: bool = False,
        progress: ProgressCallback | None = None,
    ) -> ImportReport:
        return await import_catalog(
            self._sessions, source, file_name=file_name, dry_run=dry_run, progress=progress
        )

    async def export(self, destination: Destination, *, kind: str) -> ExportSummary:
        return await export_catalog(self._sessions, destination, kind=kind)
