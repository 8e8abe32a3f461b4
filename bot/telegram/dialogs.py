"""aiogram-dialog, the way every multi-step screen of the bot uses it.

- `Tr`: a text widget that renders a locale key through the person's Fluent translator, the one
  way dialog windows get their texts (arguments come from the window's getter data, HTML-escaped
  by the translator as everywhere else).
- `translator(manager)`, `toast(manager, key)`: the person's translator and a short answer to
  the press being handled; `below_pressed()`: the dialog a press starts goes out below the
  pressed message, which keeps its buttons (aiogram-dialog would take them away).
- `setup(dispatcher)`: dialogs on the dispatcher, sharing its conversation storage (SQL by
  default, Redis when configured); presses are answered by the routers' answer middleware
  (bot/webhook_reply.py), so aiogram-dialog's own answer is switched off. A press on a message
  that cannot show a window (bot/middlewares/press_origin.py) gets the window as a new message.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.fsm.storage.base import BaseEventIsolation
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import CallbackQuery, InaccessibleMessage, Message, TelegramObject
from aiogram_dialog import BgManagerFactory, DialogManager, ShowMode, setup_dialogs
from aiogram_dialog.api.entities import NewMessage, OldMessage, stack
from aiogram_dialog.api.protocols import MessageNotModified
from aiogram_dialog.manager.message_manager import MessageManager
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.text import Text

from bot.telegram.i18n import Translator

Argument = str | Callable[[dict[str, Any]], object]
# The pressed message is left as it is, a window goes out as a new message (PressedMessage,
# below_pressed).
leave_pressed: ContextVar[bool] = ContextVar("leave_pressed", default=False)


def translator(manager: DialogManager) -> Translator:
    return manager.middleware_data["t"]


def below_pressed() -> None:
    """The window this press opens goes out as a new message below the pressed one, which
    keeps its buttons (e.g. a card whose button opens a list of its own)."""
    leave_pressed.set(True)


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


class PressedMessage(BaseMiddleware):
    """Notes, for RouterAnswers, that the pressed message cannot show a window: PressOrigin
    (before it) made a message too old, without text or inline an InaccessibleMessage."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        message = event.message if isinstance(event, CallbackQuery) else None
        token = leave_pressed.set(isinstance(message, InaccessibleMessage))
        try:
            return await handler(event, data)
        finally:
            leave_pressed.reset(token)


class RouterAnswers(MessageManager):
    """Sends and edits as aiogram-dialog does; leaves answering presses to the routers'
    middleware, which answers each exactly once (with a toast when a handler set one). A window
    for a press on a message that cannot show it (or for `below_pressed`) goes out as a new
    message, the pressed one left as it is.

    An edit that changes nothing (two presses at once, a double tap, a stale ◀️ on the first
    page) comes back as True from bot/telegram/not_modified.py; aiogram-dialog wants its own
    MessageNotModified then (it keeps the message it knows), not True for the message."""

    async def show_message(
        self, bot: Bot, new_message: NewMessage, old_message: OldMessage | None
    ) -> OldMessage:
        if leave_pressed.get() and new_message.show_mode is not ShowMode.NO_UPDATE:
            new_message.show_mode = ShowMode.SEND
            old_message = None
        return await super().show_message(bot, new_message, old_message)

    async def answer_callback(self, bot: Bot, callback_query: CallbackQuery) -> None:
        return None

    async def edit_message(
        self, bot: Bot, new_message: NewMessage, old_message: OldMessage
    ) -> Message:
        edited = await super().edit_message(bot, new_message, old_message)
        if not isinstance(edited, Message):
            raise MessageNotModified("the message already shows this window")
        return edited


def unique_intent_id() -> int:
    """aiogram-dialog 2.6 makes a dialog's id from the current second and a random number below
    100: two dialogs opened in the same second (a sub-dialog over its parent, /subscribe's two)
    share it once in a hundred, and the second overwrites the first's data. 48 random bits
    instead (upstream: Tishka17/aiogram_dialog pull request 501). The one library function the
    bot replaces, for correctness, not speed: drop it when aiogram-dialog's ids are unique."""
    return secrets.randbits(48)


def setup(dispatcher: Dispatcher) -> BgManagerFactory:
    """After the routers are included. With Redis, instances take turns on a person's dialog
    through Redis locks; with the SQL storage the lock is per process."""
    stack.new_int_id = unique_intent_id
    storage = dispatcher.storage
    isolation: BaseEventIsolation = (
        storage.create_isolation() if isinstance(storage, RedisStorage) else SimpleEventIsolation()
    )
    dispatcher.callback_query.outer_middleware(PressedMessage())  # after PressOrigin
    return setup_dialogs(dispatcher, message_manager=RouterAnswers(), events_isolation=isolation)
