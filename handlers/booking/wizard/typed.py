"""The booking's typed steps: name, phone (typed or a shared contact), the child's age and the
question; and the answer to anything else sent while a dialog waits for a press or a text.

A refused answer is explained and the step stays as it is (no new prompt): ShowMode.NO_UPDATE.
The phone step has a reply keyboard (contact sharing needs one); leaving it, aiogram-dialog
deletes the prompt, and the main menu comes back with the answer's receipt or «◀️ Назад»."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode

from bot.telegram.dialogs import translator
from handlers.booking.wizard import answers as a
from handlers.booking.wizard.actions import refused
from handlers.callback_types import parse_id
from handlers.menu import main_menu
from services.booking.contact_details import clean_name, contact_phone, normalize_phone, parse_age
from services.people.children import ChildService


async def refuse(message: Message, manager: DialogManager, key: str, **args: object) -> None:
    await message.answer(translator(manager)(key, **args))
    manager.show_mode = ShowMode.NO_UPDATE


async def name_typed(message: Message, widget: Any, manager: DialogManager) -> None:
    name = clean_name(message.text)
    if name is None:
        await refuse(message, manager, "booking-name-invalid")
        return
    manager.dialog_data["name"] = name
    await manager.next()


async def phone_typed(message: Message, widget: Any, manager: DialogManager) -> None:
    t = translator(manager)
    if message.text == t("btn-back"):  # the reply keyboard's «◀️ Назад»
        await message.answer(t("booking-back-note"), reply_markup=main_menu(t))
        await manager.back()
        return
    phone = normalize_phone(message.text)
    if phone is None:
        await refuse(message, manager, "booking-phone-invalid")
        return
    await _phone_accepted(message, manager, phone)


async def phone_shared(message: Message, widget: Any, manager: DialogManager) -> None:
    contact = message.contact
    if contact.user_id != message.from_user.id:
        await refuse(message, manager, "booking-phone-not-yours")
        return
    phone = contact_phone(contact.phone_number)
    if phone is None:
        await refuse(message, manager, "booking-phone-invalid")
        return
    await _phone_accepted(message, manager, phone)


async def _phone_accepted(message: Message, manager: DialogManager, phone: str) -> None:
    t = translator(manager)
    manager.dialog_data["phone"] = phone
    await message.answer(t("booking-phone-ok", phone=phone), reply_markup=main_menu(t))
    await manager.next()


async def age_typed(message: Message, widget: Any, manager: DialogManager) -> None:
    age = parse_age(message.text)
    if age is None:
        await refuse(message, manager, "booking-age-invalid")
        return
    manager.dialog_data["age"] = age
    await manager.next()


async def child_chosen(
    query: CallbackQuery, widget: Any, manager: DialogManager, item_id: str
) -> None:
    """The consultation is about this child: the booking keeps its age now."""
    profile = manager.middleware_data["profile"]
    children: ChildService = manager.middleware_data["children"]
    child_id = parse_id(item_id)
    child = await children.get(profile.user_id, child_id) if child_id else None
    if child is None:  # removed meanwhile, or forged
        refused(manager, "booking-choice-gone")
        return
    manager.dialog_data["age"] = min(max(child.age(children.today()), 0), 18)
    await manager.next()


async def age_skipped(query: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data["age"] = None
    await manager.next()


async def question_skipped(query: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data["question"] = None
    await manager.next()


async def question_typed(message: Message, widget: Any, manager: DialogManager) -> None:
    question = message.text.strip()
    if len(question) > a.MAX_QUESTION:
        length = len(question)
        await refuse(
            message, manager, "booking-question-too-long", limit=a.MAX_QUESTION, length=length
        )
        return
    manager.dialog_data["question"] = question
    await manager.next()


async def use_buttons(message: Message, widget: Any, manager: DialogManager) -> None:
    await refuse(message, manager, "booking-use-buttons")


async def text_only(message: Message, widget: Any, manager: DialogManager) -> None:
    await refuse(message, manager, "booking-text-only")
