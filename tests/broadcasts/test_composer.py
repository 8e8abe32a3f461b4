"""The broadcast composer (/broadcast) driven as the admin: formatted text kept, photo with a
caption, buttons, the audience with its size, the preview, sending now or later, the progress
message's pause/resume/cancel, and one delivery through the real sender."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from aiogram.methods import SendDocument, SendMessage, SendPhoto
from aiogram.types import Document, MessageEntity, PhotoSize
from composer_steps import ADMIN, HEADLINE, TEXT, TOMSK, audience, start_composing
from sqlalchemy import select

from bot.notify.broadcasts import BroadcastSender
from db.models import Broadcast, Event
from handlers.broadcasts.composer import BcCtl
from services.broadcasts.service import DeliveryEngine

pytestmark = pytest.mark.both_messengers


async def _broadcasts(app) -> list[Broadcast]:
    async with app.sessions() as session:
        return list((await session.execute(select(Broadcast).order_by(Broadcast.id))).scalars())


def _engine(app) -> DeliveryEngine:
    """The process's engine (its messenger's letters), without the production cap."""
    return DeliveryEngine(app.write_sessions, 1000, messenger=app.settings.messenger)


def _sent(user, method_type=SendMessage):
    return [o for o in user.last if isinstance(o.method, method_type)]


# --- the whole way ---------------------------------------------------------------------------
async def test_compose_preview_send_now_and_deliver_to_the_subscribed_only(client, app):
    await audience(app, client.person_id)
    admin = client.user(ADMIN)
    await start_composing(admin)
    assert "на английском" in admin.text()
    italic = MessageEntity(type="italic", offset=0, length=len("Profession festival"))
    await admin.send_message(
        text="Profession festival for grade 8: online lessons.", entities=[italic]
    )
    assert "добавить кнопку" in admin.text()

    await admin.press("🔗 Кнопка-ссылка")
    await admin.send("Записаться")
    await admin.send("not a link")
    assert "не похоже на ссылку" in admin.text()
    await admin.send("https://edu.example.org/festival?grade=8")
    assert "кому отправить" in admin.text()
    assert "Получателей сейчас: 3" in admin.text()  # 8001, 8002, 8003: 8005 blocked the bot

    await admin.press("⬜ родители")
    assert "Получателей сейчас: 2" in admin.text()
    await admin.press("⬜ Русский")
    assert "Получателей сейчас: 1" in admin.text()
    await admin.press("✅ родители")
    await admin.press("✅ Русский")
    assert "Получателей сейчас: 3" in admin.text()

    await admin.press("👁 Предпросмотр")
    previews = _sent(admin)
    texts = [o.message.text for o in previews]
    assert texts[0].startswith("👁 Так объявление увидят")
    ru, en = previews[1].message, previews[3].message
    assert ru.text == TEXT and ru.html_text.startswith(f"<b>{HEADLINE}</b> для 8")
    assert "&amp;" in ru.html_text  # the & came back as text, not as broken HTML
    assert en.html_text.startswith("<i>Profession festival</i> for grade 8")
    for preview in (ru, en):
        (button,) = preview.reply_markup.inline_keyboard[0]
        assert (button.text, button.url) == (
            "Записаться",
            "https://edu.example.org/festival?grade=8",
        )
    assert "Получателей: 3" in texts[-1]

    await admin.press("🚀 Отправить сейчас")
    assert "поставлена в очередь" in admin.callback_answer().text
    (broadcast,) = await _broadcasts(app)
    assert broadcast.status == "scheduled" and broadcast.created_by == client.person_id(ADMIN)
    assert broadcast.text == f"<b>{HEADLINE}</b>" + TEXT[len(HEADLINE) :].replace("&", "&amp;")
    assert broadcast.text_en.startswith("<i>Profession festival</i>")
    assert (broadcast.button_text, broadcast.button_url) == (
        "Записаться",
        "https://edu.example.org/festival?grade=8",
    )
    assert json.loads(broadcast.audience) == {
        "topics": ["orientation"],
        "roles": [],
        "grade_from": None,
        "grade_to": None,
        "localities": [],
        "languages": [],
    }
    progress = next(m for m in admin.messages if m.message_id == broadcast.progress_message_id)
    assert broadcast.progress_chat_id == client.person_id(ADMIN)
    assert f"Рассылка №{broadcast.id} — запланирована" in progress.text
    labels = [b.text for row in progress.reply_markup.inline_keyboard for b in row]
    assert labels == ["⏸ Пауза", "▶️ Продолжить", "⛔ Отменить"]

    counts = await _engine(app).run_for(BroadcastSender(client.bot, app), 5)
    assert counts == {"sent": 3}
    received = {chat: client.user(chat).messages for chat in (8001, 8002, 8003, 8004, 8005, 8006)}
    assert {chat for chat, messages in received.items() if messages} == {8001, 8002, 8003}
    assert received[8001][0].html_text.startswith(f"<b>{HEADLINE}</b>")
    assert received[8003][0].text.startswith("Profession festival")
    assert received[8002][0].reply_markup.inline_keyboard[0][0].text == "Записаться"
    assert (await app.broadcasts.progress(broadcast.id)).status == "done"


async def test_a_photo_with_a_caption_and_an_event_button(client, app):
    await audience(app, client.person_id)
    async with app.sessions() as session:
        event = (await session.execute(select(Event).order_by(Event.starts_at))).scalars().first()
    admin = client.user(ADMIN)
    await admin.send("/broadcast")
    photo = [PhotoSize(file_id="AgACphoto-big", file_unique_id="p1", width=1280, height=720)]
    await admin.send_message(photo=photo, caption="x" * 1025)
    assert "не длиннее 1024" in admin.text()
    bold = MessageEntity(type="bold", offset=0, length=len(HEADLINE))
    await admin.send_message(photo=photo, caption=f"{HEADLINE}: афиша", caption_entities=[bold])
    await admin.press("Пропустить")
    await admin.press("📅 Кнопка на мероприятие")
    assert "Выберите мероприятие" in admin.text()
    label = next(lbl for lbl in admin.visible_labels() if event.title[:20] in lbl)
    await admin.press(label)
    await admin.press("👁 Предпросмотр")
    (preview,) = _sent(admin, SendPhoto)
    assert preview.method.photo == "AgACphoto-big"
    assert preview.message.html_text == f"<b>{HEADLINE}</b>: афиша"
    (button,) = preview.message.reply_markup.inline_keyboard[0]
    assert button.text == "📅 Подробнее о мероприятии"
    assert button.url == client.start_link(f"e-{event.id}")  # the messenger's own deep link
    await admin.press("🚀 Отправить сейчас")
    (broadcast,) = await _broadcasts(app)
    assert (broadcast.photo_file_id, broadcast.document_file_id) == ("AgACphoto-big", None)
    assert broadcast.text == f"<b>{HEADLINE}</b>: афиша" and broadcast.text_en is None
    assert (broadcast.button_event_id, broadcast.button_url) == (event.id, None)

    await _engine(app).run_for(BroadcastSender(client.bot, app), 5)
    delivered = client.user(8002).messages
    assert delivered[0].photo and delivered[0].caption == f"{HEADLINE}: афиша"
    assert delivered[0].reply_markup.inline_keyboard[0][0].url == button.url


async def test_a_document_is_previewed_as_a_document(client, app):
    await audience(app, client.person_id)
    admin = client.user(ADMIN)
    await admin.send("/broadcast")
    document = Document(file_id="BQACdoc-1", file_unique_id="d1", file_name="afisha.pdf")
    await admin.send_message(document=document, caption="Афиша на декабрь")
    assert "на английском" in admin.text()
    await admin.send("x" * 1100)  # an English caption is a caption too
    assert "не длиннее 1024" in admin.text()
    await admin.send("December events")
    await admin.press("Без кнопки")
    await admin.press("👁 Предпросмотр")
    documents = _sent(admin, SendDocument)
    assert [d.method.document for d in documents] == ["BQACdoc-1", "BQACdoc-1"]
    assert [d.message.caption for d in documents] == ["Афиша на декабрь", "December events"]
    assert all(d.message.reply_markup is None for d in documents)
    await admin.press("🚀 Отправить сейчас")
    (broadcast,) = await _broadcasts(app)
    assert broadcast.document_file_id == "BQACdoc-1" and broadcast.button_text is None


# --- steering ------------------------------------------------------------------------------
async def test_pause_resume_and_cancel_with_confirmation(client, app):
    await audience(app, client.person_id)
    admin = client.user(ADMIN)
    await start_composing(admin)
    await admin.press("Пропустить")
    await admin.press("Без кнопки")
    await admin.press("👁 Предпросмотр")
    await admin.press("🚀 Отправить сейчас")
    (broadcast,) = await _broadcasts(app)

    await admin.press("⏸ Пауза")
    assert "ещё не началась" in admin.callback_answer().text
    await _engine(app).start_due()  # the engine took it: running

    await admin.press("⏸ Пауза")
    assert "на паузе" in admin.callback_answer().text
    assert (await app.broadcasts.get(broadcast.id)).status == "paused"
    assert "на паузе" in admin.text()
    await admin.press("⏸ Пауза")
    assert "уже на паузе" in admin.callback_answer().text

    # Someone else pressing the admin's buttons changes nothing.
    progress = next(m for m in admin.messages if m.message_id == broadcast.progress_message_id)
    anna = client.user(8001)
    await anna._callback(progress, BcCtl(id=broadcast.id, a="resume").pack())
    assert "сотрудники" in anna.callback_answer().text
    assert (await app.broadcasts.get(broadcast.id)).status == "paused"

    await admin.press("▶️ Продолжить")
    assert "продолжается" in admin.callback_answer().text
    assert (await app.broadcasts.get(broadcast.id)).status == "running"

    await admin.press("⛔ Отменить")
    assert "⛔ Да, отменить рассылку" in admin.visible_labels()
    assert (await app.broadcasts.get(broadcast.id)).status == "running"
    await admin.press("◀️ Не отменять")
    assert "⛔ Да, отменить рассылку" not in admin.visible_labels()
    await admin.press("⛔ Отменить")
    await admin.press("⛔ Да, отменить рассылку")
    assert "отменена" in admin.callback_answer().text
    assert (await app.broadcasts.get(broadcast.id)).status == "cancelled"
    assert "отменена" in admin.text()
    assert "⏸ Пауза" not in admin.visible_labels()


# --- refusals, back, cancel, later -----------------------------------------------------------
async def test_someone_who_is_not_staff_is_refused_politely(client, app):
    anna = client.user(8101)
    await anna.send("/broadcast")
    assert "сотрудники управления образования" in anna.text()
    await anna.send("Текст объявления")
    assert "Ищу:" in anna.text()  # outside a dialog, typed text is a question
    assert await _broadcasts(app) == []


async def test_an_empty_audience_is_refused(client, app):
    await audience(app, client.person_id)
    admin = client.user(ADMIN)
    await start_composing(admin)
    await admin.press("Пропустить")
    await admin.press("Без кнопки")
    await admin.press("✅ Профориентация и мероприятия")
    assert "Получателей нет" in admin.text()
    await admin.press("⬜ Консультации для семьи")
    await admin.press("🎓 Классы")
    await admin.send("11")
    assert "Получателей нет" in admin.text()  # nobody in grade 11 wants consultations
    await admin.press("👁 Предпросмотр")
    answer = admin.callback_answer()
    assert "Получателей нет" in answer.text and answer.show_alert
    assert not _sent(admin)


async def test_back_works_at_each_step_and_scheduling_later(client, app):
    await audience(app, client.person_id)
    admin = client.user(ADMIN)
    await start_composing(admin, "Черновик")
    await admin.press("◀️ Назад")
    assert "Новая рассылка" in admin.text()
    await admin.send_message(
        text=TEXT, entities=[MessageEntity(type="bold", offset=0, length=len(HEADLINE))]
    )
    await admin.press("Пропустить")
    await admin.press("◀️ Назад")
    assert "на английском" in admin.text()
    await admin.press("Пропустить")
    await admin.press("🔗 Кнопка-ссылка")
    await admin.press("◀️ Назад")
    await admin.press("📅 Кнопка на мероприятие")
    await admin.press("◀️ Назад")
    assert "добавить кнопку" in admin.text()
    await admin.press("🔗 Кнопка-ссылка")
    await admin.send("Подробнее")
    await admin.press("◀️ Назад")  # from the URL back to the label
    assert "надпись на кнопке" in admin.text()
    await admin.send("Подробнее о фестивале")
    await admin.send("https://edu.example.org/festival")
    await admin.press("◀️ Назад")
    assert "добавить кнопку" in admin.text()
    await admin.press("Без кнопки")
    await admin.press("📍 Населённые пункты")
    await admin.press("◀️ Назад")
    await admin.press("📍 Населённые пункты")
    await admin.send("Атлантида")
    assert "Не удалось однозначно найти: Атлантида" in admin.text()
    await admin.send("Томск")
    assert "Населённые пункты: Томск" in admin.text()
    assert "Получателей сейчас: 2" in admin.text()  # client.person_id(8001) and 8003 live in Tomsk
    await admin.press("👁 Предпросмотр")
    await admin.press("◀️ Назад")
    assert "кому отправить" in admin.text()
    await admin.press("👁 Предпросмотр")
    await admin.press("🕒 Запланировать")
    await admin.press("◀️ Назад")
    assert "Получателей: 2" in admin.text()
    await admin.press("🕒 Запланировать")
    await admin.send("завтра утром")
    assert "Не получилось понять дату" in admin.text()
    await admin.send("01.01.2020 10:00")
    assert "уже прошло" in admin.text()
    at = (datetime.now(UTC) + timedelta(days=2)).astimezone(app.settings.zone)
    await admin.send(at.strftime("%d.%m.%Y 10:00"))
    assert "запланирована на" in admin.text()

    (broadcast,) = await _broadcasts(app)
    assert broadcast.status == "scheduled" and broadcast.button_text is None
    local = broadcast.scheduled_at.astimezone(app.settings.zone)
    assert (local.date(), local.strftime("%H:%M")) == (at.date(), "10:00")
    assert json.loads(broadcast.audience)["localities"] == [TOMSK]
    assert broadcast.progress_message_id is not None
    # Nothing is due before its time.
    assert await _engine(app).start_due() == []


async def test_cancel_leaves_no_trace(client, app):
    admin = client.user(ADMIN)
    await start_composing(admin)
    await admin.press("Пропустить")
    await admin.send("/cancel")
    assert "вышли" in admin.text()
    await admin.send("Ещё текст")
    assert "Ищу:" in admin.text()  # outside a dialog, typed text is a question
    assert await _broadcasts(app) == []

    await start_composing(admin)
    await admin.press("✖️ Отмена")
    assert "Ничего не сохранено" in admin.text()
    assert await _broadcasts(app) == []


@pytest.mark.telegram_only("MAX itself lets no one send more than 4000 characters")
async def test_a_text_longer_than_max_accepts_is_refused(client, app):
    """A letter goes to both messengers, so MAX's 4000 characters bound it, not Telegram's 4096."""
    await audience(app, client.person_id)
    admin = client.user(ADMIN)
    await admin.send("/broadcast")
    await admin.send("я" * 4001)
    assert "не длиннее 4000 символов" in admin.text()
    await admin.send("я" * 4000)
    assert "не длиннее" not in admin.text()
