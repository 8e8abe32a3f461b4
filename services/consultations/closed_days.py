"""Days off already recorded: the list staff see, and opening such days again.

Opening does not bring back the bookings the closing cancelled (their parents were told); it
makes the slots of those days bookable again, except days another closing still covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import ScheduleException, Slot, Specialist
from services.booking.schedule import closed_days_by_specialist, closing_condition
from services.booking.service import BookingService

LIST_LIMIT = 30


@dataclass(frozen=True, slots=True)
class ClosedDays:
    id: int
    specialist: str | None  # None: everyone
    first: date
    last: date
    reason: str


class ClosedDaysService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession],
        booking: BookingService,
    ) -> None:
        self._sessions = sessions
        self._write = write_sessions
        self._booking = booking

    def today(self) -> date:
        return self._booking.now().astimezone(self._booking.zone).date()

    async def upcoming(self) -> list[ClosedDays]:
        """Closings not yet over, the soonest first."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(ScheduleException, Specialist.name)
                .outerjoin(Specialist, Specialist.id == ScheduleException.specialist_id)
                .where(ScheduleException.last_day >= self.today())
                .order_by(ScheduleException.first_day, ScheduleException.id)
                .limit(LIST_LIMIT)
            )
            return [
                ClosedDays(row[0].id, row[1], row[0].first_day, row[0].last_day, row[0].reason)
                for row in rows
            ]

    async def reopen(self, exception_id: int) -> int | None:
        """Removes the closing and opens its slots from now on; how many opened, None if the
        closing is not there (any more)."""
        now = self._booking.now()
        async with self._write() as session, session.begin():
            closing = await session.get(ScheduleException, exception_id)
            if closing is None:
                return None
            specialist_id = closing.specialist_id
            first, last = max(closing.first_day, self.today()), closing.last_day
            await session.execute(
                delete(ScheduleException).where(ScheduleException.id == exception_id)
            )
            # Days other closings still cover: this person's own, and everyone's.
            others = await closed_days_by_specialist(session, first, last)
            still_closed = others.get(None, set())
            if specialist_id is not None:
                still_closed = still_closed | others.get(specialist_id, set())
            opened = 0
            day = first
            while day <= last:
                if day not in still_closed:
                    condition = closing_condition(self._booking.zone, specialist_id, day, day, now)
                    if specialist_id is None:  # a closing for everyone: mind each one's own
                        own = [who for who, days in others.items() if who and day in days]
                        condition = condition & ~Slot.specialist_id.in_(own)
                    result = await session.execute(
                        update(Slot).where(condition, Slot.closed.is_(True)).values(closed=False)
                    )
                    opened += result.rowcount
                day += timedelta(days=1)
        return opened
