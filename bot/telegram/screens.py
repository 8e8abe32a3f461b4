"""Redrawing a screen in place, the way Telegram allows it."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup, Message


def same_markup(shown: InlineKeyboardMarkup | None, wanted: InlineKeyboardMarkup | None) -> bool:
    """Markups compared by content: one that came from Telegram also carries the bot object."""
    if shown is None or wanted is None:
        return shown is wanted
    return shown.model_dump(exclude_none=True) == wanted.model_dump(exclude_none=True)


async def redraw(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the message, unless nothing would change (Telegram refuses such an edit)."""
    if message.html_text == text and same_markup(message.reply_markup, markup):
        return
    await message.edit_text(text, reply_markup=markup)


async def redraw_markup(message: Message, markup: InlineKeyboardMarkup | None) -> None:
    if not same_markup(message.reply_markup, markup):
        await message.edit_reply_markup(reply_markup=markup)
