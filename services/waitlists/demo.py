"""Demo waitlists on first run with the demo catalogue: a few full programmes with families
waiting (some told already, so the demand report has waiting times), and enrolment start dates
for the September campaign. The families are demo profiles without consent: no announcement
reaches them, and a notice to them fails quietly (no such chat)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Programme, User, WaitlistEntry
from services.waitlists.entries import programme_target

DEMO_PREFIX = "PRG-"  # the demo catalogue's programme ids (data/demo/catalog.csv)
DEMO_USERS = range(990_000_001, 990_000_013)  # demo families' profile ids
FULL_WITH_QUEUES = 5
OPENING = 14


def campaign_days(today: date) -> list[date]:
    """Start days around the next 1 September (and two soon, to see a reminder come)."""
    september = date(today.year if today < date(today.year, 9, 1) else today.year + 1, 9, 1)
    spread = [-20, -10, -3, 0, 0, 1, 2, 5, 8, 15, 25, 30]
    later = [september + timedelta(days=d) for d in spread]
    return [today + timedelta(days=3), today + timedelta(days=10)] + [d for d in later if d > today]


async def load_demo_waitlists_if_empty(
    sessions: async_sessionmaker[AsyncSession], zone: ZoneInfo
) -> bool:
    async with sessions() as session:
        if (await session.execute(select(func.count()).select_from(WaitlistEntry))).scalar_one():
            return False
        dated = select(func.count()).where(Programme.enrol_starts_on.is_not(None))
        if (await session.execute(dated)).scalar_one():
            return False
        demo = Programme.external_id.like(f"{DEMO_PREFIX}%")
        full = (
            await session.scalars(
                select(Programme.id)
                .where(demo, Programme.seats_free == 0, Programme.hidden.is_(False))
                .order_by(Programme.external_id)
                .limit(FULL_WITH_QUEUES)
            )
        ).all()
        if not full:
            return False
        others = (
            await session.scalars(
                select(Programme.id)
                .where(demo, Programme.hidden.is_(False), Programme.id.not_in(full))
                .order_by(Programme.external_id)
                .limit(OPENING)
            )
        ).all()
        rng = random.Random(15)
        now = datetime.now(UTC)
        known = set(await session.scalars(select(User.id).where(User.id.in_(list(DEMO_USERS)))))
        missing = [uid for uid in DEMO_USERS if uid not in known]
        if missing:
            await session.execute(
                insert(User),
                [
                    {"id": uid, "locale": "ru" if uid % 4 else "en", "created_at": now}
                    for uid in missing
                ],
            )
        rows = []
        for programme_id in full:
            people = rng.sample(list(DEMO_USERS), rng.randint(2, 6))
            for n, uid in enumerate(people):
                joined = now - timedelta(days=30 - n * 3, hours=rng.randint(0, 23))
                told = n == 0 and rng.random() < 0.7  # the first in line was told once before
                rows.append(
                    {
                        "user_id": uid,
                        "target": programme_target(programme_id),
                        "programme_id": programme_id,
                        "locale": "ru",
                        "joined_at": joined,
                        "state": "sent" if told else "waiting",
                        "due_at": joined + timedelta(days=6) if told else None,
                        "sent_at": joined + timedelta(days=6, minutes=1) if told else None,
                    }
                )
        await session.execute(insert(WaitlistEntry), rows)
        today = now.astimezone(zone).date()
        for programme_id, day in zip([*full[:2], *others], campaign_days(today), strict=False):
            await session.execute(
                update(Programme).where(Programme.id == programme_id).values(enrol_starts_on=day)
            )
        await session.commit()
    return True
