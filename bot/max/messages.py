"""MAX's messages and users as aiogram's `Message`, `User` and `Chat`.

Chats: a MAX dialog is a private chat whose id is the person's MAX user id (as a Telegram
private chat's id is the person's id), so replies, broadcasts and stored user ids all name the
person; a MAX group chat keeps its own (negative) chat id. `chat_target` is the way back."""

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
from services.messengers.max_messages import MaxMessageIds

DIALOG = "dialog"
FILE_PAYLOADS = (PhotoAttachmentPayload, OtherAttachmentPayload)


def tg_user(user: MaxUser, locale: str | None = None) -> TgUser:
    return TgUser(
        id=user.user_id,
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
        return Chat(id=person, type="private", first_name=first_name)
    return Chat(id=recipient.chat_id or 0, type="group")


def chat_target(chat_id: int | str) -> dict[str, int]:
    """The query parameters that address an aiogram chat id in MAX."""
    number = int(chat_id)
    return {"user_id": number} if number > 0 else {"chat_id": number}


async def tg_message(
    message: MaxMessage,
    ids: MaxMessageIds,
    locale: str | None = None,
    chat: Chat | None = None,
    files: FileUrls | None = None,
) -> Message:
    """`chat`: the chat the bot addressed, for its own messages (MAX's answer names the
    dialog by its own id)."""
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
        message_id=await ids.id_of(mid),
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
                user_id=person.user_id if person else None,
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
