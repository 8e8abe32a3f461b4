"""The notice queue: a message from one person's action to someone of the other messenger
(a specialist told of a booking, a parent asked to rate, an admin alerted) is kept as a row
and claimed by the process of the recipient's messenger (`own`), sent at most once like every
due row (services/due_rows.py). A notice to the process's own people is sent at once, never
queued (bot/notify/notices.py).

A row holds ids and the few values its text is rendered from at send time, in the recipient's
language: never what a person typed (a booking's name or question is read from the booking
then, so a /forget meanwhile leaves nothing to show).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Booking, Notice
from services.due_rows import LEASE, DueRowWorker
from services.messengers.claims import own

__all__ = [
    "ALERT",
    "BOOKED",
    "CANCELLED",
    "KINDS",
    "MOVED",
    "RATE",
    "DueNotice",
    "NoticeQueue",
    "NoticeWorker",
    "StoredNotice",
    "forget_notices",
    "stored_notices",
]

BOOKED, CANCELLED, MOVED = "booked", "cancelled", "moved"  # to the booking's specialist
RATE = "rate"  # to the parent, after a held consultation
ALERT = "alert"  # to an admin: an update failed
KINDS = (BOOKED, CANCELLED, MOVED, RATE, ALERT)
# A notice its messenger's process has not sent in this long is stale: not sent any more.
STALE = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class DueNotice:
    id: int
    user_id: int
    kind: str
    booking_id: int | None
    args: dict[str, Any] = field(default_factory=dict)


class NoticeQueue:
    def __init__(
        self,
        write_sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._write = write_sessions
        self.now = clock

    async def put(
        self,
        user_id: int,
        kind: str,
        *,
        booking_id: int | None = None,
        args: dict[str, Any] | None = None,
    ) -> int:
        """Queues a notice to `user_id`, due now; returns its id."""
        if kind not in KINDS:
            raise ValueError(f"unknown notice kind {kind!r}")
        async with self._write() as session, session.begin():
            row = Notice(
                user_id=user_id,
                kind=kind,
                booking_id=booking_id,
                args=dict(args or {}),
                due_at=self.now(),
                state="pending",
            )
            session.add(row)
            await session.flush()
            return row.id


@dataclass(frozen=True, slots=True)
class StoredNotice:
    """A notice to the person, as /mydata shows it."""

    kind: str
    due_at: datetime
    state: str  # pending | claimed | sending | sent | failed | uncertain | skipped


async def stored_notices(
    sessions: async_sessionmaker[AsyncSession], user_id: int
) -> list[StoredNotice]:
    async with sessions() as session:
        rows = await session.execute(
            select(Notice.kind, Notice.due_at, Notice.state)
            .where(Notice.user_id == user_id)
            .order_by(Notice.due_at, Notice.id)
        )
        return [StoredNotice(r.kind, r.due_at, r.state) for r in rows]


def forget_notices(user_id: int) -> Any:
    """The delete of every notice to `user_id` or about one of their bookings (/forget runs it
    before the bookings lose their owner)."""
    theirs = select(Booking.id).where(Booking.user_id == user_id).scalar_subquery()
    return (
        delete(Notice)
        .where(or_(Notice.user_id == user_id, Notice.booking_id.in_(theirs)))
        .execution_options(synchronize_session=False)
    )


class NoticeWorker(DueRowWorker[DueNotice]):
    model = Notice
    only_due = True  # its sweeps too: a lapsed `sending` row, a pending one long overdue

    async def claim(self, limit: int = 50) -> list[DueNotice]:
        now = self.now()
        async with self._write() as session, session.begin():
            await session.execute(
                update(Notice)
                .where(Notice.state == "sending", Notice.claimed_until < now)
                .values(state="uncertain")
            )
            await session.execute(
                update(Notice)
                .where(
                    Notice.state.in_(("pending", "claimed")),
                    Notice.due_at < now - STALE,
                    own(Notice.user_id + 0, self.messenger),
                )
                .values(state="skipped")
            )
            due = (
                select(Notice.id, Notice.user_id, Notice.kind, Notice.booking_id, Notice.args)
                .where(
                    Notice.due_at <= now,
                    own(Notice.user_id + 0, self.messenger),  # + 0: stay on the due index
                    or_(
                        Notice.state == "pending",
                        and_(Notice.state == "claimed", Notice.claimed_until < now),
                    ),
                )
                .order_by(Notice.due_at, Notice.id)
                .limit(limit)
            )
            if session.bind.dialect.name == "postgresql":
                due = due.with_for_update(skip_locked=True)
            rows = (await session.execute(due)).all()
            if rows:
                await session.execute(
                    update(Notice)
                    .where(Notice.id.in_([r.id for r in rows]))
                    .values(state="claimed", claimed_until=now + LEASE)
                )
        return [DueNotice(r.id, r.user_id, r.kind, r.booking_id, dict(r.args or {})) for r in rows]
