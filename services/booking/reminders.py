"""Reminders before consultations: rows claimed by one worker and sent at most once.

The life of a row (pending → claimed → sending → sent, `uncertain` after a crash while
sending, never repeated) is services/due_rows.py's. Reminders whose consultation has started
are `skipped`: after downtime a late reminder is still sent, but never after; of several due
for one booking only the latest goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select, update

from db.models import Booking, Reminder, Slot
from services.due_rows import LEASE, DueRowWorker, Outcome
from services.messengers.claims import own

__all__ = ["CLOSED_NOTICE", "LEASE", "DueReminder", "Outcome", "ReminderService"]

# A parent's notice that staff closed the slot of their booking (the booking is cancelled by
# then): queued and sent like a reminder, so a restart neither loses nor repeats it.
CLOSED_NOTICE = "closed"


@dataclass(frozen=True, slots=True)
class DueReminder:
    id: int
    booking_id: int
    kind: str
    user_id: int


class ReminderService(DueRowWorker[DueReminder]):
    model = Reminder

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
                    own(Booking.user_id + 0, self.messenger),  # + 0: stay on the due index
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
