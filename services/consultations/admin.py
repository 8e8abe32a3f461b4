"""Staff's chat tools for the consultation set-up: lists of services and specialists, hiding
and showing them, and closing days (a specialist's or a whole organisation's) with a preview
of how many bookings that cancels. Hidden ones keep their bookings; they are only not offered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import (
    Booking,
    ConsultService,
    Provider,
    ScheduleException,
    Slot,
    Specialist,
    specialist_services,
)
from services.booking.schedule import add_exception, closing_condition, generate_slots
from services.booking.service import BookingService
from services.dates import in_window

MAX_DAYS = 366
REASON_MAX = 255
_DAY = r"(\d{1,2})\.(\d{1,2})(?:\.(\d{4}|\d{2}))?"
_RANGE = re.compile(rf"{_DAY}(?:\s*(?:-|–|—|по|to)\s*{_DAY})?")


@dataclass(frozen=True, slots=True)
class ServiceItem:
    id: int
    external_id: str
    name: str
    name_en: str
    active: bool
    specialists: int

    def title(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name


@dataclass(frozen=True, slots=True)
class SpecialistItem:
    id: int
    external_id: str
    name: str
    position: str
    provider_id: int
    provider: str
    active: bool


@dataclass(frozen=True, slots=True)
class ProviderItem:
    id: int
    external_id: str
    name: str
    active: bool
    specialists: int


class DaysError(ValueError):
    """reason: format (not a date or range), window (outside the window of bot.telegram.dates),
    order (ends before it starts), past (ends before today), too_long (more than MAX_DAYS
    days)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _date(day: str, month: str, year: str | None, today: date) -> date:
    if year is None:
        found = date(today.year, int(month), int(day))
        # «05.01» typed in December means next January.
        return found if found >= today - timedelta(days=31) else found.replace(year=today.year + 1)
    number = int(year)  # «05.12.26» is 2026; «05.12.0026» is the year 26
    return date(number + 2000 if len(year) <= 2 else number, int(month), int(day))


def parse_days(text: str | None, today: date) -> tuple[date, date]:
    """'05.12.2026', '05.12', '05.12.2026–09.12.2026', '5.12 - 9.12' → (first, last)."""
    match = _RANGE.fullmatch((text or "").strip().lower())
    if match is None:
        raise DaysError("format")
    try:
        first = _date(match[1], match[2], match[3], today)
        last = _date(match[4], match[5], match[6], today) if match[4] else first
    except ValueError:
        raise DaysError("format") from None
    if match[4] and not match[6] and last < first:
        last = last.replace(year=last.year + 1)  # «28.12–05.01»
    if not (in_window(first) and in_window(last)):
        raise DaysError("window")
    if last < first:
        raise DaysError("order")
    if last < today:
        raise DaysError("past")
    if (last - first).days >= MAX_DAYS:
        raise DaysError("too_long")
    return first, last


class ConsultAdmin:
    """Built per update (cheap: no I/O). Times and the clock come from the booking service."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession],
        booking: BookingService,
        horizon_days: int,
    ) -> None:
        self._sessions = sessions
        self._write = write_sessions
        self._booking = booking
        self.horizon_days = horizon_days

    @property
    def zone(self):  # type: ignore[no-untyped-def]
        return self._booking.zone

    def today(self) -> date:
        return self._booking.now().astimezone(self.zone).date()

    # --- lists -------------------------------------------------------------------------------
    async def services(self) -> list[ServiceItem]:
        staffed = (
            select(func.count())
            .select_from(specialist_services)
            .where(specialist_services.c.service_id == ConsultService.id)
            .scalar_subquery()
        )
        async with self._sessions() as session:
            rows = (
                await session.execute(
                    select(ConsultService, staffed.label("staffed")).order_by(ConsultService.id)
                )
            ).all()
        return [
            ServiceItem(s.id, s.external_id, s.name, s.name_en, s.active, n)
            for s, n in ((row.ConsultService, row.staffed) for row in rows)
        ]

    async def service(self, service_id: int) -> ServiceItem | None:
        return next((s for s in await self.services() if s.id == service_id), None)

    async def specialists(self, provider_id: int | None = None) -> list[SpecialistItem]:
        statement = select(Specialist, Provider.name.label("provider")).join(
            Provider, Provider.id == Specialist.provider_id
        )
        if provider_id is not None:
            statement = statement.where(Specialist.provider_id == provider_id)
        async with self._sessions() as session:
            rows = (await session.execute(statement.order_by(Specialist.name))).all()
        return [
            SpecialistItem(
                s.id, s.external_id, s.name, s.position, s.provider_id, row.provider, s.active
            )
            for row in rows
            for s in (row.Specialist,)
        ]

    async def specialist(self, specialist_id: int) -> SpecialistItem | None:
        found = [s for s in await self.specialists() if s.id == specialist_id]
        return found[0] if found else None

    async def providers(self) -> list[ProviderItem]:
        staff = (
            select(func.count())
            .select_from(Specialist)
            .where(Specialist.provider_id == Provider.id)
            .scalar_subquery()
        )
        async with self._sessions() as session:
            rows = (
                await session.execute(
                    select(Provider, staff.label("staff")).order_by(Provider.name)
                )
            ).all()
        return [
            ProviderItem(p.id, p.external_id, p.name, p.active, n)
            for p, n in ((row.Provider, row.staff) for row in rows)
        ]

    async def provider(self, provider_id: int) -> ProviderItem | None:
        return next((p for p in await self.providers() if p.id == provider_id), None)

    # --- hide and show -----------------------------------------------------------------------
    async def set_service_active(self, service_id: int, active: bool) -> bool:
        return await self._set_active(ConsultService, service_id, active, make_slots=False)

    async def set_specialist_active(self, specialist_id: int, active: bool) -> bool:
        """Showing a specialist again also makes their slots up to the booking horizon."""
        return await self._set_active(Specialist, specialist_id, active, make_slots=True)

    async def set_provider_active(self, provider_id: int, active: bool) -> bool:
        """Hiding an organisation takes it and its specialists out of booking (bookings made
        stay); showing it again also makes its specialists' slots up to the booking horizon."""
        return await self._set_active(Provider, provider_id, active, make_slots=True)

    async def _set_active(self, model: Any, row_id: int, active: bool, *, make_slots: bool) -> bool:
        async with self._write() as session, session.begin():
            result = await session.execute(
                update(model).where(model.id == row_id).values(active=active)
            )
            if result.rowcount == 1 and active and make_slots:
                today = self.today()
                await generate_slots(
                    session, self.zone, today, today + timedelta(days=self.horizon_days)
                )
        return result.rowcount == 1

    # --- closing days ------------------------------------------------------------------------
    async def _targets(self, session: AsyncSession, kind: str, target_id: int) -> list[int]:
        if kind == "s":
            found = await session.get(Specialist, target_id)
            return [found.id] if found else []
        if kind == "p":
            return list(
                (
                    await session.execute(
                        select(Specialist.id).where(Specialist.provider_id == target_id)
                    )
                ).scalars()
            )
        return []

    async def closing_preview(self, kind: str, target_id: int, first: date, last: date) -> int:
        """How many active bookings closing these days would cancel."""
        async with self._sessions() as session:
            targets = await self._targets(session, kind, target_id)
            total = 0
            for specialist_id in targets:
                condition = closing_condition(
                    self.zone, specialist_id, first, last, self._booking.now()
                )
                total += (
                    await session.execute(
                        select(func.count())
                        .select_from(Booking)
                        .join(Slot, Slot.id == Booking.slot_id)
                        .where(condition, Booking.status == "active")
                    )
                ).scalar_one()
        return total

    async def close(
        self, kind: str, target_id: int, first: date, last: date, reason: str
    ) -> list[int] | None:
        """Days off for a specialist ("s") or each specialist of an organisation ("p"): their
        slots close, the bookings on them are cancelled and each parent's notice is queued.
        Returns the cancelled bookings' ids; None when there is no such specialist or
        organisation (or it has no specialists)."""
        reason = reason.strip()[:REASON_MAX]
        now = self._booking.now()
        cancelled: list[int] = []
        async with self._write() as session, session.begin():
            targets = await self._targets(session, kind, target_id)
            if not targets:
                return None
            for specialist_id in targets:
                same = await session.execute(
                    select(ScheduleException.id).where(
                        ScheduleException.specialist_id == specialist_id,
                        ScheduleException.first_day == first,
                        ScheduleException.last_day == last,
                    )
                )
                if same.first() is not None:
                    continue  # closed already (a second press, or a second admin)
                cancelled += await add_exception(
                    session, self.zone, specialist_id, first, last, reason, now=now
                )
        return cancelled
