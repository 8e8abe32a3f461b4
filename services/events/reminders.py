"""Reminders before events ("🔔 Напомнить"): rows claimed by one worker and sent at most once.

The life of a row is services/due_rows.py's, as for consultation reminders. Reminders of
events that have started or were hidden are `skipped`: after downtime a late reminder is still
sent, but never after the start.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select, update

from db.models import Event, EventReminder
from services.due_rows import LEASE, DueRowWorker, Outcome
from services.messengers.claims import own

__all__ = ["LEASE", "DueEventReminder", "EventReminderService", "Outcome"]


@dataclass(frozen=True, slots=True)
class DueEventReminder:
    id: int
    event_id: int
    user_id: int


class EventReminderService(DueRowWorker[DueEventReminder]):
    model = EventReminder

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
                    own(EventReminder.user_id + 0, self.messenger),  # + 0: stay on the due index
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
