"""An aiogram session that carries the bot's Bot API calls to MAX.

The dispatcher, handlers and dialogs call `bot.send_message(...)` as in Telegram; this session
makes the MAX call instead and answers with the aiogram type the caller expects (a `Message`
whose integer `message_id` stands for MAX's `mid`, see services/messengers/max_messages.py).
MAX errors arrive as their Telegram twins (bot/max/errors.py). Calls with no MAX meaning
(commands menu, Telegram webhooks) succeed doing nothing; calls the bot never makes are refused
with `TelegramBadRequest`.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram.client.default import Default
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    DeleteMyCommands,
    DeleteWebhook,
    EditMessageReplyMarkup,
    EditMessageText,
    GetFile,
    GetMe,
    GetWebhookInfo,
    SendDocument,
    SendLocation,
    SendMessage,
    SendPhoto,
    SendVenue,
    SetMyCommands,
    TelegramMethod,
)
from aiogram.types import Chat, File, InlineKeyboardMarkup, InputFile, Message, WebhookInfo
from maxapi.enums.message_link_type import MessageLinkType
from maxapi.enums.parse_mode import TextFormat
from maxapi.enums.upload_type import UploadType
from maxapi.methods.types.getted_upload_url import GettedUploadUrl
from maxapi.methods.types.sended_message import SendedMessage
from maxapi.types.attachments import AttachmentPayload, AttachmentUpload
from maxapi.types.message import NewMessageLink
from maxapi.types.updates.message_callback import MessageForCallback
from maxapi.types.users import User as MaxUser
from pydantic import ValidationError

from bot.max.api import MAX_API_URL, MaxApi, MaxApiFailure
from bot.max.bodies import CallbackAnswerBody, NewMessageBody, as_json
from bot.max.errors import NOT_READY, telegram_error
from bot.max.files import FileUrls
from bot.max.html import to_max_html
from bot.max.keyboards import max_keyboard
from bot.max.messages import chat_target, tg_message, tg_user
from bot.max.press import PRESS, Press
from bot.telegram.html import TelegramHtmlError, parse_html
from services.messengers.ids import Messenger
from services.messengers.max_messages import MaxMessageIds

# Calls that mean nothing in MAX: commands set through the API are not shown in the app;
# MAX's webhook is a subscription the runner makes, not Telegram's setWebhook.
NO_OPS = (SetMyCommands, DeleteMyCommands, DeleteWebhook)
MAP_URL = "https://yandex.ru/maps/?pt={lon},{lat}&z=17&l=map"
RATE_LIMITED = 429

log = logging.getLogger(__name__)


class MaxSession(BaseSession):
    messenger: Messenger = "max"  # create_bot guards the calls by it (bot/messenger_guard.py)

    def __init__(
        self,
        token: str,
        message_ids: MaxMessageIds,
        api_url: str = MAX_API_URL,
        *,
        upload_attempts: int = 10,
        upload_delay: float = 1.0,
    ) -> None:
        # BaseSession's `api` stays a Telegram server description: aiogram's download builds
        # the file's URL with it, here the URL itself (see GetFile).
        super().__init__(api=TelegramAPIServer(base=api_url + "/{method}", file="{path}"))
        self.max_api = MaxApi(token, api_url)
        self.ids = message_ids
        self.files = FileUrls()
        self.upload_attempts = upload_attempts  # `attachment.not.ready` answers waited out
        self.upload_delay = upload_delay

    async def close(self) -> None:
        await self.max_api.close()

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        # A client of its own: files are served from MAX's storage hosts, which get no token.
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as client,
            client.get(url, headers=headers, raise_for_status=raise_for_status) as answer,
        ):
            async for chunk in answer.content.iter_chunked(chunk_size):
                yield chunk

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        _resolve_defaults(bot, method)
        press = PRESS.get()
        if press is not None and press.edit is not None and _after_kept_edit(press, method):
            await self.send_kept_edit(press)
        try:
            return await self._carry(bot, method)
        except MaxApiFailure as failure:
            raise telegram_error(method, failure) from failure
        except ValidationError as error:  # a body MAX would refuse, as Telegram words it
            too_long = any(e["type"] == "string_too_long" for e in error.errors())
            reason = "message is too long" if too_long else str(error).splitlines()[0]
            raise TelegramBadRequest(method=method, message=f"Bad Request: {reason}") from error

    async def _carry(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, SendMessage):
            body = self._body(method.text, method.parse_mode, method.reply_markup)
            return await self._send(method, body, _reply_to(method))
        if isinstance(method, EditMessageText):
            body = self._body(method.text, method.parse_mode, method.reply_markup)
            body.attachments = body.attachments or []  # no keyboard given: it goes, as in Telegram
            return await self._edit(method, body, text=method.text)
        if isinstance(method, EditMessageReplyMarkup):
            keyboard = max_keyboard(method.reply_markup)
            body = NewMessageBody(attachments=[keyboard] if keyboard else [])
            return await self._edit(method, body, text=None)
        if isinstance(method, DeleteMessage):
            mid = await self._mid(method, method.message_id)
            await self.max_api.call("DELETE", "/messages", params={"message_id": mid})
            return True
        if isinstance(method, AnswerCallbackQuery):
            await self._answer(method)
            return True
        if isinstance(method, SendDocument | SendPhoto):
            return await self._send_file(bot, method)
        if isinstance(method, SendLocation | SendVenue):
            link = MAP_URL.format(lat=method.latitude, lon=method.longitude)
            lines = (
                [f"<b>{_escape(method.title)}</b>", _escape(method.address)]
                if isinstance(method, SendVenue)
                else []
            )
            html = "\n".join([*lines, f'<a href="{link}">📍 {link}</a>'])
            body = self._body(html, "HTML", method.reply_markup)
            return await self._send(method, body, _reply_to(method))
        if isinstance(method, GetFile):
            url = self.files.url(method.file_id)
            if url is None:
                raise TelegramBadRequest(method=method, message="Bad Request: file not found")
            return File(file_id=method.file_id, file_unique_id=method.file_id, file_path=url)
        if isinstance(method, GetMe):
            me = MaxUser.model_validate(await self.max_api.call("GET", "/me"))
            return tg_user(me)
        if isinstance(method, NO_OPS):
            return True
        if isinstance(method, GetWebhookInfo):
            return WebhookInfo(url="", has_custom_certificate=False, pending_update_count=0)
        raise TelegramBadRequest(
            method=method, message=f"Bad Request: {type(method).__name__} is not carried to MAX"
        )

    def _body(self, text: str | None, parse_mode: Any, markup: object) -> NewMessageBody:
        keyboard = max_keyboard(markup)
        html = isinstance(parse_mode, str) and parse_mode.upper() == "HTML"
        return NewMessageBody(
            text=to_max_html(text) if html and text else text,
            format=TextFormat.HTML if html else None,
            attachments=[keyboard] if keyboard else None,
        )

    async def _send(
        self, method: Any, body: NewMessageBody, reply_to: int | None = None
    ) -> Message:
        if reply_to is not None:
            mid = await self.ids.mid_of(reply_to)
            if mid is not None:
                body.link = NewMessageLink(type=MessageLinkType.REPLY, mid=mid)
        if getattr(method, "disable_notification", None):
            body.notify = False
        try:
            params = chat_target(method.chat_id)
        except ValueError:
            raise TelegramForbiddenError(
                method=method, message="Forbidden: not a MAX chat; not sent"
            ) from None
        answer = await self._post_until_ready(params, body)
        sent = SendedMessage.model_validate(answer).message
        return await tg_message(sent, self.ids, chat=_chat(method.chat_id), sent=True)

    async def _post_until_ready(self, params: dict, body: NewMessageBody) -> dict:
        """`POST /messages`, again while MAX is still processing an uploaded file."""
        for attempt in range(self.upload_attempts):
            try:
                return await self.max_api.call(
                    "POST", "/messages", params=params, body=as_json(body)
                )
            except MaxApiFailure as failure:
                if failure.code != NOT_READY or attempt == self.upload_attempts - 1:
                    raise
                await asyncio.sleep(self.upload_delay)
        raise AssertionError("unreachable")

    async def _edit(self, method: Any, body: NewMessageBody, text: str | None) -> Message:
        if method.inline_message_id:
            raise TelegramBadRequest(
                method=method, message="Bad Request: no inline messages in MAX"
            )
        mid = await self._mid(method, method.message_id)
        press = PRESS.get()
        if press is not None and press.keeps(mid):
            press.edit, press.edit_method = body, method  # goes with the press's answer
        else:
            await self._put(mid, body)
        shown_text, entities = None, None
        if text is not None:
            shown_text, entities = _plain(text, method.parse_mode)
        markup = method.reply_markup
        return Message(
            message_id=method.message_id,
            date=datetime.now(UTC),
            edit_date=int(datetime.now(UTC).timestamp()),
            chat=_chat(method.chat_id),
            text=shown_text,
            entities=entities,
            reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
        )

    async def _put(self, mid: str, body: NewMessageBody) -> None:
        await self.max_api.call("PUT", "/messages", params={"message_id": mid}, body=as_json(body))

    async def send_kept_edit(self, press: Press) -> None:
        """The pressed message's edit that waited for the answer, on its own; a failure is
        raised as the edit's (its Telegram twin), and only a rate limit keeps it for a retry."""
        body, method = press.edit, press.edit_method
        if body is None or press.mid is None:
            return
        press.edit = None
        try:
            await self._put(press.mid, body)
        except MaxApiFailure as failure:
            if failure.status == RATE_LIMITED and press.edit is None:
                press.edit = body
            raise telegram_error(method, failure) from failure

    async def _answer(self, method: AnswerCallbackQuery) -> None:
        """`POST /answers`: with the pressed message's kept edit, if there is one. Should MAX
        refuse the two together (not for its rate), the press is answered alone."""
        callback_id, notification = method.callback_query_id, method.text or None
        press = PRESS.get()
        if press is None or not press.answers(callback_id):
            return await self._post_answer(callback_id, notification, None)
        kept, press.edit, press.open = press.edit, None, False
        if kept is not None:
            try:
                return await self._post_answer(callback_id, notification, kept)
            except MaxApiFailure as failure:
                if failure.status == RATE_LIMITED:
                    press.edit, press.open = kept, True  # as it was, for the retry
                    raise
                log.warning("MAX refused a press's answer with its message: %s", failure.code)
        await self._post_answer(callback_id, notification, None)

    async def _post_answer(
        self, callback_id: str, notification: str | None, edit: NewMessageBody | None
    ) -> None:
        message = None
        if edit is not None:  # maxapi's default notify=True is not an edit's: sent as given
            message = MessageForCallback.model_validate({**as_json(edit), "notify": edit.notify})
        answer = CallbackAnswerBody(message=message, notification=notification)
        await self.max_api.call(
            "POST", "/answers", params={"callback_id": callback_id}, body=as_json(answer)
        )

    async def _send_file(self, bot: Bot, method: SendDocument | SendPhoto) -> Message:
        photo = isinstance(method, SendPhoto)
        file = method.photo if photo else method.document
        kind = UploadType.IMAGE if photo else UploadType.FILE
        upload = await self._upload(bot, kind, file)
        body = self._body(method.caption, method.parse_mode, method.reply_markup)
        body.attachments = [upload, *(body.attachments or [])]
        return await self._send(method, body, _reply_to(method))

    async def _upload(self, bot: Bot, kind: UploadType, file: InputFile | str) -> AttachmentUpload:
        """MAX's two-step upload: a URL from `POST /uploads`, the bytes to it, a token back.
        A string is a token MAX gave before (the `file_id` of a file the bot received)."""
        if isinstance(file, str):
            return AttachmentUpload(type=kind, payload=AttachmentPayload(token=file))
        data = b"".join([chunk async for chunk in file.read(bot)])
        filename = file.filename or kind.value
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        slot = GettedUploadUrl.model_validate(
            await self.max_api.call("POST", "/uploads", params={"type": kind.value})
        )
        answer = await self.max_api.upload(slot.url, data, filename, content_type)
        token = _upload_token(kind, answer) or slot.token
        if not token:
            raise MaxApiFailure(400, "upload.failed", "the upload server gave no token")
        return AttachmentUpload(type=kind, payload=AttachmentPayload(token=token))

    async def _mid(self, method: TelegramMethod[Any], message_id: int) -> str:
        mid = await self.ids.mid_of(message_id)
        if mid is None:
            what = "delete" if isinstance(method, DeleteMessage) else "edit"
            raise TelegramBadRequest(
                method=method, message=f"Bad Request: message to {what} not found"
            )
        return mid


def _after_kept_edit(press: Press, method: TelegramMethod[Any]) -> bool:
    """Whether `method` changes the pressed message too, so must follow its kept edit."""
    changes = isinstance(method, EditMessageText | EditMessageReplyMarkup | DeleteMessage)
    return changes and method.message_id == press.edit_method.message_id


def _upload_token(kind: UploadType, answer: dict) -> str | None:
    if kind == UploadType.IMAGE:
        photos = answer.get("photos")
        if isinstance(photos, dict) and photos:
            first = next(iter(photos.values()))
            return first.get("token") if isinstance(first, dict) else None
        return None
    token = answer.get("token")
    return token if isinstance(token, str) and token else None


def _reply_to(method: Any) -> int | None:
    parameters = getattr(method, "reply_parameters", None)
    if parameters is not None and not isinstance(parameters, Default):
        return parameters.message_id
    return getattr(method, "reply_to_message_id", None)


def _chat(chat_id: int | str) -> Chat:
    number = int(chat_id)
    return Chat(id=number, type="private" if number > 0 else "group")


def _plain(text: str, parse_mode: Any) -> tuple[str, Any]:
    if isinstance(parse_mode, str) and parse_mode.upper() == "HTML":
        try:
            plain, entities = parse_html(text)
            return plain, entities or None
        except TelegramHtmlError:
            return text, None
    return text, None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _resolve_defaults(bot: Bot, method: TelegramMethod[Any]) -> None:
    for name in type(method).model_fields:
        value = getattr(method, name)
        if isinstance(value, Default):
            setattr(method, name, bot.default[value.name])
