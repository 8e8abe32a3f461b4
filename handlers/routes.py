"""Handler declarations that build a fresh Router per dispatcher.

aiogram attaches a Router to one parent only, so module-level routers cannot serve a second
dispatcher (tests build many, the shell and the bot build their own). Modules declare handlers
on a `Routes` table with the usual decorator syntax, and `build()` makes the Router.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from aiogram import BaseMiddleware, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import TelegramObject
from aiogram_dialog import Dialog

from bot.webhook_reply import CallbackAnswers
from handlers.filters import DialogPress, NotCommandOrMenu, StaffOnly
from handlers.gates import MESSAGE_KEYS, OwnMessage, OwnPress

Handler = Callable[..., Any]
STAFF_OBSERVERS = ("message", "callback_query")


class Routes:
    def __init__(self, name: str) -> None:
        self.name = name
        self._handlers: list[tuple[str, Handler, tuple[Any, ...], dict[str, Any]]] = []
        self._filters: list[tuple[str, tuple[Any, ...]]] = []
        self._contexts: list[tuple[str, Callable[..., Any]]] = []
        self.staff = False  # see staff_only()
        self.refusal = ""
        self.dialogs: tuple[State | type[StatesGroup], ...] = ()
        self.dialog_factories: list[Callable[[], Dialog]] = []
        self._dialog_groups: list[type[StatesGroup]] | None = None  # made once: see states()

    def filter(self, observer: str, *filters: Any) -> None:
        """Filters for every handler of one observer, e.g. filter("message", F.chat.type == ...)."""
        self._filters.append((observer, filters))

    def staff_only(self, refusal: str, dialogs: tuple[State | type[StatesGroup], ...] = ()) -> None:
        """Every message and press of this router for staff only, checked on each update: the
        others' go on to the routers below, where handlers/staff/strangers.py answers this
        router's commands and buttons with `refusal` (a locale key) and lets someone out of
        its dialogs (`dialogs`, besides the states its handlers are bound to)."""
        self.staff = True
        self.refusal = refusal
        self.dialogs = dialogs
        for observer in STAFF_OBSERVERS:
            self.filter(observer, StaffOnly())

    def dialog(self, factory: Callable[[], Dialog]) -> None:
        """An aiogram-dialog Dialog of this feature, made per dispatcher by `factory`; it
        shares the router's filters (staff only), answers and contexts, and takes only its own
        presses and messages that are neither commands nor menu buttons."""
        self.dialog_factories.append(factory)

    def context(self, name: str, factory: Callable[..., Any]) -> None:
        """Handlers of this router get `name`: made per update by `factory`, which takes the
        handler data's keywords by name as handlers do (and `**_` for the rest). For routers
        whose handlers all pass the same few dependencies on to their screens."""
        self._contexts.append((name, factory))

    def _on(self, observer: str, filters: tuple[Any, ...], kwargs: dict[str, Any]):  # type: ignore[no-untyped-def]
        def register(handler: Handler) -> Handler:
            self._handlers.append((observer, handler, filters, kwargs))
            return handler

        return register

    def message(self, *filters: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        return self._on("message", filters, kwargs)

    def callback_query(self, *filters: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        return self._on("callback_query", filters, kwargs)

    def my_chat_member(self, *filters: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        return self._on("my_chat_member", filters, kwargs)

    def errors(self, *filters: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        return self._on("errors", filters, kwargs)

    def declared_filters(self, observer: str | None = None) -> Iterator[Any]:
        """Every filter of every handler (of one observer), as declared (the built router wraps
        some of them)."""
        for on, _handler, filters, _kwargs in self._handlers:
            if observer is None or on == observer:
                yield from filters

    def commands(self) -> list[str]:
        """The commands its message handlers take."""
        return [
            command
            for found in self.declared_filters("message")
            if isinstance(found, Command)
            for command in found.commands
            if isinstance(command, str)
        ]

    def buttons(self) -> list[CallbackQueryFilter]:
        """The callback-data filters of its button handlers (each with its own rule)."""
        return [
            found
            for found in self.declared_filters("callback_query")
            if isinstance(found, CallbackQueryFilter)
        ]

    def states(self) -> list[State | type[StatesGroup]]:
        """Its dialogs: the states its handlers are bound to, and those it names."""
        found: list[State | type[StatesGroup]] = list(self.dialogs)
        if self._dialog_groups is None:  # a Dialog takes milliseconds to build
            self._dialog_groups = [factory().states_group() for factory in self.dialog_factories]
        found += self._dialog_groups
        for item in self.declared_filters():
            for state in item.states if isinstance(item, StateFilter) else (item,):
                is_group = isinstance(state, type) and issubclass(state, StatesGroup)
                if (isinstance(state, State) or is_group) and state not in found:
                    found.append(state)
        return found

    def _handler_filters(self, observer: str) -> Iterator[tuple[Any, ...]]:
        return (filters for on, _handler, filters, _kwargs in self._handlers if on == observer)

    def _message_keys(self) -> list[Any] | None:
        """One filter of each message handler that says what it takes (handlers/gates.py); None
        if some handler has none of them."""
        keys = []
        for filters in self._handler_filters("message"):
            key = next((found for found in filters if isinstance(found, MESSAGE_KEYS)), None)
            if key is None:
                return None
            keys.append(key)
        return keys

    def build(self) -> Router:
        router = Router(name=self.name)
        dialogs = [factory() for factory in self.dialog_factories]
        groups = [dialog.states_group() for dialog in dialogs]
        # The gates first: the cheapest way past this router for the others' updates.
        presses = self._handler_filters("callback_query")
        if all(any(isinstance(f, CallbackQueryFilter) for f in filters) for filters in presses):
            router.callback_query.filter(OwnPress(self.buttons(), groups))
        keys = self._message_keys()
        if keys is not None:
            router.message.filter(OwnMessage(keys, groups))
        for observer, filters in self._filters:
            getattr(router, observer).filter(*filters)
        for observer, handler, filters, kwargs in self._handlers:
            getattr(router, observer).register(handler, *filters, **kwargs)
        for dialog in dialogs:
            # Commands and menu buttons go on to their routers, which leave the dialog; other
            # features' presses to theirs.
            dialog.message.filter(NotCommandOrMenu())
            dialog.callback_query.filter(DialogPress())
            router.include_router(dialog)
        # Every button press is answered, even when its handler fails; in webhook mode the
        # answer rides on the webhook's reply (bot/webhook_reply.py).
        router.callback_query.middleware(CallbackAnswers())
        # After it: a context may take the press's `callback_answer`.
        for name, factory in self._contexts:
            for observer in ("message", "callback_query"):
                getattr(router, observer).middleware(Context(name, factory))
        return router


class Context(BaseMiddleware):
    """Puts `factory(**data)` into a matched handler's data as `name` (see Routes.context)."""

    def __init__(self, name: str, factory: Callable[..., Any]) -> None:
        self.name = name
        self.factory = factory

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        data[self.name] = self.factory(**data)
        return await handler(event, data)
