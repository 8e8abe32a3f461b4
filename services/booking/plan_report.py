"""Consultations of a calendar year against the yearly plan, by organisation and by service.

"Held" is a booking marked done. Beside it: missed (marked «не пришли»), cancelled, booked
ahead (active, not yet begun) and unmarked (active, already begun: the specialist has yet to
mark it). The plan is BOOKING__YEARLY_PLAN for the whole department; organisations may have
their own (BOOKING__PROVIDER_PLANS, by the organisation's external id). For the current year
the report also says how many should have been held by today at an even pace (the
department's and each organisation's), and it keeps the counts of each month.

The counts come from a GROUP BY over the year's bookings, one short statement per month (a
year of bookings in one statement held the event loop for tens of milliseconds); bookings of
parents who asked to be forgotten still count (their status, service and slot stay).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Booking, ConsultService, Provider, Slot, Specialist
from services.booking.schedule import local_to_utc


@dataclass(slots=True)
class Counts:
    done: int = 0
    missed: int = 0
    cancelled: int = 0
    upcoming: int = 0
    unmarked: int = 0
    plan: int | None = None

    def add(self, status: str, later: bool, count: int) -> None:
        if status == "active":
            if later:
                self.upcoming += count
            else:
                self.unmarked += count
        elif status in ("done", "missed", "cancelled"):
            setattr(self, status, getattr(self, status) + count)

    @property
    def percent(self) -> int | None:
        if not self.plan:
            return None
        return round(self.done * 100 / self.plan)

    @property
    def empty(self) -> bool:
        return not (self.done or self.missed or self.cancelled or self.upcoming or self.unmarked)


@dataclass(slots=True)
class Line:
    id: int
    external_id: str
    name: str
    name_en: str = ""
    counts: Counts = field(default_factory=Counts)

    def title(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name


@dataclass(slots=True)
class PlanReport:
    year: int
    today: date  # the local day the report was made
    total: Counts
    providers: list[Line]
    services: list[Line]
    months: list[Counts] = field(default_factory=list)  # January first; all 12 when counted

    @property
    def current(self) -> bool:
        return self.year == self.today.year

    @property
    def expected(self) -> int | None:
        """Held consultations expected by today at an even pace through the year."""
        return self.expected_for(self.total.plan)

    def expected_for(self, plan: int | None) -> int | None:
        """What `plan` (the department's or an organisation's) expects held by today."""
        if not plan or self.year > self.today.year:
            return None if not plan else 0
        if self.year < self.today.year:
            return plan
        first, last = date(self.year, 1, 1), date(self.year, 12, 31)
        elapsed = (self.today - first).days + 1
        return round(plan * elapsed / ((last - first).days + 1))


async def plan_report(
    sessions: async_sessionmaker[AsyncSession],
    zone: ZoneInfo,
    year: int,
    plan: int,
    provider_plans: Mapping[str, int] | None = None,
    *,
    now: datetime | None = None,
) -> PlanReport:
    now = now or datetime.now(UTC)
    groups = []
    months = [Counts() for _ in range(12)]
    for month in range(1, 13):
        start = local_to_utc(date(year, month, 1), 0, zone)
        end = local_to_utc(date(year + month // 12, month % 12 + 1, 1), 0, zone)
        async with sessions() as session:
            rows = (await session.execute(_month_counts(start, end, now))).all()
        for row in rows:
            months[month - 1].add(row.status, bool(row.later), int(row.n))
        groups += rows
    async with sessions() as session:
        providers = (
            await session.execute(
                select(Provider.id, Provider.external_id, Provider.name, Provider.active)
            )
        ).all()
        services = (
            await session.execute(
                select(
                    ConsultService.id,
                    ConsultService.external_id,
                    ConsultService.name,
                    ConsultService.name_en,
                    ConsultService.active,
                )
            )
        ).all()
    plans = dict(provider_plans or {})
    by_provider = {
        row.id: Line(
            row.id, row.external_id, row.name, counts=Counts(plan=plans.get(row.external_id))
        )
        for row in providers
    }
    by_service = {row.id: Line(row.id, row.external_id, row.name, row.name_en) for row in services}
    total = Counts(plan=plan)
    for group in groups:
        for counts in (
            total,
            by_provider[group.provider_id].counts,
            by_service[group.service_id].counts,
        ):
            counts.add(group.status, bool(group.later), int(group.n))
    active_providers = {row.id for row in providers if row.active}
    active_services = {row.id for row in services if row.active}

    def shown(lines: dict[int, Line], active: set[int]) -> list[Line]:
        kept = [
            line
            for line in lines.values()
            if line.id in active or not line.counts.empty or line.counts.plan
        ]
        return sorted(kept, key=lambda line: (-line.counts.done, line.name))

    return PlanReport(
        year=year,
        today=now.astimezone(zone).date(),
        total=total,
        providers=shown(by_provider, active_providers),
        services=shown(by_service, active_services),
        months=months,
    )


def _month_counts(start: datetime, end: datetime, now: datetime) -> Any:
    """Bookings of slots in [start, end) by organisation, service, status and whether ahead."""
    later = case((Slot.starts_at > now, 1), else_=0).label("later")
    return (
        select(
            Specialist.provider_id,
            Booking.service_id,
            Booking.status,
            later,
            func.count().label("n"),
        )
        .select_from(Booking)
        .join(Slot, Slot.id == Booking.slot_id)
        .join(Specialist, Specialist.id == Slot.specialist_id)
        .where(Slot.starts_at >= start, Slot.starts_at < end)
        .group_by(Specialist.provider_id, Booking.service_id, Booking.status, later)
    )
