"""/consult_admin (staff): the consultation set-up from chat — services, specialists and
organisations with hide and show, and closing days of a specialist or a whole organisation:
dates, a reason, then a confirmation that says how many bookings will be cancelled (their
parents are told). Dialogs: handlers/consultations/admin/ (the set-up), closing/ (closing
days), closed_days.py (the closings ahead)."""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram_dialog import DialogManager, StartMode

from handlers.consultations.admin.dialog import setup_dialog
from handlers.consultations.closing.dialog import closing_dialog
from handlers.consultations.states import ConsultSetup
from handlers.conversation import leave
from handlers.filters import PrivateChat
from handlers.routes import Routes

router = Routes("staff_consult")
router.filter("message", PrivateChat())
router.filter("callback_query", PrivateChat())
router.staff_only(refusal="scadm-staff-only")


@router.message(Command("consult_admin"))
async def consult_admin_command(
    message: Message, state: FSMContext, dialog_manager: DialogManager
) -> None:
    await leave(state, dialog_manager)
    await dialog_manager.start(ConsultSetup.menu, mode=StartMode.RESET_STACK)


router.dialog(setup_dialog)
router.dialog(closing_dialog)
