from __future__ import annotations

import pytest
from aiogram.types import Chat, Message, Update, User
from sqlalchemy import select

from db.models import Child
from db.models import User as UserRow
from harness import BotClient

pytestmark = pytest.mark.both_messengers


async def _onboard(user, consent: bool = True) -> None:
    await user.send("/start")
    await user.press("Родитель")
    await user.send("Томск")
    await user.press("Пропустить")
    await user.press("✅ Согласен(на)" if consent else "Не сейчас")


async def test_language_follows_telegram_language_code_on_first_contact(client):
    john = client.user(6001, "en-US")
    await john.send("/start")
    assert "Hello!" in john.text()
    assert "🔎 Clubs and centres" in john.visible_labels()
    unknown = client.user(6002, "uk")
    await unknown.send("/start")
    assert "Здравствуйте" in unknown.text()


async def test_main_menu_buttons_and_commands(client):
    anna = client.user(6010)
    await _onboard(anna)
    await anna.press("❓ Помощь")
    assert "Как пользоваться ботом" in anna.text()
    await anna.press("🔎 Кружки и центры")
    assert "Выберите направление" in anna.text()
    await anna.send("/menu")
    assert "Главное меню" in anna.text()
    await anna.send("/start")
    assert "С возвращением" in anna.text()


async def test_unknown_text_gets_a_helpful_answer(client):
    anna = client.user(6011)
    await anna.send("абракадабра")
    assert "Ничего подходящего" in anna.text()  # typed text is a question; it says so
    assert "Техническое" in anna.visible_labels()
    await anna.send("/abracadabra")
    assert "не понял" in anna.text()
    assert "🔎 Кружки и центры" in anna.visible_labels()
    await anna.share_contact("+79990001122")
    assert "не понимаю" in anna.text()


async def test_cancel_leaves_any_dialog(client):
    anna = client.user(6012)
    await anna.send("/start")
    await anna.press("Родитель")
    await anna.send("/cancel")
    assert "вышли" in anna.text()
    await anna.send("Томск")  # no longer inside onboarding: a question about Tomsk
    assert "Ищу: Томск" in anna.text()
    await anna.send("/cancel")
    assert "нечего отменять" in anna.text()


async def test_settings_change_language_role_locality_age(client, app):
    anna = client.user(6020)
    await _onboard(anna)
    await anna.send("/settings")
    assert "Населённый пункт: Томск" in anna.text()

    await anna.press("🌐 Язык")
    await anna.press("English")
    assert "Language: English" in anna.text()
    assert "🔎 Clubs and centres" in anna.visible_labels()

    await anna.press("👤 Role")
    await anna.press("Pupil")
    assert "Role: Pupil" in anna.text()

    await anna.press("📍 Locality")
    await anna.share_location(56.99, 86.15)
    assert "Asino" in anna.text()

    await anna.press("🧒 My age")  # a pupil: their own age, kept as the one child
    await anna.press("➕ Add")
    await anna.press("Skip")
    assert "How old are you?" in anna.text()
    await anna.send("сто")
    assert "did not understand" in anna.text()
    await anna.send("grade 5")
    await anna.press("✅ Done")
    await anna.press("No")
    await anna.press("◀️ To the list")
    await anna.press("◀️ Back")
    assert "My age: grade 5" in anna.text()

    async with app.sessions() as session:
        row = await session.get(UserRow, client.person_id(6020))
        kids = (
            await session.scalars(select(Child).where(Child.user_id == client.person_id(6020)))
        ).all()
    assert (row.locale, row.role) == ("en", "pupil")
    assert [(kid.grade, kid.age, kid.name) for kid in kids] == [(5, None, None)]


async def test_profile_settings_ask_for_consent_first(client, app):
    anna = client.user(6021)
    await _onboard(anna, consent=False)
    await anna.send("/settings")
    await anna.press("👤 Роль")
    assert "Согласие на обработку" in anna.text()
    await anna.press("Не сейчас")
    assert "нужно согласие" in anna.text()
    async with app.sessions() as session:
        assert (await session.get(UserRow, client.person_id(6021))).role is None

    await anna.press("👤 Роль")
    await anna.press("✅ Согласен(на)")
    await anna.press("Педагог или другое")
    assert "Роль: Педагог или другое" in anna.text()


async def test_locality_list_pages_and_typed_name_with_several_matches(client):
    anna = client.user(6022)
    await anna.send("/start")
    await anna.press("Родитель")
    await anna.press("▶️")
    assert anna.edits()
    await anna.press("◀️")
    await anna.send("ово")  # Кожевниково, Кривошеино?.. several contain "ово"
    assert "несколько" in anna.text()
    await anna.press("Новоселово · Колпашевский район")
    assert "Новоселово" in anna.text()


async def test_locality_not_found_is_said_and_changes_nothing(client):
    anna = client.user(6023)
    await anna.send("/start")
    await anna.press("Родитель")
    await anna.send("<Атлантида>")
    assert "Не нашёл «<Атлантида>»" in anna.text()
    await anna.send("Томск")
    assert "Сколько лет" in anna.text()


async def test_stale_button_is_answered(client):
    anna = client.user(6030)
    await anna.send("/start")
    await anna.press("Родитель")
    listing = anna.messages[-2]  # the locality list, above the question
    forward = next(b for row in listing.reply_markup.inline_keyboard for b in row if b.text == "▶️")
    await anna.send("/cancel")
    assert "▶️" not in anna.visible_labels()  # the abandoned dialog's buttons are taken away
    await anna._callback(listing, forward.callback_data)  # a press that was already on its way
    answer = anna.callback_answer()
    assert answer is not None and "устарела" in answer.text


@pytest.mark.telegram_only("the fake MAX server has dialogs only: MAX group chats are not modelled")
async def test_group_messages_get_a_pointer_or_are_ignored(client):
    group = Chat(id=-100500, type="supergroup", title="Родители 5Б")
    member = User(id=6040, is_bot=False, first_name="Иван", language_code="ru")

    def message(text: str) -> Update:
        return Update(
            update_id=990000 + len(text),
            message=Message(message_id=1, date=0, chat=group, from_user=member, text=text),
        )

    sent = await client.feed(message("/start@edu_navigator_bot"))
    assert len(sent) == 1 and "в личных сообщениях" in sent[0].message.text
    assert await client.feed(message("всем привет")) == []


async def test_blocking_the_bot_is_recorded(client, app):
    anna = client.user(6050)
    await anna.send("/start")
    await anna.block()
    async with app.sessions() as session:
        assert (await session.get(UserRow, anna.id)).blocked_at is not None


async def test_every_dispatcher_is_independent(app):
    """Routers are built per dispatcher: two bots in one process do not interfere."""
    first, second = BotClient(app), BotClient(app)
    await first.user(6060).send("/help")
    await second.user(6061).send("/help")
    assert len(first.session.log) == len(second.session.log) == 1
