"""How the routers are built."""

from __future__ import annotations

from handlers import get_routers


def test_every_button_handler_matches_its_own_callback_data():
    # Button routers are tried before the others (handlers/__init__.py) on the grounds that a
    # press is matched by its callback data, never caught by a bare state: keep it that way.
    from aiogram.filters.callback_data import CallbackQueryFilter

    bare = [
        f"{router.name}: {handler.callback.__name__}"
        for router in get_routers()
        if router.name != "fallback"
        for handler in router.callback_query.handlers
        if not any(isinstance(f.callback, CallbackQueryFilter) for f in handler.filters or ())
    ]
    assert bare == []
