"""A new event's steps: typed answers checked and kept in the draft, «Пропустить» and «Все …»
buttons, «◀️ Назад», «✖️ Отмена» and «✅ Опубликовать».

An answer moves to the next step; after «✏️» on the preview it returns to the preview. A bad
answer gets its message and the step stays (no new prompt)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput
from aiogram_dialog.widgets.kbd import Button

from bot.telegram.dialogs import toast, translator
from handlers.events.editor.draft import new_event, roles_of
from handlers.events.editor.states import EventDraft
from services.events.service import EventError, EventService, is_http_url, parse_grades
from services.events.service import parse_local_time as parse_start

MAX_TITLE = 255
MAX_DESCRIPTION = 3000
MAX_PLACE = 255
REVIEW = "review"  # dialog_data: a step opened from the preview returns there


async def _refuse(message: Message, manager: DialogManager, key: str, **args: object) -> None:
    manager.show_mode = ShowMode.NO_UPDATE  # the question stays above, with its buttons
    await message.answer(translator(manager)(key, **args))


async def _advance(manager: DialogManager, **values: Any) -> None:
    manager.dialog_data.update(values)
    if manager.dialog_data.get(REVIEW):
        await manager.switch_to(EventDraft.confirm)
    else:
        await manager.next()


# --- typed answers -----------------------------------------------------------------------------
async def title_typed(
    message: Message, widget: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    title = text.strip()
    if not title or len(title) > MAX_TITLE:
        await _refuse(message, manager, "eadm-error-title", limit=str(MAX_TITLE))
        return
    await _advance(manager, title=title)


async def description_typed(
    message: Message, widget: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    if len(text.strip()) > MAX_DESCRIPTION:
        await _refuse(message, manager, "eadm-error-description", limit=str(MAX_DESCRIPTION))
        return
    await _advance(manager, description=text.strip())


async def starts_typed(
    message: Message, widget: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    zone = manager.middleware_data["settings"].zone
    try:
        starts_at = parse_start(text, zone, datetime.now(UTC))
    except EventError as error:
        await _refuse(message, manager, f"eadm-error-{error.code}")
        return
    await _advance(manager, starts=starts_at.isoformat())


async def place_typed(
    message: Message, widget: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    text = text.strip()
    if text.lower().startswith(("http://", "https://", "www.")):
        if not is_http_url(text):
            await _refuse(message, manager, "eadm-error-url")
            return
        await _advance(manager, online_url=text, place="")
    elif not text or len(text) > MAX_PLACE:
        await _refuse(message, manager, "eadm-error-place", limit=str(MAX_PLACE))
    else:
        await _advance(manager, place=text, online_url="")


async def registration_typed(
    message: Message, widget: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    if not is_http_url(text.strip()):
        await _refuse(message, manager, "eadm-error-url")
        return
    await _advance(manager, registration_url=text.strip())


async def grades_typed(
    message: Message, widget: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    try:
        first, last = parse_grades(text)
    except EventError as error:
        await _refuse(message, manager, f"eadm-error-{error.code}")
        return
    manager.dialog_data.update(gf=first, gt=last)
    await manager.switch_to(EventDraft.audience)


async def places_typed(
    message: Message, widget: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    found, unclear = await manager.middleware_data["localities"].resolve(text)
    if unclear or not found:
        await _refuse(message, manager, "segment-places-unclear", names=", ".join(unclear) or "—")
        return
    manager.dialog_data["places"] = [place.id for place in found]
    await manager.switch_to(EventDraft.audience)


async def not_text(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    """Anything but text (a photo, a sticker), or text on a step of buttons only."""
    await _refuse(message, manager, "eadm-use-buttons")


# --- buttons ---------------------------------------------------------------------------------
async def skip_description(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _advance(manager, description="")


async def no_registration(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _advance(manager, registration_url="")


async def all_grades(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data.update(gf=None, gt=None)
    await manager.switch_to(EventDraft.audience)


async def all_places(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data["places"] = []
    await manager.switch_to(EventDraft.audience)


async def review(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """«✏️ …» on the preview: that step, then back to the preview."""
    manager.dialog_data[REVIEW] = True


async def cancel(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    toast(manager, "eadm-cancelled")
    await manager.done()


async def publish(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    events: EventService = manager.middleware_data["events"]
    draft = manager.dialog_data
    try:
        event_id = await events.create(new_event(draft, roles_of(manager)))
    except EventError as error:
        toast(manager, f"eadm-error-{error.code}", alert=True)
        if error.code == "date-past":  # the start passed while the draft waited
            draft[REVIEW] = True
            await manager.switch_to(EventDraft.starts)
        return
    toast(manager, "eadm-published-toast")
    await manager.done({"event": event_id, "title": draft["title"]})
