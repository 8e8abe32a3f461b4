"""«👧 Дети» in /settings: a parent's children (name or nickname, age or grade or birth year,
interests, ОВЗ) — add, edit, remove — as a dialog opened over the settings, after consent.
Lists elsewhere ask «для кого?» among them: handlers/pickers/child.py."""

from __future__ import annotations

from aiogram_dialog import DialogManager

from handlers.people.children.dialog import children_dialog
from handlers.people.children.states import Children
from handlers.routes import Routes

# Tried late (handlers/__init__.py): its steps take typed text after commands and menu buttons.
router = Routes("children")
router.dialog(children_dialog)


async def open_children(manager: DialogManager) -> None:
    """Over the current dialog (the settings), so «◀️ Назад» returns there."""
    await manager.start(Children.list)


__all__ = ["Children", "open_children", "router"]
