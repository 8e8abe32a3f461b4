"""ORM models. Times are stored in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# The largest id an Integer primary key holds on PostgreSQL (int4): an id from outside (a
# button, a deep link) above it names no row and must not reach a query, which would fail.
MAX_ID = 2**31 - 1


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both SQLite (which drops tzinfo) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware UTC times")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Locality(Base):
    """A town or village of the region, as the catalogue knows it."""

    __tablename__ = "localities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    district: Mapped[str] = mapped_column(String(120))
    district_en: Mapped[str] = mapped_column(String(120))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)


class User(Base):
    """A Telegram user of the bot: profile and consent, no names or phones."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    locale: Mapped[str] = mapped_column(String(8))
    role: Mapped[str | None] = mapped_column(String(16))
    locality_id: Mapped[int | None] = mapped_column(
        ForeignKey("localities.id", ondelete="SET NULL"), index=True
    )
    # Before migration 0012, which moved them into `children` and emptied them: not read.
    child_age: Mapped[int | None] = mapped_column(Integer)
    child_grade: Mapped[int | None] = mapped_column(Integer)
    consent_version: Mapped[str | None] = mapped_column(String(16))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    onboarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FsmRecord(Base):
    """Conversation state of one aiogram storage key."""

    __tablename__ = "fsm_records"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[str] = mapped_column(Text, default="{}")
    # When last written: an abandoned dialog expires (RETENTION__CONVERSATION_HOURS).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Organisation(Base):
    """A centre, school or kindergarten that runs programmes."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(32), index=True)
    address: Mapped[str] = mapped_column(String(255), default="")
    locality_id: Mapped[int] = mapped_column(ForeignKey("localities.id"), index=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    phone: Mapped[str] = mapped_column(String(64), default="")
    website: Mapped[str] = mapped_column(String(255), default="")
    hours: Mapped[str] = mapped_column(String(255), default="")
    accessible: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Programme(Base):
    """A club or course of additional education."""

    __tablename__ = "programmes"
    # Covering indexes (migration 0006): a direction's filtered page walked in (name, id) order,
    # a centre's visible programmes of an age counted without reading the rows.
    __table_args__ = (
        Index(
            "ix_programmes_listing",
            "direction",
            "hidden",
            "name",
            "id",
            "age_from",
            "age_to",
            "cost",
            "format",
            "organisation_id",
        ),
        Index("ix_programmes_centre", "organisation_id", "id", "hidden", "age_from", "age_to"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    direction: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    age_from: Mapped[int] = mapped_column(Integer)
    age_to: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(16))
    cost: Mapped[str] = mapped_column(String(16))
    price: Mapped[int | None] = mapped_column(Integer)
    schedule: Mapped[str] = mapped_column(String(255), default="")
    teacher: Mapped[str] = mapped_column(String(255), default="")
    seats_total: Mapped[int | None] = mapped_column(Integer)
    seats_free: Mapped[int | None] = mapped_column(Integer)
    enrol_url: Mapped[str] = mapped_column(String(512), default="")
    # The day enrolment opens, when staff know it (migration 0013): «напомнить» rows wait for it.
    enrol_starts_on: Mapped[date | None] = mapped_column(Date)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    # Stemmed words of name, description and organisation: what text search matches against.
    search_stems: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


# --- Family consultations ---------------------------------------------------------------------
class ConsultService(Base):
    """A kind of help: psychological-pedagogical, methodical, advisory, for foster parents."""

    __tablename__ = "consult_services"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Provider(Base):
    """An organisation that gives consultations: a school, the guardianship department."""

    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    address: Mapped[str] = mapped_column(String(255), default="")
    locality_id: Mapped[int | None] = mapped_column(ForeignKey("localities.id"))
    phone: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


specialist_services = Table(
    "specialist_services",
    Base.metadata,
    Column("specialist_id", ForeignKey("specialists.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("consult_services.id", ondelete="CASCADE"), primary_key=True),
)


class Specialist(Base):
    __tablename__ = "specialists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    position: Mapped[str] = mapped_column(String(255), default="")
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    # Comma-separated subset of: in_person, phone, video.
    formats: Mapped[str] = mapped_column(String(64), default="in_person")
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    link_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    link_code_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # it expires a day later
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ScheduleTemplate(Base):
    """A weekly working window that generates slots: weekday, hours, slot length, break."""

    __tablename__ = "schedule_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    specialist_id: Mapped[int] = mapped_column(
        ForeignKey("specialists.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    start_minute: Mapped[int] = mapped_column(Integer)  # minutes after local midnight
    end_minute: Mapped[int] = mapped_column(Integer)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=45)
    break_start_minute: Mapped[int | None] = mapped_column(Integer)
    break_end_minute: Mapped[int | None] = mapped_column(Integer)


class ScheduleException(Base):
    """Days a specialist (or everyone, when empty) does not work: holidays, sick days."""

    __tablename__ = "schedule_exceptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    specialist_id: Mapped[int | None] = mapped_column(
        ForeignKey("specialists.id", ondelete="CASCADE"), index=True
    )
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(255), default="")


class Slot(Base):
    """One bookable time of one specialist. `booked` never exceeds `capacity`."""

    __tablename__ = "slots"
    __table_args__ = (
        UniqueConstraint("specialist_id", "starts_at"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="slot_capacity"),
        Index("ix_slots_free", "starts_at", "closed"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    specialist_id: Mapped[int] = mapped_column(ForeignKey("specialists.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    booked: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (Index("ix_bookings_user_status", "user_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id"), index=True)
    # NULL after /forget: the anonymous booking still counts in the reports.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    service_id: Mapped[int] = mapped_column(ForeignKey("consult_services.id"))
    format: Mapped[str] = mapped_column(String(16))
    # active, cancelled, done, missed
    status: Mapped[str] = mapped_column(String(16), default="active")
    name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(32))
    child_age: Mapped[int | None] = mapped_column(Integer)
    question: Mapped[str | None] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(8), default="ru")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    rating: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(String(1000))
    # The booking notice (who sees the data, how long it is kept) the parent accepted, and
    # when; empty for bookings made before the notice existed.
    notice_version: Mapped[str | None] = mapped_column(String(16))
    notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Reminder(Base):
    """A message due at a time: claimed by one worker, sent at most once."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("booking_id", "kind"),
        Index("ix_reminders_due", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # e.g. "24h", "2h"
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # pending → sending (claimed, lease until claimed_until) → sent | skipped | uncertain
    state: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# --- Events and announcements -----------------------------------------------------------------
class Event(Base):
    """A profession-orientation event, festival lesson or open day."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_upcoming", "hidden", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(255), default="")
    online_url: Mapped[str] = mapped_column(String(512), default="")
    registration_url: Mapped[str] = mapped_column(String(512), default="")
    # Audience; empty means everyone. Roles and localities are comma-separated.
    roles: Mapped[str] = mapped_column(String(64), default="")
    grade_from: Mapped[int | None] = mapped_column(Integer)
    grade_to: Mapped[int | None] = mapped_column(Integer)
    localities: Mapped[str] = mapped_column(String(512), default="")
    topic: Mapped[str] = mapped_column(String(32), default="orientation")
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EventReminder(Base):
    """ "Remind me" before an event: claimed and sent at most once, like consultation reminders."""

    __tablename__ = "event_reminders"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        Index("ix_event_reminders_due", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Subscription(Base):
    """A topic a user wants announcements on (orientation, clubs, consultations)."""

    __tablename__ = "subscriptions"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class Broadcast(Base):
    """An announcement to an audience; its per-recipient progress lives in `outbox`."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_by: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)  # HTML, from the admin's message entities
    text_en: Mapped[str | None] = mapped_column(Text)
    photo_file_id: Mapped[str | None] = mapped_column(String(255))
    document_file_id: Mapped[str | None] = mapped_column(String(255))
    button_text: Mapped[str | None] = mapped_column(String(64))
    button_url: Mapped[str | None] = mapped_column(String(512))
    button_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL")
    )
    audience: Mapped[str] = mapped_column(Text, default="{}")  # JSON: topics, roles, ...
    # draft → scheduled → running ⇄ paused → done | cancelled
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    total: Mapped[int] = mapped_column(Integer, default=0)
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Outbox(Base):
    """One broadcast to one recipient. pending → claimed → sending → sent | failed | blocked
    | uncertain; `claimed` rows whose lease ran out are claimed again, `sending` ones become
    uncertain (they may have been delivered) and are never resent."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "user_id"),
        Index("ix_outbox_work", "broadcast_id", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"))
    # The Telegram chat; NULL once the person used /forget and the letter was settled.
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    locale: Mapped[str] = mapped_column(String(8), default="ru")
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(255))


class SendWindow(Base):
    """Sends per second shared by every worker: the global rate budget."""

    __tablename__ = "send_windows"

    second: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    used: Mapped[int] = mapped_column(Integer, default=0)


class SendPause(Base):
    """One row: no sending before `until` (Telegram's retry_after applies to all workers)."""

    __tablename__ = "send_pause"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    until: Mapped[datetime] = mapped_column(UTCDateTime)


# --- Webhook ----------------------------------------------------------------------------------
class ProcessedUpdate(Base):
    """An update_id taken by an instance (webhook mode): inserted before handling, so a
    re-sent update, or the same update at a second instance, is not handled again."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class LinkAttempt(Base):
    """A wrong /link code typed by a person: a few an hour, then /link refuses for a while."""

    __tablename__ = "link_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- MAX --------------------------------------------------------------------------------------
class MaxMessage(Base):
    """A MAX message's string `mid` and the integer id the bot's aiogram code knows it by: in
    the database so that a restart, or a second instance, edits the same messages."""

    __tablename__ = "max_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mid: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


# --- Children (migration 0012) ----------------------------------------------------------------
class Child(Base):
    """One of a parent's children: what was given (age, grade or birth year, as typed, and
    when), `born` estimated from it for filters; interests are direction codes."""

    __tablename__ = "children"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(32))
    age: Mapped[int | None] = mapped_column(Integer)
    grade: Mapped[int | None] = mapped_column(Integer)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    noted_on: Mapped[date] = mapped_column(Date)  # when the age or grade was given
    born: Mapped[int] = mapped_column(Integer)  # estimated birth year
    interests: Mapped[str] = mapped_column(String(128), default="")  # comma-separated
    health_needs: Mapped[bool] = mapped_column(Boolean, default=False)  # ОВЗ
    # The last one chosen «для кого» is the one with the latest time.
    chosen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- Waitlists and enrolment alerts (migration 0013) ------------------------------------------
class WaitlistEntry(Base):
    """A person waiting for a seat of a programme, or for free time of a consultation topic
    (at one organisation, or any). `target` says which («p:12», «c:3:7», «c:3:*»): one entry a
    person and target. waiting → pending (told, in joining order, when a seat or a slot frees)
    → claimed → sending → sent | failed | uncertain, as services/due_rows.py moves them."""

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        UniqueConstraint("user_id", "target"),
        Index("ix_waitlist_queue", "target", "state", "joined_at"),
        Index("ix_waitlist_due", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    target: Mapped[str] = mapped_column(String(32))
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("consult_services.id", ondelete="CASCADE")
    )
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(8), default="ru")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(16), default="waiting")
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when released to be told
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EnrolReminder(Base):
    """«⏰ Напомнить о начале записи»: due the morning of the programme's `enrol_starts_on`
    (read at claim time, so a changed date moves it), claimed and sent at most once."""

    __tablename__ = "enrol_reminders"
    __table_args__ = (
        UniqueConstraint("programme_id", "user_id"),
        Index("ix_enrol_reminders_state", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    locale: Mapped[str] = mapped_column(String(8), default="ru")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# --- What families look for: the demand log, without personal data (migration 0014) ----------
class DemandLog(Base):
    """One question or list search, without the person: no user or chat id, no text but the
    stems of a question's topic words (services/insights/topics.py), for the department's
    /insights. `opened`/`booked`/`vote` are set later by the row's id, kept in the searcher's
    conversation data. Deleted after RETENTION__DEMAND_DAYS (services/housekeeping.py)."""

    __tablename__ = "demand_log"
    # The report's two reads, each along a covering index in its GROUP BY's order (no table
    # rows read, no sort: a million rows in about a second on SQLite). No index leads with
    # `at`: the planner would take it and then sort; the retention's delete of the oldest
    # rows finds them first in either index's scan anyway.
    __table_args__ = (
        Index(
            "ix_demand_log_cells",
            "kind",
            "locality_id",
            "direction",
            "age_band",
            "at",
            "results",
            "opened",
            "booked",
            "vote",
        ),
        Index("ix_demand_log_topics", "topic", "answer", "at", "results", "missed", "vote"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))  # question | list | nearby
    locality_id: Mapped[int | None] = mapped_column(Integer)
    direction: Mapped[str | None] = mapped_column(String(32))
    age_band: Mapped[str | None] = mapped_column(String(8))  # "0-6", "7-10", "11-14", "15-18"
    # What answered a question: programmes, nothing, faq:<id>, an intent (consult, events, …).
    answer: Mapped[str | None] = mapped_column(String(48))
    # A question's sorted distinct stems ("" when none is left); NULL for lists and «Рядом».
    topic: Mapped[str | None] = mapped_column(String(160))
    results: Mapped[int] = mapped_column(Integer, default=0)
    # A question with words the search could not use (unknown, or found in no programme):
    # answered, if at all, without them.
    missed: Mapped[bool] = mapped_column(Boolean, default=False)
    opened: Mapped[bool] = mapped_column(Boolean, default=False)
    booked: Mapped[bool] = mapped_column(Boolean, default=False)
    vote: Mapped[int | None] = mapped_column(Integer)  # 1 👍, -1 👎


# --- Interest quiz results (migration 0015) ---------------------------------------------------
class QuizResult(Base):
    """A person's latest interest quiz (services/quiz): the directions' scores and the top ones,
    kept only with consent; one row per person and child (a retake replaces it). The answers
    themselves are not kept. `child_id` names the child once children are kept (no key yet)."""

    __tablename__ = "quiz_results"
    __table_args__ = (Index("ix_quiz_results_taken", "taken_at", "top_direction"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    child_id: Mapped[int | None] = mapped_column(Integer)
    wording: Mapped[str] = mapped_column(String(16))  # pupil (about self) | parent (a child)
    scores: Mapped[dict[str, int]] = mapped_column(JSON)  # direction code → points
    top: Mapped[str] = mapped_column(String(128))  # the top directions, comma-separated
    top_direction: Mapped[str] = mapped_column(String(32))  # the first of them, for counts
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- Notices to people of the other messenger (migration 0016) --------------------------------
class Notice(Base):
    """A message from one person's action to someone the acting process cannot reach (a person
    of the other messenger): claimed by the process of the recipient's messenger, sent at most
    once (services/notices). `args` hold ids and values the text is rendered from at send time,
    in the recipient's language; `booking_id` the booking it is about, if any (/forget)."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)  # the recipient
    kind: Mapped[str] = mapped_column(String(16))  # booked, cancelled, moved, rate, alert
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    args: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # pending → claimed (lease until claimed_until) → sending → sent | failed | uncertain
    state: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
