"""«📍 Рядом со мной»: the centres nearest to a shared location or to a locality (typed or
picked). A small dialog: it opens the locality picker (handlers/pickers/locality) as it starts
and shows the centres when the picker ends; «◀️ Назад» from the picker goes to the catalogue's
directions. The dialog itself (dialog.py) is registered by handlers/catalog/browse.py."""

from __future__ import annotations

from aiogram_dialog import DialogManager, StartMode

from handlers.catalog.nearby.states import CatalogNearby


async def open_nearby(manager: DialogManager) -> None:
    """The picker in place of the screen pressed (a new message below it after
    `below_pressed`)."""
    await manager.start(CatalogNearby.centres, mode=StartMode.RESET_STACK)


__all__ = ["CatalogNearby", "open_nearby"]
