"""An event's card as families see it: its text (shared with the staff's preview and card) and
its buttons (register, online, «remind me», share), which any message may carry: the list's
card, a deep link's, a broadcast's."""

from __future__ import annotations

import html
from zoneinfo import ZoneInfo

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.telegram.dates import when_text
from bot.telegram.i18n import Html, Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from handlers.audience import grade_range_text
from handlers.callback_types import Id, one_of
from services.catalog.localities import LocalityService
from services.events.service import EventCard


class EventAct(CallbackData, prefix="eva"):
    id: Id
    act: one_of("rem", "unrem", "share")


def _href(url: str) -> Html:
    return Html(html.escape(url, quote=True))


async def audience_text(t: Translator, card: EventCard, localities: LocalityService) -> str:
    parts = []
    if card.roles:
        parts.append(", ".join(t(f"event-role-{role}") for role in card.roles))
    if card.grade_from is not None or card.grade_to is not None:
        parts.append(grade_range_text(t, card.grade_from, card.grade_to))
    if card.localities:
        names = []
        for locality_id in card.localities:
            place = await localities.get(locality_id)
            if place is not None:
                names.append(place.title(t.locale))
        if names:
            parts.append(", ".join(names))
    return " · ".join(parts) if parts else t("event-for-everyone")


async def card_text(
    t: Translator, card: EventCard, zone: ZoneInfo, localities: LocalityService
) -> Html:
    """The card's HTML (every value escaped by the translator)."""
    lines = [t("event-card-title", title=card.title)]
    if card.description:
        lines += ["", t("event-card-description", text=card.description)]
    lines += ["", t("event-card-when", when=when_text(t, card.starts_at, zone))]
    if card.place:
        lines.append(t("event-card-place", place=card.place))
    if card.online_url:
        lines.append(t("event-card-online", url=_href(card.online_url)))
    lines.append(t("event-card-audience", audience=await audience_text(t, card, localities)))
    return Html("\n".join(lines))


def card_keyboard(t: Translator, card: EventCard) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if card.registration_url:
        builder.row(InlineKeyboardButton(text=t("event-btn-register"), url=card.registration_url))
    if card.online_url:
        builder.row(InlineKeyboardButton(text=t("event-btn-online"), url=card.online_url))
    builder.row(
        InlineKeyboardButton(
            text=t("event-btn-remind"), callback_data=EventAct(id=card.id, act="rem").pack()
        ),
        InlineKeyboardButton(
            text=t("event-btn-share"), callback_data=EventAct(id=card.id, act="share").pack()
        ),
    )
    return builder.as_markup()


async def send_card(
    message: Message,
    card: EventCard,
    t: Translator,
    zone: ZoneInfo,
    localities: LocalityService,
) -> None:
    await message.answer(
        await card_text(t, card, zone, localities),
        reply_markup=card_keyboard(t, card),
        disable_web_page_preview=True,
    )
