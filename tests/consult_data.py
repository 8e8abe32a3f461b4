"""A small consultation set-up for tests: services, providers, specialists, weekly templates."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete, insert

from db.models import (
    Booking,
    ConsultService,
    Provider,
    Reminder,
    ScheduleTemplate,
    Slot,
    Specialist,
    User,
    specialist_services,
)
from services.booking.schedule import generate_slots


async def seed(session_factory, zone, first_day: date, days: int = 14) -> None:
    """Replaces whatever consultation set-up there is (e.g. the demo one) with this one."""
    async with session_factory() as session:
        for table in (Reminder, Booking, Slot, ScheduleTemplate):
            await session.execute(delete(table))
        await session.execute(delete(specialist_services))
        for table in (Specialist, Provider, ConsultService):
            await session.execute(delete(table))
        session.add_all(
            [
                ConsultService(
                    id=1,
                    external_id="S1",
                    name="Психолого-педагогическая помощь",
                    name_en="Psychological and pedagogical help",
                ),
                ConsultService(
                    id=2,
                    external_id="S2",
                    name="Консультация для будущих приёмных родителей",
                    name_en="For future foster parents",
                ),
                Provider(
                    id=1,
                    external_id="P1",
                    name="МБОУ «СОШ № 5»",
                    address="ул. Ленина, 10",
                    locality_id=1,
                ),
                Provider(
                    id=2,
                    external_id="P2",
                    name="Отдел опеки и попечительства",
                    address="пр. Кирова, 3",
                    locality_id=1,
                ),
                Specialist(
                    id=1,
                    external_id="E1",
                    name="Иванова Мария Петровна",
                    position="педагог-психолог",
                    provider_id=1,
                    formats="in_person,phone,video",
                ),
                Specialist(
                    id=2,
                    external_id="E2",
                    name="Петров Олег Николаевич",
                    position="социальный педагог",
                    provider_id=1,
                    formats="in_person",
                ),
                Specialist(
                    id=3,
                    external_id="E3",
                    name="Смирнова Анна Юрьевна",
                    position="специалист опеки",
                    provider_id=2,
                    formats="in_person,video",
                ),
            ]
        )
        await session.flush()
        await session.execute(
            insert(specialist_services),
            [
                {"specialist_id": 1, "service_id": 1},
                {"specialist_id": 2, "service_id": 1},
                {"specialist_id": 3, "service_id": 2},
            ],
        )
        for specialist_id in (1, 2, 3):
            for weekday in range(5):
                session.add(
                    ScheduleTemplate(
                        specialist_id=specialist_id,
                        weekday=weekday,
                        start_minute=9 * 60,
                        end_minute=13 * 60,
                        slot_minutes=45,
                        break_start_minute=11 * 60,
                        break_end_minute=11 * 60 + 30,
                    )
                )
        await session.flush()
        await generate_slots(session, zone, first_day, first_day + timedelta(days=days))
        await session.commit()


async def add_users(session_factory, ids) -> None:
    async with session_factory() as session:
        session.add_all(User(id=i, locale="ru") for i in ids)
        await session.commit()
