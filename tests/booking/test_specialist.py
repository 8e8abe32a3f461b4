"""Specialists through the bot, as an admin, a specialist and a parent would use it:
link codes, /today and /week with marking, the parent's rating, /bookings for admins."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from clock import Clock
from consult_data import add_users, seed
from sqlalchemy import select, update

from db.models import Booking, Specialist
from handlers.booking.specialist import Rate, SpecMark
from services.booking.service import Choice, Contact
from services.booking.specialists import LINK_ALPHABET, LINK_LENGTH, normalise_code

pytestmark = pytest.mark.both_messengers

ADMIN = 900001
SPEC = 7001  # Иванова (specialist 1)
SPEC2 = 7002  # Петров (specialist 2)
PARENT = 5001
PARENT2 = 5002
MONDAY = date(2026, 11, 23)
SUNDAY_MORNING = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 10:00 in Tomsk, before it all
MONDAY_10 = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 in Tomsk: 9:00 and 9:45 began
CONTACT = Contact("Анна <b>&</b>", "+79991234567", 9, "Сын не хочет читать <i>совсем</i>", "ru")
CODE_RE = re.compile(rf"\b[{LINK_ALPHABET}]{{{LINK_LENGTH}}}\b")


@pytest.fixture
async def clock(app, client) -> Clock:
    clock = Clock(SUNDAY_MORNING)
    app.booking.now = clock
    await seed(app.sessions, app.settings.zone, MONDAY)
    await add_users(app.sessions, [client.person_id(PARENT), client.person_id(PARENT2)])
    return clock


async def _link(app, specialist_id: int, user_id: int) -> None:
    async with app.sessions() as session:
        await session.execute(
            update(Specialist)
            .where(Specialist.id == specialist_id)
            .values(telegram_user_id=user_id)
        )
        await session.commit()


TIMES = ("09:00", "09:45", "11:30", "12:15")  # the seeded day of every specialist


async def _book(app, user_id=PARENT, specialist_id=1, day=MONDAY, index=0, contact=CONTACT):
    """Books the `index`-th slot of the day (see TIMES), whatever is taken already."""
    service = 2 if specialist_id == 3 else 1
    choice = Choice(service, specialist_id=specialist_id)
    zone = app.settings.zone
    slot = next(
        slot
        for slot in await app.booking.free_slots(choice, day)
        if f"{slot.starts_at.astimezone(zone):%H:%M}" == TIMES[index]
    )
    return await app.booking.book(user_id, choice, slot.id, "in_person", contact)


async def _booking(app, booking_id: int) -> Booking:
    async with app.sessions() as session:
        return (await session.execute(select(Booking).where(Booking.id == booking_id))).scalar_one()


# --- linking -------------------------------------------------------------------------------
async def test_admin_gives_a_one_time_code_and_the_specialist_links_with_it(client, app, clock):
    admin, specialist, stranger = client.user(ADMIN), client.user(SPEC), client.user(PARENT)

    await stranger.send("/linkcode E1")
    assert "только для администраторов" in stranger.text()

    await admin.send("/linkcode")
    listing = admin.text()
    assert "E1" in listing and "Иванова Мария Петровна" in listing and "E3" in listing

    await admin.send("/linkcode X404")
    assert "не найден" in admin.text()

    await admin.send("/linkcode e1")
    code = CODE_RE.search(admin.text()).group(0)
    assert "Иванова Мария Петровна" in admin.text() and f"/link {code}" in admin.text()

    await specialist.send("/link")
    assert "Отправьте код привязки" in specialist.text()
    await specialist.send("/link ABCD2345")
    assert "Код не подошёл" in specialist.text()
    await specialist.send("/today")
    assert "только для специалистов" in specialist.text()

    await specialist.send(f"/link {code[:4].lower()}-{code[4:].lower()}")
    assert "Аккаунт привязан" in specialist.text() and "/today" in specialist.text()
    async with app.sessions() as session:
        row = await session.get(Specialist, 1)
    assert row.telegram_user_id == client.person_id(SPEC) and row.link_code is None

    # One-time: the same code again does nothing.
    colleague = client.user(SPEC2)
    await colleague.send(f"/link {code}")
    assert "Код не подошёл" in colleague.text()
    async with app.sessions() as session:
        assert (await session.get(Specialist, 1)).telegram_user_id == client.person_id(SPEC)

    # An account linked to one specialist cannot take another's code.
    await admin.send("/linkcode 2")
    other_code = CODE_RE.search(admin.text()).group(0)
    await specialist.send(f"/link {other_code}")
    assert "уже привязан к специалисту Иванова Мария Петровна" in specialist.text()
    async with app.sessions() as session:
        second = await session.get(Specialist, 2)
    assert second.telegram_user_id is None and second.link_code == other_code

    # A new code for a linked specialist warns that the link will move.
    await admin.send("/linkcode E1")
    assert "уже привязан аккаунт" in admin.text()


async def test_admin_unlinks_a_specialist(client, app, clock):
    await _link(app, 1, client.person_id(SPEC))
    admin = client.user(ADMIN)
    await admin.send("/unlink E1")
    assert "отвязан" in admin.text()
    await admin.send("/unlink E1")
    assert "отвязывать нечего" in admin.text()
    specialist = client.user(SPEC)
    await specialist.send("/today")
    assert "только для специалистов" in specialist.text()


def test_link_codes_are_normalised_and_checked():
    assert normalise_code(" abcd-2345 ") == "ABCD2345"
    assert normalise_code("link-ABCD2345") == "ABCD2345"
    assert normalise_code("ABCD0345") is None  # 0 is not in the alphabet
    assert normalise_code("ABC") is None
    assert normalise_code(None) is None


# --- the specialist's screens and marking --------------------------------------------------
async def test_today_lists_own_bookings_with_personal_data_escaped(client, app, clock):
    await _link(app, 1, client.person_id(SPEC))
    await _link(app, 2, client.person_id(SPEC2))
    mine = await _book(app, user_id=client.person_id(PARENT), index=0)
    await _book(
        app, user_id=client.person_id(PARENT2), specialist_id=2, index=1
    )  # someone else's patient
    clock.moment = SUNDAY_MORNING + timedelta(days=1) - timedelta(hours=2)  # Monday 08:00

    specialist = client.user(SPEC)
    await specialist.send("/today")
    text = specialist.text()
    assert "Ваши записи на пн, 23 ноября" in text
    assert "Анна <b>&</b>" in text and "+79991234567" in text
    assert "Сын не хочет читать <i>совсем</i>" in text and mine.code in text
    assert "09:00" in text and "очно" in text and "ожидается" in text
    assert "Петров" not in text and "09:45" not in text
    # Not started yet: nothing to mark.
    assert not [label for label in specialist.visible_labels() if "Состоялась" in label]

    # A day without bookings says so; ◀️ comes back.
    await specialist.press("▶️")
    assert "вт, 24 ноября" in specialist.text() and "Записей на этот день нет" in specialist.text()
    await specialist.press("Сегодня")
    assert "Анна" in specialist.text()


async def test_marking_held_asks_the_parent_to_rate_and_a_second_press_is_refused(
    client, app, clock
):
    await _link(app, 1, client.person_id(SPEC))
    first = await _book(app, user_id=client.person_id(PARENT), index=0)  # 09:00
    second = await _book(app, user_id=client.person_id(PARENT), index=1)  # 09:45
    later = await _book(app, user_id=client.person_id(PARENT), index=2)  # 11:30
    clock.moment = MONDAY_10

    specialist = client.user(SPEC)
    await specialist.send("/today")
    old_screen = specialist.messages[-1]
    labels = specialist.visible_labels()
    assert "✅ 09:00 Состоялась" in labels and "🚫 09:45 Не пришли" in labels
    assert "✅ 11:30 Состоялась" not in labels  # starts later: not yet
    assert "не отмечена" in specialist.text()

    await specialist.send("/today")  # the same screen twice, e.g. on two devices
    await specialist.press("✅ 09:00 Состоялась")
    assert "консультация состоялась" in specialist.callback_answer().text
    assert (await _booking(app, first.id)).status == "done"
    assert "✅ 09:00 Состоялась" not in [
        b.text for row in specialist.messages[-1].reply_markup.inline_keyboard for b in row
    ]
    # The parent is asked in the booking's language, with five stars.
    to_parent = [o for o in specialist.last if o.method.__class__.__name__ == "SendMessage"]
    assert len(to_parent) == 1 and to_parent[0].method.chat_id == client.person_id(PARENT)
    assert "Как прошла консультация" in to_parent[0].message.text

    # The older screen still shows the button: pressing it changes nothing.
    await specialist._callback(
        old_screen, SpecMark(id=first.id, s="m", v="d", d=MONDAY.toordinal()).pack()
    )
    assert "уже отмечена" in specialist.callback_answer().text
    assert (await _booking(app, first.id)).status == "done"

    await specialist.press("🚫 09:45 Не пришли")
    assert (await _booking(app, second.id)).status == "missed"
    assert not [
        o for o in specialist.last if getattr(o.method, "chat_id", None) == client.person_id(PARENT)
    ]

    # Not started: refused even when the button is forged.
    await specialist._callback(
        old_screen, SpecMark(id=later.id, s="d", v="d", d=MONDAY.toordinal()).pack()
    )
    assert "ещё не началась" in specialist.callback_answer().text
    assert (await _booking(app, later.id)).status == "active"


async def test_refresh_brings_up_the_buttons_once_a_consultation_has_begun(client, app, clock):
    await _link(app, 1, client.person_id(SPEC))
    await _book(app, user_id=client.person_id(PARENT), index=0)
    clock.moment = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 08:00 Monday
    specialist = client.user(SPEC)
    await specialist.send("/today")
    await specialist.press("🔄 Обновить")  # nothing changed: no edit (Telegram would refuse)
    assert specialist.edits() == []
    clock.moment = MONDAY_10
    await specialist.press("🔄 Обновить")
    assert len(specialist.edits()) == 1 and "✅ 09:00 Состоялась" in specialist.visible_labels()


async def test_a_specialist_cannot_mark_another_specialists_booking(client, app, clock):
    await _link(app, 1, client.person_id(SPEC))
    await _link(app, 2, client.person_id(SPEC2))
    theirs = await _book(app, user_id=client.person_id(PARENT), specialist_id=2, index=0)
    clock.moment = MONDAY_10
    specialist = client.user(SPEC)
    await specialist.send("/today")
    forged = SpecMark(id=theirs.id, s="d", v="d", d=MONDAY.toordinal()).pack()
    await specialist._callback(specialist.messages[-1], forged)
    assert "нет" in specialist.callback_answer().text
    assert (await _booking(app, theirs.id)).status == "active"

    parent = client.user(PARENT)
    await parent.send("/today")
    assert "только для специалистов" in parent.text()
    await parent._callback(parent.messages[-1], forged)
    assert "только для специалистов" in parent.callback_answer().text
    assert (await _booking(app, theirs.id)).status == "active"


async def test_week_groups_by_day_and_navigates(client, app, clock):
    await _link(app, 1, client.person_id(SPEC))
    await _book(app, user_id=client.person_id(PARENT), index=0)
    await _book(app, user_id=client.person_id(PARENT), day=MONDAY + timedelta(days=2), index=2)
    specialist = client.user(SPEC)
    await specialist.send("/week")
    text = specialist.text()
    assert "вс, 22 ноября — сб, 28 ноября" in text
    assert "пн, 23 ноября" in text and "ср, 25 ноября" in text and "11:30" in text
    assert text.count("Анна") == 2
    await specialist.press("▶️")
    assert "Записей на эти дни нет" in specialist.text()
    await specialist.press("Сегодня")
    assert specialist.text().count("Анна") == 2

    clock.moment = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)  # Wednesday 13:00
    await specialist.send("/week")
    labels = specialist.visible_labels()
    assert "✅ ср 11:30 Состоялась" in labels
    await specialist.press("◀️")  # last week: the Monday booking, still unmarked
    assert "✅ пн 09:00 Состоялась" in specialist.visible_labels()
    await specialist.press("✅ пн 09:00 Состоялась")
    assert "✅ состоялась" in specialist.text()


async def test_a_long_day_is_paged_and_marking_keeps_the_page(client, app, clock):
    await _link(app, 1, client.person_id(SPEC))
    long_question = "Очень подробный вопрос & детали. " * 30  # ~1000 characters
    made = []
    for index in range(4):
        user = client.person_id(PARENT) if index < 2 else client.person_id(PARENT2)
        contact = Contact(f"Родитель {index}", "+7999000000" + str(index), 7, long_question, "ru")
        made.append(await _book(app, user_id=user, index=index, contact=contact))
    clock.moment = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 14:00: all began
    specialist = client.user(SPEC)
    await specialist.send("/today")
    assert "Страница 1 из 2" in specialist.text()
    await specialist.press("стр. 2 ➡️")
    page_two = specialist.text()
    assert "Страница 2 из 2" in page_two and "Родитель 3" in page_two
    assert "Родитель 0" not in page_two
    await specialist.press("✅ 12:15 Состоялась")
    assert "Страница 2 из 2" in specialist.text()
    assert (await _booking(app, made[3].id)).status == "done"


# --- the parent's rating -------------------------------------------------------------------
async def test_the_parent_rates_once_and_comments(client, app, clock):
    await _link(app, 1, client.person_id(SPEC))
    first = await _book(app, user_id=client.person_id(PARENT), index=0)
    other = await _book(app, user_id=client.person_id(PARENT2), index=1)
    clock.moment = MONDAY_10
    specialist, parent, stranger = client.user(SPEC), client.user(PARENT), client.user(PARENT2)
    await specialist.send("/today")
    await specialist.press("✅ 09:00 Состоялась")
    await specialist.press("✅ 09:45 Состоялась")

    # Someone else's booking cannot be rated, whatever the button says.
    rate_message = parent.messages[-1]
    await stranger._callback(rate_message, Rate(id=first.id, r=1).pack())
    assert "нельзя" in stranger.callback_answer().text
    assert (await _booking(app, first.id)).rating is None

    await parent.press("⭐5")
    assert "Ваша оценка: ⭐⭐⭐⭐⭐" in parent.text()
    assert (await _booking(app, first.id)).rating == 5

    now_shown = parent.message(rate_message.message_id)
    assert now_shown.reply_markup is None  # the stars are gone once rated
    await parent._callback(now_shown, Rate(id=first.id, r=2).pack())
    assert "уже оценили" in parent.callback_answer().text
    assert (await _booking(app, first.id)).rating == 5

    await parent.send("x" * 1001)
    assert "длиннее 1000 символов" in parent.text()
    assert (await _booking(app, first.id)).comment is None
    await parent.send("Спасибо, было полезно <3 & понятно")
    assert "Спасибо за отзыв" in parent.text()
    row = await _booking(app, first.id)
    assert row.comment == "Спасибо, было полезно <3 & понятно" and row.rating == 5
    assert "Без комментария" not in parent.visible_labels()  # the prompt lost its button
    await parent.send("ещё один текст")  # not a comment any more
    assert (await _booking(app, first.id)).comment == "Спасибо, было полезно <3 & понятно"

    # The other parent rates and skips the comment.
    await stranger.press("⭐3")
    await stranger.press("Без комментария")
    assert "без комментария" in stranger.text().lower()
    row = await _booking(app, other.id)
    assert row.rating == 3 and row.comment is None
    assert (
        await client.dispatcher.storage.get_state(_key(client, client.person_id(PARENT2))) is None
    )

    # The specialist sees the ratings.
    await specialist.send("/today")
    assert "оценка 5/5" in specialist.text() and "оценка 3/5" in specialist.text()


def _key(client, user_id):
    from aiogram.fsm.storage.base import StorageKey

    return StorageKey(bot_id=client.bot.id, chat_id=user_id, user_id=user_id)


async def test_rating_request_in_english_for_an_english_booking(client, app, clock):
    await _link(app, 1, client.person_id(SPEC))
    contact = Contact("John", "+79990000000", None, None, "en")
    await _book(app, user_id=client.person_id(PARENT), index=0, contact=contact)
    clock.moment = MONDAY_10
    specialist = client.user(SPEC)
    await specialist.send("/today")
    await specialist.press("✅ 09:00 Состоялась")
    assert "How was the consultation" in client.user(PARENT).messages[-1].text


# --- admins' view --------------------------------------------------------------------------
async def test_admin_sees_every_specialists_bookings_by_day(client, app, clock):
    await _book(app, user_id=client.person_id(PARENT), index=0)
    await _book(app, user_id=client.person_id(PARENT2), specialist_id=3, index=1)
    await _book(
        app, user_id=client.person_id(PARENT2), specialist_id=2, day=MONDAY + timedelta(days=1)
    )
    admin, parent = client.user(ADMIN), client.user(PARENT)

    await parent.send("/bookings")
    assert "только для администраторов" in parent.text()

    await admin.send("/bookings")
    assert (
        "Все записи на вс, 22 ноября" in admin.text() and "Записей на этот день нет" in admin.text()
    )
    await admin.press("▶️")
    text = admin.text()
    assert "пн, 23 ноября" in text
    assert "Иванова Мария Петровна" in text and "Смирнова Анна Юрьевна" in text
    assert "Анна <b>&</b>" in text and "+79991234567" in text
    assert "Петров Олег" not in text
    assert not [label for label in admin.visible_labels() if "Состоялась" in label]
    await admin.press("▶️")
    assert "Петров Олег Николаевич" in admin.text()

    # An admin's button pressed by someone else shows nothing.
    foreign = admin.messages[-1].reply_markup.inline_keyboard[-1][0].callback_data
    await parent._callback(parent.messages[-1], foreign)
    assert "только для администраторов" in parent.callback_answer().text
