"""Reminders before events ("🔔 Напомнить"): rows claimed by one worker and sent at most once.

The same life as consultation reminders (services/reminders.py): pending → claimed (a lease)
→ sending → sent. A worker that dies while `claimed` leaves the row to be claimed again when
the lease ends: nothing was sent yet. One that dies while `sending` may or may not have
delivered it (the Bot API has no idempotency key), so the row becomes `uncertain` and is never
repeated. Reminders of events that have started or were hidden are `skipped`: after downtime a
late reminder is still sent, but never after the start.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Event, EventReminder
from services.reminders import Outcome

LEASE = timedelta(minutes=2)

__all__ = ["LEASE", "DueEventReminder", "EventReminderService", "Outcome"]


@dataclass(frozen=True, slots=True)
class DueEventReminder:
    id: int
    event_id: int
    user_id: int


Deliver = Callable[[DueEventReminder], Awaitable[Outcome]]


class EventReminderService:
    def __init__(
        self,
        write_sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._write = write_sessions
        self.now = clock

    async def claim(self, limit: int = 50) -> list[DueEventReminder]:
        now = self.now()
        async with self._write() as session, session.begin():
            gone = select(Event.id).where(or_(Event.starts_at <= now, Event.hidden.is_(True)))
            await session.execute(
                update(EventReminder)
                .where(
                    EventReminder.state.in_(("pending", "claimed")),
                    EventReminder.event_id.in_(gone.scalar_subquery()),
                )
                .values(state="skipped")
            )
            await session.execute(
                update(EventReminder)
                .where(EventReminder.state == "sending", EventReminder.claimed_until < now)
                .values(state="uncertain")
            )
            due = (
                select(EventReminder.id, EventReminder.event_id, EventReminder.user_id)
                .where(
                    EventReminder.due_at <= now,
                    or_(
                        EventReminder.state == "pending",
                        and_(EventReminder.state == "claimed", EventReminder.claimed_until < now),
                    ),
                )
                .order_by(EventReminder.due_at)
                .limit(limit)
            )
            if session.bind.dialect.name == "postgresql":
                due = due.with_for_update(skip_locked=True)
            rows = (await session.execute(due)).all()
            if rows:
                await session.execute(
                    update(EventReminder)
                    .where(EventReminder.id.in_([r.id for r in rows]))
                    .values(state="claimed", claimed_until=now + LEASE)
                )
        return [DueEventReminder(r.id, r.event_id, r.user_id) for r in rows]

    async def _move(self, reminder_id: int, old: str, new: str, **values: object) -> bool:
        async with self._write() as session, session.begin():
            result = await session.execute(
                update(EventReminder)
                .where(EventReminder.id == reminder_id, EventReminder.state == old)
                .values(state=new, **values)
            )
        return result.rowcount == 1

    async def run_due(self, deliver: Deliver, limit: int = 50) -> dict[str, int]:
        """Claim what is due and deliver it; returns counts by outcome."""
        counts = {outcome.value: 0 for outcome in Outcome}
        for reminder in await self.claim(limit):
            # The point of no return: from here a crash leaves it uncertain, not repeated.
            if not await self._move(
                reminder.id, "claimed", "sending", claimed_until=self.now() + LEASE
            ):
                continue
            outcome = await deliver(reminder)
            counts[outcome.value] += 1
            if outcome is Outcome.SENT:
                await self._move(reminder.id, "sending", "sent", sent_at=self.now())
            elif outcome is Outcome.NOT_SENT:
                await self._move(reminder.id, "sending", "pending", claimed_until=None)
            else:
                await self._move(reminder.id, "sending", outcome.value)
        return counts
