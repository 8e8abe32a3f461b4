"""The consultation set-up's files for staff, over the bot's database: an upload imported with
the booking settings of the day, the current set-up exported."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.booking.service import BookingService
from services.consultations.exports import Destination, ExportSummary, export_setup
from services.consultations.imports import (
    ConsultReport,
    ProgressCallback,
    import_consultations,
)
from services.consultations.read import Source


class SetupFiles:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession],
        booking: BookingService,
    ) -> None:
        self._sessions = sessions
        self._write = write_sessions
        self._booking = booking

    async def import_file(
        self,
        source: Source,
        *,
        file_name: str,
        horizon_days: int,
        dry_run: bool = False,
        progress: ProgressCallback | None = None,
    ) -> ConsultReport:
        """Slots are made (or cancelled) from the booking clock's now to `horizon_days` ahead."""
        return await import_consultations(
            self._write,
            source,
            zone=self._booking.zone,
            horizon_days=horizon_days,
            file_name=file_name,
            dry_run=dry_run,
            now=self._booking.now(),
            progress=progress,
        )

    async def export(self, destination: Destination, today: date) -> ExportSummary:
        return await export_setup(self._sessions, destination, today)
