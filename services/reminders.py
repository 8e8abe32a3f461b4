"""Reminders before consultations: rows claimed by one worker and sent at most once.

A reminder moves pending → claimed (a lease) → sending → sent. A worker that dies while
`claimed` leaves it to be claimed again when the lease ends: nothing was sent yet. One that
dies while `sending` may or may not have delivered it (the Bot API has no idempotency key),
so such a reminder becomes `uncertain` and is never repeated. Reminders whose consultation
has started are `skipped`: after downtime a late reminder is still sent, but never after.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Booking, Reminder, Slot

LEASE = timedelta(minutes=2)
# A parent's notice that staff closed the slot of their booking (the booking is cancelled by
# then): queued and sent like a reminder, so a restart neither loses nor repeats it.
CLOSED_NOTICE = "closed"


class Outcome(Enum):
    SENT = "sent"
    NOT_SENT = "not_sent"  # definitely not delivered, try again later
    FAILED = "failed"  # will never be delivered (blocked bot, chat gone)
    UNCERTAIN = "uncertain"  # may have been delivered: never repeat


@dataclass(frozen=True, slots=True)
class DueReminder:
    id: int
    booking_id: int
    kind: str
    user_id: int


Deliver = Callable[[DueReminder], Awaitable[Outcome]]


class ReminderService:
    def __init__(
        self,
        write_sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._write = write_sessions
        self.now = clock

    async def claim(self, limit: int = 50) -> list[DueReminder]:
        now = self.now()
        async with self._write() as session, session.begin():
            started = select(Slot.id).where(Slot.starts_at <= now).scalar_subquery()
            booking_started = select(Booking.id).where(
                or_(Booking.slot_id.in_(started), Booking.status != "active")
            )
            booking_begun = select(Booking.id).where(Booking.slot_id.in_(started))
            await session.execute(
                update(Reminder)
                .where(
                    Reminder.state.in_(("pending", "claimed")),
                    or_(
                        and_(
                            Reminder.kind != CLOSED_NOTICE,
                            Reminder.booking_id.in_(booking_started.scalar_subquery()),
                        ),
                        and_(
                            Reminder.kind == CLOSED_NOTICE,
                            Reminder.booking_id.in_(booking_begun.scalar_subquery()),
                        ),
                    ),
                )
                .values(state="skipped")
            )
            await session.execute(
                update(Reminder)
                .where(Reminder.state == "sending", Reminder.claimed_until < now)
                .values(state="uncertain")
            )
            due = (
                select(
                    Reminder.id,
                    Reminder.booking_id,
                    Reminder.kind,
                    Reminder.due_at,
                    Booking.user_id,
                )
                .join(Booking, Booking.id == Reminder.booking_id)
                .where(
                    Reminder.due_at <= now,
                    or_(
                        Reminder.state == "pending",
                        and_(Reminder.state == "claimed", Reminder.claimed_until < now),
                    ),
                )
                .order_by(Reminder.due_at)
                .limit(limit)
            )
            if session.bind.dialect.name == "postgresql":
                due = due.with_for_update(of=Reminder, skip_locked=True)
            rows = (await session.execute(due)).all()
            # After downtime several reminders of one booking may be due: send the latest only.
            latest: dict[int, Any] = {}
            for row in rows:
                if row.booking_id not in latest or row.due_at > latest[row.booking_id].due_at:
                    latest[row.booking_id] = row
            stale = [r.id for r in rows if latest[r.booking_id] is not r]
            if stale:
                await session.execute(
                    update(Reminder).where(Reminder.id.in_(stale)).values(state="skipped")
                )
            rows = list(latest.values())
            if rows:
                await session.execute(
                    update(Reminder)
                    .where(Reminder.id.in_([r.id for r in rows]))
                    .values(state="claimed", claimed_until=now + LEASE)
                )
        return [DueReminder(r.id, r.booking_id, r.kind, r.user_id) for r in rows if r.user_id]

    async def _move(self, reminder_id: int, old: str, new: str, **values: object) -> bool:
        async with self._write() as session, session.begin():
            result = await session.execute(
                update(Reminder)
                .where(Reminder.id == reminder_id, Reminder.state == old)
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
