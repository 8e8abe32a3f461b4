"""Demo events (`data/demo/events.json`) on first run, in the coming weeks from that day."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Event, Locality
from services.paths import DEMO_DIR

DEMO_FILE = DEMO_DIR / "events.json"
log = logging.getLogger(__name__)


async def load_demo_events_if_empty(
    sessions: async_sessionmaker[AsyncSession], zone: ZoneInfo, now: datetime | None = None
) -> bool:
    """Days in the file count from today (local); times are local. True when loaded."""
    today = (now or datetime.now(UTC)).astimezone(zone).date()
    async with sessions() as session:
        if (await session.execute(select(func.count()).select_from(Event))).scalar_one():
            return False
        data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        places = dict((await session.execute(select(Locality.name, Locality.id))).all())
        for item in data["events"]:
            hours, minutes = (int(part) for part in item["time"].split(":"))
            local = datetime.combine(
                today + timedelta(days=item["days"]), time(hours, minutes), tzinfo=zone
            )
            starts_at = local.astimezone(UTC)
            grades = item.get("grades") or [None, None]
            locality_ids = sorted(places[name] for name in item["localities"] if name in places)
            session.add(
                Event(
                    title=item["title"],
                    description=item["description"],
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=item.get("hours", 1)),
                    place=item.get("place", ""),
                    online_url=item.get("online_url", ""),
                    registration_url=item.get("registration_url", ""),
                    roles=",".join(item["roles"]),
                    grade_from=grades[0],
                    grade_to=grades[1],
                    localities=",".join(str(i) for i in locality_ids),
                    topic="orientation",
                    hidden=False,
                    created_at=datetime.now(UTC),
                )
            )
        await session.commit()
    log.info("demo data loaded: %d events", len(data["events"]))
    return True
