"""/mydata lists a person's waitlist entries and enrolment reminders; /forget removes them
(the rows, not only the profile: SQLite and PostgreSQL both delete them with it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from waitlist_kit import a_programme, no_demo_queues

from db.models import EnrolReminder, WaitlistEntry

YES = "Да, удалить"


async def _count(app, model, user_id: int) -> int:
    async with app.sessions() as session:
        return await session.scalar(
            select(func.count()).select_from(model).where(model.user_id == user_id)
        )


async def test_mydata_lists_waits_and_reminders_and_forget_removes_them(any_app, any_client):
    app, client = any_app, any_client
    await no_demo_queues(app)
    full = await a_programme(app, free=0)
    later = await a_programme(app, free=3, skip=1)
    await app.enrolment.set_start(later, datetime.now(app.settings.zone).date() + timedelta(9))
    gala = client.user(9501)
    await gala.send("/mydata")
    assert "Списков ожидания нет" in gala.text()
    assert "Напоминаний о начале записи нет" in gala.text()

    await gala.send(f"/start p-{full}")
    await gala.press("🔔 Сообщить, когда появится место")
    await gala.send(f"/start p-{later}")
    await gala.press("⏰ Напомнить о начале записи")
    await gala.send("/mydata")
    text = gala.text()
    full_name = (await app.catalog.programme(full)).name
    later_name = (await app.catalog.programme(later)).name
    assert "Списки ожидания (1)" in text
    assert full_name in text and "ждёте" in text
    assert "Напоминания о начале записи" in text and later_name in text and "напомню" in text

    await gala.send("/forget")
    await gala.press(YES)
    assert "Ваши данные удалены" in gala.text()
    assert await _count(app, WaitlistEntry, 9501) == 0
    assert await _count(app, EnrolReminder, 9501) == 0
