"""Profession-orientation events: lists that fit a profile, cards, "remind me", staff edits.

An event's audience fields (roles, grade range, localities) narrow who sees it; an empty field
fits everyone, and so does a profile that does not say (no role, no grade, no locality): an
event is hidden from someone only when what we know about them rules it out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import read_sessions
from db.models import Event, EventReminder
from services.dates import in_window
from services.links import is_button_url
from services.people.profiles import ROLES

PER_PAGE = 6
REMIND_BEFORE = timedelta(hours=24)
REMIND_LATE = timedelta(hours=1)
GRADES = range(1, 12)
DATE_FORMAT = "%d.%m.%Y %H:%M"
_GRADES = re.compile(r"^\s*(\d{1,2})\s*(?:[-–—]\s*(\d{1,2})\s*)?$")


def _split(raw: str) -> tuple[str, ...]:
    return tuple(part for part in raw.split(",") if part)


@dataclass(frozen=True, slots=True)
class Viewer:
    """What the list knows about the person looking: None means "not known"."""

    role: str | None = None
    grade: int | None = None
    locality_id: int | None = None

    @classmethod
    def of(
        cls,
        role: str | None,
        child_grade: int | None,
        child_age: int | None,
        locality_id: int | None,
    ) -> Viewer:
        """The child's grade, or one guessed from the age (a 7-year-old is in grade 1;
        younger children are in no grade, 0, which no grade range includes)."""
        grade = child_grade
        if grade is None and child_age is not None:
            grade = max(child_age - 6, 0)
        return cls(role, grade, locality_id)


@dataclass(frozen=True, slots=True)
class EventLine:
    id: int
    title: str
    starts_at: datetime
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class EventPage:
    items: list[EventLine]
    page: int
    pages: int
    total: int


@dataclass(frozen=True, slots=True)
class EventCard:
    id: int
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    online_url: str
    registration_url: str
    roles: tuple[str, ...]
    grade_from: int | None
    grade_to: int | None
    localities: tuple[int, ...]
    topic: str
    hidden: bool


@dataclass(frozen=True, slots=True)
class NewEvent:
    title: str
    starts_at: datetime
    description: str = ""
    place: str = ""
    online_url: str = ""
    registration_url: str = ""
    roles: tuple[str, ...] = ()
    grade_from: int | None = None
    grade_to: int | None = None
    localities: tuple[int, ...] = field(default_factory=tuple)
    topic: str = "orientation"
    ends_at: datetime | None = None


class EventError(ValueError):
    """Bad input for an event; `code` names the problem (for a localized message)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Remind(Enum):
    SET = "set"
    ALREADY = "already"
    GONE = "gone"  # hidden, started, or never existed


@dataclass(frozen=True, slots=True)
class RemindResult:
    outcome: Remind
    due_at: datetime | None = None


# --- parsing what staff type --------------------------------------------------------------
def is_http_url(text: str) -> bool:
    return is_button_url(text.strip()) and len(text.strip()) <= 512


def parse_local_time(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """'25.12.2026 15:30' in `zone` → aware UTC; in the future and in bot.telegram.dates' window."""
    try:
        local = datetime.strptime(" ".join(text.split()), DATE_FORMAT)
    except ValueError:
        raise EventError("date-format") from None
    if not in_window(local.date()):
        raise EventError("date-window")
    moment = local.replace(tzinfo=zone).astimezone(UTC)
    if moment <= now:
        raise EventError("date-past")
    return moment


def parse_grades(text: str) -> tuple[int, int]:
    """'8' → (8, 8); '6-11' → (6, 11)."""
    match = _GRADES.match(text)
    if not match:
        raise EventError("grades-format")
    first = int(match[1])
    last = int(match[2]) if match[2] else first
    if first not in GRADES or last not in GRADES or first > last:
        raise EventError("grades-range")
    return first, last


def reminder_due(starts_at: datetime, now: datetime) -> datetime:
    """24 hours before; 1 hour before when it is sooner than that; now when sooner still."""
    for before in (REMIND_BEFORE, REMIND_LATE):
        if starts_at - before > now:
            return starts_at - before
    return now


def _card(row: Event) -> EventCard:
    return EventCard(
        id=row.id,
        title=row.title,
        description=row.description,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        place=row.place,
        online_url=row.online_url,
        registration_url=row.registration_url,
        roles=_split(row.roles),
        grade_from=row.grade_from,
        grade_to=row.grade_to,
        localities=tuple(int(part) for part in _split(row.localities)),
        topic=row.topic,
        hidden=row.hidden,
    )


def _listed(column, value: object):  # type: ignore[no-untyped-def]
    """`value` is one of a comma-separated column's items."""
    return (literal(",") + column + literal(",")).like(f"%,{value},%")


def fits(viewer: Viewer):  # type: ignore[no-untyped-def]
    """SQL condition: the event's audience does not rule the viewer out."""
    conditions = []
    if viewer.role is not None:
        conditions.append(or_(Event.roles == "", _listed(Event.roles, viewer.role)))
    if viewer.locality_id is not None:
        conditions.append(
            or_(Event.localities == "", _listed(Event.localities, viewer.locality_id))
        )
    if viewer.grade is not None:
        conditions.append(or_(Event.grade_from.is_(None), Event.grade_from <= viewer.grade))
        conditions.append(or_(Event.grade_to.is_(None), Event.grade_to >= viewer.grade))
    return and_(*conditions) if conditions else literal(True)


class EventService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sessions = sessions
        self._reads = read_sessions(sessions)  # reads: no BEGIN and ROLLBACK round trips
        self._write = write_sessions or sessions
        self.now = clock

    # --- reading ---------------------------------------------------------------------------
    async def upcoming(
        self,
        viewer: Viewer | None = None,
        page: int = 0,
        per_page: int = PER_PAGE,
        *,
        staff: bool = False,
    ) -> EventPage:
        """Events not yet started, soonest first. `viewer` None: everyone's; `staff`: hidden too."""
        conditions = [Event.starts_at > self.now()]
        if not staff:
            conditions.append(Event.hidden.is_(False))
        if viewer is not None:
            conditions.append(fits(viewer))
        where = and_(*conditions)
        async with self._reads() as session:
            total = (await session.execute(select(func.count(Event.id)).where(where))).scalar_one()
            pages = max(math.ceil(total / per_page), 1)
            page = min(max(page, 0), pages - 1)
            rows = (
                await session.execute(
                    select(Event.id, Event.title, Event.starts_at, Event.hidden)
                    .where(where)
                    .order_by(Event.starts_at, Event.id)
                    .offset(page * per_page)
                    .limit(per_page)
                )
            ).all()
        return EventPage([EventLine(*row) for row in rows], page, pages, total)

    async def ahead(self, limit: int = 200) -> list[EventCard]:
        """The cards of visible events not yet started, soonest first (typed questions pick
        among them: services/search/event_match.py)."""
        async with self._reads() as session:
            rows = (
                await session.scalars(
                    select(Event)
                    .where(Event.starts_at > self.now(), Event.hidden.is_(False))
                    .order_by(Event.starts_at, Event.id)
                    .limit(limit)
                )
            ).all()
        return [_card(row) for row in rows]

    async def get(self, event_id: int) -> EventCard | None:
        """Any event, hidden or past (for staff and for the reminder's text)."""
        async with self._reads() as session:
            row = await session.get(Event, event_id)
        return _card(row) if row is not None else None

    async def open(self, event_id: int) -> EventCard | None:
        """An event people may see: not hidden and not started."""
        card = await self.get(event_id)
        if card is None or card.hidden or card.starts_at <= self.now():
            return None
        return card

    # --- staff -----------------------------------------------------------------------------
    async def create(self, new: NewEvent) -> int:
        if not new.title.strip():
            raise EventError("title-empty")
        if new.starts_at <= self.now():
            raise EventError("date-past")
        for url in (new.online_url, new.registration_url):
            if url and not is_http_url(url):
                raise EventError("url")
        unknown_roles = set(new.roles) - set(ROLES)
        if unknown_roles:
            raise EventError("roles")
        if new.grade_from is not None and new.grade_to is not None:
            if new.grade_from > new.grade_to:
                raise EventError("grades-range")
        row = Event(
            title=new.title.strip()[:255],
            description=new.description.strip(),
            starts_at=new.starts_at,
            ends_at=new.ends_at,
            place=new.place.strip()[:255],
            online_url=new.online_url.strip(),
            registration_url=new.registration_url.strip(),
            roles=",".join(role for role in ROLES if role in new.roles),
            grade_from=new.grade_from,
            grade_to=new.grade_to,
            localities=",".join(str(i) for i in sorted(set(new.localities))),
            topic=new.topic,
            hidden=False,
            created_at=self.now(),
        )
        async with self._write() as session:
            session.add(row)
            await session.commit()
            return row.id

    async def set_hidden(self, event_id: int, hidden: bool) -> bool:
        async with self._write() as session, session.begin():
            result = await session.execute(
                update(Event).where(Event.id == event_id).values(hidden=hidden)
            )
        return result.rowcount == 1

    async def choices(self, limit: int = 8) -> list[EventLine]:
        """Upcoming visible events, soonest first (for a broadcast's event button)."""
        return (await self.upcoming(None, 0, limit)).items

    # --- "remind me" -----------------------------------------------------------------------
    async def remind(self, user_id: int, event_id: int) -> RemindResult:
        """One reminder per person and event, by the unique constraint: pressing twice is
        ALREADY, never a second row."""
        now = self.now()
        async with self._write() as session, session.begin():
            row = await session.get(Event, event_id)
            if row is None or row.hidden or row.starts_at <= now:
                return RemindResult(Remind.GONE)
            due_at = reminder_due(row.starts_at, now)
            dialect = sqlite if session.bind.dialect.name == "sqlite" else postgresql
            statement = (
                dialect.insert(EventReminder)
                .values(event_id=event_id, user_id=user_id, due_at=due_at, state="pending")
                .on_conflict_do_nothing(index_elements=["event_id", "user_id"])
                .returning(EventReminder.id)
            )
            if (await session.execute(statement)).first() is not None:
                return RemindResult(Remind.SET, due_at)
            existing = (
                await session.execute(
                    select(EventReminder.due_at).where(
                        EventReminder.event_id == event_id, EventReminder.user_id == user_id
                    )
                )
            ).scalar_one_or_none()
        return RemindResult(Remind.ALREADY, existing)

    async def forget_reminder(self, user_id: int, event_id: int) -> bool:
        """Removes the reminder unless it is being sent right now."""
        async with self._write() as session, session.begin():
            result = await session.execute(
                delete(EventReminder).where(
                    EventReminder.event_id == event_id,
                    EventReminder.user_id == user_id,
                    EventReminder.state != "sending",
                )
            )
        return result.rowcount == 1

    async def reminders_of(self, user_id: int, event_ids: Iterable[int]) -> set[int]:
        ids = list(event_ids)
        if not ids:
            return set()
        async with self._reads() as session:
            rows = await session.execute(
                select(EventReminder.event_id).where(
                    EventReminder.user_id == user_id, EventReminder.event_id.in_(ids)
                )
            )
        return set(rows.scalars())
