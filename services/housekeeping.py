"""The daily clean-up: rows that only grow are pruned, old bookings lose their personal fields.

After RETENTION__HOUSEKEEPING_DAYS: letters (outbox rows) of finished broadcasts, past slots
nobody booked, consultation and event reminders that are settled, notices to the other
messenger's people (services/notices) unless being sent. After RETENTION__BOOKING_DAYS from
the end of its consultation, a booking keeps what the reports count (status, service, format,
child's age, rating) and loses the name, phone, question, the parent's comment and a
cancellation reason they typed (ours, such as "closed", stay).
After RETENTION__CONVERSATION_HOURS (when the conversation state that could name a message by
its id is gone too): the integer ids given to MAX messages' mids (max_messages); the newest
row always stays, so SQLite never gives its id out again. After RETENTION__DEMAND_DAYS, the
demand log's searches go.

Every step is an idempotent delete or update in batches of `batch` rows, one transaction
each, so the bot's own writes get in between. Several instances may run it: on PostgreSQL the
one that holds the advisory lock does the work and the others skip the day's run; were two to
run anyway, the second would find nothing left to do.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, case, delete, exists, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql import ColumnElement, Select

from db.engine import bound_engine
from db.models import (
    Booking,
    Broadcast,
    DemandLog,
    EnrolReminder,
    EventReminder,
    MaxMessage,
    Notice,
    Outbox,
    Reminder,
    Slot,
    WaitlistEntry,
)
from services.booking.reminders import CLOSED_NOTICE
from services.people.privacy import FORGET_REASON

# Key of the PostgreSQL advisory lock held while one instance does the clean-up.
HOUSEKEEPING_LOCK_KEY = 0x65647562_6F740002  # "edubot" 2
SETTLED = ("sent", "skipped", "failed", "uncertain")  # reminders that will not be sent again
OUR_REASONS = (CLOSED_NOTICE, FORGET_REASON)  # cancellation reasons the bot wrote itself


@dataclass
class Pruned:
    letters: int = 0
    slots: int = 0
    reminders: int = 0
    event_reminders: int = 0
    bookings_erased: int = 0
    max_messages: int = 0
    searches: int = 0  # demand log rows
    waitlist_notices: int = 0  # settled waitlist notices and enrolment reminders
    notices: int = 0  # settled notices to people of the other messenger


class Housekeeping:
    def __init__(
        self,
        write_sessions: async_sessionmaker[AsyncSession],
        *,
        keep_days: int,
        booking_days: int,
        message_hours: int | None = None,
        demand_days: int = 365,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        batch: int = 1000,
    ) -> None:
        self._write = write_sessions
        self.keep = timedelta(days=keep_days)
        self.booking_keep = timedelta(days=booking_days)
        # None: MAX message ids are kept (a caller that does not say how long conversations live)
        self.message_keep = timedelta(hours=message_hours) if message_hours else None
        self.demand_keep = timedelta(days=demand_days)
        self.now = clock
        self.batch = batch

    async def run(self) -> Pruned | None:
        """One clean-up; None when another instance is doing it now."""
        async with self._claim() as mine:
            if not mine:
                return None
            now = self.now()
            cutoff, booking_cutoff = now - self.keep, now - self.booking_keep
            pruned = Pruned()
            pruned.letters = await self._delete(Outbox, self._finished_letters(cutoff))
            pruned.reminders = await self._delete(
                Reminder,
                select(Reminder.id).where(Reminder.state.in_(SETTLED), Reminder.due_at < cutoff),
            )
            pruned.event_reminders = await self._delete(
                EventReminder,
                select(EventReminder.id).where(
                    EventReminder.state.in_(SETTLED), EventReminder.due_at < cutoff
                ),
            )
            pruned.waitlist_notices = await self._delete(
                WaitlistEntry,
                select(WaitlistEntry.id).where(
                    WaitlistEntry.state.in_(SETTLED), WaitlistEntry.due_at < cutoff
                ),
            ) + await self._delete(
                EnrolReminder,
                select(EnrolReminder.id).where(
                    EnrolReminder.state.in_(SETTLED), EnrolReminder.sent_at < cutoff
                ),
            )
            # Settled, or never claimed by its messenger's process (not run since): not sent now.
            pruned.notices = await self._delete(
                Notice, select(Notice.id).where(Notice.state != "sending", Notice.due_at < cutoff)
            )
            pruned.slots = await self._delete(Slot, self._unbooked_slots(cutoff))
            pruned.bookings_erased = await self._erase_bookings(booking_cutoff)
            if self.message_keep is not None:
                pruned.max_messages = await self._delete(
                    MaxMessage, self._old_max_messages(now - self.message_keep)
                )
            pruned.searches = await self._delete(
                DemandLog, select(DemandLog.id).where(DemandLog.at < now - self.demand_keep)
            )
            return pruned

    @contextlib.asynccontextmanager
    async def _claim(self) -> AsyncIterator[bool]:
        engine = bound_engine(self._write)
        if engine.dialect.name != "postgresql":
            yield True  # SQLite's writers take turns anyway
            return
        async with engine.connect() as connection:
            got = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": HOUSEKEEPING_LOCK_KEY}
            )
            await connection.commit()  # the lock belongs to the session, not a transaction
            try:
                yield bool(got)
            finally:
                if got:
                    await connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": HOUSEKEEPING_LOCK_KEY}
                    )
                    await connection.commit()

    @staticmethod
    def _finished_letters(cutoff: datetime) -> Select:
        return (
            select(Outbox.id)
            .join(Broadcast, Broadcast.id == Outbox.broadcast_id)
            .where(Broadcast.status.in_(("done", "cancelled")), Broadcast.finished_at < cutoff)
        )

    @staticmethod
    def _old_max_messages(cutoff: datetime) -> Select:
        newest = select(func.max(MaxMessage.id)).scalar_subquery()
        return select(MaxMessage.id).where(MaxMessage.created_at < cutoff, MaxMessage.id < newest)

    @staticmethod
    def _unbooked_slots(cutoff: datetime) -> Select:
        return select(Slot.id).where(*_ended(cutoff), ~exists().where(Booking.slot_id == Slot.id))

    async def _delete(self, model: type, ids: Select) -> int:
        total = 0
        while True:
            async with self._write() as session, session.begin():
                chosen = (await session.execute(ids.limit(self.batch))).scalars().all()
                if chosen:
                    await session.execute(
                        delete(model)
                        .where(model.id.in_(chosen))  # type: ignore[attr-defined]
                        .execution_options(synchronize_session=False)
                    )
            total += len(chosen)
            if len(chosen) < self.batch:
                return total

    async def _erase_bookings(self, cutoff: datetime) -> int:
        ended = select(Slot.id).where(*_ended(cutoff))
        personal = or_(
            Booking.name.is_not(None),
            Booking.phone.is_not(None),
            Booking.question.is_not(None),
            Booking.comment.is_not(None),
            and_(Booking.cancel_reason.is_not(None), Booking.cancel_reason.not_in(OUR_REASONS)),
        )
        ids = select(Booking.id).where(Booking.slot_id.in_(ended), personal)
        total = 0
        while True:
            async with self._write() as session, session.begin():
                chosen = (await session.execute(ids.limit(self.batch))).scalars().all()
                if chosen:
                    await session.execute(
                        update(Booking)
                        .where(Booking.id.in_(chosen))
                        .values(
                            name=None,
                            phone=None,
                            question=None,
                            comment=None,
                            cancel_reason=case(
                                (Booking.cancel_reason.in_(OUR_REASONS), Booking.cancel_reason),
                                else_=None,
                            ),
                        )
                        .execution_options(synchronize_session=False)
                    )
            total += len(chosen)
            if len(chosen) < self.batch:
                return total


def _ended(cutoff: datetime) -> tuple[ColumnElement[bool], ...]:
    # starts_at first: it is indexed (ix_slots_free), and a slot ends after it starts.
    return (Slot.starts_at < cutoff, Slot.ends_at < cutoff)
