"""What the staff routers leave to others (they take staff's updates only, handlers/routes.py
`staff_only`): a polite answer to a staff command, button or file from someone who is not
staff, and the way out of a staff dialog for someone who stopped being staff in the middle.

Its router is made from the staff routers themselves (handlers/__init__.py): their commands,
their buttons (each with its own rule) and their dialogs' states, each router's with the
refusal it names. A new staff router is covered without a word here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.enums import ContentType
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_dialog import DialogManager

from bot.telegram.i18n import Translator
from handlers.conversation import leave
from handlers.filters import ContentIs, PrivateChat, StaffOnly
from handlers.menu import main_menu
from handlers.routes import Routes


def routes(staff: list[Routes]) -> Routes:
    router = Routes("staff_strangers")
    router.filter("message", PrivateChat(), ~StaffOnly())
    router.filter("callback_query", ~StaffOnly())
    for table in staff:
        if table.commands():
            router.message(Command(*table.commands()))(_refuse_command(table.refusal))
    states = [state for table in staff for state in table.states()]
    if states:
        router.message(StateFilter(*states))(left_staff)
        router.message()(_left_staff_dialog(StateFilter(*states)))
    router.message(ContentIs(ContentType.DOCUMENT))(file_from_stranger)
    for table in staff:
        for button in table.buttons():
            router.callback_query(button)(_refuse_press(table.refusal))
    return router


def _left_staff_dialog(states: StateFilter) -> Callable[..., Awaitable[None]]:
    """The same in a staff dialog's window (aiogram-dialog keeps it beside the FSM state, and
    its manager reaches handlers, not filters); anything else goes on to the next handler."""

    async def left(
        message: Message, state: FSMContext, t: Translator, dialog_manager: DialogManager
    ) -> None:
        if not dialog_manager.has_context():
            raise SkipHandler
        if not await states(message, raw_state=dialog_manager.current_context().state.state):
            raise SkipHandler
        await left_staff(message, state, t, dialog_manager)

    return left


def _refuse_command(key: str) -> Callable[..., Awaitable[None]]:
    async def refuse(message: Message, t: Translator) -> None:
        await message.answer(t(key))

    return refuse


async def left_staff(
    message: Message, state: FSMContext, t: Translator, dialog_manager: DialogManager
) -> None:
    """Removed from staff in the middle of a staff dialog: the dialog ends, nothing is done."""
    await leave(state, dialog_manager)
    await message.answer(t("staff-dialog-ended"), reply_markup=main_menu(t))


async def file_from_stranger(message: Message, t: Translator) -> None:
    await message.answer(t("import-not-admin"), reply_markup=main_menu(t))


def _refuse_press(key: str) -> Callable[..., Awaitable[None]]:
    async def refuse(query: CallbackQuery, t: Translator, callback_answer: CallbackAnswer) -> None:
        callback_answer.text = t(key)
        callback_answer.show_alert = True

    return refuse
