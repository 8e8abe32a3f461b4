"""A Bot API session answered locally, as Telegram would: used by the shell and the tests.

It keeps the messages it "delivered", rejects what Telegram would reject (with the same
`TelegramBadRequest`), and tells its listeners about every outgoing call.
"""

from __future__ import annotations

import itertools
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.default import Default
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    GetFile,
    GetMe,
    SendDocument,
    SendLocation,
    SendMessage,
    SendPhoto,
    SendVenue,
    SetMyCommands,
    TelegramMethod,
)
from aiogram.types import (
    Chat,
    Document,
    File,
    InlineKeyboardMarkup,
    InputFile,
    Location,
    Message,
    MessageEntity,
    PhotoSize,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    User,
    Venue,
)

from bot.telegram.html import TelegramHtmlError, parse_html, utf16_length

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
MAX_INLINE_BUTTONS = 100
MAX_UPLOAD = 50 * 1024 * 1024  # a bot's documents
MAX_PHOTO = 10 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
OFFLINE_BOT = User(id=100000001, is_bot=True, first_name="Навигатор", username="edu_navigator_bot")


@dataclass(slots=True)
class Outgoing:
    """One call the bot made, with the message it produced or changed (if any)."""

    method: TelegramMethod[Any]
    message: Message | None = None
    error: TelegramBadRequest | None = None
    upload: bytes | None = None  # the bytes of a file sent as an upload (InputFile)


@dataclass
class ChatView:
    """What one chat shows: its messages and the reply keyboard under the input field."""

    messages: dict[int, Message] = field(default_factory=dict)
    reply_keyboard: ReplyKeyboardMarkup | None = None


Listener = Callable[[Outgoing], None]


class OfflineSession(BaseSession):
    def __init__(self, bot_user: User = OFFLINE_BOT) -> None:
        super().__init__()
        self.bot_user = bot_user
        self.chats: dict[int, ChatView] = {}
        self.log: list[Outgoing] = []
        self.listeners: list[Listener] = []
        self.answered_callbacks: set[str] = set()
        self.commands: dict[str | None, list[str]] = {}  # default scope, by language
        self.chat_commands: dict[tuple[int | str, str | None], list[str]] = {}  # one chat's
        self._message_ids = itertools.count(1)
        self.keep_log = True
        self.user_files: dict[str, bytes] = {}  # files a user "uploaded", by file_id

    def add_user_file(self, data: bytes) -> str:
        """A file the (simulated) user sends: its file_id, which getFile and download know."""
        file_id = f"offline-upload-{len(self.user_files) + 1}"
        self.user_files[file_id] = data
        return file_id

    async def close(self) -> None:
        return None

    async def stream_content(
        self, url, headers=None, timeout=30, chunk_size=65536, raise_for_status=True
    ):  # type: ignore[no-untyped-def, override]
        file_id = str(url).rsplit("/", 1)[-1]
        if file_id not in self.user_files:
            raise NotImplementedError("offline, only files the user sent can be downloaded")
        data = self.user_files[file_id]
        for start in range(0, len(data), chunk_size):
            yield data[start : start + chunk_size]

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        _resolve_defaults(bot, method)
        outgoing = Outgoing(method)
        if isinstance(method, SendDocument | SendPhoto):
            file = method.document if isinstance(method, SendDocument) else method.photo
            if isinstance(file, InputFile):  # read now, as a real session streams it out
                outgoing.upload = b"".join([chunk async for chunk in file.read(bot)])
        try:
            result = self._answer(method, outgoing)
        except TelegramBadRequest as exc:
            outgoing.error = exc
            self._publish(outgoing)
            raise
        self._publish(outgoing)
        return result

    def chat(self, chat_id: int) -> ChatView:
        return self.chats.setdefault(chat_id, ChatView())

    def _publish(self, outgoing: Outgoing) -> None:
        if self.keep_log:
            self.log.append(outgoing)
        for listener in self.listeners:
            listener(outgoing)

    def _answer(self, method: TelegramMethod[Any], outgoing: Outgoing) -> Any:
        if isinstance(method, SendMessage):
            text, entities = _parsed(method, method.text, method.parse_mode, MAX_TEXT, "text")
            return self._deliver(method, outgoing, text=text, entities=entities)
        if isinstance(method, EditMessageText):
            return self._edit_text(method, outgoing)
        if isinstance(method, EditMessageReplyMarkup):
            return self._edit_markup(method, outgoing)
        if isinstance(method, AnswerCallbackQuery):
            if method.callback_query_id in self.answered_callbacks:
                _reject(
                    method, "query is too old and response timeout expired or query ID is invalid"
                )
            if method.text and len(method.text) > MAX_CALLBACK_ANSWER:
                _reject(method, "MESSAGE_TOO_LONG")
            self.answered_callbacks.add(method.callback_query_id)
            return True
        if isinstance(method, SendLocation):
            location = Location(latitude=method.latitude, longitude=method.longitude)
            return self._deliver(method, outgoing, location=location)
        if isinstance(method, SendVenue):
            location = Location(latitude=method.latitude, longitude=method.longitude)
            venue = Venue(location=location, title=method.title, address=method.address)
            return self._deliver(method, outgoing, venue=venue, location=location)
        if isinstance(method, SendDocument | SendPhoto):
            return self._send_media(method, outgoing)
        if isinstance(method, SetMyCommands):
            for command in method.commands:
                if (
                    not COMMAND_RE.match(command.command)
                    or not 1 <= len(command.description) <= 256
                ):
                    _reject(method, "BOT_COMMAND_INVALID")
            names = [c.command for c in method.commands]
            chat_id = getattr(method.scope, "chat_id", None)
            if chat_id is None:
                self.commands[method.language_code] = names
            else:
                self.chat_commands[(chat_id, method.language_code)] = names
            return True
        if isinstance(method, GetMe):
            return self.bot_user
        if isinstance(method, GetFile):
            data = self.user_files.get(method.file_id)
            if data is None:
                _reject(method, "invalid file_id")
            return File(
                file_id=method.file_id,
                file_unique_id=method.file_id,
                file_size=len(data),
                file_path=f"documents/{method.file_id}",
            )
        if method.__returning__ is bool:
            return True
        raise NotImplementedError(f"offline session does not answer {type(method).__name__}")

    def _deliver(self, method: Any, outgoing: Outgoing, **content: Any) -> Message:
        markup = method.reply_markup
        _check_markup(method, markup)
        chat_id = int(method.chat_id)
        view = self.chat(chat_id)
        message = Message(
            message_id=next(self._message_ids),
            date=datetime.now(UTC),
            chat=Chat(id=chat_id, type="private" if chat_id > 0 else "group"),
            from_user=self.bot_user,
            reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
            **content,
        )
        if isinstance(markup, ReplyKeyboardMarkup):
            view.reply_keyboard = markup
        elif isinstance(markup, ReplyKeyboardRemove):
            view.reply_keyboard = None
        view.messages[message.message_id] = message
        outgoing.message = message
        return message

    def _send_media(self, method: SendDocument | SendPhoto, outgoing: Outgoing) -> Message:
        caption, entities = None, None
        if method.caption is not None:
            caption, entities = _parsed(
                method, method.caption, method.parse_mode, MAX_CAPTION, "caption", allow_empty=True
            )
        upload = outgoing.upload
        if upload is not None and len(upload) > (
            MAX_PHOTO if isinstance(method, SendPhoto) else MAX_UPLOAD
        ):
            _reject(method, "file is too big")
        if isinstance(method, SendPhoto):
            width, height = 1, 1
            if upload is not None:
                width, height = _image_size(method, upload)
            photo = [
                PhotoSize(
                    file_id="offline-photo",
                    file_unique_id="offline-photo",
                    width=width,
                    height=height,
                    file_size=len(upload) if upload is not None else None,
                )
            ]
            return self._deliver(
                method, outgoing, photo=photo, caption=caption, caption_entities=entities
            )
        file = method.document
        name = getattr(file, "filename", None) or (file if isinstance(file, str) else "file")
        document = Document(
            file_id="offline-document",
            file_unique_id="offline-document",
            file_name=name,
            file_size=len(upload) if upload is not None else None,
        )
        return self._deliver(
            method, outgoing, document=document, caption=caption, caption_entities=entities
        )

    def _existing(self, method: Any) -> Message:
        if method.inline_message_id:
            _reject(method, "inline messages are not supported offline")
        message = self.chat(int(method.chat_id)).messages.get(method.message_id)
        if message is None:
            _reject(method, "message to edit not found")
        return message

    def _edit_text(self, method: EditMessageText, outgoing: Outgoing) -> Message:
        old = self._existing(method)
        text, entities = _parsed(method, method.text, method.parse_mode, MAX_TEXT, "text")
        _check_markup(method, method.reply_markup)
        if old.text is None:
            _reject(method, "there is no text in the message to edit")
        if (
            old.text == text
            and (old.entities or None) == (entities or None)
            and old.reply_markup == method.reply_markup
        ):
            _reject(
                method,
                NOT_MODIFIED,
            )
        return self._replace(
            method, outgoing, old, text=text, entities=entities, reply_markup=method.reply_markup
        )

    def _edit_markup(self, method: EditMessageReplyMarkup, outgoing: Outgoing) -> Message:
        old = self._existing(method)
        _check_markup(method, method.reply_markup)
        if old.reply_markup == method.reply_markup:
            _reject(
                method,
                NOT_MODIFIED,
            )
        return self._replace(method, outgoing, old, reply_markup=method.reply_markup)

    def _replace(self, method: Any, outgoing: Outgoing, old: Message, **changes: Any) -> Message:
        message = old.model_copy(
            update={**changes, "edit_date": int(datetime.now(UTC).timestamp())}
        )
        self.chat(int(method.chat_id)).messages[message.message_id] = message
        outgoing.message = message
        return message


def _image_size(method: TelegramMethod[Any], data: bytes) -> tuple[int, int]:
    """Width and height of an uploaded PNG or JPEG; anything else Telegram cannot process."""
    if data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
    elif data.startswith(b"\xff\xd8\xff"):
        return 1, 1  # a JPEG: its size sits in a frame header; not worth parsing here
    else:
        return _reject(method, "IMAGE_PROCESS_FAILED")
    # Telegram's rules for photos: sides adding up to at most 10000, ratio at most 20.
    if width + height > 10000 or max(width, height) > 20 * min(width, height):
        _reject(method, "PHOTO_INVALID_DIMENSIONS")
    return width, height


def _resolve_defaults(bot: Bot, method: TelegramMethod[Any]) -> None:
    for name in type(method).model_fields:
        value = getattr(method, name)
        if isinstance(value, Default):
            setattr(method, name, bot.default[value.name])


def _reject(method: TelegramMethod[Any], reason: str) -> Any:
    raise TelegramBadRequest(method=method, message=f"Bad Request: {reason}")


def _parsed(
    method: TelegramMethod[Any],
    raw: str,
    parse_mode: str | None,
    limit: int,
    what: str,
    *,
    allow_empty: bool = False,
) -> tuple[str, list[MessageEntity] | None]:
    entities: list[MessageEntity] = []
    text = raw
    if parse_mode and parse_mode.upper() == "HTML":
        try:
            text, entities = parse_html(raw)
        except TelegramHtmlError as exc:
            _reject(method, str(exc))
    elif parse_mode:
        _reject(method, f"offline session understands HTML only, got {parse_mode}")
    length = utf16_length(text.strip())
    if length == 0 and not allow_empty:
        _reject(method, f"message {what} is empty")
    if length > limit:
        _reject(
            method,
            f"message {what} is too long" if what == "text" else "message caption is too long",
        )
    return text, entities or None


def _check_markup(method: TelegramMethod[Any], markup: object) -> None:
    if isinstance(markup, InlineKeyboardMarkup):
        buttons = [button for row in markup.inline_keyboard for button in row]
        if len(buttons) > MAX_INLINE_BUTTONS:
            _reject(method, "too many inline buttons")
        for button in buttons:
            if not button.text.strip():
                _reject(method, "inline keyboard button text is empty")
            actions = [
                value
                for value in (
                    button.callback_data,
                    button.url,
                    button.switch_inline_query,
                    button.web_app,
                    button.copy_text,
                )
                if value is not None
            ]
            if len(actions) != 1:
                _reject(method, "inline keyboard button must have exactly one action")
            if (
                button.callback_data is not None
                and not 1 <= len(button.callback_data.encode()) <= 64
            ):
                _reject(method, "BUTTON_DATA_INVALID")
            if button.url is not None and not button.url.startswith(
                ("http://", "https://", "tg://")
            ):
                _reject(method, "BUTTON_URL_INVALID")
    elif isinstance(markup, ReplyKeyboardMarkup):
        for row in markup.keyboard:
            for button in row:
                if not button.text.strip():
                    _reject(method, "keyboard button text is empty")
