"""MAX's messages and users as aiogram's `Message`, `User` and `Chat`.

Chats: a MAX dialog is a private chat whose id is the person's id (as a Telegram private chat's
id is the person's id), so replies, broadcasts and stored user ids all name the person. People
are known by `from_max(MAX user id)` (services/messengers/ids.py), so a Telegram and a MAX
process share one database without two people sharing an id; a MAX group chat keeps its own
(negative) chat id. `chat_target` is the way back."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram.types import Chat, Contact, Document, Location, Message, PhotoSize
from aiogram.types import User as TgUser
from maxapi.types.attachments import (
    AttachmentButton,
    ContactAttachmentPayload,
    File,
    Image,
    OtherAttachmentPayload,
    PhotoAttachmentPayload,
)
from maxapi.types.attachments import Contact as MaxContact
from maxapi.types.attachments import Location as MaxLocation
from maxapi.types.message import Message as MaxMessage
from maxapi.types.users import User as MaxUser

from bot.max.files import FileUrls
from bot.max.keyboards import inline_markup
from bot.max.markup import tg_entities
from services.messengers.ids import MAX_BASE, from_max, to_max
from services.messengers.max_messages import MaxMessageIds

DIALOG = "dialog"
# The message_id of what has no kept mid (a press or a start is no MAX message; a person's
# message in their private chat is not named later): nothing to edit or delete under it.
NO_MESSAGE = 0
FILE_PAYLOADS = (PhotoAttachmentPayload, OtherAttachmentPayload)


def tg_user(user: MaxUser, locale: str | None = None) -> TgUser:
    return TgUser(
        id=from_max(user.user_id),
        is_bot=user.is_bot,
        first_name=user.first_name or str(user.user_id),
        last_name=user.last_name,
        username=user.username,
        language_code=_language(locale),
    )


def chat_of(message: MaxMessage) -> Chat:
    recipient = message.recipient
    if recipient.chat_type == DIALOG:
        sender = message.sender
        person = sender.user_id if sender and not sender.is_bot else recipient.user_id
        person = person or recipient.chat_id or 0
        first_name = sender.first_name if sender and not sender.is_bot else None
        return Chat(id=from_max(person), type="private", first_name=first_name)
    return Chat(id=group_chat(recipient.chat_id or 0), type="group")


def group_chat(chat_id: int) -> int:
    """A MAX group chat's id, kept negative (as Telegram's groups), apart from people's ids."""
    return -abs(chat_id)


def chat_target(chat_id: int | str) -> dict[str, int]:
    """The query parameters that address an aiogram chat id in MAX. ValueError for an id that
    is no MAX chat (a Telegram person's): the session refuses such a call."""
    number = int(chat_id)
    if number > MAX_BASE:
        return {"user_id": to_max(number)}
    if number < 0:
        return {"chat_id": number}
    raise ValueError(f"{number} is not a MAX chat")


async def tg_message(
    message: MaxMessage,
    ids: MaxMessageIds | None,
    locale: str | None = None,
    chat: Chat | None = None,
    files: FileUrls | None = None,
    *,
    sent: bool = False,
) -> Message:
    """`chat`: the chat the bot addressed, for its own messages (MAX's answer names the
    dialog by its own id). `ids` None: a message the bot never names later (a person's, in
    their private chat), whose `message_id` is NO_MESSAGE and whose mid is not kept. `sent`:
    the bot's own message, just sent (its mid is new)."""
    body = message.body
    mid = body.mid if body else ""
    content: dict = {}
    for attachment in (body.attachments or []) if body else []:
        content.update(_attachment(attachment))
        payload = getattr(attachment, "payload", None)
        if files is not None and isinstance(
            payload, PhotoAttachmentPayload | OtherAttachmentPayload
        ):
            files.note(_file_id(payload), payload.url)
    text = (body.text or None) if body and "location" not in content else None
    entities = tg_entities(body.markup) if text and body else None
    if "photo" in content or "document" in content:  # a file's text is its caption, as in Telegram
        content.update(caption=text, caption_entities=entities)
        text, entities = None, None
    return Message(
        message_id=NO_MESSAGE if ids is None else await ids.id_of(mid, new=sent),
        date=datetime.fromtimestamp(message.timestamp / 1000, UTC),
        chat=chat or chat_of(message),
        from_user=tg_user(message.sender, locale) if message.sender else None,
        text=text,
        entities=entities,
        **content,
    )


def _attachment(attachment: object) -> dict:
    if isinstance(attachment, MaxLocation) and attachment.latitude is not None:
        return {
            "location": Location(
                latitude=attachment.latitude, longitude=attachment.longitude or 0.0
            )
        }
    if isinstance(attachment, MaxContact) and isinstance(
        attachment.payload, ContactAttachmentPayload
    ):
        payload = attachment.payload
        vcf = payload.vcf
        person = payload.max_info
        first_name = vcf.full_name or (person.first_name if person else "") or "—"
        return {
            "contact": Contact(
                phone_number=vcf.phone or "",
                first_name=first_name,
                user_id=from_max(person.user_id) if person else None,
                vcard=payload.vcf_info,
            )
        }
    if isinstance(attachment, File):
        file_id = _file_id(attachment.payload)
        return {
            "document": Document(
                file_id=file_id,
                file_unique_id=file_id,
                file_name=attachment.filename,
                file_size=attachment.size,
            )
        }
    if isinstance(attachment, Image):
        file_id = _file_id(attachment.payload)
        return {"photo": [PhotoSize(file_id=file_id, file_unique_id=file_id, width=0, height=0)]}
    if isinstance(attachment, AttachmentButton):
        markup = inline_markup(attachment.payload)
        return {"reply_markup": markup} if markup else {}
    return {}


def _file_id(payload: object) -> str:
    """A file MAX showed us: its token when it has one (sendable again), else its URL."""
    if isinstance(payload, PhotoAttachmentPayload | OtherAttachmentPayload):
        return payload.token or payload.url
    return ""


def _language(locale: str | None) -> str | None:
    return locale.split("-")[0].split("_")[0].lower() if locale else None
