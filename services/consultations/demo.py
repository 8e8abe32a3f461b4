"""Demo consultation set-up (services, providers, specialists, weekly hours) on first run."""

from __future__ import annotations

import json

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import (
    ConsultService,
    Locality,
    Provider,
    ScheduleTemplate,
    Specialist,
    specialist_services,
)
from services.paths import DEMO_DIR

DEMO_FILE = DEMO_DIR / "consultations.json"


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


async def load_consultations_if_empty(sessions: async_sessionmaker[AsyncSession]) -> bool:
    async with sessions() as session:
        if (await session.execute(select(func.count()).select_from(ConsultService))).scalar_one():
            return False
        data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        localities = dict((await session.execute(select(Locality.name, Locality.id))).all())
        services = {}
        for item in data["services"]:
            row = ConsultService(external_id=item["id"], name=item["name"], name_en=item["name_en"])
            session.add(row)
            services[item["id"]] = row
        providers = {}
        for item in data["providers"]:
            row = Provider(
                external_id=item["id"],
                name=item["name"],
                address=item["address"],
                locality_id=localities.get(item["locality"]),
                phone=item["phone"],
            )
            session.add(row)
            providers[item["id"]] = row
        await session.flush()
        for item in data["specialists"]:
            specialist = Specialist(
                external_id=item["id"],
                name=item["name"],
                position=item["position"],
                provider_id=providers[item["provider"]].id,
                formats=",".join(item["formats"]),
            )
            session.add(specialist)
            await session.flush()
            await session.execute(
                insert(specialist_services),
                [
                    {"specialist_id": specialist.id, "service_id": services[s].id}
                    for s in item["services"]
                ],
            )
            for window in item["schedule"]:
                pause = window.get("break")
                session.add_all(
                    ScheduleTemplate(
                        specialist_id=specialist.id,
                        weekday=day,
                        start_minute=_minute(window["from"]),
                        end_minute=_minute(window["to"]),
                        slot_minutes=window["slot"],
                        break_start_minute=_minute(pause[0]) if pause else None,
                        break_end_minute=_minute(pause[1]) if pause else None,
                    )
                    for day in window["days"]
                )
        await session.commit()
    return True
