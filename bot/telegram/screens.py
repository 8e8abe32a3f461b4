"""Redrawing a screen after a press: in place where Telegram allows it, as a new message where not.

bot/middlewares/press_origin.py hands handlers the pressed message either as a text message
they can edit, or as an `InaccessibleMessage` (too old for Telegram to include, a message
without text, or a press from an inline message): the screen then goes out as a new message
in that chat, so the person still gets it. An edit that changes nothing is taken as done by
bot/telegram/not_modified.py; the comparison here only saves the call.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message

Where = CallbackQuery | Message | InaccessibleMessage
log = logging.getLogger(__name__)


def same_markup(shown: InlineKeyboardMarkup | None, wanted: InlineKeyboardMarkup | None) -> bool:
    """Markups compared by content: one that came from Telegram also carries the bot object."""
    if shown is None or wanted is None:
        return shown is wanted
    return shown.model_dump(exclude_none=True) == wanted.model_dump(exclude_none=True)


def origin(where: Where) -> Message | InaccessibleMessage:
    """The message a press came from (or the message itself)."""
    if isinstance(where, CallbackQuery):
        assert where.message is not None  # bot/middlewares/press_origin.py
        return where.message
    return where


def editable(where: Where) -> Message | None:
    """The message whose text can be edited in place, if there is one."""
    message = origin(where)
    if isinstance(message, Message) and message.text is not None:
        return message
    return None


async def redraw(
    where: Where,
    text: str,
    reply_markup: InlineKeyboardMarkup | None = None,
    *,
    previews: bool = True,
) -> Message:
    """Show the screen in place of the pressed message (unless nothing would change), or as a
    new message when that one cannot be edited. Returns the message that shows it."""
    options: dict[str, Any] = {} if previews else {"disable_web_page_preview": True}
    message = editable(where)
    if message is None:
        return await origin(where).answer(text, reply_markup=reply_markup, **options)
    if message.html_text == text and same_markup(message.reply_markup, reply_markup):
        return message
    edited = await message.edit_text(text, reply_markup=reply_markup, **options)
    return edited if isinstance(edited, Message) else message


async def append(where: Where, extra: str) -> Message:
    """The pressed message's text with `extra` below it and no buttons (e.g. the answer given),
    or `extra` alone as a new message when the pressed one cannot be edited."""
    message = editable(where)
    if message is None:
        return await origin(where).answer(extra)
    return await redraw(message, message.html_text + "\n\n" + extra)


async def redraw_markup(where: Where, markup: InlineKeyboardMarkup | None) -> None:
    """Change the buttons only; a message the bot cannot reach keeps what it has."""
    message = origin(where)
    if not isinstance(message, Message) or same_markup(message.reply_markup, markup):
        return
    await message.edit_reply_markup(reply_markup=markup)


async def remove_buttons(where: Where) -> None:
    await redraw_markup(where, None)


async def drop_buttons(bot: Bot, chat_id: int, message_id: int | None) -> None:
    """An earlier message, known by its id (a dialog's last prompt), loses its buttons; one
    that is gone, too old to edit or already without them stays as it is."""
    if not message_id:
        return
    try:
        await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id)
    except TelegramBadRequest as error:
        log.debug("buttons of %s stay: %s", message_id, error.message)
