"""MAX's updates as aiogram `Update`s, for the same `Dispatcher.feed_update` Telegram's go to.

- message_created → a message (text, location, contact, file, photo);
- message_callback → a callback query on the message the button was on, or, for a button of a
  reply menu drawn inline (bot/max/keyboards.py), the text message that press is in Telegram;
- bot_started → the person is a member again, then `/start <payload>` (MAX's deep links
  `max.ru/<bot>?start=<payload>` arrive as this payload);
- bot_stopped, dialog_removed → the person blocked the bot (`my_chat_member`, kicked);
- anything else → nothing (each type logged once, at INFO).

MAX updates carry no id. Each gets a stable key (`update_key`: its message's mid, its
callback's id, else its type, time and person) and, from the key, an update_id above
MAX_BASE (`update_id_of`): the same update re-sent by MAX, or posted to a second instance, has
the same id, which the webhook claims once (bot/webhook.py's UpdateClaims), and no MAX update
id meets a Telegram one in the shared processed_updates table.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime
from typing import Any

from aiogram.types import (
    CallbackQuery,
    Chat,
    ChatMemberBanned,
    ChatMemberMember,
    ChatMemberUpdated,
    Message,
    Update,
)
from aiogram.types import User as TgUser
from maxapi.types.updates import UpdateUnionAdapter
from maxapi.types.updates.bot_started import BotStarted
from maxapi.types.updates.bot_stopped import BotStopped
from maxapi.types.updates.dialog_removed import DialogRemoved
from maxapi.types.updates.message_callback import MessageCallback
from maxapi.types.updates.message_created import MessageCreated
from maxapi.types.users import User as MaxUser
from pydantic import ValidationError

from bot.max.files import FileUrls
from bot.max.keyboards import menu_label
from bot.max.messages import DIALOG, NO_MESSAGE, tg_message, tg_user
from services.messengers.ids import MAX_BASE, from_max
from services.messengers.max_messages import MaxMessageIds

log = logging.getLogger(__name__)
HANDLED = frozenset(
    {"message_created", "message_callback", "bot_started", "bot_stopped", "dialog_removed"}
)
# update_ids of MAX updates: MAX_BASE + a 62-bit hash of the key (+ the index of the aiogram
# updates one MAX update stands for), inside BIGINT.
ID_SPAN = 2**62


class NotAMaxUpdate(ValueError):
    """The JSON is not an update MAX sends (a webhook answers 400)."""


class MaxUpdates:
    def __init__(
        self, message_ids: MaxMessageIds, bot_user: TgUser, files: FileUrls | None = None
    ) -> None:
        """`files`: the session's, so that files people send can be downloaded."""
        self.ids = message_ids
        self.files = files
        self.bot_user = bot_user  # the bot, as `my_chat_member` names it
        self.ignored_types: set[str] = set()

    async def convert(self, data: dict[str, Any]) -> list[Update]:
        """The aiogram updates one MAX update stands for: usually one, none for what the bot
        does not handle."""
        kind = data.get("update_type") if isinstance(data, dict) else None
        if not isinstance(kind, str):
            raise NotAMaxUpdate("no update_type")
        if kind not in HANDLED:
            if kind not in self.ignored_types:
                self.ignored_types.add(kind)
                log.info("MAX update type %r is not handled; ignored from now on", kind)
            return []
        try:
            update = UpdateUnionAdapter.validate_python(data)
        except ValidationError as error:
            raise NotAMaxUpdate(str(error)) from error
        first = update_id_of(update_key(data))
        try:
            converted = await self._convert(update)
        except ValueError as error:  # e.g. no person MAX could have sent it from (id 0)
            raise NotAMaxUpdate(str(error)) from error
        return [
            one.model_copy(update={"update_id": first + index})
            for index, one in enumerate(converted)
        ]

    def is_handled(self, data: dict[str, Any]) -> bool:
        """Whether `convert` would handle this (a dict with a known update_type)."""
        return isinstance(data, dict) and data.get("update_type") in HANDLED

    async def _convert(self, update: Any) -> list[Update]:
        if isinstance(update, MessageCreated):
            # The bot never edits, deletes or replies to a person's message in their own chat:
            # its mid is not kept (a group's message is: the bot replies there).
            private = update.message.recipient.chat_type == DIALOG
            ids = None if private else self.ids
            message = await tg_message(update.message, ids, update.user_locale, files=self.files)
            return [Update(update_id=0, message=message)]
        if isinstance(update, MessageCallback):
            return [await self._press(update)]
        if isinstance(update, BotStarted):
            text = f"/start {update.payload}" if update.payload else "/start"
            member = self._membership(update.user, update.user_locale, update.timestamp, True)
            return [member, self._text(update.user, update.user_locale, text, update.timestamp)]
        if isinstance(update, BotStopped | DialogRemoved):
            return [self._membership(update.user, update.user_locale, update.timestamp, False)]
        return []

    async def _press(self, update: MessageCallback) -> Update:
        callback = update.callback
        label = menu_label(callback.payload)
        if label is not None:
            return self._text(callback.user, update.user_locale, label, callback.timestamp)
        message = None
        if update.message is not None:
            chat = None
            if update.message.recipient.chat_type == DIALOG:
                chat = _private(callback.user)
            message = await tg_message(update.message, self.ids, chat=chat)
        query = CallbackQuery(
            id=callback.callback_id,
            from_user=tg_user(callback.user, update.user_locale),
            chat_instance=str(message.chat.id if message else from_max(callback.user.user_id)),
            message=message,
            data=callback.payload,
        )
        return Update(update_id=0, callback_query=query)

    def _text(self, user: MaxUser, locale: str | None, text: str, timestamp: int) -> Update:
        message = Message(
            message_id=NO_MESSAGE,
            date=_date(timestamp),
            chat=_private(user),
            from_user=tg_user(user, locale),
            text=text,
        )
        return Update(update_id=0, message=message)

    def _membership(
        self, user: MaxUser, locale: str | None, timestamp: int, member: bool
    ) -> Update:
        old = ChatMemberBanned(user=self.bot_user, until_date=0)
        new = ChatMemberMember(user=self.bot_user)
        if not member:
            old, new = ChatMemberMember(user=self.bot_user), old
        change = ChatMemberUpdated(
            chat=_private(user),
            from_user=tg_user(user, locale),
            date=_date(timestamp),
            old_chat_member=old,
            new_chat_member=new,
        )
        return Update(update_id=0, my_chat_member=change)


def update_key(data: dict[str, Any]) -> str:
    """What names one MAX update however often it is delivered: a new message by its mid, a
    press by its callback id, anything else by its type, time, person and chat."""
    kind = str(data.get("update_type"))
    callback = data.get("callback")
    if kind == "message_callback" and isinstance(callback, dict) and callback.get("callback_id"):
        return f"{kind}:{callback['callback_id']}"
    message = data.get("message")
    body = message.get("body") if isinstance(message, dict) else None
    if kind == "message_created" and isinstance(body, dict) and body.get("mid"):
        return f"{kind}:{body['mid']}"
    user = data.get("user")
    user_id = user.get("user_id") if isinstance(user, dict) else None
    if data.get("timestamp") is not None and (user_id is not None or "chat_id" in data):
        return f"{kind}:{data.get('timestamp')}:{user_id}:{data.get('chat_id')}"
    return f"{kind}:" + json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)


def update_id_of(key: str) -> int:
    digest = hashlib.sha256(key.encode()).digest()
    return MAX_BASE + int.from_bytes(digest[:8], "big") % ID_SPAN


def _private(user: MaxUser) -> Chat:
    return Chat(id=from_max(user.user_id), type="private", first_name=user.first_name)


def _date(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp / 1000, UTC)
