"""Family consultations: what can be booked, booking without double booking, cancel, move.

No double booking by construction: a slot is taken by a conditional UPDATE
(`booked < capacity`) whose row count decides, inside the transaction that inserts the booking.
On SQLite that transaction begins IMMEDIATE; on PostgreSQL the row lock serialises takers.

Nor two consultations at once for one parent: the same transaction refuses a slot that overlaps
another active booking of theirs (another specialist, another town), after locking the parent's
row on PostgreSQL, so two bookings made at the same moment see each other.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql import Executable

from db.engine import read_rows, read_sessions
from db.models import (
    Booking,
    Provider,
    Reminder,
    Slot,
    Specialist,
    User,
    specialist_services,
)
from services.booking import queries as q
from services.booking.schedule import local_to_utc

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
FORMATS = ("in_person", "phone", "video")
MIN_LEAD = timedelta(minutes=30)  # no booking of a slot that starts sooner than this
# The edition of the booking notice (locales/*/consent.ftl booking-notice) a parent accepts.
NOTICE_VERSION = "2026-12"


@dataclass(frozen=True, slots=True)
class Named:
    id: int
    name: str
    name_en: str = ""

    def title(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name


@dataclass(frozen=True, slots=True)
class SpecialistInfo:
    id: int
    name: str
    position: str
    provider_id: int
    provider: str
    formats: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SlotInfo:
    id: int
    starts_at: datetime
    ends_at: datetime
    specialist_id: int
    specialist: str
    provider: str
    formats: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BookingInfo:
    id: int
    code: str
    status: str
    user_id: int | None
    starts_at: datetime
    ends_at: datetime
    service: Named
    specialist: SpecialistInfo
    specialist_user_id: int | None
    address: str
    format: str
    name: str | None
    phone: str | None
    child_age: int | None
    question: str | None
    locale: str
    rating: int | None
    cancel_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """What the parent picked so far; None means any."""

    service_id: int
    provider_id: int | None = None
    specialist_id: int | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    phone: str
    child_age: int | None
    question: str | None
    locale: str
    # When the parent accepted the booking notice (NOTICE_VERSION); kept with the booking.
    notice_at: datetime | None = None


class BookingError(Exception):
    """reason: slot_taken, limit, not_found, too_late, bad_choice, clash (`clash` is then the
    parent's active booking at the same time)."""

    def __init__(
        self,
        reason: str,
        alternatives: Sequence[SlotInfo] = (),
        clash: BookingInfo | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.alternatives = list(alternatives)
        self.clash = clash


class _Clash(Exception):
    """Raised inside the write transaction (so it rolls back); becomes BookingError("clash")."""

    def __init__(self, booking_id: int) -> None:
        super().__init__(booking_id)
        self.booking_id = booking_id


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def _formats(value: str) -> tuple[str, ...]:
    return tuple(part for part in value.split(",") if part in FORMATS)


class BookingService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession],
        zone: ZoneInfo,
        *,
        max_active: int = 3,
        reminder_hours: Sequence[int] = (24, 2),
        clock=lambda: datetime.now(UTC),  # type: ignore[no-untyped-def]
    ) -> None:
        self._sessions = sessions
        self._reads = read_sessions(sessions)  # reads: no BEGIN and ROLLBACK round trips
        self._write = write_sessions
        self.zone = zone
        self.max_active = max_active
        self.reminder_hours = tuple(reminder_hours)
        self.now = clock

    # --- what can be booked ----------------------------------------------------------------
    async def _rows(self, statement: Executable, values: dict[str, Any] | None = None) -> list:
        """A read on a plain connection (Core; see services/booking/queries.py)."""
        return await read_rows(self._sessions, statement, values)

    async def services(self) -> list[Named]:
        return [Named(r.id, r.name, r.name_en) for r in await self._rows(q.ACTIVE_SERVICES)]

    async def service(self, service_id: int) -> Named | None:
        rows = await self._rows(q.ACTIVE_SERVICE, {"service_id": service_id})
        return Named(rows[0].id, rows[0].name, rows[0].name_en) if rows else None

    async def providers(self, service_id: int) -> list[Named]:
        rows = await self._rows(q.PROVIDERS_OF_SERVICE, {"service_id": service_id})
        return [Named(r.id, r.name) for r in rows]

    async def provider_address(self, provider_id: int) -> str:
        """An organisation's address, for the confirmation before a booking is made."""
        async with self._reads() as session:
            provider = await session.get(Provider, provider_id)
        return provider.address if provider else ""

    async def specialists(self, service_id: int, provider_id: int | None) -> list[SpecialistInfo]:
        if provider_id is None:
            rows = await self._rows(q.SPECIALISTS_OF_SERVICE, {"service_id": service_id})
        else:
            values = {"service_id": service_id, "provider_id": provider_id}
            rows = await self._rows(q.SPECIALISTS_OF_SERVICE_AT, values)
        return [
            SpecialistInfo(r.id, r.name, r.position, r.provider_id, r.provider, _formats(r.formats))
            for r in rows
        ]

    def _free_slots(self, choice: Choice) -> Select:
        statement = (
            select(
                Slot,
                Specialist.name.label("specialist"),
                Specialist.formats,
                Provider.name.label("provider"),
            )
            .join(Specialist, Specialist.id == Slot.specialist_id)
            .join(Provider, Provider.id == Specialist.provider_id)
            .join(specialist_services, specialist_services.c.specialist_id == Specialist.id)
            .where(
                specialist_services.c.service_id == choice.service_id,
                Specialist.active.is_(True),
                Provider.active.is_(True),
                Slot.closed.is_(False),
                Slot.booked < Slot.capacity,
                Slot.starts_at > self.now() + MIN_LEAD,
            )
        )
        if choice.provider_id is not None:
            statement = statement.where(Specialist.provider_id == choice.provider_id)
        if choice.specialist_id is not None:
            statement = statement.where(Slot.specialist_id == choice.specialist_id)
        return statement

    async def free_days(self, choice: Choice, first: date, last: date) -> set[date]:
        """Local days between `first` and `last` that have at least one free slot."""
        start = local_to_utc(first, 0, self.zone)
        end = local_to_utc(last + timedelta(days=1), 0, self.zone)
        statement = self._free_slots(choice).where(Slot.starts_at >= start, Slot.starts_at < end)
        statement = statement.with_only_columns(Slot.starts_at)
        return {row.starts_at.astimezone(self.zone).date() for row in await self._rows(statement)}

    async def free_slots(self, choice: Choice, day: date) -> list[SlotInfo]:
        start = local_to_utc(day, 0, self.zone)
        end = local_to_utc(day + timedelta(days=1), 0, self.zone)
        statement = self._free_slots(choice).where(Slot.starts_at >= start, Slot.starts_at < end)
        return await self._slot_infos(statement.order_by(Slot.starts_at, Specialist.name))

    async def nearest_slots(self, choice: Choice, limit: int = 5) -> list[SlotInfo]:
        statement = self._free_slots(choice).order_by(Slot.starts_at, Specialist.name).limit(limit)
        return await self._slot_infos(statement)

    async def slot(self, slot_id: int) -> SlotInfo | None:
        statement = (
            select(
                Slot,
                Specialist.name.label("specialist"),
                Specialist.formats,
                Provider.name.label("provider"),
            )
            .join(Specialist, Specialist.id == Slot.specialist_id)
            .join(Provider, Provider.id == Specialist.provider_id)
            .where(Slot.id == slot_id)
        )
        found = await self._slot_infos(statement)
        return found[0] if found else None

    async def _slot_infos(self, statement: Select) -> list[SlotInfo]:
        async with self._reads() as session:
            rows = (await session.execute(statement)).all()
        seen: dict[int, SlotInfo] = {}
        for row in rows:
            slot = row.Slot
            seen.setdefault(
                slot.id,
                SlotInfo(
                    slot.id,
                    slot.starts_at,
                    slot.ends_at,
                    slot.specialist_id,
                    row.specialist,
                    row.provider,
                    _formats(row.formats),
                ),
            )
        return list(seen.values())

    # --- booking ---------------------------------------------------------------------------
    async def book(
        self, user_id: int, choice: Choice, slot_id: int, format_: str, contact: Contact
    ) -> BookingInfo:
        now = self.now()
        code = _new_code()  # unique constraint backs it; a clash (1 in 10^9) fails loudly
        try:
            async with self._write() as session, session.begin():
                booking_id = await self._insert(
                    session, user_id, choice, slot_id, format_, contact, code, now
                )
        except _Clash as clash:
            raise BookingError("clash", clash=await self.booking(clash.booking_id)) from None
        if booking_id is None:
            raise BookingError("slot_taken", await self.nearest_slots(choice))
        found = await self.booking(booking_id)
        assert found is not None
        return found

    async def _insert(
        self,
        session: AsyncSession,
        user_id: int,
        choice: Choice,
        slot_id: int,
        format_: str,
        contact: Contact,
        code: str,
        now: datetime,
    ) -> int | None:
        """The new booking's id, or None when the slot is taken. Raising rolls it all back."""
        starts_at, ends_at = await self._check_choice(session, choice, slot_id, format_)
        # Take the slot first: most failed attempts end here, after one statement.
        if not await self._take(session, slot_id, now):
            return None
        await self._lock_parent(session, user_id)
        await self._check_limit(session, user_id, now)
        await self._check_clash(session, user_id, starts_at, ends_at)
        booking_id = (
            await session.execute(
                insert(Booking)
                .values(
                    code=code,
                    slot_id=slot_id,
                    user_id=user_id,
                    service_id=choice.service_id,
                    format=format_,
                    status="active",
                    name=contact.name,
                    phone=contact.phone,
                    child_age=contact.child_age,
                    question=contact.question,
                    locale=contact.locale,
                    created_at=now,
                    notice_version=NOTICE_VERSION if contact.notice_at else None,
                    notice_at=contact.notice_at,
                )
                .returning(Booking.id)
            )
        ).scalar_one()
        await self._plan_reminders(session, booking_id, starts_at, now)
        return booking_id

    @staticmethod
    async def _lock_parent(session: AsyncSession, user_id: int) -> None:
        """One booking or move at a time per parent on PostgreSQL, so the limit and the clash
        check hold under concurrency (SQLite's IMMEDIATE transactions are one at a time)."""
        if session.bind.dialect.name == "postgresql":
            await session.execute(select(User.id).where(User.id == user_id).with_for_update())

    async def _check_limit(self, session: AsyncSession, user_id: int, now: datetime) -> None:
        active = (
            await session.execute(
                select(func.count())
                .select_from(Booking)
                .join(Slot, Slot.id == Booking.slot_id)
                .where(Booking.user_id == user_id, Booking.status == "active", Slot.ends_at > now)
            )
        ).scalar_one()
        # The slot just taken is not a booking yet, so `active` counts the others.
        if active >= self.max_active:
            raise BookingError("limit")

    @staticmethod
    async def _check_clash(
        session: AsyncSession,
        user_id: int,
        starts_at: datetime,
        ends_at: datetime,
        moving: int | None = None,
    ) -> None:
        """Raises _Clash naming the parent's active booking that overlaps [starts_at, ends_at),
        other than the one being moved."""
        statement = (
            select(Booking.id)
            .join(Slot, Slot.id == Booking.slot_id)
            .where(
                Booking.user_id == user_id,
                Booking.status == "active",
                Slot.starts_at < ends_at,
                Slot.ends_at > starts_at,
            )
            .order_by(Slot.starts_at, Booking.id)
            .limit(1)
        )
        if moving is not None:
            statement = statement.where(Booking.id != moving)
        clash = (await session.execute(statement)).scalar()
        if clash is not None:
            raise _Clash(clash)

    async def _check_choice(
        self, session: AsyncSession, choice: Choice, slot_id: int, format_: str
    ) -> tuple[datetime, datetime]:
        """The slot's start and end, when the slot fits the choice and the format; else
        bad_choice."""
        row = (
            await session.execute(
                select(
                    Specialist.formats,
                    Specialist.provider_id,
                    Specialist.id,
                    Slot.starts_at,
                    Slot.ends_at,
                )
                .join(Slot, Slot.specialist_id == Specialist.id)
                .join(Provider, Provider.id == Specialist.provider_id)
                .join(specialist_services, specialist_services.c.specialist_id == Specialist.id)
                .where(
                    Slot.id == slot_id,
                    specialist_services.c.service_id == choice.service_id,
                    # hidden by staff after the parent saw the slot: no longer bookable
                    Specialist.active.is_(True),
                    Provider.active.is_(True),
                )
            )
        ).first()
        if row is None or format_ not in _formats(row.formats):
            raise BookingError("bad_choice")
        if choice.provider_id not in (None, row.provider_id):
            raise BookingError("bad_choice")
        if choice.specialist_id not in (None, row.id):
            raise BookingError("bad_choice")
        return row.starts_at, row.ends_at

    async def _take(self, session: AsyncSession, slot_id: int, now: datetime) -> bool:
        result = await session.execute(
            update(Slot)
            .where(
                Slot.id == slot_id,
                Slot.booked < Slot.capacity,
                Slot.closed.is_(False),
                Slot.starts_at > now + MIN_LEAD,
            )
            .values(booked=Slot.booked + 1)
        )
        return result.rowcount == 1

    async def _plan_reminders(
        self, session: AsyncSession, booking_id: int, starts_at: datetime, now: datetime
    ) -> None:
        rows = [
            {"booking_id": booking_id, "kind": f"{hours}h", "due_at": due, "state": "pending"}
            for hours in self.reminder_hours
            if (due := starts_at - timedelta(hours=hours)) > now
        ]
        if rows:
            await session.execute(insert(Reminder), rows)

    async def cancel(self, user_id: int | None, booking_id: int, reason: str | None) -> BookingInfo:
        """Cancel an upcoming booking (user_id None: by staff)."""
        now = self.now()
        async with self._write() as session, session.begin():
            booking = await self._active_booking(session, user_id, booking_id, now)
            booking.status = "cancelled"
            booking.cancelled_at = now
            booking.cancel_reason = (reason or "")[:500] or None
            await session.execute(
                update(Slot)
                .where(Slot.id == booking.slot_id, Slot.booked > 0)
                .values(booked=Slot.booked - 1)
            )
            await session.execute(
                delete(Reminder).where(
                    Reminder.booking_id == booking_id, Reminder.state == "pending"
                )
            )
        found = await self.booking(booking_id)
        assert found is not None
        return found

    async def reschedule(self, user_id: int, booking_id: int, new_slot_id: int) -> BookingInfo:
        """Take the new slot first, then free the old one, in one transaction. The new time may
        overlap the booking being moved, not another of the parent's."""
        now = self.now()
        try:
            async with self._write() as session, session.begin():
                booking = await self._active_booking(session, user_id, booking_id, now)
                choice = Choice(booking.service_id)
                starts_at, ends_at = await self._check_choice(
                    session, choice, new_slot_id, booking.format
                )
                if new_slot_id == booking.slot_id:
                    raise BookingError("bad_choice")
                taken = await self._take(session, new_slot_id, now)
                if taken:
                    # Slot first, then the parent, as in book(): one lock order, no deadlock.
                    await self._lock_parent(session, user_id)
                    await self._check_clash(session, user_id, starts_at, ends_at, booking.id)
                    await session.execute(
                        update(Slot)
                        .where(Slot.id == booking.slot_id, Slot.booked > 0)
                        .values(booked=Slot.booked - 1)
                    )
                    booking.slot_id = new_slot_id
                    await session.execute(
                        delete(Reminder).where(
                            Reminder.booking_id == booking_id, Reminder.state == "pending"
                        )
                    )
                    await self._plan_reminders(session, booking.id, starts_at, now)
        except _Clash as clash:
            raise BookingError("clash", clash=await self.booking(clash.booking_id)) from None
        if not taken:
            raise BookingError("slot_taken", await self.nearest_slots(Choice(booking.service_id)))
        found = await self.booking(booking_id)
        assert found is not None
        return found

    async def _active_booking(
        self, session: AsyncSession, user_id: int | None, booking_id: int, now: datetime
    ) -> Booking:
        booking = await session.get(Booking, booking_id)
        if booking is None or (user_id is not None and booking.user_id != user_id):
            raise BookingError("not_found")
        if booking.status != "active":
            raise BookingError("not_found")
        starts_at = (
            await session.execute(select(Slot.starts_at).where(Slot.id == booking.slot_id))
        ).scalar_one()
        if starts_at <= now:
            raise BookingError("too_late")
        return booking

    # --- reading bookings -----------------------------------------------------------------
    @staticmethod
    def _info(row) -> BookingInfo:  # type: ignore[no-untyped-def]
        return BookingInfo(
            id=row.id,
            code=row.code,
            status=row.status,
            user_id=row.user_id,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            service=Named(row.service_id, row.service, row.service_en),
            specialist=SpecialistInfo(
                row.specialist_id,
                row.specialist_name,
                row.specialist_position,
                row.specialist_provider_id,
                row.provider,
                _formats(row.specialist_formats),
            ),
            specialist_user_id=row.specialist_user_id,
            address=row.address,
            format=row.format,
            name=row.name,
            phone=row.phone,
            child_age=row.child_age,
            question=row.question,
            locale=row.locale,
            rating=row.rating,
            cancel_reason=row.cancel_reason,
        )

    async def booking(self, booking_id: int) -> BookingInfo | None:
        rows = await self._rows(q.bookings().where(q.BOOKINGS.c.id == booking_id))
        return self._info(rows[0]) if rows else None

    async def user_bookings(self, user_id: int, *, upcoming_only: bool = True) -> list[BookingInfo]:
        if upcoming_only:
            rows = await self._rows(q.UPCOMING_OF_USER, {"user_id": user_id, "now": self.now()})
        else:
            statement = q.bookings().where(q.BOOKINGS.c.user_id == user_id)
            rows = await self._rows(statement.order_by(q.SLOTS.c.starts_at))
        return [self._info(r) for r in rows]

    async def bookings_between(
        self,
        start: datetime,
        end: datetime,
        specialist_id: int | None = None,
        statuses: Sequence[str] = ("active", "done", "missed"),
    ) -> list[BookingInfo]:
        slots = q.SLOTS.c
        statement = q.bookings().where(
            and_(slots.starts_at >= start, slots.starts_at < end, q.BOOKINGS.c.status.in_(statuses))
        )
        if specialist_id is not None:
            statement = statement.where(slots.specialist_id == specialist_id)
        return [self._info(r) for r in await self._rows(statement.order_by(slots.starts_at))]

    def day_bounds(self, day: date, days: int = 1) -> tuple[datetime, datetime]:
        return local_to_utc(day, 0, self.zone), local_to_utc(
            day + timedelta(days=days), 0, self.zone
        )
