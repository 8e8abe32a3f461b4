"""A message of its own under a dialog's window: what was saved, with the main menu's reply
keyboard (a window's own message carries inline buttons only)."""

from __future__ import annotations

from aiogram.types import ReplyKeyboardMarkup
from aiogram_dialog import DialogManager


async def say(manager: DialogManager, text: str, keyboard: ReplyKeyboardMarkup) -> None:
    chat = manager.middleware_data["event_chat"]
    await manager.middleware_data["bot"].send_message(chat.id, text, reply_markup=keyboard)
