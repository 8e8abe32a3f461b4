"""What the bot stores about one user, and forgetting it (152-ФЗ: the right to have it deleted).

Stored about a user (all shown by /mydata):
- the profile row (`users`): language, role, locality, consent, dates;
- their children (`children`: name, age or grade or birth year, interests, ОВЗ);
- their bookings (name, phone, child's age, question, rating and comment);
- a specialist account linked to them;
- announcement subscriptions (`subscriptions`: topics, plus an internal marker row that says
  the person has chosen, which is not shown);
- "remind me" rows for events (`event_reminders`: which event, when, pending or sent);
- interest quiz results (`quiz_results`: points per direction, the top ones, when taken);
- waitlist entries (`waitlist_entries`: a programme's seat or a consultation topic's time,
  since when, told or not) and enrolment reminders (`enrol_reminders`);
- conversation state (which the handler reads and clears through aiogram's FSM context,
  whatever the storage).

Forgetting deletes the children and the profile row, and with it (ON DELETE CASCADE) the
subscriptions, event reminders, quiz results, waitlist entries and enrolment reminders; deletes
the person's broadcast letters still waiting to go (`outbox` rows `pending` or `claimed`, in the
same transaction, so a queued announcement is not sent afterwards; the broadcast's `total`
shrinks by them); unlinks a specialist account; cancels upcoming bookings. It keeps what the
department's reports count — a booking's status, service, slot, format and rating, with nothing
that says whose it was — and the outbox rows of announcements already sent, failed, blocked or
uncertain: they are the broadcast's delivery counts, and lose the Telegram id they were
addressed to. (A letter being handed to Telegram at that very moment, `sending`, keeps it: it
is settled by the worker sending it.)

Once the caller has also cleared the conversation state, `erase_traces` makes the old versions
of these rows gone from the database's files (db/scrub.py: SQLite's WAL emptied into a main
file whose freed space is zeroed; on PostgreSQL a VACUUM). Backups keep them until they age out.

`sweep_expired` (the clock runs it hourly) deletes what is kept only for a while: states of
dialogs abandoned for RETENTION__CONVERSATION_HOURS, and wrong /link attempts that no longer
count (kept an hour, against guessing; /forget leaves them, or it would reset the limit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import bound_engine
from db.models import (
    Booking,
    Broadcast,
    ConsultService,
    EnrolReminder,
    Event,
    EventReminder,
    FsmRecord,
    Locality,
    Notice,
    Outbox,
    QuizResult,
    Slot,
    Specialist,
    Subscription,
    User,
    WaitlistEntry,
    utcnow,
)
from db.models import Child as ChildRow
from db.scrub import scrub
from services.booking.service import BookingError, BookingInfo, BookingService, Named
from services.booking.specialists import SpecialistCard, SpecialistService, prune_link_attempts
from services.broadcasts.service import FINAL_STATES, TOPICS
from services.events.subscriptions import CHOSEN
from services.notices.queue import StoredNotice, forget_notices, stored_notices
from services.people.children import Child, to_child
from services.quiz.results import StoredQuiz, stored_quiz
from services.waitlists.enrolment import StoredEnrolReminder, stored_enrol_reminders
from services.waitlists.entries import StoredWait, stored_waits

FORGET_REASON = "forget"
# Outbox rows not yet handed to Telegram: deleted on forgetting, so they are never sent.
UNSENT = ("pending", "claimed")
# Tables whose rows /forget deletes or overwrites (the conversation state's included).
FORGET_TABLES = tuple(
    model.__tablename__
    for model in (
        Booking,
        User,
        ChildRow,
        Specialist,
        Outbox,
        Subscription,
        EventReminder,
        QuizResult,
        FsmRecord,
        WaitlistEntry,
        EnrolReminder,
        Notice,
    )
)


@dataclass(frozen=True, slots=True)
class StoredProfile:
    locale: str
    role: str | None
    locality: Named | None
    consent_version: str | None
    consent_at: datetime | None
    onboarded_at: datetime | None
    blocked_at: datetime | None
    created_at: datetime | None


@dataclass(frozen=True, slots=True)
class StoredBooking:
    id: int
    code: str
    status: str
    starts_at: datetime
    service: Named
    specialist: str
    format: str
    name: str | None
    phone: str | None
    child_age: int | None
    question: str | None
    locale: str
    rating: int | None
    comment: str | None
    created_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    notice_version: str | None = None  # the booking notice accepted, and when
    notice_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StoredReminder:
    event_id: int
    title: str  # typed by staff
    starts_at: datetime
    due_at: datetime
    state: str  # pending | claimed | sending | sent | uncertain | skipped
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class StoredData:
    user_id: int
    profile: StoredProfile | None
    bookings: list[StoredBooking]
    specialist: SpecialistCard | None
    # Topics in the order of TOPICS; one not known (any more) comes last, as stored.
    topics: tuple[str, ...] = ()
    reminders: list[StoredReminder] = field(default_factory=list)
    quiz: list[StoredQuiz] = field(default_factory=list)  # interest quiz results kept
    children: tuple[Child, ...] = ()  # in the order added
    # Waitlists (a seat, consultation time) and enrolment reminders (services/waitlists).
    waits: list[StoredWait] = field(default_factory=list)
    enrol_reminders: list[StoredEnrolReminder] = field(default_factory=list)
    # Notices to them queued by the other messenger's process (services/notices).
    notices: list[StoredNotice] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Swept:
    conversations: int  # abandoned dialogs' states deleted
    link_attempts: int


@dataclass(slots=True)
class ForgetResult:
    # Upcoming bookings cancelled (their slots freed): the specialists are to be told.
    cancelled: list[BookingInfo] = field(default_factory=list)
    anonymised: int = 0  # bookings kept for the counts, without name, phone, question, owner
    unlinked: bool = False  # a specialist account was linked to this user
    profile_deleted: bool = False
    letters_dropped: int = 0  # broadcast letters not yet sent, deleted
    children_deleted: int = 0


class PrivacyService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession],
        booking: BookingService,
        specialists: SpecialistService,
    ) -> None:
        self._sessions = sessions
        self._write = write_sessions
        self._booking = booking
        self._specialists = specialists

    async def collect(self, user_id: int) -> StoredData:
        async with self._sessions() as session:
            user = await session.get(User, user_id)
            profile = None
            if user is not None:
                locality = (
                    await session.get(Locality, user.locality_id) if user.locality_id else None
                )
                profile = StoredProfile(
                    locale=user.locale,
                    role=user.role,
                    locality=Named(locality.id, locality.name, locality.name_en)
                    if locality
                    else None,
                    consent_version=user.consent_version,
                    consent_at=user.consent_at,
                    onboarded_at=user.onboarded_at,
                    blocked_at=user.blocked_at,
                    created_at=user.created_at,
                )
            rows = (
                await session.execute(
                    select(
                        Booking,
                        Slot.starts_at,
                        ConsultService.name.label("service"),
                        ConsultService.name_en.label("service_en"),
                        Specialist.name.label("specialist"),
                    )
                    .join(Slot, Slot.id == Booking.slot_id)
                    .join(ConsultService, ConsultService.id == Booking.service_id)
                    .join(Specialist, Specialist.id == Slot.specialist_id)
                    .where(Booking.user_id == user_id)
                    .order_by(Slot.starts_at, Booking.id)
                )
            ).all()
            topics = (
                await session.scalars(
                    select(Subscription.topic).where(
                        Subscription.user_id == user_id, Subscription.topic != CHOSEN
                    )
                )
            ).all()
            kids = (
                await session.scalars(
                    select(ChildRow).where(ChildRow.user_id == user_id).order_by(ChildRow.id)
                )
            ).all()
            reminders = (
                await session.execute(
                    select(EventReminder, Event.title, Event.starts_at)
                    .join(Event, Event.id == EventReminder.event_id)
                    .where(EventReminder.user_id == user_id)
                    .order_by(Event.starts_at, EventReminder.id)
                )
            ).all()
            quiz = (
                await session.scalars(
                    select(QuizResult)
                    .where(QuizResult.user_id == user_id)
                    .order_by(QuizResult.taken_at, QuizResult.id)
                )
            ).all()
        bookings = [
            StoredBooking(
                id=row.Booking.id,
                code=row.Booking.code,
                status=row.Booking.status,
                starts_at=row.starts_at,
                service=Named(row.Booking.service_id, row.service, row.service_en),
                specialist=row.specialist,
                format=row.Booking.format,
                name=row.Booking.name,
                phone=row.Booking.phone,
                child_age=row.Booking.child_age,
                question=row.Booking.question,
                locale=row.Booking.locale,
                rating=row.Booking.rating,
                comment=row.Booking.comment,
                created_at=row.Booking.created_at,
                cancelled_at=row.Booking.cancelled_at,
                cancel_reason=row.Booking.cancel_reason,
                notice_version=row.Booking.notice_version,
                notice_at=row.Booking.notice_at,
            )
            for row in rows
        ]
        return StoredData(
            user_id=user_id,
            profile=profile,
            bookings=bookings,
            specialist=await self._specialists.by_user(user_id),
            topics=tuple(sorted(topics, key=_topic_order)),
            children=tuple(to_child(row) for row in kids),
            reminders=[
                StoredReminder(
                    event_id=row.EventReminder.event_id,
                    title=row.title,
                    starts_at=row.starts_at,
                    due_at=row.EventReminder.due_at,
                    state=row.EventReminder.state,
                    sent_at=row.EventReminder.sent_at,
                )
                for row in reminders
            ],
            quiz=[stored_quiz(row) for row in quiz],
            waits=await stored_waits(self._sessions, user_id),
            enrol_reminders=await stored_enrol_reminders(self._sessions, user_id),
            notices=await stored_notices(self._sessions, user_id),
        )

    async def forget(self, user_id: int) -> ForgetResult:
        """Cancels upcoming bookings, anonymises all bookings, unlinks, drops unsent broadcast
        letters, deletes the profile (its subscriptions and event reminders go with it).

        The caller clears the conversation state and the profile cache, and tells the
        specialists of `cancelled`.
        """
        outcome = ForgetResult()
        for info in await self._booking.user_bookings(user_id, upcoming_only=True):
            try:
                outcome.cancelled.append(
                    await self._booking.cancel(user_id, info.id, FORGET_REASON)
                )
            except BookingError:
                # Already under way (or changed meanwhile): it stays in the counts, anonymised.
                continue
        async with self._write() as session, session.begin():
            # Notices to them or about their bookings, before the bookings lose their owner.
            await session.execute(forget_notices(user_id))
            bookings = await session.execute(
                update(Booking)
                .where(Booking.user_id == user_id)
                .values(
                    user_id=None,
                    name=None,
                    phone=None,
                    child_age=None,
                    question=None,
                    comment=None,
                    # A reason the parent typed may say more than it should; ours is kept.
                    cancel_reason=case(
                        (Booking.cancel_reason == FORGET_REASON, FORGET_REASON), else_=None
                    ),
                )
                .execution_options(synchronize_session=False)
            )
            specialists = await session.execute(
                update(Specialist)
                .where(Specialist.telegram_user_id == user_id)
                .values(telegram_user_id=None)
                .execution_options(synchronize_session=False)
            )
            # The profile goes before the letters: on PostgreSQL this waits for a broadcast
            # that is filling its outbox with this person (it holds their row FOR KEY SHARE), so
            # the letters it wrote are seen and dropped below; a broadcast starting after
            # this waits for us and leaves the person out (services/broadcasts/service.py).
            children = await session.execute(
                delete(ChildRow)
                .where(ChildRow.user_id == user_id)
                .execution_options(synchronize_session=False)
            )
            users = await session.execute(
                delete(User).where(User.id == user_id).execution_options(synchronize_session=False)
            )
            # A letter already `sending` may have been delivered: it stays, and is settled.
            unsent = await session.execute(
                delete(Outbox)
                .where(Outbox.user_id == user_id, Outbox.state.in_(UNSENT))
                .returning(Outbox.broadcast_id)
                .execution_options(synchronize_session=False)
            )
            broadcasts = list(unsent.scalars())  # one letter per broadcast and person
            # Settled letters stay as the broadcast's delivery counts, without the Telegram id.
            await session.execute(
                update(Outbox)
                .where(Outbox.user_id == user_id, Outbox.state.in_(FINAL_STATES))
                .values(user_id=None)
                .execution_options(synchronize_session=False)
            )
            if broadcasts:
                await session.execute(
                    update(Broadcast)
                    .where(Broadcast.id.in_(broadcasts), Broadcast.total > 0)
                    .values(total=Broadcast.total - 1)
                    .execution_options(synchronize_session=False)
                )
        outcome.anonymised = bookings.rowcount
        outcome.unlinked = specialists.rowcount > 0
        outcome.profile_deleted = users.rowcount > 0
        outcome.children_deleted = children.rowcount
        outcome.letters_dropped = len(broadcasts)
        return outcome

    async def erase_traces(self) -> bool:
        """After `forget` and the state's deletion: True when the old row versions are gone
        from the database's files (False: SQLite readers kept the WAL busy for seconds)."""
        return await scrub(bound_engine(self._sessions), FORGET_TABLES)


async def sweep_expired(
    write_sessions: async_sessionmaker[AsyncSession],
    conversation_hours: int,
    now: datetime | None = None,
) -> Swept:
    """Deletes abandoned dialogs' states and wrong /link attempts that no longer count."""
    now = now or utcnow()
    async with write_sessions() as session, session.begin():
        result = await session.execute(
            delete(FsmRecord)
            .where(FsmRecord.updated_at < now - timedelta(hours=conversation_hours))
            .execution_options(synchronize_session=False)
        )
        conversations = result.rowcount
    return Swept(conversations, await prune_link_attempts(write_sessions, now))


def _topic_order(topic: str) -> tuple[int, str]:
    return (TOPICS.index(topic) if topic in TOPICS else len(TOPICS), topic)
