"""/events_admin (staff): the event editor, two dialogs (handlers/events/editor): upcoming
events with hidden ones, an event's card to hide or show it, and a new event step by step.
The draft lives in its dialog's data (JSON) until «✅ Опубликовать»; «✖️ Отмена», /cancel or
any command drops it."""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram_dialog import DialogManager, StartMode

from handlers.conversation import leave
from handlers.events.editor.dialogs import admin_dialog, draft_dialog
from handlers.events.editor.states import EventAdmin
from handlers.routes import Routes

router = Routes("events_admin")
router.staff_only(refusal="eadm-staff-only")
router.dialog(admin_dialog)
router.dialog(draft_dialog)


@router.message(Command("events_admin"))
async def events_admin(message: Message, state: FSMContext, dialog_manager: DialogManager) -> None:
    await leave(state, dialog_manager)
    await dialog_manager.start(EventAdmin.listing, mode=StartMode.RESET_STACK)
