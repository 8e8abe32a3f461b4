"""Family consultations for parents: the section (its first screen, my bookings, cancelling
with a reason), booking a consultation and moving a booking — three aiogram-dialog dialogs:

- section.py   Consultations: intro → «📝 Записаться» | «📋 Мои записи» (cancel, move);
- dialog.py    Booking: topic → organisation (or any) → specialist (or any free) → day (a
               calendar of days with free time, bot/telegram/month_calendar.py) → time →
               format → the booking notice (who sees the data, how long it is kept) → name →
               phone (typed or a shared contact) → child's age (or skip) → question (or skip)
               → confirmation → booked, with an .ics file; Reschedule: day → time → confirm;
- getters.py, actions.py, typed.py, outcomes.py: what windows show, and what presses and
               typed answers do (through services.booking; the clash / no-double-booking rules
               are the service's).

Answers live only in the dialog's data (JSON, the conversation storage) until the service
books; /cancel, a menu button or /forget leave without a trace. The section opens from the
main menu's button and from `/start consult` (SECTION, handlers/links.py).
"""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram_dialog import DialogManager

from bot.telegram.i18n import Translator
from handlers.booking.wizard.dialog import booking_dialog, reschedule_dialog
from handlers.booking.wizard.offered import book_offered
from handlers.booking.wizard.section import section_dialog
from handlers.booking.wizard.states import Consultations
from handlers.conversation import leave
from handlers.filters import MenuButton, PrivateChat
from handlers.links import BookConsult, Section
from handlers.menu import main_menu
from handlers.routes import Routes

router = Routes("booking")  # the dialogs: after the menu buttons, before text catch-alls
buttons = Routes("booking_buttons")  # tried early: the menu's button
router.filter("message", PrivateChat())
router.filter("callback_query", PrivateChat())
router.dialog(section_dialog)
router.dialog(booking_dialog)
router.dialog(reschedule_dialog)
buttons.callback_query(BookConsult.filter())(book_offered)  # booking offered by a reply

# Another feature showing this section offers the main menu, whose button opens it.
SECTION = Section("booking-intro", main_menu, dialog=Consultations.intro)


@buttons.message(MenuButton("menu-consult"))
async def consult_button(
    message: Message, t: Translator, state: FSMContext, dialog_manager: DialogManager
) -> None:
    await leave(state, dialog_manager)
    await SECTION.open(message, t, dialog_manager)
