"""Writing a checked consultation set-up (see `services.consultations.imports`) in one transaction.

Services, organisations and specialists are upserted by ИД; a field is written only when it
differs. A specialist on the «Расписание» sheet gets exactly the weekly hours the file gives:
their future free slots that no longer fit are removed (or closed, when a cancelled booking
still points at them); slots with a booking are kept. New days off close their slots and
cancel the bookings on them, each parent's notice queued
(`services.booking.schedule.add_exception`). Last, slots are generated up to the booking horizon.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Booking,
    ConsultService,
    Provider,
    ScheduleException,
    ScheduleTemplate,
    Slot,
    Specialist,
    specialist_services,
)
from services.booking.schedule import Window, add_exception, generate_slots, slot_times
from services.consultations.imports import ConsultReport, Counts, ExceptionRow, Parsed, Record


def _upsert(
    session: AsyncSession,
    existing: dict[str, Any],
    model: type,
    external_id: str,
    values: dict[str, Any],
    counts: Counts,
) -> tuple[Any, bool]:
    """(row, changed): a new row is added, an existing one gets the differing fields."""
    row = existing.get(external_id)
    if row is None:
        row = model(external_id=external_id, **values)
        session.add(row)
        existing[external_id] = row
        counts.added += 1
        return row, True
    changes = {key: value for key, value in values.items() if getattr(row, key) != value}
    for key, value in changes.items():
        setattr(row, key, value)
    if changes:
        counts.changed += 1
    else:
        counts.unchanged += 1
    return row, bool(changes)


async def _by_external_id(session: AsyncSession, model: type) -> dict[str, Any]:
    rows = (await session.execute(select(model))).scalars()
    return {row.external_id: row for row in rows}


async def write_parsed(
    session: AsyncSession,
    parsed: Parsed,
    report: ConsultReport,
    zone: ZoneInfo,
    horizon_days: int,
    now: datetime,
) -> None:
    services = await _by_external_id(session, ConsultService)
    for ref, record in parsed.services.items():
        _upsert(session, services, ConsultService, ref, record.values, report.counts["services"])
    providers = await _by_external_id(session, Provider)
    for ref, record in parsed.providers.items():
        _upsert(session, providers, Provider, ref, record.values, report.counts["providers"])
    await session.flush()

    specialists = await _by_external_id(session, Specialist)
    await _write_specialists(session, parsed.specialists, specialists, services, providers, report)
    changed_hours = await _write_templates(session, parsed.templates, specialists, report)
    today = now.astimezone(zone).date()
    horizon = today + timedelta(days=horizon_days)
    for specialist_id, windows in changed_hours.items():
        await _prune_slots(session, zone, specialist_id, windows, now)
    for item in parsed.exceptions:
        await _write_exception(session, zone, item, specialists, providers, report, now)
    report.slots_added = await generate_slots(session, zone, today, horizon)


async def _write_specialists(
    session: AsyncSession,
    records: dict[str, Record],
    specialists: dict[str, Any],
    services: dict[str, Any],
    providers: dict[str, Any],
    report: ConsultReport,
) -> None:
    links: dict[int, set[int]] = {}
    for specialist_id, service_id in (await session.execute(select(specialist_services))).all():
        links.setdefault(specialist_id, set()).add(service_id)
    counts = report.counts["specialists"]
    for ref, record in records.items():
        values = {**record.values, "provider_id": providers[record.provider].id}
        is_new = ref not in specialists
        row, changed = _upsert(session, specialists, Specialist, ref, values, Counts())
        await session.flush()
        wanted = {services[service].id for service in record.services}
        if links.get(row.id, set()) != wanted:
            await session.execute(
                delete(specialist_services).where(specialist_services.c.specialist_id == row.id)
            )
            await session.execute(
                insert(specialist_services),
                [{"specialist_id": row.id, "service_id": sid} for sid in sorted(wanted)],
            )
            changed = True
        if is_new:
            counts.added += 1
        elif changed:
            counts.changed += 1
        else:
            counts.unchanged += 1


def _window(row: ScheduleTemplate) -> Window:
    return Window(
        row.weekday,
        row.start_minute,
        row.end_minute,
        row.slot_minutes,
        row.break_start_minute,
        row.break_end_minute,
    )


async def _write_templates(
    session: AsyncSession,
    templates: dict[str, list[Any]],
    specialists: dict[str, Any],
    report: ConsultReport,
) -> dict[int, list[Window]]:
    """Each listed specialist's weekly hours become the file's; returns those that changed."""
    counts = report.counts["templates"]
    changed: dict[int, list[Window]] = {}
    for ref, rows in templates.items():
        specialist_id = specialists[ref].id
        current = (
            await session.execute(
                select(ScheduleTemplate).where(ScheduleTemplate.specialist_id == specialist_id)
            )
        ).scalars()
        old = {_window(row) for row in current}
        new = [row.window for row in rows]
        if old == set(new):
            counts.unchanged += 1
            continue
        if old:
            counts.changed += 1
        else:
            counts.added += 1
        await session.execute(
            delete(ScheduleTemplate).where(ScheduleTemplate.specialist_id == specialist_id)
        )
        session.add_all(
            ScheduleTemplate(
                specialist_id=specialist_id,
                weekday=w.weekday,
                start_minute=w.start_minute,
                end_minute=w.end_minute,
                slot_minutes=w.slot_minutes,
                break_start_minute=w.break_start_minute,
                break_end_minute=w.break_end_minute,
            )
            for w in new
        )
        changed[specialist_id] = new
    await session.flush()
    return changed


async def _prune_slots(
    session: AsyncSession, zone: ZoneInfo, specialist_id: int, windows: list[Window], now: datetime
) -> None:
    """Future slots the new hours do not give: deleted when nothing points at them, closed
    when only cancelled bookings do; a slot with an active booking stays (the booking too)."""
    rows = (
        await session.execute(
            select(Slot.id, Slot.starts_at, Slot.ends_at, Slot.booked).where(
                Slot.specialist_id == specialist_id, Slot.starts_at > now
            )
        )
    ).all()
    if not rows:
        return
    first = min(row.starts_at for row in rows).astimezone(zone).date()
    last = max(row.starts_at for row in rows).astimezone(zone).date()
    fitting = set(slot_times(windows, first, last, zone))
    stale = [row for row in rows if (row.starts_at, row.ends_at) not in fitting]
    free = [row.id for row in stale if row.booked == 0]
    if not free:
        return
    referenced = exists().where(Booking.slot_id == Slot.id)
    await session.execute(update(Slot).where(Slot.id.in_(free), referenced).values(closed=True))
    await session.execute(delete(Slot).where(Slot.id.in_(free), ~referenced))


async def _write_exception(
    session: AsyncSession,
    zone: ZoneInfo,
    item: ExceptionRow,
    specialists: dict[str, Any],
    providers: dict[str, Any],
    report: ConsultReport,
    now: datetime,
) -> None:
    """One row of days off; an organisation's becomes one per its specialist."""
    targets: list[int | None]
    if item.specialist is not None:
        targets = [specialists[item.specialist].id]
    elif item.provider is not None:
        provider_id = providers[item.provider].id
        targets = [s.id for s in specialists.values() if s.provider_id == provider_id]
    else:
        targets = [None]
    outcome = {"added": False, "changed": False}
    for specialist_id in targets:
        await _one_exception(
            session,
            zone,
            specialist_id,
            item.first_day,
            item.last_day,
            item.reason,
            report,
            now,
            outcome,
        )
    counts = report.counts["exceptions"]
    if outcome["added"]:
        counts.added += 1
    elif outcome["changed"]:
        counts.changed += 1
    else:
        counts.unchanged += 1


async def _one_exception(
    session: AsyncSession,
    zone: ZoneInfo,
    specialist_id: int | None,
    first_day: date,
    last_day: date,
    reason: str,
    report: ConsultReport,
    now: datetime,
    outcome: dict[str, bool],
) -> None:
    who = (
        ScheduleException.specialist_id.is_(None)
        if specialist_id is None
        else ScheduleException.specialist_id == specialist_id
    )
    found = (
        (
            await session.execute(
                select(ScheduleException).where(
                    who,
                    ScheduleException.first_day == first_day,
                    ScheduleException.last_day == last_day,
                )
            )
        )
        .scalars()
        .first()
    )
    if found is None:
        report.cancelled += await add_exception(
            session, zone, specialist_id, first_day, last_day, reason, now=now
        )
        outcome["added"] = True
    elif found.reason != reason:
        found.reason = reason
        outcome["changed"] = True
