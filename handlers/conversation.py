"""Leaving whatever a person was in the middle of: a hand-written step (the FSM state) and any
open dialog (aiogram-dialog's stack, whose windows would otherwise take the next typed text).
Every entry point that does not start a dialog of its own calls `leave`; one that does starts
it with `StartMode.RESET_STACK` after `leave`.

A dialog left this way loses its buttons (its last message's inline keyboard): a flow walked
away from («Кто вы?», the consent, a booking step) leaves nothing behind that would only answer
«Эта кнопка устарела». The message pressed to leave keeps its own: the handler redraws it."""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager

log = logging.getLogger(__name__)


async def in_conversation(state: FSMContext, dialog_manager: DialogManager | None) -> bool:
    if await state.get_state() is not None:
        return True
    return dialog_manager is not None and dialog_manager.has_context()


async def leave(state: FSMContext, dialog_manager: DialogManager | None) -> None:
    await state.clear()
    if dialog_manager is not None and dialog_manager.has_context():
        await drop_buttons(dialog_manager)
        await dialog_manager.reset_stack(remove_keyboard=False)


async def drop_buttons(manager: DialogManager) -> None:
    """The inline buttons of the dialog's last message, unless that message is the one pressed
    (or carries a reply keyboard, which the next screen replaces)."""
    stack = manager.current_stack()
    message_id = stack.last_message_id
    chat = manager.middleware_data.get("event_chat")
    if message_id is None or chat is None or stack.last_reply_keyboard:
        return
    event = manager.event
    if isinstance(event, CallbackQuery) and getattr(event.message, "message_id", None) == (
        message_id
    ):
        return
    stack.last_message_id = None  # saved with the stack: the next window does not redo this
    try:
        await manager.middleware_data["bot"].edit_message_reply_markup(
            chat_id=chat.id, message_id=message_id, reply_markup=None
        )
    except TelegramAPIError as error:  # too old to edit, deleted, already without buttons
        log.debug("buttons of a left dialog stay: %s", type(error).__name__)
