"""A programme's enrolment start date: staff set it (chat or import), the card shows it,
families ask «⏰ Напомнить о начале записи», and the September campaign lists what opens when.

A reminder row is due at WAITLIST__REMIND_HOUR local time on the programme's start day, read
at claim time (a date changed meanwhile moves it); one of a programme hidden by then, or whose
date was cleared, waits. Claimed and sent at most once (services/due_rows.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import EnrolReminder, Organisation, Programme
from services.due_rows import LEASE, DueRowWorker
from services.messengers.claims import own
from services.messengers.ids import Messenger
from services.waitlists.entries import Joined

CAMPAIGN_PAGE = 8
_DAY_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%Y-%m-%d %H:%M:%S")


def parse_day(text: str) -> date | None:
    """A day as staff type it or Excel stores it: 01.09.2027, 2027-09-01 (and with 00:00:00)."""
    text = text.strip()
    for shape in _DAY_FORMATS:
        try:
            return datetime.strptime(text, shape).date()
        except ValueError:
            continue
    return None


class DateSaved(Enum):
    SAVED = "saved"
    PAST = "past"
    GONE = "gone"


@dataclass(frozen=True, slots=True)
class Opening:
    programme_id: int
    name: str
    organisation: str
    starts_on: date


@dataclass(frozen=True, slots=True)
class OpeningsPage:
    items: list[Opening]
    page: int
    pages: int
    total: int


@dataclass(frozen=True, slots=True)
class StoredEnrolReminder:
    programme: str
    starts_on: date | None
    state: str
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class DueEnrolReminder:
    id: int
    user_id: int
    programme_id: int


def _visible():  # type: ignore[no-untyped-def]
    return and_(Programme.hidden.is_(False), Organisation.hidden.is_(False))


class EnrolmentService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession],
        zone: ZoneInfo,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sessions = sessions
        self._write = write_sessions
        self.zone = zone
        self.now = clock

    def today(self) -> date:
        return self.now().astimezone(self.zone).date()

    async def set_start(self, programme_id: int, day: date | None) -> DateSaved:
        """Staff: the day enrolment opens (None: unknown). A past day is refused."""
        if day is not None and day < self.today():
            return DateSaved.PAST
        async with self._write() as session, session.begin():
            result = await session.execute(
                update(Programme).where(Programme.id == programme_id).values(enrol_starts_on=day)
            )
        return DateSaved.SAVED if result.rowcount == 1 else DateSaved.GONE

    async def remind(self, user_id: int, programme_id: int, locale: str) -> Joined:
        """GONE: no such visible programme, or no date; HAS_ROOM: enrolment is already open."""
        async with self._write() as session, session.begin():
            starts_on = (
                await session.execute(
                    select(Programme.enrol_starts_on)
                    .join(Organisation, Organisation.id == Programme.organisation_id)
                    .where(Programme.id == programme_id, _visible())
                )
            ).scalar_one_or_none()
            if starts_on is None:
                return Joined.GONE
            if starts_on <= self.today():
                return Joined.HAS_ROOM
            try:
                async with session.begin_nested():
                    session.add(
                        EnrolReminder(
                            programme_id=programme_id,
                            user_id=user_id,
                            locale=locale,
                            created_at=self.now(),
                            state="pending",
                        )
                    )
            except IntegrityError:
                return Joined.ALREADY
        return Joined.JOINED

    async def cancel(self, user_id: int, programme_id: int) -> bool:
        async with self._write() as session, session.begin():
            result = await session.execute(
                delete(EnrolReminder).where(
                    EnrolReminder.user_id == user_id,
                    EnrolReminder.programme_id == programme_id,
                    EnrolReminder.state == "pending",
                )
            )
        return result.rowcount == 1

    async def reminding(self, user_id: int, programme_id: int) -> bool:
        async with self._sessions() as session:
            state = (
                await session.execute(
                    select(EnrolReminder.state).where(
                        EnrolReminder.user_id == user_id,
                        EnrolReminder.programme_id == programme_id,
                    )
                )
            ).scalar_one_or_none()
        return state in ("pending", "claimed", "sending")

    async def openings(self, page: int = 0, per_page: int = CAMPAIGN_PAGE) -> OpeningsPage:
        """Visible programmes whose enrolment opens today or later, by date then name."""
        today = self.today()
        where = (Programme.enrol_starts_on >= today, _visible())
        base = select(Programme.id).join(Organisation, Organisation.id == Programme.organisation_id)
        async with self._sessions() as session:
            total = (
                await session.execute(
                    select(func.count()).select_from(base.where(*where).subquery())
                )
            ).scalar_one()
            pages = max(1, -(-total // per_page))
            page = min(max(page, 0), pages - 1)
            rows = (
                await session.execute(
                    select(
                        Programme.id,
                        Programme.name,
                        Organisation.name.label("org"),
                        Programme.enrol_starts_on,
                    )
                    .join(Organisation, Organisation.id == Programme.organisation_id)
                    .where(*where)
                    .order_by(Programme.enrol_starts_on, Programme.name, Programme.id)
                    .offset(page * per_page)
                    .limit(per_page)
                )
            ).all()
        items = [Opening(r.id, r.name, r.org, r.enrol_starts_on) for r in rows]
        return OpeningsPage(items, page, pages, total)

    async def stored(self, user_id: int) -> list[StoredEnrolReminder]:
        return await stored_enrol_reminders(self._sessions, user_id)


async def stored_enrol_reminders(
    sessions: async_sessionmaker[AsyncSession], user_id: int
) -> list[StoredEnrolReminder]:
    """A person's enrolment reminders, for /mydata."""
    async with sessions() as session:
        rows = (
            await session.execute(
                select(EnrolReminder, Programme.name, Programme.enrol_starts_on)
                .join(Programme, Programme.id == EnrolReminder.programme_id)
                .where(EnrolReminder.user_id == user_id)
                .order_by(EnrolReminder.created_at, EnrolReminder.id)
            )
        ).all()
    return [
        StoredEnrolReminder(
            row.name, row.enrol_starts_on, row.EnrolReminder.state, row.EnrolReminder.sent_at
        )
        for row in rows
    ]


class EnrolReminderWorker(DueRowWorker[DueEnrolReminder]):
    model = EnrolReminder

    def __init__(
        self,
        write_sessions: async_sessionmaker[AsyncSession],
        zone: ZoneInfo,
        hour: int = 9,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        messenger: Messenger = "telegram",
    ) -> None:
        super().__init__(write_sessions, clock, messenger=messenger)
        self.zone = zone
        self.hour = hour

    def last_due_day(self, now: datetime) -> date:
        """The latest start day whose reminder hour has come."""
        local = now.astimezone(self.zone)
        return local.date() if local.time() >= time(self.hour) else local.date() - timedelta(days=1)

    async def claim(self, limit: int = 50) -> list[DueEnrolReminder]:
        now = self.now()
        row = EnrolReminder
        async with self._write() as session, session.begin():
            await session.execute(
                update(row)
                .where(row.state == "sending", row.claimed_until < now)
                .values(state="uncertain")
            )
            due_programmes = (
                select(Programme.id)
                .join(Organisation, Organisation.id == Programme.organisation_id)
                .where(Programme.enrol_starts_on <= self.last_due_day(now), _visible())
            )
            due = (
                select(row.id, row.user_id, row.programme_id)
                .where(
                    row.programme_id.in_(due_programmes.scalar_subquery()),
                    own(row.user_id + 0, self.messenger),
                    or_(
                        row.state == "pending",
                        and_(row.state == "claimed", row.claimed_until < now),
                    ),
                )
                .order_by(row.id)
                .limit(limit)
            )
            if session.bind.dialect.name == "postgresql":
                due = due.with_for_update(skip_locked=True)
            rows = (await session.execute(due)).all()
            if rows:
                await session.execute(
                    update(row)
                    .where(row.id.in_([r.id for r in rows]))
                    .values(state="claimed", claimed_until=now + LEASE)
                )
        return [DueEnrolReminder(r.id, r.user_id, r.programme_id) for r in rows]
