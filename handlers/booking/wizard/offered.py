"""Booking offered by another feature's button (a typed «нужен совет психолога» answered by
handlers/search/replies.py): the booking dialog, on the consultations section, with the topic
chosen when the button names one that is still offered."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode, StartMode

from bot.config import Settings
from handlers.booking.wizard.states import Booking, Consultations
from handlers.conversation import leave
from handlers.links import BookConsult
from services.booking.service import BookingService
from services.people.profiles import Profile


async def book_offered(
    query: CallbackQuery,
    callback_data: BookConsult,  # registered on `buttons` (__init__.py)
    state: FSMContext,
    dialog_manager: DialogManager,
    booking: BookingService,
    settings: Settings,
    profile: Profile,
) -> None:
    await leave(state, dialog_manager)
    quiet = ShowMode.NO_UPDATE
    if len(await booking.user_bookings(profile.user_id)) >= settings.booking.max_active:
        await dialog_manager.start(Consultations.limit, mode=StartMode.RESET_STACK)
        return
    # Closing the booking comes back to the section's first screen, as from its button.
    await dialog_manager.start(Consultations.intro, mode=StartMode.RESET_STACK, show_mode=quiet)
    await dialog_manager.start(Booking.topic, show_mode=quiet)
    service = await booking.service(callback_data.service) if callback_data.service else None
    if service is not None:
        dialog_manager.dialog_data["service"] = service.id
        await dialog_manager.switch_to(Booking.organisation)
    dialog_manager.show_mode = ShowMode.SEND  # the starts above drew nothing
    await dialog_manager.show()
