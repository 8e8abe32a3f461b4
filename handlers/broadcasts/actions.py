"""The composer's presses and typed answers: each keeps the draft in the dialog data and moves
to the next window; sending creates the broadcast through BroadcastService. A refused answer is
said in a message of its own and leaves the window where it was (as before the dialog)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Button, Select

from bot.telegram.dialogs import toast, translator
from bot.telegram.html import utf16_length
from handlers.audience import toggle
from handlers.broadcasts import draft as drafts
from handlers.broadcasts.states import BroadcastComposer as Steps
from handlers.callback_types import parse_id
from services.broadcasts.service import TOPICS
from services.events.service import EventError, is_http_url, parse_grades, parse_local_time
from services.people.profiles import ROLES

TOGGLES = {
    "topic": ("topics", TOPICS),
    "role": ("roles", ROLES),
    "lang": ("langs", drafts.LANGUAGES),
}


async def started(start_data: Any, manager: DialogManager) -> None:
    manager.dialog_data.update(drafts.new_draft())


async def _refuse(message: Message, manager: DialogManager, key: str, **args: object) -> None:
    """Say what was wrong; the window stays as it is, waiting for another answer."""
    await message.answer(translator(manager)(key, **args))
    manager.show_mode = ShowMode.NO_UPDATE


async def use_buttons(message: Message, widget: Any, manager: DialogManager) -> None:
    """Anything a window does not take (a sticker, a video, text on a press-only step)."""
    await _refuse(message, manager, "cmp-use-buttons")


async def cancelled(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await query.message.edit_text(translator(manager)("cmp-cancelled"))
    await manager.done(show_mode=ShowMode.NO_UPDATE)


# --- content -------------------------------------------------------------------------------------
async def media_received(message: Message, widget: Any, manager: DialogManager) -> None:
    caption = message.caption or ""
    if utf16_length(caption) > drafts.MAX_CAPTION:
        await _refuse(message, manager, "cmp-caption-too-long", limit=str(drafts.MAX_CAPTION))
        return
    photo = message.photo[-1].file_id if message.photo else None
    document = message.document.file_id if message.document and not photo else None
    text = message.html_text if caption else ""
    manager.dialog_data.update(photo=photo, document=document, text=text)
    await manager.switch_to(Steps.english)


async def text_received(message: Message, widget: Any, manager: DialogManager) -> None:
    if utf16_length(message.text or "") > drafts.MAX_TEXT:
        await _refuse(message, manager, "cmp-text-too-long", limit=str(drafts.MAX_TEXT))
        return
    manager.dialog_data.update(text=message.html_text, photo=None, document=None)
    await manager.switch_to(Steps.english)


async def english_received(message: Message, widget: Any, manager: DialogManager) -> None:
    draft = manager.dialog_data
    media = draft.get("photo") or draft.get("document")
    if media and utf16_length(message.text) > drafts.MAX_CAPTION:
        await _refuse(message, manager, "cmp-caption-too-long", limit=str(drafts.MAX_CAPTION))
        return
    if utf16_length(message.text or "") > drafts.MAX_TEXT:
        await _refuse(message, manager, "cmp-text-too-long", limit=str(drafts.MAX_TEXT))
        return
    draft["text_en"] = message.html_text
    await manager.switch_to(Steps.button)


async def english_skipped(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data["text_en"] = None
    await manager.switch_to(Steps.button)


# --- the button ----------------------------------------------------------------------------------
async def no_button(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data.update(bt=None, bu=None, be=None)
    await manager.switch_to(Steps.audience)


async def button_text_typed(message: Message, widget: Any, manager: DialogManager) -> None:
    text = message.text.strip()
    if not text or len(text) > drafts.MAX_BUTTON_TEXT:
        limit = str(drafts.MAX_BUTTON_TEXT)
        await _refuse(message, manager, "cmp-button-text-invalid", limit=limit)
        return
    manager.dialog_data.update(bt=text, be=None)
    await manager.switch_to(Steps.button_url)


async def button_url_typed(message: Message, widget: Any, manager: DialogManager) -> None:
    url = message.text.strip()
    if not is_http_url(url):
        await _refuse(message, manager, "cmp-url-invalid")
        return
    manager.dialog_data.update(bu=url, be=None)
    await manager.switch_to(Steps.audience)


async def event_picked(
    query: CallbackQuery, widget: Select, manager: DialogManager, item_id: str
) -> None:
    event_id = parse_id(item_id)
    events = manager.middleware_data["events"]
    card = await events.open(event_id) if event_id is not None else None
    if card is None:  # hidden or started since the list was shown: the list is redrawn
        toast(manager, "event-gone-toast")
        return
    manager.dialog_data.update(bt=translator(manager)("cmp-event-button"), bu=None, be=card.id)
    await manager.switch_to(Steps.audience)


# --- the audience --------------------------------------------------------------------------------
async def toggled(
    query: CallbackQuery, widget: Select, manager: DialogManager, item_id: str
) -> None:
    """A topic, role or language on or off (a forged code changes nothing)."""
    key, allowed = TOGGLES[widget.widget_id]
    if item_id in allowed:
        items = toggle(manager.dialog_data.get(key, []), item_id)
        manager.dialog_data[key] = [code for code in allowed if code in items]


async def all_grades(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data.update(gf=None, gt=None)
    await manager.switch_to(Steps.audience)


async def all_places(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data["places"] = []
    await manager.switch_to(Steps.audience)


async def grades_typed(message: Message, widget: Any, manager: DialogManager) -> None:
    try:
        first, last = parse_grades(message.text)
    except EventError as error:
        await _refuse(message, manager, f"eadm-error-{error.code}")
        return
    manager.dialog_data.update(gf=first, gt=last)
    await manager.switch_to(Steps.audience)


async def places_typed(message: Message, widget: Any, manager: DialogManager) -> None:
    found, unclear = await manager.middleware_data["localities"].resolve(message.text)
    if unclear or not found:
        await _refuse(message, manager, "segment-places-unclear", names=", ".join(unclear) or "—")
        return
    manager.dialog_data["places"] = [place.id for place in found]
    await manager.switch_to(Steps.audience)


# --- preview and sending -------------------------------------------------------------------------
async def preview(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """The announcement sent to the admin as recipients will get it, then the question below."""
    broadcasts = manager.middleware_data["broadcasts"]
    if not await drafts.audience_size(broadcasts, manager.dialog_data):
        toast(manager, "cmp-empty-audience-toast", alert=True)
        manager.show_mode = ShowMode.NO_UPDATE
        return
    data = manager.middleware_data
    await drafts.send_preview(
        data["bot"],
        query.message.chat.id,
        manager.dialog_data,
        translator(manager),
        data["messenger"],
    )
    await manager.switch_to(Steps.preview, show_mode=ShowMode.SEND)


async def _launch(manager: DialogManager, chat_id: int, admin_id: int, at: datetime | None):  # type: ignore[no-untyped-def]
    data = manager.middleware_data
    return await drafts.launch(
        data["bot"],
        chat_id,
        admin_id,
        manager.dialog_data,
        t=translator(manager),
        settings=data["settings"],
        broadcasts=data["broadcasts"],
        at=at,
    )


async def send_now(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    broadcast_id = await _launch(manager, query.message.chat.id, query.from_user.id, None)
    if broadcast_id is None:  # the audience emptied since the preview
        toast(manager, "cmp-empty-audience-toast", alert=True)
        return
    toast(manager, "cmp-sent-toast", id=str(broadcast_id))
    await query.message.edit_text(translator(manager)("cmp-launched", id=str(broadcast_id)))
    await manager.done(show_mode=ShowMode.NO_UPDATE)


async def when_typed(message: Message, widget: Any, manager: DialogManager) -> None:
    zone = manager.middleware_data["settings"].zone
    try:
        at = parse_local_time(message.text, zone, datetime.now(UTC))
    except EventError as error:
        await _refuse(message, manager, f"eadm-error-{error.code}")
        return
    broadcast_id = await _launch(manager, message.chat.id, message.from_user.id, at)
    if broadcast_id is None:
        await _refuse(message, manager, "cmp-empty-audience")
        return
    await manager.done()  # the question's buttons go; the progress message is below it
