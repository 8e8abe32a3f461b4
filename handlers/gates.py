"""Root filters that let an update skip a router it cannot be for.

aiogram tries the routers in order, and in each one every handler's filters, copying the
update's data for each step. A root filter that fails skips the router at once, with its
dialogs. Each gate passes everything one of the router's handlers or dialogs could take (it
may pass more: the handlers still decide), and is only set where every handler of that kind has
a filter the gate can stand for (handlers/routes.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from aiogram.dispatcher.event.handler import FilterObject
from aiogram.filters import Command, Filter, StateFilter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.state import StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog.api.internal import CONTEXT_KEY
from aiogram_dialog.utils import remove_intent_id

from handlers.filters import ContentIs, MenuButton

MESSAGE_KEYS = (Command, MenuButton, StateFilter, ContentIs)  # what OwnMessage stands for


def in_dialogs(data: dict[str, Any], dialogs: frozenset[type[StatesGroup]]) -> bool:
    """Whether the update is for a window of one of these dialogs (aiogram-dialog's context)."""
    context = data.get(CONTEXT_KEY)
    return context is not None and context.state.group in dialogs


class OwnPress(Filter):
    """A press on one of the router's buttons (by its data's prefix) or on a window of one of its
    dialogs."""

    def __init__(
        self, buttons: Iterable[CallbackQueryFilter], dialogs: Iterable[type[StatesGroup]]
    ) -> None:
        self.prefixes: dict[str, frozenset[str]] = {}
        for button in buttons:
            data = button.callback_data
            known = self.prefixes.get(data.__separator__, frozenset())
            self.prefixes[data.__separator__] = known | {data.__prefix__}
        self.dialogs = frozenset(dialogs)

    async def __call__(self, query: CallbackQuery, **data: Any) -> bool:
        pressed = query.data or ""
        for separator, prefixes in self.prefixes.items():
            if pressed.partition(separator)[0] in prefixes:
                return True
        if not self.dialogs or remove_intent_id(pressed)[0] is None:
            return False
        return in_dialogs(data, self.dialogs)


class OwnMessage(Filter):
    """A message one of the router's handlers is keyed to (a command where it has commands, one
    of its menu buttons, a state or content type it takes) or typed into one of its dialogs."""

    def __init__(self, keys: Sequence[Filter], dialogs: Iterable[type[StatesGroup]]) -> None:
        self.command_prefixes = "".join({k.prefix for k in keys if isinstance(k, Command)})
        self.others = [FilterObject(k) for k in keys if not isinstance(k, Command)]
        self.dialogs = frozenset(dialogs)

    async def __call__(self, message: Message, **data: Any) -> bool:
        text = message.text or message.caption
        if text and text[0] in self.command_prefixes:
            return True
        for key in self.others:  # a menu button, a state, a content type: checked as it is
            if await key.call(message, **data):
                return True
        return bool(self.dialogs) and in_dialogs(data, self.dialogs)
