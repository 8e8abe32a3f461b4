"""The one locality picker: a paged list of localities, a typed name (several matches offered
to choose from) or a shared location (the nearest one).

A dialog opens it with `await pick_locality(manager)` and gets, in its Dialog's
`on_process_result(start_data, result, manager)`, `result == {"locality_id": id}` — or None
when the person pressed «◀️ Назад». With `keep_location=True` a shared location ends it as it
is, `{"location": [latitude, longitude]}` (the catalogue's «Рядом» searches from the very
spot), not as the locality nearest to it. The picker's router (`router`) is included once, late (see
handlers/__init__.py): its windows take typed text, so commands and menu buttons are tried first.
"""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.telegram.dialogs import translator
from handlers.menu import share_location
from handlers.pickers.locality.actions import KEEP_LOCATION, LOCATION, RESULT
from handlers.pickers.locality.dialog import locality_dialog
from handlers.pickers.locality.states import LocalityPicker
from handlers.routes import Routes

router = Routes("locality_picker")
router.dialog(locality_dialog)


async def pick_locality(
    manager: DialogManager, *, question: str = "locality-ask", keep_location: bool = False
) -> None:
    """The list, in place of the screen pressed (or as a new message after a typed one); then,
    under it, the question (a locale key) with the reply keyboard that shares a location."""
    await manager.start(LocalityPicker.choose, data={KEEP_LOCATION: keep_location})
    t = translator(manager)
    chat = manager.middleware_data["event_chat"]
    await manager.middleware_data["bot"].send_message(
        chat.id, t(question), reply_markup=share_location(t)
    )


def chosen_locality(result: Any) -> int | None:
    """The locality id the picker ended with, or None (Back)."""
    return result.get(RESULT) if isinstance(result, dict) else None


def shared_location(result: Any) -> tuple[float, float] | None:
    """The spot a person shared, when the picker was opened with `keep_location=True`."""
    spot = result.get(LOCATION) if isinstance(result, dict) else None
    return (spot[0], spot[1]) if spot else None


__all__ = ["LocalityPicker", "chosen_locality", "pick_locality", "router", "shared_location"]
