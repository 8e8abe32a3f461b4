"""Slots from weekly templates, in the department's time zone; exceptions close them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Booking, Reminder, ScheduleException, ScheduleTemplate, Slot, Specialist
from services.booking.reminders import CLOSED_NOTICE


@dataclass(frozen=True, slots=True)
class Window:
    weekday: int
    start_minute: int
    end_minute: int
    slot_minutes: int
    break_start_minute: int | None = None
    break_end_minute: int | None = None


def local_to_utc(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """A wall-clock minute of a local day as an aware UTC datetime (DST-aware via zoneinfo)."""
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    return local.astimezone(UTC)


def slot_times(
    windows: Iterable[Window], first_day: date, last_day: date, zone: ZoneInfo
) -> Iterator[tuple[datetime, datetime]]:
    """(start, end) in UTC of every slot the windows give between two local days inclusive."""
    by_weekday: dict[int, list[Window]] = {}
    for window in windows:
        by_weekday.setdefault(window.weekday, []).append(window)
    day = first_day
    while day <= last_day:
        for window in by_weekday.get(day.weekday(), []):
            minute = window.start_minute
            while minute + window.slot_minutes <= window.end_minute:
                end = minute + window.slot_minutes
                in_break = (
                    window.break_start_minute is not None
                    and window.break_end_minute is not None
                    and minute < window.break_end_minute
                    and end > window.break_start_minute
                )
                if in_break:
                    minute = window.break_end_minute
                    continue
                yield local_to_utc(day, minute, zone), local_to_utc(day, end, zone)
                minute = end
        day += timedelta(days=1)


async def generate_slots(
    session: AsyncSession, zone: ZoneInfo, first_day: date, last_day: date
) -> int:
    """Create missing slots of all active specialists; existing ones are left as they are."""
    templates = (
        await session.execute(
            select(ScheduleTemplate)
            .join(Specialist, Specialist.id == ScheduleTemplate.specialist_id)
            .where(Specialist.active.is_(True))
        )
    ).scalars()
    windows: dict[int, list[Window]] = {}
    for row in templates:
        windows.setdefault(row.specialist_id, []).append(
            Window(
                row.weekday,
                row.start_minute,
                row.end_minute,
                row.slot_minutes,
                row.break_start_minute,
                row.break_end_minute,
            )
        )
    closed_days = await closed_days_by_specialist(session, first_day, last_day)
    rows = []
    for specialist_id, specialist_windows in windows.items():
        for start, end in slot_times(specialist_windows, first_day, last_day, zone):
            local_day = start.astimezone(zone).date()
            if local_day in closed_days.get(None, set()) | closed_days.get(specialist_id, set()):
                continue
            rows.append({"specialist_id": specialist_id, "starts_at": start, "ends_at": end})
    if not rows:
        return 0
    dialect = sqlite if session.bind.dialect.name == "sqlite" else postgresql
    statement = dialect.insert(Slot).on_conflict_do_nothing(
        index_elements=["specialist_id", "starts_at"]
    )
    count = select(func.count()).select_from(Slot)
    before = (await session.execute(count)).scalar_one()
    for chunk in range(0, len(rows), 500):
        await session.execute(statement, rows[chunk : chunk + 500])
    return (await session.execute(count)).scalar_one() - before


async def closed_days_by_specialist(
    session: AsyncSession, first_day: date, last_day: date
) -> dict[int | None, set[date]]:
    rows = (
        await session.execute(
            select(ScheduleException).where(
                ScheduleException.first_day <= last_day, ScheduleException.last_day >= first_day
            )
        )
    ).scalars()
    closed: dict[int | None, set[date]] = {}
    for row in rows:
        day = max(row.first_day, first_day)
        while day <= min(row.last_day, last_day):
            closed.setdefault(row.specialist_id, set()).add(day)
            day += timedelta(days=1)
    return closed


def closing_condition(
    zone: ZoneInfo,
    specialist_id: int | None,
    first_day: date,
    last_day: date,
    now: datetime | None = None,
):  # type: ignore[no-untyped-def]
    """Slots a closing of these local days touches (only those not yet begun, given `now`)."""
    start = local_to_utc(first_day, 0, zone)
    end = local_to_utc(last_day + timedelta(days=1), 0, zone)
    condition = and_(Slot.starts_at >= start, Slot.starts_at < end)
    if now is not None:
        condition = and_(condition, Slot.starts_at > now)
    if specialist_id is not None:
        condition = and_(condition, Slot.specialist_id == specialist_id)
    return condition


async def add_exception(
    session: AsyncSession,
    zone: ZoneInfo,
    specialist_id: int | None,
    first_day: date,
    last_day: date,
    reason: str = "",
    *,
    now: datetime | None = None,
) -> list[int]:
    """Record days off and close their slots (given `now`, only those not yet begun: a
    consultation already held stays as it was). Returns ids of the bookings this cancels;
    each parent's «closed» notice is queued with the reminders, sent by the same worker."""
    session.add(
        ScheduleException(
            specialist_id=specialist_id, first_day=first_day, last_day=last_day, reason=reason
        )
    )
    moment = now or datetime.now(UTC)
    condition = closing_condition(zone, specialist_id, first_day, last_day, now)
    slot_ids = select(Slot.id).where(condition).scalar_subquery()
    await session.execute(update(Slot).where(Slot.id.in_(slot_ids)).values(closed=True))
    cancelled = (
        await session.execute(
            update(Booking)
            .where(Booking.slot_id.in_(slot_ids), Booking.status == "active")
            .values(status="cancelled", cancel_reason="closed", cancelled_at=moment)
            .returning(Booking.id, Booking.user_id)
        )
    ).all()
    if cancelled:
        ids = [row.id for row in cancelled]
        await session.execute(update(Slot).where(Slot.id.in_(slot_ids)).values(booked=0))
        await session.execute(
            delete(Reminder).where(
                Reminder.booking_id.in_(ids),
                or_(Reminder.state == "pending", Reminder.state == "claimed"),
            )
        )
        notices = [
            {"booking_id": row.id, "kind": CLOSED_NOTICE, "due_at": moment, "state": "pending"}
            for row in cancelled
            if row.user_id is not None
        ]
        if notices:
            await session.execute(insert(Reminder), notices)
    return [row.id for row in cancelled]
