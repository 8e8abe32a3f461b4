"""Waitlist notices («появилось место», «появилось время»): released rows claimed by one worker
and sent at most once (services/due_rows.py). A programme hidden (or full again) meanwhile
sends nothing: its released people go back to waiting, in their places."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select, update

from db.models import Organisation, Programme, WaitlistEntry
from services.due_rows import LEASE, DueRowWorker
from services.messengers.claims import own

__all__ = ["DueWaitNotice", "WaitNoticeWorker"]


@dataclass(frozen=True, slots=True)
class DueWaitNotice:
    id: int
    user_id: int
    programme_id: int | None
    service_id: int | None
    provider_id: int | None


class WaitNoticeWorker(DueRowWorker[DueWaitNotice]):
    model = WaitlistEntry

    async def claim(self, limit: int = 50) -> list[DueWaitNotice]:
        now = self.now()
        entry = WaitlistEntry
        async with self._write() as session, session.begin():
            # Hidden, or full again, since they were released: not told, back in their places.
            hidden = (
                select(Programme.id)
                .join(Organisation, Organisation.id == Programme.organisation_id)
                .where(
                    or_(
                        Programme.hidden.is_(True),
                        Organisation.hidden.is_(True),
                        Programme.seats_free == 0,
                    )
                )
            )
            await session.execute(
                update(entry)
                .where(
                    entry.state.in_(("pending", "claimed")),
                    entry.programme_id.in_(hidden.scalar_subquery()),
                )
                .values(state="waiting", due_at=None, claimed_until=None)
            )
            await session.execute(
                update(entry)
                .where(entry.state == "sending", entry.claimed_until < now)
                .values(state="uncertain")
            )
            due = (
                select(
                    entry.id,
                    entry.user_id,
                    entry.programme_id,
                    entry.service_id,
                    entry.provider_id,
                )
                .where(
                    entry.due_at <= now,
                    own(entry.user_id + 0, self.messenger),  # + 0: stay on the due index
                    or_(
                        entry.state == "pending",
                        and_(entry.state == "claimed", entry.claimed_until < now),
                    ),
                )
                .order_by(entry.due_at, entry.joined_at, entry.id)
                .limit(limit)
            )
            if session.bind.dialect.name == "postgresql":
                due = due.with_for_update(skip_locked=True)
            rows = (await session.execute(due)).all()
            if rows:
                await session.execute(
                    update(entry)
                    .where(entry.id.in_([r.id for r in rows]))
                    .values(state="claimed", claimed_until=now + LEASE)
                )
        return [
            DueWaitNotice(r.id, r.user_id, r.programme_id, r.service_id, r.provider_id)
            for r in rows
        ]
