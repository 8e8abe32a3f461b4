"""Staff reports (admins only): /reports opens a dialog (handlers/booking/reports_dialog/):
bookings by day (the /bookings screen), the bookings export for a period (XLSX and/or CSV)
and the yearly plan report (text and a chart).

The router takes admins' updates only (handlers/routes.py `staff_only`), its dialog too: the
files hold parents' names, phones and questions (shown only to admins and the booking's
specialist).
"""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram_dialog import DialogManager, StartMode

from handlers.booking.reports_dialog.dialog import reports_dialog
from handlers.booking.reports_dialog.states import StaffReports
from handlers.conversation import leave
from handlers.filters import PrivateChat
from handlers.routes import Routes

router = Routes("staff_reports")
router.filter("message", PrivateChat())
router.filter("callback_query", PrivateChat())
router.staff_only(refusal="srep-admin-only")


@router.message(Command("reports"))
async def reports(message: Message, state: FSMContext, dialog_manager: DialogManager) -> None:
    await leave(state, dialog_manager)
    await dialog_manager.start(StaffReports.menu, mode=StartMode.RESET_STACK)


router.dialog(reports_dialog)
