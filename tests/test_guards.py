"""The guards tried before aiogram's filters (handlers/guards.py) never turn away a match."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.filters.state import StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Chat, Message, User

from handlers import get_routers
from handlers.guards import _necessary

USER = User(id=7, is_bot=False, first_name="Анна")
CHAT = Chat(id=7, type="private")


def _message(text: str | None = None, caption: str | None = None) -> Message:
    return Message(
        message_id=1, date=datetime.now(UTC), chat=CHAT, from_user=USER, text=text, caption=caption
    )


def _press(data: str) -> CallbackQuery:
    return CallbackQuery(
        id="1", from_user=USER, chat_instance="c", data=data, message=_message("экран")
    )


def _filters() -> list[object]:
    """Every filter object of the bot's handlers, as declared (before any wrapping)."""
    found = []
    for router in get_routers():
        for observer in router.observers.values():
            for handler in observer.handlers:
                for filter_object in handler.filters or ():
                    callback = filter_object.callback
                    # handlers/routes.py wraps plain callables: the original is in the closure
                    for cell in getattr(callback, "__closure__", None) or ():
                        callback = cell.cell_contents
                    found.append(callback)
    return found


async def _passes(filter_object: object, event: object, raw_state: str | None) -> bool:
    if isinstance(filter_object, State | StateFilter):
        result = filter_object(event, raw_state=raw_state)
    elif isinstance(filter_object, Command):
        result = filter_object(event, None)
    else:
        result = filter_object(event)
    if inspect.isawaitable(result):
        result = await result
    return bool(result)


async def test_a_guard_says_no_only_where_the_filter_says_no():
    filters = _filters()
    guarded = [(f, guard) for f in filters if (guard := _necessary(f)) is not None]
    kinds = {type(f) for f, _ in guarded}
    assert {State, Command, CallbackQueryFilter} <= kinds  # the bot uses all three

    states: set[str | None] = {None, "Nowhere:at_all"}
    prefixes: set[str] = set()
    for f, _ in guarded:
        if isinstance(f, State):
            states.add(f.state)
        elif isinstance(f, StateFilter):
            for item in f.states:
                if isinstance(item, type) and issubclass(item, StatesGroup):
                    states.update(item.__all_states_names__)
        elif isinstance(f, CallbackQueryFilter):
            prefixes.add(f.callback_data.__prefix__)
    messages = [
        _message(text)
        for text in ("/start", "  /help extra", "/consult_admin@SomeBot", "привет", " ", "!x")
    ] + [_message(caption="/start"), _message(caption="фото")]
    presses = [_press("x")] + [
        _press(data)
        for prefix in prefixes
        for data in (prefix, f"{prefix}:1", f"{prefix}:1:2:3", f"{prefix}x:1")
    ]

    checked = 0
    for f, guard in guarded:
        events = presses if isinstance(f, CallbackQueryFilter) else messages + presses[:3]
        for event in events:
            for raw_state in states:
                if guard(event, {"raw_state": raw_state}):
                    continue
                checked += 1
                assert not await _passes(f, event, raw_state), (f, event, raw_state)
    assert checked > 1000


async def test_a_guarded_router_still_routes_by_state_command_and_button(client):
    # End to end through the guarded routers: a command, a state-bound typed answer, a button.
    user = client.user()
    await user.send("/start")
    await user.press("Родитель")
    await user.send("Томск")  # the town step is bound to its state
    assert "возраст" in user.text().lower() or "класс" in user.text().lower()


async def test_a_handler_registered_after_the_guards_were_built_still_runs():
    from handlers.routes import Routes

    routes = Routes("late")

    @routes.message(Command("late"))
    async def command(message: Message) -> str:
        return "command"

    router = routes.build()

    @router.message()
    async def anything(message: Message) -> str:
        return "anything"

    assert await router.propagate_event("message", _message("/late"), bot=None) == "command"
    assert await router.propagate_event("message", _message("привет"), bot=None) == "anything"
