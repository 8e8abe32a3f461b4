"""Staff's reports on bookings, over the bot's database and in the department's zone: how many
bookings a period has, their export as files, the yearly plan (services/booking/exports.py and
plan_report.py do the work; the booking clock says what "now" is)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.booking.exports import (
    Destination,
    ExportResult,
    Period,
    Progress,
    count_bookings,
    export_bookings,
)
from services.booking.plan_report import PlanReport, plan_report
from services.booking.service import BookingService


class BookingReports:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], booking: BookingService) -> None:
        self._sessions = sessions
        self._booking = booking

    async def count(self, period: Period) -> int:
        return await count_bookings(self._sessions, self._booking.zone, period)

    async def export(
        self,
        period: Period,
        destinations: dict[str, Destination],
        *,
        progress: Progress | None = None,
        total: int | None = None,
    ) -> ExportResult:
        return await export_bookings(
            self._sessions,
            self._booking.zone,
            period,
            destinations,
            now=self._booking.now(),
            progress=progress,
            total=total,
        )

    async def plan(
        self, year: int, plan: int, provider_plans: Mapping[str, int] | None = None
    ) -> PlanReport:
        return await plan_report(
            self._sessions,
            self._booking.zone,
            year,
            plan,
            provider_plans,
            now=self._booking.now(),
        )
