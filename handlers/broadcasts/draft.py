"""A broadcast's draft as the composer keeps it in its dialog data (JSON only, nothing stored
before sending): its audience and size, its content for BroadcastService.create, the preview
sent exactly as recipients get it, and the launch (the broadcast and its progress message)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from aiogram import Bot
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import Settings
from bot.telegram.dates import when_text
from bot.telegram.i18n import Translator
from handlers.broadcasts.progress import progress_keyboard
from services.broadcasts.service import TOPICS, Audience, BroadcastService
from services.messengers.ids import Messenger
from services.people import deeplinks
from services.people.profiles import ROLES

log = logging.getLogger(__name__)
LANGUAGES = ("ru", "en")
MAX_CAPTION = 1024  # Telegram's limit on a photo's or a document's caption
# A letter may go to people in both messengers: MAX's limit (4000) is below Telegram's 4096.
MAX_TEXT = 4000
MAX_BUTTON_TEXT = 64
Draft = dict[str, Any]


def new_draft() -> Draft:
    return {"topics": ["orientation"], "roles": [], "langs": [], "places": []}


def audience_of(draft: Draft) -> Audience:
    return Audience(
        topics=tuple(topic for topic in TOPICS if topic in draft.get("topics", [])),
        roles=tuple(role for role in ROLES if role in draft.get("roles", [])),
        grade_from=draft.get("gf"),
        grade_to=draft.get("gt"),
        localities=tuple(draft.get("places", [])),
        languages=tuple(lang for lang in LANGUAGES if lang in draft.get("langs", [])),
    )


async def audience_size(broadcasts: BroadcastService, draft: Draft) -> int:
    """No topic chosen is nobody (an audience without topics would ignore subscriptions)."""
    audience = audience_of(draft)
    if not audience.topics:
        return 0
    return await broadcasts.audience_size(audience)


def content_of(draft: Draft) -> dict[str, object]:
    """BroadcastService.create's content fields."""
    return {
        "text": draft.get("text", ""),
        "text_en": draft.get("text_en"),
        "photo_file_id": draft.get("photo"),
        "document_file_id": draft.get("document"),
        "button_text": draft.get("bt"),
        "button_url": draft.get("bu"),
        "button_event_id": draft.get("be"),
    }


async def button_markup(
    bot: Bot, draft: Draft, messenger: Messenger
) -> InlineKeyboardMarkup | None:
    """The button as BroadcastSender builds it: a link, or the event's deep link in the
    messenger the admin composes in (a MAX process delivers its letters with MAX's)."""
    text = draft.get("bt")
    if not text:
        return None
    if draft.get("bu"):
        url = draft["bu"]
    elif draft.get("be"):
        url = deeplinks.url((await bot.me()).username, "event", draft["be"], messenger)
    else:
        return None
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=text, url=url)]])


async def send_content(
    bot: Bot, chat_id: int, draft: Draft, text: str, messenger: Messenger
) -> None:
    """The same calls BroadcastSender makes, so the preview is what recipients get."""
    markup = await button_markup(bot, draft, messenger)
    if draft.get("photo"):
        await bot.send_photo(chat_id, draft["photo"], caption=text, reply_markup=markup)
    elif draft.get("document"):
        await bot.send_document(chat_id, draft["document"], caption=text, reply_markup=markup)
    else:
        await bot.send_message(chat_id, text, reply_markup=markup)


async def send_preview(
    bot: Bot, chat_id: int, draft: Draft, t: Translator, messenger: Messenger
) -> None:
    await bot.send_message(chat_id, t("cmp-preview-ru"))
    await send_content(bot, chat_id, draft, draft.get("text", ""), messenger)
    if draft.get("text_en"):
        await bot.send_message(chat_id, t("cmp-preview-en"))
        await send_content(bot, chat_id, draft, draft["text_en"], messenger)


async def launch(
    bot: Bot,
    chat_id: int,
    admin_id: int,
    draft: Draft,
    *,
    t: Translator,
    settings: Settings,
    broadcasts: BroadcastService,
    at: datetime | None,
) -> int | None:
    """Create and schedule the broadcast, then the progress message the background reporter
    (bot/notify/broadcasts.py) keeps editing; None when nobody would get it."""
    size = await audience_size(broadcasts, draft)
    if not size:
        return None
    broadcast_id = await broadcasts.create(admin_id, audience_of(draft), **content_of(draft))
    await broadcasts.schedule(broadcast_id, at)
    if at is None:
        text = t("cmp-progress-queued", id=str(broadcast_id), count=size)
    else:
        text = t(
            "cmp-progress-scheduled",
            id=str(broadcast_id),
            count=size,
            when=when_text(t, at, settings.zone),
        )
    progress = await bot.send_message(
        chat_id, text, reply_markup=progress_keyboard(t, broadcast_id)
    )
    await broadcasts.set_progress_message(broadcast_id, progress.chat.id, progress.message_id)
    log.info("broadcast %s scheduled by %s for %s recipients", broadcast_id, admin_id, size)
    return broadcast_id
