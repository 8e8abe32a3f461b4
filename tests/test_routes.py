"""How the routers are built."""

from __future__ import annotations

from handlers import get_routers


def test_no_filter_or_handler_is_sent_to_a_worker_thread():
    # aiogram awaits async callables in the loop but runs plain ones through asyncio.to_thread:
    # every router the bot builds must have none left.
    plain = [
        f"{router.name}.{name}: {callable_object.callback!r}"
        for router in get_routers()
        for name, observer in router.observers.items()
        for handler in [observer._handler, *observer.handlers]
        for callable_object in [handler, *(handler.filters or ())]
        if not callable_object.awaitable
    ]
    assert plain == []
