"""Leaving whatever a person was in the middle of: a hand-written step (the FSM state) and any
open dialog (aiogram-dialog's stack, whose windows would otherwise take the next typed text).
Every entry point that does not start a dialog of its own calls `leave`; one that does starts
it with `StartMode.RESET_STACK` after `leave`."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram_dialog import DialogManager


async def in_conversation(state: FSMContext, dialog_manager: DialogManager | None) -> bool:
    if await state.get_state() is not None:
        return True
    return dialog_manager is not None and dialog_manager.has_context()


async def leave(state: FSMContext, dialog_manager: DialogManager | None) -> None:
    await state.clear()
    if dialog_manager is not None and dialog_manager.has_context():
        await dialog_manager.reset_stack(remove_keyboard=False)
