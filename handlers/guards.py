"""Cheap necessary conditions tried before aiogram's full filter check.

An update walks the routers in order and, in each, every handler's filters until one matches:
about forty filter checks per update, each a chain of awaited calls with the whole context
copied as keyword arguments. Most of them fail on something a plain comparison can tell:
the conversation is in another state, the text is not a command, the button's callback data
has another prefix. Each handler gets a guard built from its filters of those known kinds;
a handler whose guard fails is skipped without the full check, one that passes gets the full
check as before. A guard only ever says "cannot match", so routing does not change.
"""

from __future__ import annotations

from collections.abc import Callable
from inspect import isclass
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.bases import UNHANDLED, SkipHandler
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.filters.state import StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, TelegramObject

Guard = Callable[[TelegramObject, dict[str, Any]], bool]


def install_guards(router: Router) -> None:
    """Call on a built router, before its sync filters are wrapped (guards read the originals)."""
    for observer in router.observers.values():
        guards = [_guard(handler) for handler in observer.handlers]
        if any(guard is not None for guard in guards):
            observer.trigger = _guarded_trigger(observer, guards)  # type: ignore[method-assign]


def _guarded_trigger(observer: TelegramEventObserver, guards: list[Guard | None]):  # type: ignore[no-untyped-def]
    # By identity: a handler registered after this (none of ours) simply has no guard.
    guard_of = {id(h): g for h, g in zip(observer.handlers, guards, strict=True) if g is not None}

    async def trigger(event: TelegramObject, **kwargs: Any) -> Any:
        # aiogram's TelegramEventObserver.trigger, with the guard asked first.
        for handler in observer.handlers:
            guard = guard_of.get(id(handler))
            if guard is not None and not guard(event, kwargs):
                continue
            kwargs["handler"] = handler
            result, data = await handler.check(event, **kwargs)
            if result:
                kwargs.update(data)
                try:
                    wrapped_inner = observer.outer_middleware.wrap_middlewares(
                        observer._resolve_middlewares(), handler.call
                    )
                    return await wrapped_inner(event, kwargs)
                except SkipHandler:
                    continue
        return UNHANDLED

    return trigger


def _guard(handler: HandlerObject) -> Guard | None:
    tests = [test for f in handler.filters or () if (test := _necessary(f.callback)) is not None]
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]
    return lambda event, data: all(test(event, data) for test in tests)


def _necessary(filter_object: Any) -> Guard | None:
    """What must hold for this filter to pass, or None when nothing cheap is known."""
    if isinstance(filter_object, State | StateFilter):
        states = _states(filter_object)
        if states is None:
            return None
        return lambda _event, data: data.get("raw_state") in states
    if isinstance(filter_object, CallbackQueryFilter):
        prefix = filter_object.callback_data.__prefix__
        head = prefix + filter_object.callback_data.__separator__

        def has_prefix(event: TelegramObject, _data: dict[str, Any]) -> bool:
            value = event.data if isinstance(event, CallbackQuery) else None
            return value is not None and (value == prefix or value.startswith(head))

        return has_prefix
    if isinstance(filter_object, Command):
        prefixes = filter_object.prefix

        def looks_like_command(event: TelegramObject, _data: dict[str, Any]) -> bool:
            if not isinstance(event, Message):
                return False
            text = (event.text or event.caption or "").lstrip()  # as Command's split() sees it
            return text != "" and text[0] in prefixes

        return looks_like_command
    return None


def _states(filter_object: State | StateFilter) -> frozenset[str | None] | None:
    """The raw states a State or StateFilter lets through; None when it takes any."""
    if isinstance(filter_object, State):
        allowed: tuple[Any, ...] = (filter_object,)
    else:
        allowed = tuple(filter_object.states)
    states: set[str | None] = set()
    for item in allowed:
        if isinstance(item, State):
            if item.state == "*":
                return None
            states.add(item.state)
        elif item is None or isinstance(item, str):
            if item == "*":
                return None
            states.add(item)
        elif isinstance(item, StatesGroup) or (isclass(item) and issubclass(item, StatesGroup)):
            states.update(item.__all_states_names__)
        else:
            return None  # a kind StateFilter may learn later: no guard
    return frozenset(states)
