"""MAX's updates, in the shapes maxapi models, as the aiogram updates the dispatcher handles."""

from __future__ import annotations

import logging
from io import BytesIO

import pytest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, User
from maxapi.enums.chat_type import ChatType
from maxapi.types.attachments import Contact as MaxContact
from maxapi.types.attachments import (
    ContactAttachmentPayload,
    File,
    Location,
    OtherAttachmentPayload,
)
from maxapi.types.message import Message, MessageBody, Recipient
from maxapi.types.updates.bot_stopped import BotStopped
from maxapi.types.updates.message_created import MessageCreated
from maxapi.types.users import User as MaxUser

from bot.max.keyboards import MENU_PAYLOAD
from bot.max.messages import NO_MESSAGE
from bot.max.updates import MaxUpdates, NotAMaxUpdate, update_id_of, update_key
from bot.testing.fake_max_api import BOT_ID, DIALOG_OFFSET
from services.messengers.ids import MAX_BASE, from_max

PERSON = 31337  # as MAX knows the person
CHAT = from_max(PERSON)  # as the bot does
BOT = User(id=BOT_ID, is_bot=True, first_name="Навигатор")


@pytest.fixture
def updates(message_ids) -> MaxUpdates:
    return MaxUpdates(message_ids, BOT)


def created(*attachments, text: str | None = None, mid: str = "mid.user.1") -> dict:
    message = Message(
        sender=MaxUser(user_id=PERSON, first_name="Борис", is_bot=False),
        recipient=Recipient(chat_id=DIALOG_OFFSET + PERSON, chat_type=ChatType.DIALOG),
        timestamp=1_765_000_000_000,
        body=MessageBody(mid=mid, seq=1, text=text, attachments=list(attachments)),
    )
    update = MessageCreated(timestamp=1_765_000_000_000, message=message, user_locale="en-US")
    return update.model_dump(mode="json", by_alias=True, exclude_none=True)


async def test_a_text_message_comes_from_the_person_in_their_private_chat(updates, message_ids):
    (update,) = await updates.convert(created(text="Кружки рядом"))
    message = update.message
    assert message.text == "Кружки рядом"
    assert (message.chat.id, message.chat.type) == (CHAT, "private")
    assert (message.from_user.id, message.from_user.language_code) == (CHAT, "en")
    # The bot never names a person's message in their own chat again: no id is kept for it.
    assert message.message_id == NO_MESSAGE
    assert await message_ids.mid_of(1) is None


async def test_a_group_message_keeps_its_id_to_be_replied_to(updates, message_ids):
    data = created(text="/start")
    data["message"]["recipient"] = {"chat_id": 777, "chat_type": "chat"}
    (update,) = await updates.convert(data)
    assert update.message.chat.type == "group"
    assert update.message.message_id != NO_MESSAGE
    assert await message_ids.mid_of(update.message.message_id) == "mid.user.1"


async def test_location_contact_and_file_attachments(updates):
    (located,) = await updates.convert(
        created(Location(type="location", latitude=56.48, longitude=84.95))
    )
    assert (located.message.location.latitude, located.message.location.longitude) == (
        56.48,
        84.95,
    )
    assert located.message.text is None

    vcf = "BEGIN:VCARD\nVERSION:3.0\nFN:Борис Петров\nTEL;TYPE=cell:+79991234567\nEND:VCARD"
    contact = MaxContact(
        type="contact",
        payload=ContactAttachmentPayload(
            vcf_info=vcf, max_info=MaxUser(user_id=PERSON, first_name="Борис", is_bot=False)
        ),
    )
    (shared,) = await updates.convert(created(contact, mid="mid.user.2"))
    assert shared.message.contact.phone_number == "+79991234567"
    assert shared.message.contact.user_id == CHAT

    file = File(
        type="file",
        payload=OtherAttachmentPayload(url="https://files.example/1", token="tok-1"),
        filename="справка.pdf",
        size=2048,
    )
    (sent,) = await updates.convert(created(file, mid="mid.user.3"))
    document = sent.message.document
    assert (document.file_id, document.file_name, document.file_size) == (
        "tok-1",
        "справка.pdf",
        2048,
    )


async def test_a_press_is_a_callback_on_the_message_the_button_was_on(updates, max_bot, max_server):
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Записаться", callback_data="book:7")]]
    )
    sent = await max_bot.send_message(CHAT, "Консультация", reply_markup=keyboard)
    (update,) = await updates.convert(max_server.press_update(PERSON, "Записаться"))
    query = update.callback_query
    assert (query.data, query.from_user.id) == ("book:7", CHAT)
    assert query.message.message_id == sent.message_id
    assert query.message.chat.id == CHAT
    assert query.message.reply_markup == keyboard


async def test_a_press_on_a_menu_button_is_the_label_typed(updates):
    data = {  # MAX may leave the message out of a callback update: the press alone is enough
        "update_type": "message_callback",
        "timestamp": 1_765_000_000_000,
        "callback": {
            "timestamp": 1_765_000_000_000,
            "callback_id": "cb-menu",
            "payload": MENU_PAYLOAD + "📚 Кружки",
            "user": {"user_id": PERSON, "first_name": "Борис", "is_bot": False},
        },
        "user_locale": "ru",
    }
    (update,) = await updates.convert(data)
    assert update.callback_query is None
    assert update.message.text == "📚 Кружки"
    assert update.message.chat.id == CHAT


async def test_bot_started_with_a_payload_is_a_deep_link_start(updates, max_server):
    member, start = await updates.convert(max_server.start_update(PERSON, "ev-12"))
    assert member.my_chat_member.new_chat_member.status == "member"
    assert member.my_chat_member.from_user.id == CHAT
    assert start.message.text == "/start ev-12"
    assert start.update_id > member.update_id
    (_, plain) = await updates.convert(max_server.start_update(PERSON))
    assert plain.message.text == "/start"


async def test_a_stopped_bot_is_a_blocked_one(updates):
    stopped = BotStopped(
        timestamp=1_765_000_000_000,
        chat_id=DIALOG_OFFSET + PERSON,
        user=MaxUser(user_id=PERSON, first_name="Борис", is_bot=False),
    )
    (update,) = await updates.convert(stopped.model_dump(mode="json", exclude_none=True))
    change = update.my_chat_member
    assert change.new_chat_member.status == "kicked"
    assert (change.chat.id, change.from_user.id) == (CHAT, CHAT)


async def test_unhandled_types_are_logged_once_and_garbage_is_refused(updates, caplog):
    title = {"update_type": "chat_title_changed", "timestamp": 1, "chat_id": -5, "title": "x"}
    with caplog.at_level(logging.INFO, logger="bot.max.updates"):
        assert await updates.convert(title) == []
        assert await updates.convert(title) == []
    assert len([r for r in caplog.records if "chat_title_changed" in r.getMessage()]) == 1
    for garbage in ({}, {"update_type": 5}, {"update_type": "message_created", "timestamp": 1}):
        with pytest.raises(NotAMaxUpdate):
            await updates.convert(garbage)


async def test_a_file_a_person_sent_can_be_downloaded(message_ids, max_bot, max_server):
    data = b"PK\x03\x04 catalogue.xlsx"
    max_server.uploads["tok-9"] = data
    updates = MaxUpdates(message_ids, BOT, files=max_bot.session.files)
    url = f"{max_server.url}/_files/tok-9"
    file = File(type="file", payload=OtherAttachmentPayload(url=url, token="tok-9"))
    (update,) = await updates.convert(created(file, mid="mid.user.9"))
    buffer = BytesIO()
    await max_bot.download(update.message.document, destination=buffer)
    assert buffer.getvalue() == data
    assert max_server.requests == [], "the download went to the file's URL, with no token"


async def test_a_max_update_has_the_same_id_however_often_it_comes(updates, max_server):
    start = max_server.start_update(PERSON)
    first = [u.update_id for u in await updates.convert(start)]
    again = [u.update_id for u in await updates.convert(start)]
    assert first == again and first[1] == first[0] + 1
    assert all(MAX_BASE < update_id < 2**63 for update_id in first)
    text = created(text="раз", mid="mid.user.7")
    (one,) = await updates.convert(text)
    (same,) = await updates.convert(text)
    (other,) = await updates.convert(created(text="раз", mid="mid.user.8"))
    assert one.update_id == same.update_id != other.update_id
    (press,) = await updates.convert(_callback("cb.1"))
    (press_again,) = await updates.convert(_callback("cb.1"))
    (next_press,) = await updates.convert(_callback("cb.2"))
    assert press.update_id == press_again.update_id != next_press.update_id


def _callback(callback_id: str) -> dict:
    return {
        "update_type": "message_callback",
        "timestamp": 1_765_000_000_000,
        "callback": {
            "timestamp": 1_765_000_000_000,
            "callback_id": callback_id,
            "payload": MENU_PAYLOAD + "❓ Помощь",
            "user": {"user_id": PERSON, "first_name": "Борис", "is_bot": False},
        },
    }


def test_update_keys_name_the_update_not_its_delivery():
    assert update_key(_callback("cb.9")) == "message_callback:cb.9"
    assert update_key(created(mid="mid.x")) == "message_created:mid.x"
    stopped = {"update_type": "bot_stopped", "timestamp": 5, "chat_id": 7, "user": {"user_id": 3}}
    assert update_key(stopped) == "bot_stopped:5:3:7"
    assert update_id_of("a") == update_id_of("a") != update_id_of("b")
