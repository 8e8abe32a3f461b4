"""aiogram runs a filter or handler that is not a coroutine (a magic filter `F.text`, a State,
a plain function) in its thread pool: a hand-off to another thread and back on every check of
every update. The bot's filters and handlers are all coroutines."""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram import Dispatcher, Router

from bot.app import create_dispatcher


def _routers(router: Router) -> list[Router]:
    return [router, *(r for sub in router.sub_routers for r in _routers(sub))]


def _in_thread(dispatcher: Dispatcher) -> list[str]:
    found = []
    for router in _routers(dispatcher):
        for name, observer in router.observers.items():
            if name == "aiogd_update":
                continue  # aiogram-dialog's own, for its background managers, not per update
            root = observer._handler.filters or []  # the router-level filters
            for filter_ in root:
                if not filter_.awaitable:
                    found.append(f"{router.name}.{name} filter {filter_.callback!r}")
            for handler in observer.handlers:
                if not handler.awaitable:
                    found.append(f"{router.name}.{name} handler {handler.callback!r}")
                for filter_ in handler.filters or []:
                    if not filter_.awaitable:
                        found.append(f"{router.name}.{name} filter {filter_.callback!r}")
    return found


async def test_no_filter_or_handler_of_the_bot_runs_in_a_thread(app):
    dispatcher = create_dispatcher(app)
    try:
        assert _in_thread(dispatcher) == []
    finally:
        await dispatcher.storage.close()


async def test_a_visit_through_dialog_inputs_hands_nothing_to_threads(client, monkeypatch):
    """Dialog widgets (aiogram-dialog's MessageInput filters) are checked by what runs."""
    handed: list[Any] = []
    to_thread = asyncio.to_thread

    async def counted(function: Any, *args: Any, **kwargs: Any) -> Any:
        called = getattr(function, "func", function)
        owner = getattr(called, "__self__", called)
        module = getattr(owner, "__module__", None) or type(owner).__module__
        if module.startswith(("aiogram", "magic_filter", "handlers")):
            handed.append(called)  # a filter or handler; services may build things off the loop
        return await to_thread(function, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", counted)
    anna = client.user(5301)
    await anna.send("/start")
    await anna.press("Родитель")
    await anna.send("Томск")  # the locality picker's typed name
    await anna.send("10")
    await anna.press("✅ Согласен(на)")
    await anna.press("🔎 Кружки и центры")
    await anna.send("шахматы")
    await anna.press("👨‍👩‍👧 Консультации")
    await anna.send("/settings")
    assert handed == []
