"""aiogram keyboards as MAX's inline keyboard attachment, and back.

MAX has inline keyboards only. A reply keyboard (the main menu, «📍 Отправить геопозицию»)
becomes inline buttons: a location or contact request becomes MAX's `request_geo_location` /
`request_contact` button, any other button sends its label back as a callback payload marked
with `MENU_PAYLOAD`, which the update converter turns into the text message a reply-keyboard
press is in Telegram, so the menu's handlers keep working."""

from __future__ import annotations

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from maxapi.enums.attachment import AttachmentType
from maxapi.types.attachments import (
    AttachmentButton,
    ButtonsPayload,
    CallbackButton,
    ClipboardButton,
    LinkButton,
    RequestContactButton,
    RequestGeoLocationButton,
)
from maxapi.types.attachments.buttons import InlineButtonUnion

MENU_PAYLOAD = "␟menu␟"  # no callback_data of the bot starts so: aiogram's data is prefix:…
ROW = 7  # MAX's limits: 7 buttons a row, 30 rows, 3 link/geo/contact buttons a row
ROWS = 30
SPECIAL_IN_ROW = 3
SPECIAL = (LinkButton, RequestGeoLocationButton, RequestContactButton)


def max_keyboard(markup: object) -> AttachmentButton | None:
    """The MAX attachment for an aiogram reply_markup; None when it shows no buttons there."""
    rows: list[list[InlineButtonUnion]]
    if isinstance(markup, InlineKeyboardMarkup):
        rows = [
            [b for b in map(_inline_button, row) if b is not None] for row in markup.inline_keyboard
        ]
    elif isinstance(markup, ReplyKeyboardMarkup):
        rows = [[_reply_button(button) for button in row] for row in markup.keyboard]
    else:
        return None  # ReplyKeyboardRemove, ForceReply, nothing
    rows = _packed([chunk for row in rows for chunk in _fit(row)])
    if not rows:
        return None
    return AttachmentButton(
        type=AttachmentType.INLINE_KEYBOARD, payload=ButtonsPayload(buttons=rows)
    )


def menu_label(payload: str | None) -> str | None:
    """The label a reply-menu button stands for, if the payload is one's."""
    if payload and payload.startswith(MENU_PAYLOAD):
        return payload[len(MENU_PAYLOAD) :]
    return None


def inline_markup(keyboard: ButtonsPayload) -> InlineKeyboardMarkup | None:
    """A MAX keyboard as the inline keyboard aiogram code drew (menu buttons left out)."""
    rows = []
    for row in keyboard.buttons:
        buttons = []
        for button in row:
            if isinstance(button, CallbackButton) and menu_label(button.payload) is None:
                buttons.append(
                    InlineKeyboardButton(text=button.text, callback_data=button.payload or "")
                )
            elif isinstance(button, LinkButton) and button.url:
                buttons.append(InlineKeyboardButton(text=button.text, url=button.url))
        if buttons:
            rows.append(buttons)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def _inline_button(button: InlineKeyboardButton) -> InlineButtonUnion | None:
    if button.callback_data is not None:
        return CallbackButton(text=button.text, payload=button.callback_data)
    if button.url is not None:
        return LinkButton(text=button.text, url=button.url)
    if button.copy_text is not None:
        return ClipboardButton(text=button.text, payload=button.copy_text.text)
    return None  # web apps, inline queries, games: nothing the bot draws


def _reply_button(button: KeyboardButton) -> InlineButtonUnion:
    if button.request_location:
        return RequestGeoLocationButton(text=button.text)
    if button.request_contact:
        return RequestContactButton(text=button.text)
    return CallbackButton(text=button.text, payload=MENU_PAYLOAD + button.text)


def _packed(rows: list[list[InlineButtonUnion]]) -> list[list[InlineButtonUnion]]:
    """Rows as they are when MAX takes that many; else neighbouring rows joined up to 7 buttons
    (Telegram's at most 100 buttons fit MAX's 30 rows so), none dropped, the order kept."""
    if len(rows) <= ROWS:
        return rows
    return _fit([button for row in rows for button in row])


def _fit(row: list[InlineButtonUnion]) -> list[list[InlineButtonUnion]]:
    """A row split where it breaks MAX's per-row limits."""
    rows: list[list[InlineButtonUnion]] = [[]]
    for button in row:
        current = rows[-1]
        special = sum(isinstance(b, SPECIAL) for b in current)
        if len(current) >= ROW or (isinstance(button, SPECIAL) and special >= SPECIAL_IN_ROW):
            rows.append([])
        rows[-1].append(button)
    return [r for r in rows if r]
