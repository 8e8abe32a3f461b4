"""The specialists' side of consultations: linking a Telegram account by a one-time code,
their bookings by day, marking a consultation done or missed, and the parent's rating.

A link code works for LINK_CODE_TTL after it is made; a person who typed WRONG_LINKS_LIMIT
wrong codes within LINK_WINDOW is refused until the oldest of them is that old (the attempts
are rows, so a restart does not reset the count; `prune_link_attempts` deletes old ones).

Every change is one conditional UPDATE whose row count decides (a code is used once, a
booking is marked once, rated once), so two presses or two devices never both win.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Booking, LinkAttempt, Provider, Slot, Specialist
from services.booking.service import BookingInfo, BookingService

# No 0/O, 1/I: a code read aloud or copied from paper is typed right.
LINK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LINK_LENGTH = 8
LINK_CODE_TTL = timedelta(hours=24)
WRONG_LINKS_LIMIT = 5
LINK_WINDOW = timedelta(hours=1)
MARKS = ("done", "missed")
RATINGS = range(1, 6)
COMMENT_MAX = 1000

# Outcomes of mark(): what the handler tells the specialist.
MARKED, ALREADY, CANCELLED, TOO_EARLY, NOT_FOUND = (
    "marked",
    "already",
    "cancelled",
    "too_early",
    "not_found",
)
# Outcomes of rate() and comment().
SAVED, EMPTY, TOO_LONG, BAD_VALUE = "saved", "empty", "too_long", "bad_value"


@dataclass(frozen=True, slots=True)
class SpecialistCard:
    id: int
    external_id: str
    name: str
    position: str
    provider: str
    telegram_user_id: int | None
    active: bool

    @property
    def linked(self) -> bool:
        return self.telegram_user_id is not None


class LinkError(Exception):
    """reason: not_found (no such specialist), bad_code (wrong or used), expired (the code is
    older than LINK_CODE_TTL), too_many (too many wrong codes lately: try again at `retry_at`),
    taken (this account is linked to another specialist: `specialist` is that one)."""

    def __init__(
        self,
        reason: str,
        specialist: SpecialistCard | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.specialist = specialist
        self.retry_at = retry_at


@dataclass(frozen=True, slots=True)
class DayBookings:
    day: date
    bookings: list[BookingInfo]


@dataclass(frozen=True, slots=True)
class MarkResult:
    outcome: str
    booking: BookingInfo | None = None


def normalise_code(text: str | None) -> str | None:
    """' abcd-2345 ', 'link-ABCD2345' → 'ABCD2345'; None when it cannot be a code."""
    code = re.sub(r"[\s\-_]", "", text or "").upper()
    if len(code) == LINK_LENGTH + 4 and code.startswith("LINK"):
        code = code[4:]
    if len(code) != LINK_LENGTH or any(char not in LINK_ALPHABET for char in code):
        return None
    return code


def new_code() -> str:
    return "".join(secrets.choice(LINK_ALPHABET) for _ in range(LINK_LENGTH))


class SpecialistService:
    """Reads through the booking service; writes are single conditional statements."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession],
        booking: BookingService,
    ) -> None:
        self._sessions = sessions
        self._write = write_sessions
        self._booking = booking

    # --- clock -------------------------------------------------------------------------------
    def now(self) -> datetime:
        return self._booking.now()

    def today(self) -> date:
        return self.now().astimezone(self._booking.zone).date()

    # --- who is who --------------------------------------------------------------------------
    @staticmethod
    def _cards():  # type: ignore[no-untyped-def]
        return select(Specialist, Provider.name.label("provider")).join(
            Provider, Provider.id == Specialist.provider_id
        )

    @staticmethod
    def _card(row) -> SpecialistCard:  # type: ignore[no-untyped-def]
        s = row.Specialist
        return SpecialistCard(
            s.id, s.external_id, s.name, s.position, row.provider, s.telegram_user_id, s.active
        )

    async def _one(self, statement) -> SpecialistCard | None:  # type: ignore[no-untyped-def]
        async with self._sessions() as session:
            row = (await session.execute(statement)).first()
        return self._card(row) if row else None

    async def all(self) -> list[SpecialistCard]:
        async with self._sessions() as session:
            rows = (await session.execute(self._cards().order_by(Specialist.name))).all()
        return [self._card(row) for row in rows]

    async def get(self, specialist_id: int) -> SpecialistCard | None:
        return await self._one(self._cards().where(Specialist.id == specialist_id))

    async def find(self, ref: str) -> SpecialistCard | None:
        """By external id (as in the import files, case-insensitive), else by database id."""
        ref = ref.strip()
        if not ref:
            return None
        found = await self._one(
            self._cards().where(func.upper(Specialist.external_id) == ref.upper())
        )
        if found is None and ref.isascii() and ref.isdigit() and len(ref) < 10:  # «²» is a digit
            found = await self.get(int(ref))
        return found

    async def by_user(self, user_id: int) -> SpecialistCard | None:
        return await self._one(self._cards().where(Specialist.telegram_user_id == user_id))

    # --- linking -----------------------------------------------------------------------------
    async def new_link_code(self, specialist_id: int) -> str:
        """A fresh one-time code for the specialist; any earlier unused code stops working."""
        for _ in range(10):
            code = new_code()
            try:
                async with self._write() as session, session.begin():
                    result = await session.execute(
                        update(Specialist)
                        .where(Specialist.id == specialist_id)
                        .values(link_code=code, link_code_at=self.now())
                    )
            except IntegrityError:  # the same code given to another specialist: draw again
                continue
            if result.rowcount != 1:
                raise LinkError("not_found")
            return code
        raise RuntimeError("could not draw a unique link code")

    async def link(self, user_id: int, text: str | None) -> SpecialistCard:
        """Links the account to the specialist whose code this is; the code is then spent."""
        now = self.now()
        await self._check_attempts(user_id, now)
        code = normalise_code(text)
        found = None
        if code is not None:
            async with self._sessions() as session:
                found = (
                    await session.execute(
                        select(Specialist.id, Specialist.link_code_at).where(
                            Specialist.link_code == code
                        )
                    )
                ).first()
        if found is None:
            await self._wrong_attempt(user_id, now)
            raise LinkError("bad_code")
        if found.link_code_at is None or found.link_code_at <= now - LINK_CODE_TTL:
            raise LinkError("expired")
        current = await self.by_user(user_id)
        if current is not None and current.id != found.id:
            raise LinkError("taken", current)
        try:
            async with self._write() as session, session.begin():
                result = await session.execute(
                    update(Specialist)
                    .where(
                        Specialist.id == found.id,
                        Specialist.link_code == code,
                        Specialist.link_code_at > now - LINK_CODE_TTL,
                    )
                    .values(telegram_user_id=user_id, link_code=None, link_code_at=None)
                )
        except IntegrityError:  # linked to another specialist in the meantime
            raise LinkError("taken", await self.by_user(user_id)) from None
        if result.rowcount != 1:  # the code was used or replaced in the meantime
            raise LinkError("bad_code")
        linked = await self.get(found.id)
        assert linked is not None
        return linked

    async def _check_attempts(self, user_id: int, now: datetime) -> None:
        async with self._sessions() as session:
            times = (
                await session.scalars(
                    select(LinkAttempt.at)
                    .where(LinkAttempt.user_id == user_id, LinkAttempt.at > now - LINK_WINDOW)
                    .order_by(LinkAttempt.at.desc())
                    .limit(WRONG_LINKS_LIMIT)
                )
            ).all()
        if len(times) >= WRONG_LINKS_LIMIT:
            raise LinkError("too_many", retry_at=times[-1] + LINK_WINDOW)

    async def _wrong_attempt(self, user_id: int, now: datetime) -> None:
        async with self._write() as session, session.begin():
            await session.execute(
                delete(LinkAttempt).where(
                    LinkAttempt.user_id == user_id, LinkAttempt.at <= now - LINK_WINDOW
                )
            )
            await session.execute(insert(LinkAttempt).values(user_id=user_id, at=now))

    async def unlink(self, specialist_id: int) -> bool:
        async with self._write() as session, session.begin():
            result = await session.execute(
                update(Specialist)
                .where(Specialist.id == specialist_id, Specialist.telegram_user_id.is_not(None))
                .values(telegram_user_id=None)
            )
        return result.rowcount == 1

    # --- bookings by day ---------------------------------------------------------------------
    async def days(
        self, first: date, count: int = 1, specialist_id: int | None = None
    ) -> list[DayBookings]:
        """Every local day from `first`, each with its active, done and missed bookings."""
        start, end = self._booking.day_bounds(first, count)
        found = await self._booking.bookings_between(start, end, specialist_id)
        by_day: dict[date, list[BookingInfo]] = {
            first + timedelta(days=n): [] for n in range(count)
        }
        for info in found:
            by_day.setdefault(info.starts_at.astimezone(self._booking.zone).date(), []).append(info)
        return [DayBookings(day, bookings) for day, bookings in by_day.items()]

    def markable(self, info: BookingInfo) -> bool:
        """A booking can be marked once its start time has passed, and only once."""
        return info.status == "active" and info.starts_at <= self.now()

    async def mark(self, specialist_id: int, booking_id: int, status: str) -> MarkResult:
        if status not in MARKS:
            return MarkResult(NOT_FOUND)
        own_started = select(Slot.id).where(
            Slot.specialist_id == specialist_id, Slot.starts_at <= self.now()
        )
        async with self._write() as session, session.begin():
            result = await session.execute(
                update(Booking)
                .where(
                    Booking.id == booking_id,
                    Booking.status == "active",
                    Booking.slot_id.in_(own_started),
                )
                .values(status=status)
                .execution_options(synchronize_session=False)
            )
        info = await self._booking.booking(booking_id)
        if info is None or info.specialist.id != specialist_id:
            return MarkResult(NOT_FOUND)
        if result.rowcount == 1:
            return MarkResult(MARKED, info)
        if info.status in MARKS:
            return MarkResult(ALREADY, info)
        if info.status == "cancelled":
            return MarkResult(CANCELLED, info)
        return MarkResult(TOO_EARLY, info)

    # --- the parent's rating -----------------------------------------------------------------
    async def rate(self, user_id: int, booking_id: int, rating: int) -> str:
        """SAVED, ALREADY, BAD_VALUE or NOT_FOUND (not theirs, not held, no such booking)."""
        if rating not in RATINGS:
            return BAD_VALUE
        async with self._write() as session, session.begin():
            result = await session.execute(
                update(Booking)
                .where(
                    Booking.id == booking_id,
                    Booking.user_id == user_id,
                    Booking.status == "done",
                    Booking.rating.is_(None),
                )
                .values(rating=rating)
                .execution_options(synchronize_session=False)
            )
        if result.rowcount == 1:
            return SAVED
        return await self._why_not(user_id, booking_id, Booking.rating)

    async def comment(self, user_id: int, booking_id: int, text: str | None) -> str:
        """SAVED, EMPTY, TOO_LONG, ALREADY or NOT_FOUND; only after a rating, only once."""
        text = (text or "").strip()
        if not text:
            return EMPTY
        if len(text) > COMMENT_MAX:
            return TOO_LONG
        async with self._write() as session, session.begin():
            result = await session.execute(
                update(Booking)
                .where(
                    Booking.id == booking_id,
                    Booking.user_id == user_id,
                    Booking.status == "done",
                    Booking.rating.is_not(None),
                    Booking.comment.is_(None),
                )
                .values(comment=text)
                .execution_options(synchronize_session=False)
            )
        if result.rowcount == 1:
            return SAVED
        return await self._why_not(user_id, booking_id, Booking.comment)

    async def _why_not(self, user_id: int, booking_id: int, column) -> str:  # type: ignore[no-untyped-def]
        async with self._sessions() as session:
            row = (
                await session.execute(
                    select(Booking.user_id, Booking.status, column).where(Booking.id == booking_id)
                )
            ).first()
        if row is None or row[0] != user_id or row[1] != "done":
            return NOT_FOUND
        return ALREADY if row[2] is not None else NOT_FOUND


async def prune_link_attempts(
    write_sessions: async_sessionmaker[AsyncSession], now: datetime
) -> int:
    """Deletes wrong /link attempts that no longer count; how many."""
    async with write_sessions() as session, session.begin():
        result = await session.execute(
            delete(LinkAttempt).where(LinkAttempt.at <= now - LINK_WINDOW)
        )
    return result.rowcount
