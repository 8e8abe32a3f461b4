"""The consultation set-up through the bot, as an admin uses it: /consult_admin lists, hide
and show, closing days with a confirmation; files sent in chat; parents told of cancellations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from aiogram.methods import SendDocument, SendMessage
from aiogram.types import Document
from catalog_rows import csv_bytes, good_rows
from clock import Clock
from consult_data import add_users, seed
from consult_files import NEW_SETUP, workbook
from sqlalchemy import func, select

from bot.notify.consultations import Notices
from db.models import Booking, Programme, Provider, ScheduleException, Specialist
from services.booking.reminders import ReminderService
from services.booking.service import BookingError, Choice, Contact
from services.consultations.imports import import_consultations

pytestmark = pytest.mark.both_messengers

ADMIN = 900001
PARENT = 5001
MONDAY = date(2026, 11, 23)
SUNDAY_MORNING = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 10:00 in Tomsk


@pytest.fixture
async def clock(app, client) -> Clock:
    clock = Clock(SUNDAY_MORNING)
    app.booking.now = clock
    await seed(app.sessions, app.settings.zone, MONDAY)
    await add_users(app.sessions, [client.person_id(PARENT)])
    return clock


def data_of(user, label: str) -> str:
    """The callback data of the newest button labelled `label` (to press it again later)."""
    found = user._inline_button(label)
    assert found is not None, (label, user.visible_labels())
    return found[1].callback_data


async def book(
    app, specialist_id: int, day: date, time: str, name: str = "Анна", *, parent: int = PARENT
) -> int:
    """`parent`: the bot's id of the parent who books (`client.person_id(PARENT)`)."""
    zone = app.settings.zone
    choice = Choice(1, specialist_id=specialist_id)
    slot = next(
        s
        for s in await app.booking.free_slots(choice, day)
        if f"{s.starts_at.astimezone(zone):%H:%M}" == time
    )
    contact = Contact(name, "+79990000000", 8, None, "ru")
    return (await app.booking.book(parent, Choice(1), slot.id, "in_person", contact)).id


async def status(app, booking_id: int) -> str:
    return (await app.booking.booking(booking_id)).status


async def exceptions(app) -> int:
    async with app.sessions() as session:
        return (
            await session.execute(select(func.count()).select_from(ScheduleException))
        ).scalar_one()


async def tell_parents(client, app, clock) -> list[SendMessage]:
    """One tick of the reminder worker, as the running bot does it every 30 s."""
    start = len(client.session.log)
    reminders = ReminderService(app.write_sessions, clock=clock, messenger=app.settings.messenger)
    await reminders.run_due(Notices(client.bot, app).deliver_reminder)
    return [o.method for o in client.session.log[start:] if isinstance(o.method, SendMessage)]


# --- lists, hide and show ------------------------------------------------------------------
async def test_admin_hides_a_service_and_parents_no_longer_see_it(client, app, clock):
    admin = client.user(ADMIN)
    await admin.send("/consult_admin")
    assert "Консультации: настройка" in admin.text()
    await admin.press("🗂 Услуги")
    assert "1. Психолого-педагогическая помощь — специалистов: 2" in admin.text()
    await admin.press("2. Консультация для будущих приёмных родителей")
    assert "ИД: S2" in admin.text() and "Доступно для записи" in admin.text()
    await admin.press("🙈 Скрыть")
    assert admin.callback_answer().text == "Скрыто"
    assert "Скрыто: новые записи не принимаются" in admin.text()
    assert [s.id for s in await app.booking.services()] == [1]

    await admin.press("◀️ Назад")
    assert "2. 🙈 Консультация для будущих приёмных родителей" in admin.text()
    await admin.press("2. Консультация для будущих приёмных родителей")
    await admin.press("👁 Показать")
    assert [s.id for s in await app.booking.services()] == [1, 2]


async def test_admin_hides_a_specialist_and_showing_again_brings_back_their_slots(
    client, app, clock
):
    admin = client.user(ADMIN)
    await admin.send("/consult_admin")
    await admin.press("👩‍🏫 Специалисты")
    text = admin.text()
    assert "Специалисты (3), страница 1 из 1" in text
    assert "1. Иванова Мария Петровна — МБОУ «СОШ № 5»" in text
    await admin.press("1. Иванова Мария Петровна")
    await admin.press("🙈 Скрыть")
    assert [s.id for s in await app.booking.specialists(1, None)] == [2]
    await admin.press("👁 Показать")
    assert admin.callback_answer().text == "Снова доступно для записи"
    assert {s.id for s in await app.booking.specialists(1, None)} == {1, 2}
    assert await app.booking.free_slots(Choice(1, specialist_id=1), MONDAY)


async def test_admin_hides_an_organisation_and_its_slots_leave_booking(client, app, clock):
    admin = client.user(ADMIN)
    await admin.send("/consult_admin")
    await admin.press("🏢 Организации")
    text = admin.text()
    assert "Организации (2), страница 1 из 1" in text
    assert "2. Отдел опеки и попечительства — специалистов: 1" in text
    await admin.press("2. Отдел опеки и попечительства")
    assert "ИД: P2" in admin.text() and "Доступно для записи" in admin.text()
    # Its specialist (3) gives the second service: "any organisation" finds their slots.
    assert await app.booking.nearest_slots(Choice(2))
    slot = (await app.booking.nearest_slots(Choice(2)))[0]

    await admin.press("🙈 Скрыть")
    assert admin.callback_answer().text == "Скрыто"
    assert await app.booking.providers(2) == []
    assert await app.booking.specialists(2, None) == []
    assert await app.booking.nearest_slots(Choice(2)) == []
    # A parent who still had that time on screen cannot book it any more.
    contact = Contact("Анна", "+79990000000", 8, None, "ru")
    with pytest.raises(BookingError) as refused:
        await app.booking.book(client.person_id(PARENT), Choice(2), slot.id, "in_person", contact)
    assert refused.value.reason == "bad_choice"

    await admin.press("◀️ Назад")
    assert "2. 🙈 Отдел опеки и попечительства — специалистов: 1 (скрыта)" in admin.text()
    await admin.press("2. Отдел опеки и попечительства")
    await admin.press("👁 Показать")
    assert admin.callback_answer().text == "Снова доступно для записи"
    assert [p.id for p in await app.booking.providers(2)] == [2]
    assert await app.booking.nearest_slots(Choice(2))
    # Its days can be closed from the card too.
    await admin.press("🚫 Закрыть дни")
    assert "Отдел опеки и попечительства: закрыть дни всей организации" in admin.text()
    assert "Вся организация (1 спец.)" in admin.visible_labels()


async def test_many_organisations_come_in_pages_and_a_card_goes_back_to_its_page(
    client, app, clock
):
    async with app.sessions() as session:
        session.add_all(
            Provider(id=100 + i, external_id=f"P{100 + i}", name=f"Школа № {100 + i}")
            for i in range(23)
        )
        await session.commit()
    admin = client.user(ADMIN)
    await admin.send("/consult_admin")
    await admin.press("🏢 Организации")
    assert "Организации (25), страница 1 из 3" in admin.text()
    await admin.press("Дальше ▶️")
    await admin.press("Дальше ▶️")
    assert "страница 3 из 3" in admin.text()
    assert "Дальше ▶️" not in admin.visible_labels()
    label = next(x for x in admin.visible_labels() if x.startswith("25. "))
    await admin.press(label)
    assert "Специалистов: 0" in admin.text()
    assert "🚫 Закрыть дни" not in admin.visible_labels()  # nobody's days to close
    await admin.press("◀️ Назад")
    assert "страница 3 из 3" in admin.text()

    # Closing days lists only organisations with specialists, also in pages.
    async with app.sessions() as session:
        session.add_all(
            Specialist(id=100 + i, external_id=f"E{100 + i}", name=f"П {i}", provider_id=100 + i)
            for i in range(23)
        )
        await session.commit()
    await admin.send("/consult_admin")
    await admin.press("🚫 Закрыть дни")
    labels = admin.visible_labels()  # by name: the two of the seed, then eight schools
    assert "МБОУ «СОШ № 5»" in labels and "Отдел опеки и попечительства" in labels
    assert len([x for x in labels if x.startswith("Школа")]) == 8
    await admin.press("Дальше ▶️")
    await admin.press("Дальше ▶️")
    assert len([x for x in admin.visible_labels() if x.startswith("Школа")]) == 5


async def test_strangers_are_refused_and_nothing_changes(client, app, clock):
    admin, stranger = client.user(ADMIN), client.user(PARENT)
    await stranger.send("/consult_admin")
    assert "для сотрудников" in stranger.text()
    await stranger.send("/consult_export")
    assert "для сотрудников" in stranger.text()

    # A stranger who somehow holds an admin button (forwarded, guessed) presses it.
    await admin.send("/consult_admin")
    await admin.press("👩‍🏫 Специалисты")
    await admin.press("1. Иванова Мария Петровна")
    # The admin's dialog is not theirs: the press is answered as outdated, nothing is done.
    await stranger._callback(admin.messages[-1], data_of(admin, "🙈 Скрыть"))
    assert stranger.callback_answer().text == "Эта кнопка устарела. Откройте меню заново."
    async with app.sessions() as session:
        assert (await session.get(Specialist, 1)).active


async def test_a_button_for_something_gone_says_so(client, app, clock):
    admin = client.user(ADMIN)
    await admin.send("/consult_admin")
    await admin.press("🗂 Услуги")
    forged = data_of(admin, "1. Психолого-педагогическая помощь").rsplit(":", 1)[0] + ":999"
    await admin._callback(admin.messages[-1], forged)
    assert "Этого уже нет" in admin.callback_answer().text


# --- closing days --------------------------------------------------------------------------
async def test_closing_a_specialists_day_shows_the_count_cancels_and_tells_the_parent(
    client, app, clock
):
    parent = client.person_id(PARENT)
    held = await book(app, 1, MONDAY, "09:00", name="Анна <b>&</b>", parent=parent)
    other = await book(app, 2, MONDAY, "09:45", parent=parent)  # not 09:00 too: a clash
    admin = client.user(ADMIN)
    await admin.send("/consult_admin")
    await admin.press("🚫 Закрыть дни")
    assert "Выберите организацию" in admin.text()
    await admin.press("МБОУ «СОШ № 5»")
    await admin.press("Иванова Мария Петровна")
    assert "Какие дни закрыть для специалиста «Иванова Мария Петровна»?" in admin.text()

    for wrong, answer in (
        ("завтра", "Не понял дату"),
        ("31.02.2026", "Не понял дату"),
        ("01.11.2026", "уже прошли"),
        ("25.11.2026–23.11.2026", "раньше первого"),
        ("23.11.2026–23.12.2027", "не больше 366 дней"),
    ):
        await admin.send(wrong)
        assert answer in admin.text(), wrong
    assert await exceptions(app) == 0

    await admin.send("23.11.2026")
    assert "Дни: пн, 23 ноября" in admin.text()
    await admin.send("x" * 300)
    assert "длиннее 255 символов (сейчас 300)" in admin.text()
    await admin.send("больничный <до пятницы> & т. п.")
    text = admin.text()
    assert "Причина: больничный <до пятницы> & т. п." in text  # escaped: the session parsed it
    assert "Будет отменена 1 запись" in text
    assert await status(app, held) == "active"

    confirm = data_of(admin, "✅ Закрыть")
    await admin.press("✅ Закрыть")
    assert "Отменена 1 запись; родитель получит сообщение" in admin.text()
    assert await status(app, held) == "cancelled"
    assert await status(app, other) == "active"
    assert await app.booking.free_slots(Choice(1, specialist_id=1), MONDAY) == []

    [notice] = await tell_parents(client, app, clock)
    assert notice.chat_id == parent
    assert "консультация" in notice.text and "отменена" in notice.text
    assert await tell_parents(client, app, clock) == []  # told once

    # A second tap that reached the bot before the buttons were gone.
    await admin._callback(admin.messages[-2], confirm)
    assert "устарела" in admin.callback_answer().text
    assert await exceptions(app) == 1


async def test_closing_a_whole_organisation_without_a_reason(client, app, clock):
    parent = client.person_id(PARENT)
    first = await book(app, 1, MONDAY + timedelta(days=1), "09:00", parent=parent)
    second = await book(app, 2, MONDAY + timedelta(days=2), "09:45", parent=parent)
    admin = client.user(ADMIN)
    await admin.send("/consult_admin")
    await admin.press("🚫 Закрыть дни")
    await admin.press("МБОУ «СОШ № 5»")
    await admin.press("Вся организация (2 спец.)")
    assert "всей организации «МБОУ «СОШ № 5»»" in admin.text()
    await admin.send("24.11 - 25.11")
    assert "с вт, 24 ноября по ср, 25 ноября" in admin.text()
    await admin.press("Без причины")
    assert "Будут отменены 2 записи" in admin.text() and "Причина: —" in admin.text()
    await admin.press("✅ Закрыть")
    assert "Отменены 2 записи" in admin.text()
    assert [await status(app, first), await status(app, second)] == ["cancelled"] * 2
    assert len(await tell_parents(client, app, clock)) == 2


async def test_cancel_and_non_text_answers_change_nothing(client, app, clock):
    held = await book(app, 1, MONDAY, "09:00", parent=client.person_id(PARENT))
    admin = client.user(ADMIN)
    await admin.send("/consult_admin")
    await admin.press("👩‍🏫 Специалисты")
    await admin.press("1. Иванова Мария Петровна")
    await admin.press("🚫 Закрыть дни")
    await admin.share_location(56.48, 84.95)
    assert "Напишите ответ текстом" in admin.text()
    await admin.send("23.11.2026")
    await admin.send("отпуск")
    assert "Будет отменена 1 запись" in admin.text()
    await admin.press("✖️ Отмена")
    assert admin.callback_answer().text == "Ничего не изменено."
    assert "Иванова Мария Петровна" in admin.text()  # back on the card the closing began at
    assert await status(app, held) == "active" and await exceptions(app) == 0
    await admin.send("отпуск")  # no dialog any more: not taken as a reason
    assert await exceptions(app) == 0


# --- files ---------------------------------------------------------------------------------
def _document(name: str) -> Document:
    return Document(file_id=f"id-{name}", file_unique_id=f"u-{name}", file_name=name, file_size=99)


def _serve(client, files: dict[str, bytes]) -> None:
    async def downloader(bot, document):
        return files[document.file_name]

    client.dispatcher["downloader"] = downloader


async def test_admin_sends_a_setup_workbook_and_a_catalogue_still_goes_to_the_catalogue(
    client, app, clock
):
    held = await book(app, 1, MONDAY, "09:00", parent=client.person_id(PARENT))
    closing = [{"specialist_id": "E1", "first_day": "23.11.2026", "reason": "праздник"}]
    _serve(
        client,
        {
            "настройка.xlsx": workbook(**{**NEW_SETUP, "exceptions": closing}),
            "bad.xlsx": workbook(services=[{"service_id": "S7"}]),
            "catalog.csv": csv_bytes(good_rows()),
        },
    )
    admin = client.user(ADMIN)
    await admin.send_message(document=_document("bad.xlsx"))
    assert "лист «Услуги», строка 2, «Название»: не заполнено" in admin.text()
    assert "Ничего не изменено" in admin.text()

    await admin.send_message(document=_document("настройка.xlsx"), caption="проверка")
    assert "Это была только проверка" in admin.text()
    assert await status(app, held) == "active"

    await admin.send_message(document=_document("настройка.xlsx"))
    text = admin.text()
    assert "Получил файл «настройка.xlsx»" in text
    assert "Файл обработан — отчёт ниже" in text  # the progress message, edited
    assert "Настройка консультаций обновлена" in text and "Специалисты: добавлено 1" in text
    assert "Отменено записей на закрытые дни: 1" in text
    assert await status(app, held) == "cancelled"
    assert len(await tell_parents(client, app, clock)) == 1

    await admin.send_message(document=_document("catalog.csv"))
    assert "Каталог обновлён" in admin.text()
    async with app.sessions() as session:
        assert (
            await session.execute(
                select(func.count())
                .select_from(Programme)
                .where(Programme.external_id.like("T-PRG-%"))
            )
        ).scalar_one() == 3


async def test_export_command_sends_a_workbook_that_imports_back_unchanged(client, app, clock):
    admin = client.user(ADMIN)
    await admin.send("/consult_export")
    [sent] = [o.method for o in admin.last if isinstance(o.method, SendDocument)]
    assert sent.document.filename.endswith(".xlsx")
    assert "услуг — 2, организаций — 2, специалистов — 3" in sent.caption
    report = await import_consultations(
        app.write_sessions,
        sent.document.data,
        zone=app.settings.zone,
        horizon_days=14,
        file_name="back.xlsx",
        now=SUNDAY_MORNING,
    )
    assert report.ok, report.problems
    assert all(c.added == c.changed == 0 for c in report.counts.values()), report.counts
    async with app.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(Booking))).scalar_one() == 0

    await admin.send("/consult_import")
    assert "Настройка консультаций файлом" in admin.text()
    [template] = [o.method for o in admin.last if isinstance(o.method, SendDocument)]
    assert template.document.filename == "consultations_template.xlsx"


async def close_monday_of_ivanova(admin, reason: str = "больничный") -> None:
    await admin.send("/consult_admin")
    await admin.press("🚫 Закрыть дни")
    await admin.press("МБОУ «СОШ № 5»")
    await admin.press("Иванова Мария Петровна")
    await admin.send("23.11.2026")
    await admin.send(reason)
    await admin.press("✅ Закрыть")


async def test_closed_days_are_listed_and_opened_again_for_booking(client, app, clock):
    held = await book(app, 1, MONDAY, "09:00", parent=client.person_id(PARENT))
    admin = client.user(ADMIN)
    await close_monday_of_ivanova(admin, reason="отпуск <до среды>")
    assert await app.booking.free_slots(Choice(1, specialist_id=1), MONDAY) == []

    await admin.send("/consult_admin")
    await admin.press("📅 Закрытые дни")
    assert "1. Иванова Мария Петровна: пн, 23 ноября — отпуск <до среды>" in admin.text()
    reopen = data_of(admin, "1. Открыть снова")
    await admin.press("1. Открыть снова")
    assert admin.callback_answer().text.startswith("Дни открыты, слотов снова доступно: ")
    assert "Закрытых дней впереди нет." in admin.text()
    assert await exceptions(app) == 0
    assert await app.booking.free_slots(Choice(1, specialist_id=1), MONDAY) != []
    assert await status(app, held) == "cancelled"  # the parent was told; it stays cancelled

    # The same button again: that closing is gone.
    await admin._callback(admin.messages[-1], reopen)
    assert admin.callback_answer().text == "Этого уже нет — откройте список заново."


async def test_opening_one_closing_keeps_the_days_another_still_covers(client, app, clock):
    admin = client.user(ADMIN)
    await close_monday_of_ivanova(admin)
    async with app.write_sessions() as session:  # a department-wide holiday the same day
        session.add(ScheduleException(specialist_id=None, first_day=MONDAY, last_day=MONDAY))
        await session.commit()
    await admin.send("/consult_admin")
    await admin.press("📅 Закрытые дни")
    assert "все специалисты: пн, 23 ноября" in admin.text()
    await admin.press("1. Открыть снова")  # Ivanova's own closing
    assert admin.callback_answer().text == "Дни открыты, слотов снова доступно: 0"
    assert await app.booking.free_slots(Choice(1, specialist_id=1), MONDAY) == []


async def test_strangers_cannot_open_closed_days(client, app, clock):
    admin = client.user(ADMIN)
    await close_monday_of_ivanova(admin)
    await admin.send("/consult_admin")
    await admin.press("📅 Закрытые дни")
    stranger = client.user(PARENT)
    await stranger.send("/start")
    await stranger._callback(stranger.messages[-1], data_of(admin, "1. Открыть снова"))
    assert "устарела" in stranger.callback_answer().text
    assert await exceptions(app) == 1


async def test_a_linked_specialist_hears_of_each_booking_the_closing_cancelled(client, app, clock):
    specialist_user = client.person_id(777001)
    async with app.write_sessions() as session:
        (await session.get(Specialist, 1)).telegram_user_id = specialist_user
        await session.commit()
    client.dispatcher["booking_events"] = Notices(client.bot, app)
    held = await book(app, 1, MONDAY, "09:00", parent=client.person_id(PARENT))
    await close_monday_of_ivanova(client.user(ADMIN))
    assert await status(app, held) == "cancelled"
    told = [
        out.method.text
        for out in client.session.log
        if isinstance(out.method, SendMessage) and out.method.chat_id == specialist_user
    ]
    assert len(told) == 1
    assert "Запись отменена" in told[0] and "Причина: сотрудники закрыли этот день" in told[0]
