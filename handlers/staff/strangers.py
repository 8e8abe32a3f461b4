"""What the staff routers leave to others (they take staff's updates only, handlers/routes.py
`staff_only`): a polite answer to a staff command, button or file from someone who is not
staff, and the way out of a staff dialog for someone who stopped being staff in the middle."""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.telegram.i18n import Translator
from handlers.broadcasts.composer import BcCtl, Cmp, Composer
from handlers.catalog.browse import CatalogFlow
from handlers.catalog.views import CentreAction, ProgrammeAction
from handlers.consultations.setup import CloseFlow, ScAdm
from handlers.events.admin import EvAdmin, EvDraft, EventWizard
from handlers.filters import StaffOnly
from handlers.menu import main_menu
from handlers.routes import Routes
from handlers.staff.reports import ExportKind, ExportPeriod, PlanYear, ReportsFlow, StaffMenu

router = Routes("staff_strangers")
router.filter("message", F.chat.type == "private", ~StaffOnly())
router.filter("callback_query", ~StaffOnly())

# Staff commands and the refusal each area has always given.
COMMANDS = {
    "admin": "staff-only",
    "reports": "srep-admin-only",
    "export": "import-admin-only",
    "import": "import-admin-only",
    "broadcast": "cmp-staff-only",
    "events_admin": "eadm-staff-only",
    "consult_admin": "scadm-staff-only",
    "consult_import": "scadm-staff-only",
    "consult_export": "scadm-staff-only",
}
BUTTONS: list[tuple[Any, str]] = [
    (ScAdm.filter(), "scadm-staff-only"),
    (StaffMenu.filter(), "srep-admin-only"),
    (ExportPeriod.filter(), "srep-admin-only"),
    (ExportKind.filter(), "srep-admin-only"),
    (PlanYear.filter(), "srep-admin-only"),
    (EvAdmin.filter(), "eadm-staff-only"),
    (EvDraft.filter(), "eadm-staff-only"),
    (Cmp.filter(), "cmp-staff-only"),
    (BcCtl.filter(), "cmp-staff-only"),
    (ProgrammeAction.filter(F.act.in_({"hide", "show", "seats"})), "staff-only"),
    (CentreAction.filter(F.act.in_({"hide", "show"})), "staff-only"),
]
# Every state of the staff routers' dialogs.
STAFF_STATES = (EventWizard, Composer, CloseFlow, ReportsFlow, CatalogFlow.seats)


@router.message(Command(*COMMANDS))
async def staff_command(message: Message, command: CommandObject, t: Translator) -> None:
    await message.answer(t(COMMANDS.get(command.command, "staff-only")))


@router.message(StateFilter(*STAFF_STATES))
async def left_staff(message: Message, state: FSMContext, t: Translator) -> None:
    """Removed from staff in the middle of a staff dialog: the dialog ends, nothing is done."""
    await state.clear()
    await message.answer(t("staff-dialog-ended"), reply_markup=main_menu(t))


@router.message(F.document)
async def file_from_stranger(message: Message, t: Translator) -> None:
    await message.answer(t("import-not-admin"), reply_markup=main_menu(t))


def _refusal(key: str):  # type: ignore[no-untyped-def]
    async def refuse(query: CallbackQuery, t: Translator, callback_answer: CallbackAnswer) -> None:
        callback_answer.text = t(key)
        callback_answer.show_alert = True

    return refuse


for _button, _key in BUTTONS:
    router.callback_query(_button)(_refusal(_key))
