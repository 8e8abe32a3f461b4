"""aiogram-dialog, the way every multi-step screen of the bot uses it.

- `Tr`: a text widget that renders a locale key through the person's Fluent translator, the one
  way dialog windows get their texts (arguments come from the window's getter data, HTML-escaped
  by the translator as everywhere else).
- `translator(manager)`, `toast(manager, key)`: the person's translator and a short answer to
  the press being handled.
- `setup(dispatcher)`: dialogs on the dispatcher, sharing its conversation storage (SQL by
  default, Redis when configured); presses are answered by the routers' answer middleware
  (bot/webhook_reply.py), so aiogram-dialog's own answer is switched off.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import BaseEventIsolation
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import BgManagerFactory, DialogManager, setup_dialogs
from aiogram_dialog.api.entities import NewMessage, OldMessage, stack
from aiogram_dialog.api.protocols import MessageNotModified
from aiogram_dialog.manager.message_manager import MessageManager
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.text import Text

from bot.telegram.i18n import Translator

Argument = str | Callable[[dict[str, Any]], object]


def translator(manager: DialogManager) -> Translator:
    return manager.middleware_data["t"]


def toast(manager: DialogManager, key: str, *, alert: bool = False, **kwargs: object) -> None:
    """Answer the press being handled with a short text (shown on top of the chat)."""
    answer = manager.middleware_data.get("callback_answer")
    if answer is not None:
        answer.text = translator(manager)(key, **kwargs)
        answer.show_alert = alert


class Tr(Text):
    """`Tr("key", name="field")`: the locale key with `name` taken from the getter data's
    `field` (or computed by a function of the data). Arguments that are absent render empty."""

    def __init__(self, key: str, when: WhenCondition = None, **arguments: Argument) -> None:
        super().__init__(when=when)
        self.key = key
        self.arguments = arguments

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        values = {
            name: (source(data) if callable(source) else data.get(source, ""))
            for name, source in self.arguments.items()
        }
        return translator(manager)(self.key, **values)


class RouterAnswers(MessageManager):
    """Sends and edits as aiogram-dialog does; leaves answering presses to the routers'
    middleware, which answers each exactly once (with a toast when a handler set one)."""

    async def answer_callback(self, bot: Bot, callback_query: CallbackQuery) -> None:
        return None

    async def edit_message_safe(
        self, bot: Bot, new_message: NewMessage, old_message: OldMessage
    ) -> Message:
        """A redraw that changes nothing is refused by Telegram, and the bot's session takes
        that as done (bot/telegram/not_modified.py) and returns True, not a message: for
        aiogram-dialog that is «not modified», which it handles (keeping the old message)."""
        edited = await super().edit_message_safe(bot, new_message, old_message)
        if not isinstance(edited, Message):
            raise MessageNotModified("message is not modified")
        return edited


def unique_intent_id() -> int:
    """aiogram-dialog 2.6 makes a dialog's id from the current second and a random number below
    100: two dialogs opened in the same second (a sub-dialog over its parent, /subscribe's two)
    share it once in a hundred, and the second overwrites the first's data. 48 random bits
    instead (upstream: Tishka17/aiogram_dialog pull request 501)."""
    return secrets.randbits(48)


def setup(dispatcher: Dispatcher) -> BgManagerFactory:
    """After the routers are included. With Redis, instances take turns on a person's dialog
    through Redis locks; with the SQL storage the lock is per process."""
    stack.new_int_id = unique_intent_id
    storage = dispatcher.storage
    isolation: BaseEventIsolation = (
        storage.create_isolation() if isinstance(storage, RedisStorage) else SimpleEventIsolation()
    )
    return setup_dialogs(dispatcher, message_manager=RouterAnswers(), events_isolation=isolation)
