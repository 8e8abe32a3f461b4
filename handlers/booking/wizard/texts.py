"""Small widgets of the consultation dialogs, beside `Tr` (bot/telegram/dialogs.py):
- `said(key, *fields)`: a locale key whose placeholders are getter fields of the same names,
  rendered by the person's translator like `Tr` (so escaped); unlike `Tr` it takes a
  placeholder named `when` (the dates of booking-confirm and friends);
- `Plain(field)`: a button label from a list item's field as it is (labels are not HTML, so
  names from the database are neither escaped nor parsed);
- `Typed(*keys)`: reply-keyboard buttons that send their label as text (the phone step's
  «◀️ Назад», «Отмена»), read by the step's text input, not by aiogram-dialog's callbacks.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import KeyboardButton
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.kbd import Keyboard
from aiogram_dialog.widgets.text import Text

from bot.telegram.dialogs import translator


class said(Text):
    def __init__(self, key: str, *fields: str, when: WhenCondition = None) -> None:
        super().__init__(when=when)
        self.key = key
        self.fields = fields

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return translator(manager)(
            self.key, **{field: data.get(field, "") for field in self.fields}
        )


class Plain(Text):
    def __init__(self, field: str = "label") -> None:
        super().__init__()
        self.field = field

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return str(data["item"][self.field])


class Typed(Keyboard):
    def __init__(self, *keys: str) -> None:
        super().__init__()
        self.keys = keys

    async def _render_keyboard(self, data: dict, manager: DialogManager) -> list:
        t = translator(manager)
        return [[KeyboardButton(text=t(key)) for key in self.keys]]
