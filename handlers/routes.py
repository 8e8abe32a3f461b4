"""Handler declarations that build a fresh Router per dispatcher.

aiogram attaches a Router to one parent only, so module-level routers cannot serve a second
dispatcher (tests build many, the shell and the bot build their own). Modules declare handlers
on a `Routes` table with the usual decorator syntax, and `build()` makes the Router.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from aiogram import Router

from bot.webhook_reply import CallbackAnswers
from handlers.filters import StaffOnly

Handler = Callable[..., Any]
STAFF_OBSERVERS = ("message", "callback_query")


class Routes:
    def __init__(self, name: str) -> None:
        self.name = name
        self._handlers: list[tuple[str, Handler, tuple[Any, ...], dict[str, Any]]] = []
        self._filters: list[tuple[str, tuple[Any, ...]]] = []
        self.staff = False  # see staff_only()

    def filter(self, observer: str, *filters: Any) -> None:
        """Filters for every handler of one observer, e.g. filter("message", F.chat.type == ...)."""
        self._filters.append((observer, filters))

    def staff_only(self) -> None:
        """Every message and press of this router for staff only, checked on each update: the
        others' go on to the routers below (handlers/staff/menu.py `strangers` answers them)."""
        self.staff = True
        for observer in STAFF_OBSERVERS:
            self.filter(observer, StaffOnly())

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

    def declared_filters(self) -> Iterator[Any]:
        """Every filter of every handler, as declared (the built router wraps some of them)."""
        for _observer, _handler, filters, _kwargs in self._handlers:
            yield from filters

    def build(self) -> Router:
        router = Router(name=self.name)
        for observer, filters in self._filters:
            getattr(router, observer).filter(*filters)
        for observer, handler, filters, kwargs in self._handlers:
            getattr(router, observer).register(handler, *filters, **kwargs)
        # Every button press is answered, even when its handler fails; in webhook mode the
        # answer rides on the webhook's reply (bot/webhook_reply.py).
        router.callback_query.middleware(CallbackAnswers())
        return router
