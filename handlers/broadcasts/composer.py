"""/broadcast (staff): compose an announcement and send it to subscribed families.

Steps: the text as a normal message (its formatting kept: aiogram renders the entities as
HTML) or a photo/document with a caption → an optional English text → an optional button
(a link, or an upcoming event's deep link) → the audience (topics and segments, with its size
shown live) → a preview sent exactly as recipients will see it → send now or at a time.

Nothing is stored before «🚀 Отправить»: the draft lives in the FSM data (JSON only), so
/cancel or «✖️ Отмена» leaves no trace. The progress message that follows is edited by the
background reporter (bot/notify/broadcasts.py); its buttons pause, resume or cancel the broadcast.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.config import Settings
from bot.telegram.dates import when_text
from bot.telegram.html import utf16_length
from bot.telegram.i18n import Translator
from bot.telegram.screens import drop_buttons, redraw, redraw_markup, remove_buttons
from handlers.audience import grades_text, places_text, roles_text, toggle
from handlers.broadcasts.progress import (
    BcCtl,
    confirm_cancel_keyboard,
    progress_keyboard,
    render_progress,
)
from handlers.callback_types import Code, one_of, parse_id
from handlers.filters import FreeText, NotCommandOrMenu
from handlers.routes import Routes
from services.broadcasts.service import TOPICS, Audience, BroadcastService
from services.catalog.localities import LocalityService
from services.events.service import (
    DATE_FORMAT,
    EventError,
    EventService,
    is_http_url,
    parse_grades,
    parse_local_time,
)
from services.people import deeplinks
from services.people.profiles import ROLES

router = Routes("broadcast_composer")
log = logging.getLogger(__name__)
MAX_CAPTION = 1024
MAX_BUTTON_TEXT = 64
LANGUAGES = ("ru", "en")
EVENT_CHOICES = 8


class Cmp(CallbackData, prefix="cmp"):
    a: one_of(
        "cancel",
        "back",
        "skip",
        "link",
        "event",
        "nobutton",
        "ev",
        "topic",
        "role",
        "lang",
        "grades",
        "places",
        "grades_all",
        "places_all",
        "preview",
        "later",
        "now",
    )
    v: Code = ""  # a topic, role or language code, or an event id (checked by the handler)


class Composer(StatesGroup):
    content = State()
    english = State()
    button = State()
    button_text = State()
    button_url = State()
    event = State()
    audience = State()
    grades = State()
    places = State()
    preview = State()
    when = State()


router.staff_only(refusal="cmp-staff-only", dialogs=(Composer,))


COMPOSING = StateFilter(Composer)
PREVIOUS = {
    "english": "content",
    "button": "english",
    "button_text": "button",
    "button_url": "button_text",
    "event": "button",
    "audience": "button",
    "grades": "audience",
    "places": "audience",
    "preview": "audience",
    "when": "preview",
}


# --- the draft -------------------------------------------------------------------------------
def audience_of(draft: dict[str, Any]) -> Audience:
    return Audience(
        topics=tuple(topic for topic in TOPICS if topic in draft.get("topics", [])),
        roles=tuple(role for role in ROLES if role in draft.get("roles", [])),
        grade_from=draft.get("gf"),
        grade_to=draft.get("gt"),
        localities=tuple(draft.get("places", [])),
        languages=tuple(lang for lang in LANGUAGES if lang in draft.get("langs", [])),
    )


async def audience_size(broadcasts: BroadcastService, draft: dict[str, Any]) -> int:
    """No topic chosen is nobody (an audience without topics would ignore subscriptions)."""
    audience = audience_of(draft)
    if not audience.topics:
        return 0
    return await broadcasts.audience_size(audience)


def content_of(draft: dict[str, Any]) -> dict[str, object]:
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


async def button_markup(bot: Bot, draft: dict[str, Any]) -> InlineKeyboardMarkup | None:
    """The button as BroadcastSender builds it: a link, or the event's deep link."""
    text = draft.get("bt")
    if not text:
        return None
    if draft.get("bu"):
        url = draft["bu"]
    elif draft.get("be"):
        url = deeplinks.url((await bot.me()).username, "event", draft["be"])
    else:
        return None
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=text, url=url)]])


async def send_content(bot: Bot, chat_id: int, draft: dict[str, Any], text: str) -> None:
    """The same calls BroadcastSender makes, so the preview is what recipients get."""
    markup = await button_markup(bot, draft)
    if draft.get("photo"):
        await bot.send_photo(chat_id, draft["photo"], caption=text, reply_markup=markup)
    elif draft.get("document"):
        await bot.send_document(chat_id, draft["document"], caption=text, reply_markup=markup)
    else:
        await bot.send_message(chat_id, text, reply_markup=markup)


# --- screens ---------------------------------------------------------------------------------
def _cmp(a: str, v: str = "") -> str:
    return Cmp(a=a, v=v).pack()


def _nav(t: Translator, *extra: tuple[str, str], back: bool = True) -> list[list[Any]]:
    rows = [[InlineKeyboardButton(text=label, callback_data=data)] for label, data in extra]
    last = []
    if back:
        last.append(InlineKeyboardButton(text=t("btn-back"), callback_data=_cmp("back")))
    last.append(InlineKeyboardButton(text=t("cmp-btn-cancel"), callback_data=_cmp("cancel")))
    rows.append(last)
    return rows


def _mark(on: bool) -> str:
    return "✅" if on else "⬜"


async def prompt(step: str, t: Translator, draft: dict[str, Any], ctx: Ctx) -> tuple[str, Any]:
    rows: list[list[Any]]
    if step == "content":
        text, rows = t("cmp-ask-content"), _nav(t, back=False)
    elif step == "english":
        text = t("cmp-ask-english")
        rows = _nav(t, (t("cmp-btn-skip-english"), _cmp("skip")))
    elif step == "button":
        text = t("cmp-ask-button")
        rows = _nav(
            t,
            (t("cmp-btn-link"), _cmp("link")),
            (t("cmp-btn-event"), _cmp("event")),
            (t("cmp-btn-no-button"), _cmp("nobutton")),
        )
    elif step == "button_text":
        text, rows = t("cmp-ask-button-text", limit=str(MAX_BUTTON_TEXT)), _nav(t)
    elif step == "button_url":
        text, rows = t("cmp-ask-button-url"), _nav(t)
    elif step == "event":
        choices = await ctx.events.choices(EVENT_CHOICES)
        text = t("cmp-ask-event" if choices else "cmp-no-events")
        rows = [
            [
                InlineKeyboardButton(
                    text=f"{when_text(t, item.starts_at, ctx.zone)} · {item.title}"[:60],
                    callback_data=_cmp("ev", str(item.id)),
                )
            ]
            for item in choices
        ]
        rows += _nav(t)
    elif step == "audience":
        text, rows = await _audience_screen(t, draft, ctx)
    elif step == "grades":
        text = t("segment-ask-grades")
        rows = _nav(t, (t("segment-btn-all-grades"), _cmp("grades_all")))
    elif step == "places":
        text = t("segment-ask-places")
        rows = _nav(t, (t("segment-btn-all-places"), _cmp("places_all")))
    elif step == "preview":
        size = await audience_size(ctx.broadcasts, draft)
        text = t("cmp-confirm", count=size)
        rows = [
            [InlineKeyboardButton(text=t("cmp-btn-send-now"), callback_data=_cmp("now"))],
            [InlineKeyboardButton(text=t("cmp-btn-schedule"), callback_data=_cmp("later"))],
            *_nav(t),
        ]
    else:  # when
        example = (datetime.now(UTC) + timedelta(days=1)).astimezone(ctx.zone)
        text = t(
            "cmp-ask-when",
            zone=ctx.zone.key,
            example=example.replace(hour=10, minute=0).strftime(DATE_FORMAT),
        )
        rows = _nav(t)
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


async def _audience_screen(
    t: Translator, draft: dict[str, Any], ctx: Ctx
) -> tuple[str, list[list[Any]]]:
    topics, roles, langs = draft.get("topics", []), draft.get("roles", []), draft.get("langs", [])
    size = await audience_size(ctx.broadcasts, draft)
    text = t(
        "cmp-audience",
        topics=", ".join(t(f"subs-topic-{x}") for x in TOPICS if x in topics) or "—",
        roles=roles_text(t, roles),
        grades=grades_text(t, draft.get("gf"), draft.get("gt")),
        places=await places_text(t, draft.get("places", []), ctx.localities),
        languages=", ".join(t(f"language-{x}") for x in LANGUAGES if x in langs)
        or t("segment-all-languages"),
    )
    text += "\n\n" + t("cmp-audience-size" if size else "cmp-audience-empty", count=size)
    rows = [
        [
            InlineKeyboardButton(
                text=f"{_mark(x in topics)} {t(f'subs-topic-{x}')}",
                callback_data=_cmp("topic", x),
            )
        ]
        for x in TOPICS
    ]
    rows.append(
        [
            InlineKeyboardButton(
                text=f"{_mark(x in roles)} {t(f'event-role-{x}')}", callback_data=_cmp("role", x)
            )
            for x in ROLES
        ]
    )
    rows.append(
        [
            InlineKeyboardButton(
                text=f"{_mark(x in langs)} {t(f'language-{x}')}", callback_data=_cmp("lang", x)
            )
            for x in LANGUAGES
        ]
    )
    rows.append(
        [
            InlineKeyboardButton(text=t("segment-btn-grades"), callback_data=_cmp("grades")),
            InlineKeyboardButton(text=t("segment-btn-places"), callback_data=_cmp("places")),
        ]
    )
    rows.append([InlineKeyboardButton(text=t("cmp-btn-preview"), callback_data=_cmp("preview"))])
    rows += _nav(t)
    return text, rows


@dataclass(frozen=True, slots=True)
class Ctx:
    """What the composer's screens need: its handlers' `ctx` (Routes.context)."""

    settings: Settings
    broadcasts: BroadcastService
    localities: LocalityService
    events: EventService

    @classmethod
    def of(
        cls,
        *,
        settings: Settings,
        broadcasts: BroadcastService,
        localities: LocalityService,
        events: EventService,
        **_: Any,
    ) -> Ctx:
        return cls(settings, broadcasts, localities, events)

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.zone


router.context("ctx", Ctx.of)


async def go(
    step: str,
    state: FSMContext,
    t: Translator,
    ctx: Ctx,
    *,
    query: CallbackQuery | None = None,
    message: Message | None = None,
) -> None:
    """Show `step`: in place after a press, as a new prompt after a typed answer."""
    await state.set_state(getattr(Composer, step))
    draft = await state.get_data()
    text, markup = await prompt(step, t, draft, ctx)
    if query is not None:
        shown = await redraw(query, text, markup, previews=False)
        await state.update_data(pm=shown.message_id)
        return
    assert message is not None
    await drop_buttons(message.bot, message.chat.id, draft.get("pm"))
    sent = await message.answer(text, reply_markup=markup, disable_web_page_preview=True)
    await state.update_data(pm=sent.message_id)


def _step_of(raw_state: str | None) -> str | None:
    if not raw_state or not raw_state.startswith("Composer:"):
        return None
    return raw_state.split(":", 1)[1]


# --- start, cancel, back ---------------------------------------------------------------------
@router.message(Command("broadcast"))
async def broadcast_command(message: Message, state: FSMContext, t: Translator, ctx: Ctx) -> None:
    await state.clear()
    await state.set_data({"topics": ["orientation"], "roles": [], "langs": [], "places": []})
    await go("content", state, t, ctx, message=message)


@router.callback_query(COMPOSING, Cmp.filter(F.a == "cancel"))
async def cancel(query: CallbackQuery, state: FSMContext, t: Translator) -> None:
    await state.clear()
    await redraw(query, t("cmp-cancelled"))


@router.callback_query(COMPOSING, Cmp.filter(F.a == "back"))
async def back(query: CallbackQuery, state: FSMContext, t: Translator, ctx: Ctx) -> None:
    previous = PREVIOUS.get(_step_of(await state.get_state()) or "")
    if previous is None:
        await cancel(query, state, t)
        return
    await go(previous, state, t, ctx, query=query)


# --- content ---------------------------------------------------------------------------------
@router.message(Composer.content, F.photo | F.document)
async def media_received(message: Message, state: FSMContext, t: Translator, ctx: Ctx) -> None:
    caption = message.caption or ""
    if utf16_length(caption) > MAX_CAPTION:
        await message.answer(t("cmp-caption-too-long", limit=str(MAX_CAPTION)))
        return
    html_caption = message.html_text if caption else ""
    if message.photo:
        await state.update_data(photo=message.photo[-1].file_id, document=None, text=html_caption)
    else:
        await state.update_data(photo=None, document=message.document.file_id, text=html_caption)
    await go("english", state, t, ctx, message=message)


@router.message(Composer.content, FreeText())
async def text_received(message: Message, state: FSMContext, t: Translator, ctx: Ctx) -> None:
    await state.update_data(text=message.html_text, photo=None, document=None)
    await go("english", state, t, ctx, message=message)


@router.message(Composer.english, FreeText())
async def english_received(message: Message, state: FSMContext, t: Translator, ctx: Ctx) -> None:
    draft = await state.get_data()
    media = draft.get("photo") or draft.get("document")
    if media and utf16_length(message.text) > MAX_CAPTION:
        await message.answer(t("cmp-caption-too-long", limit=str(MAX_CAPTION)))
        return
    await state.update_data(text_en=message.html_text)
    await go("button", state, t, ctx, message=message)


@router.callback_query(Composer.english, Cmp.filter(F.a == "skip"))
async def english_skipped(query: CallbackQuery, state: FSMContext, t: Translator, ctx: Ctx) -> None:
    await state.update_data(text_en=None)
    await go("button", state, t, ctx, query=query)


# --- the button ------------------------------------------------------------------------------
@router.callback_query(Composer.button, Cmp.filter(F.a.in_({"link", "event", "nobutton"})))
async def button_kind(
    query: CallbackQuery, callback_data: Cmp, state: FSMContext, t: Translator, ctx: Ctx
) -> None:
    if callback_data.a == "nobutton":
        await state.update_data(bt=None, bu=None, be=None)
        await go("audience", state, t, ctx, query=query)
    elif callback_data.a == "link":
        await go("button_text", state, t, ctx, query=query)
    else:
        await go("event", state, t, ctx, query=query)


@router.message(Composer.button_text, FreeText())
async def button_text_typed(message: Message, state: FSMContext, t: Translator, ctx: Ctx) -> None:
    text = message.text.strip()
    if not text or len(text) > MAX_BUTTON_TEXT:
        await message.answer(t("cmp-button-text-invalid", limit=str(MAX_BUTTON_TEXT)))
        return
    await state.update_data(bt=text, be=None)
    await go("button_url", state, t, ctx, message=message)


@router.message(Composer.button_url, FreeText())
async def button_url_typed(message: Message, state: FSMContext, t: Translator, ctx: Ctx) -> None:
    url = message.text.strip()
    if not is_http_url(url):
        await message.answer(t("cmp-url-invalid"))
        return
    await state.update_data(bu=url, be=None)
    await go("audience", state, t, ctx, message=message)


@router.callback_query(Composer.event, Cmp.filter(F.a == "ev"))
async def event_picked(
    query: CallbackQuery,
    callback_data: Cmp,
    state: FSMContext,
    t: Translator,
    callback_answer: CallbackAnswer,
    ctx: Ctx,
) -> None:
    event_id = parse_id(callback_data.v)
    card = await ctx.events.open(event_id) if event_id is not None else None
    if card is None:
        callback_answer.text = t("event-gone-toast")
        await go("event", state, t, ctx, query=query)
        return
    await state.update_data(bt=t("cmp-event-button"), bu=None, be=card.id)
    await go("audience", state, t, ctx, query=query)


# --- the audience ----------------------------------------------------------------------------
@router.callback_query(Composer.audience, Cmp.filter(F.a.in_({"topic", "role", "lang"})))
async def audience_toggle(
    query: CallbackQuery, callback_data: Cmp, state: FSMContext, t: Translator, ctx: Ctx
) -> None:
    key, allowed = {
        "topic": ("topics", TOPICS),
        "role": ("roles", ROLES),
        "lang": ("langs", LANGUAGES),
    }[callback_data.a]
    if callback_data.v in allowed:
        items = toggle((await state.get_data()).get(key, []), callback_data.v)
        await state.update_data({key: [x for x in allowed if x in items]})
    await go("audience", state, t, ctx, query=query)


@router.callback_query(
    COMPOSING, Cmp.filter(F.a.in_({"grades", "places", "grades_all", "places_all"}))
)
async def audience_segments(
    query: CallbackQuery, callback_data: Cmp, state: FSMContext, t: Translator, ctx: Ctx
) -> None:
    if callback_data.a == "grades_all":
        await state.update_data(gf=None, gt=None)
        await go("audience", state, t, ctx, query=query)
    elif callback_data.a == "places_all":
        await state.update_data(places=[])
        await go("audience", state, t, ctx, query=query)
    else:
        await go(callback_data.a, state, t, ctx, query=query)


@router.message(Composer.grades, FreeText())
async def grades_typed(message: Message, state: FSMContext, t: Translator, ctx: Ctx) -> None:
    try:
        first, last = parse_grades(message.text)
    except EventError as error:
        await message.answer(t(f"eadm-error-{error.code}"))
        return
    await state.update_data(gf=first, gt=last)
    await go("audience", state, t, ctx, message=message)


@router.message(Composer.places, FreeText())
async def places_typed(message: Message, state: FSMContext, t: Translator, ctx: Ctx) -> None:
    found, unclear = await ctx.localities.resolve(message.text)
    if unclear or not found:
        await message.answer(t("segment-places-unclear", names=", ".join(unclear) or "—"))
        return
    await state.update_data(places=[place.id for place in found])
    await go("audience", state, t, ctx, message=message)


# --- preview and sending ---------------------------------------------------------------------
@router.callback_query(Composer.audience, Cmp.filter(F.a == "preview"))
async def preview(
    query: CallbackQuery,
    state: FSMContext,
    t: Translator,
    bot: Bot,
    callback_answer: CallbackAnswer,
    ctx: Ctx,
) -> None:
    draft = await state.get_data()
    if not await audience_size(ctx.broadcasts, draft):
        callback_answer.text = t("cmp-empty-audience-toast")
        callback_answer.show_alert = True
        return
    await remove_buttons(query)
    chat_id = query.message.chat.id
    await bot.send_message(chat_id, t("cmp-preview-ru"))
    await send_content(bot, chat_id, draft, draft.get("text", ""))
    if draft.get("text_en"):
        await bot.send_message(chat_id, t("cmp-preview-en"))
        await send_content(bot, chat_id, draft, draft["text_en"])
    await state.set_state(Composer.preview)
    text, markup = await prompt("preview", t, draft, ctx)
    sent = await bot.send_message(chat_id, text, reply_markup=markup)
    await state.update_data(pm=sent.message_id)


@router.callback_query(Composer.preview, Cmp.filter(F.a == "later"))
async def schedule_later(query: CallbackQuery, state: FSMContext, t: Translator, ctx: Ctx) -> None:
    await go("when", state, t, ctx, query=query)


@router.callback_query(Composer.preview, Cmp.filter(F.a == "now"))
async def send_now(
    query: CallbackQuery,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    broadcasts: BroadcastService,
    callback_answer: CallbackAnswer,
) -> None:
    broadcast_id = await _launch(
        query.message, query.from_user.id, state, t, settings, broadcasts, None
    )
    if broadcast_id is None:
        callback_answer.text = t("cmp-empty-audience-toast")
        callback_answer.show_alert = True
        return
    callback_answer.text = t("cmp-sent-toast", id=str(broadcast_id))
    await redraw(query, t("cmp-launched", id=str(broadcast_id)))


@router.message(Composer.when, FreeText())
async def when_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    broadcasts: BroadcastService,
) -> None:
    try:
        at = parse_local_time(message.text, settings.zone, datetime.now(UTC))
    except EventError as error:
        await message.answer(t(f"eadm-error-{error.code}"))
        return
    draft = await state.get_data()
    await drop_buttons(message.bot, message.chat.id, draft.get("pm"))
    broadcast_id = await _launch(message, message.from_user.id, state, t, settings, broadcasts, at)
    if broadcast_id is None:
        await message.answer(t("cmp-empty-audience"))


async def _launch(
    message: Message,
    admin_id: int,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    broadcasts: BroadcastService,
    at: datetime | None,
) -> int | None:
    """Create and schedule the broadcast, then the progress message the reporter edits."""
    draft = await state.get_data()
    size = await audience_size(broadcasts, draft)
    if not size:
        return None
    broadcast_id = await broadcasts.create(admin_id, audience_of(draft), **content_of(draft))
    await broadcasts.schedule(broadcast_id, at)
    await state.clear()
    if at is None:
        text = t("cmp-progress-queued", id=str(broadcast_id), count=size)
    else:
        text = t(
            "cmp-progress-scheduled",
            id=str(broadcast_id),
            count=size,
            when=when_text(t, at, settings.zone),
        )
    progress = await message.answer(text, reply_markup=progress_keyboard(t, broadcast_id))
    await broadcasts.set_progress_message(broadcast_id, progress.chat.id, progress.message_id)
    log.info("broadcast %s scheduled by %s for %s recipients", broadcast_id, admin_id, size)
    return broadcast_id


@router.message(COMPOSING, NotCommandOrMenu())
async def unexpected(message: Message, t: Translator) -> None:
    """Anything else inside the composer (a sticker, a video, a press-only step)."""
    await message.answer(t("cmp-use-buttons"))


# --- the progress message's buttons ----------------------------------------------------------
async def _redraw(
    query: CallbackQuery,
    t: Translator,
    settings: Settings,
    broadcasts: BroadcastService,
    broadcast_id: int,
) -> None:
    progress = await broadcasts.progress(broadcast_id)
    if progress is None:
        return
    finished = progress.status in ("done", "cancelled")
    text = render_progress(t, progress, settings.broadcast.rate, datetime.now(UTC))
    markup = None if finished else progress_keyboard(t, broadcast_id)
    await redraw(query, text, markup, previews=False)


@router.callback_query(BcCtl.filter())
async def control(
    query: CallbackQuery,
    callback_data: BcCtl,
    t: Translator,
    settings: Settings,
    broadcasts: BroadcastService,
    callback_answer: CallbackAnswer,
) -> None:
    broadcast_id = callback_data.id
    broadcast = await broadcasts.get(broadcast_id)
    if broadcast is None:
        callback_answer.text = t("cmp-ctl-gone")
        return
    status, action = broadcast.status, callback_data.a
    if status in ("done", "cancelled"):
        callback_answer.text = t("cmp-ctl-finished")
        await _redraw(query, t, settings, broadcasts, broadcast_id)
        return
    if action == "pause":
        # A scheduled broadcast has no outbox yet: pausing it would let "resume" run it empty.
        if status == "running" and await broadcasts.pause(broadcast_id):
            callback_answer.text = t("cmp-ctl-paused")
        else:
            callback_answer.text = t(
                "cmp-ctl-not-started" if status == "scheduled" else "cmp-ctl-already-paused"
            )
    elif action == "resume":
        if status == "paused" and await broadcasts.resume(broadcast_id):
            callback_answer.text = t("cmp-ctl-resumed")
        else:
            callback_answer.text = t("cmp-ctl-not-paused")
    elif action == "cancel":
        await redraw_markup(query, confirm_cancel_keyboard(t, broadcast_id))
        return
    elif action == "yes":
        if await broadcasts.cancel(broadcast_id):
            callback_answer.text = t("cmp-ctl-cancelled")
    await _redraw(query, t, settings, broadcasts, broadcast_id)
