"""Specialists: /linkcode and /unlink (admins), /link, /today and /week with marking, the
parent's rating after a held consultation, and /bookings (admins: all specialists by day).

Callback data carries ids, a view letter and a day ordinal only:
  sv:<v>:<day>:<page>               a screen: v = d (my day), w (my 7 days), a (all, admins)
  sm:<id>:<s>:<v>:<day>:<page>      mark a booking: s = d (held) or m (no-show), then redraw
  rt:<id>:<stars>                   the parent's rating, 1..5
  rs:<id>                           «no comment»
Who the specialist is comes from the presser's Telegram id, never from the callback data.
Marking buttons appear once a booking's start time has passed (🔄 redraws the screen), and
the service refuses earlier marks too.

Names, phones and questions are personal data: shown only to the specialist of the booking
and to admins, always escaped (the translator escapes every string argument).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.config import Settings
from bot.telegram.dates import day_text, when_text
from bot.telegram.i18n import Html, Locales, Translator
from bot.telegram.pager import clamp_page, pager_row
from bot.telegram.screens import drop_buttons, redraw
from handlers.callback_types import DayOrdinal, Id, PageNo, bounded, one_of
from handlers.filters import FreeText, HasText, PrivateChat, is_staff
from handlers.menu import main_menu
from handlers.routes import Routes
from services.booking.service import BookingInfo
from services.booking.specialists import (
    ALREADY,
    CANCELLED,
    COMMENT_MAX,
    EMPTY,
    LINK_CODE_TTL,
    MARKED,
    RATINGS,
    SAVED,
    TOO_EARLY,
    TOO_LONG,
    LinkError,
    SpecialistCard,
    SpecialistService,
)
from services.messengers.ids import Messenger, messenger_of
from services.notices.queue import RATE, NoticeQueue
from services.people.profiles import ProfileService

router = Routes("specialist")
router.filter("message", PrivateChat())
router.filter("callback_query", PrivateChat())
log = logging.getLogger(__name__)

PAGE_BUDGET = 3500  # characters of HTML per screen; Telegram allows 4096 after parsing
LIST_LIMIT = 40  # specialists listed by a bare /linkcode
QUESTION_SHOWN = 1000
WEEK = 7
MARK_STATUS = {"d": "done", "m": "missed"}


class SpecView(CallbackData, prefix="sv"):
    v: one_of("d", "w", "a")  # d my day, w my week, a all specialists' day (admins)
    d: DayOrdinal  # the first day, date.toordinal()
    p: PageNo = 0


class SpecMark(CallbackData, prefix="sm"):
    id: Id
    s: one_of("d", "m")  # d held, m no-show
    v: one_of("d", "w", "a")
    d: DayOrdinal
    p: PageNo = 0


class Rate(CallbackData, prefix="rt"):
    id: Id
    r: bounded(1, 5)


class RateSkip(CallbackData, prefix="rs"):
    id: Id


class RatingFlow(StatesGroup):
    comment = State()


# --- linking -------------------------------------------------------------------------------
def _example(cards: list[SpecialistCard]) -> str:
    return cards[0].external_id if cards else "E1"


@router.message(Command("linkcode"))
async def link_code(
    message: Message,
    command: CommandObject,
    t: Translator,
    settings: Settings,
    specialists: SpecialistService,
) -> None:
    if not is_staff(message.from_user.id, settings):
        await message.answer(t("spec-admin-only"))
        return
    ref = (command.args or "").strip()
    if not ref:
        cards = await specialists.all()
        if not cards:
            await message.answer(t("spec-linkcode-empty"))
            return
        lines = [
            t(
                "spec-linkcode-line-linked" if card.linked else "spec-linkcode-line",
                ref=card.external_id,
                name=card.name,
                provider=card.provider,
            )
            for card in cards[:LIST_LIMIT]
        ]
        if len(cards) > LIST_LIMIT:
            lines.append(t("spec-linkcode-more", count=len(cards) - LIST_LIMIT))
        await message.answer(
            t("spec-linkcode-usage", example=_example(cards), list=Html("\n".join(lines)))
        )
        return
    card = await specialists.find(ref)
    if card is None:
        await message.answer(t("spec-not-found", ref=ref[:64]))
        return
    code = await specialists.new_link_code(card.id)
    text = t("spec-linkcode-made", name=card.name, provider=card.provider, code=code)
    expires = when_text(t, specialists.now() + LINK_CODE_TTL, settings.zone)
    text += "\n" + t("spec-linkcode-expires", until=Html(expires))
    if card.linked:
        text += "\n\n" + t("spec-linkcode-relink")
    await message.answer(text)


@router.message(Command("unlink"))
async def unlink(
    message: Message,
    command: CommandObject,
    t: Translator,
    settings: Settings,
    specialists: SpecialistService,
) -> None:
    if not is_staff(message.from_user.id, settings):
        await message.answer(t("spec-admin-only"))
        return
    ref = (command.args or "").strip()
    if not ref:
        await message.answer(t("spec-unlink-usage", example=_example(await specialists.all())))
        return
    card = await specialists.find(ref)
    if card is None:
        await message.answer(t("spec-not-found", ref=ref[:64]))
    elif await specialists.unlink(card.id):
        await message.answer(t("spec-unlink-done", name=card.name))
    else:
        await message.answer(t("spec-unlink-none", name=card.name))


@router.message(Command("link"))
async def link(
    message: Message, command: CommandObject, t: Translator, specialists: SpecialistService
) -> None:
    if not (command.args or "").strip():
        await message.answer(t("spec-link-usage"))
        return
    try:
        card = await specialists.link(message.from_user.id, command.args)
    except LinkError as error:
        if error.reason == "taken":
            name = error.specialist.name if error.specialist else t("spec-none")
            await message.answer(t("spec-link-taken", name=name))
        elif error.reason == "expired":
            await message.answer(t("spec-link-expired"))
        elif error.reason == "too_many" and error.retry_at is not None:
            wait = (error.retry_at - specialists.now()).total_seconds()
            await message.answer(t("spec-link-too-many", minutes=max(1, math.ceil(wait / 60))))
        else:
            await message.answer(t("spec-link-bad"))
        return
    await message.answer(t("spec-link-done", name=card.name, provider=card.provider))


# --- screens: my day, my week, everyone's day ------------------------------------------------
@dataclass(frozen=True, slots=True)
class Screen:
    text: str
    markup: InlineKeyboardMarkup


@dataclass(frozen=True, slots=True)
class _Entry:
    title: str | None  # the day's title in a week view
    block: str
    info: BookingInfo


def _local_time(info: BookingInfo, zone: ZoneInfo) -> str:
    return info.starts_at.astimezone(zone).strftime("%H:%M")


def _status(t: Translator, info: BookingInfo, specialists: SpecialistService) -> str:
    if info.status == "active":
        text = t("spec-status-unmarked" if specialists.markable(info) else "spec-status-active")
    else:
        text = t(f"spec-status-{info.status}")
    if info.rating is not None:
        text = t("spec-status-rated", status=Html(text), rating=info.rating)
    return text


def _block(
    t: Translator, info: BookingInfo, zone: ZoneInfo, specialists: SpecialistService, view: str
) -> str:
    none = Html(t("spec-none"))
    question = info.question or ""
    if len(question) > QUESTION_SHOWN:
        question = question[:QUESTION_SHOWN] + "…"
    args: dict[str, object] = {
        "time": _local_time(info, zone),
        "service": info.service.title(t.locale),
        "format": Html(t(f"notice-format-{info.format}")),
        "name": info.name or none,
        "phone": info.phone or none,
        "age": str(info.child_age) if info.child_age is not None else none,
        "question": question or none,
        "code": info.code,
        "status": Html(_status(t, info, specialists)),
    }
    if view == "a":
        return t("spec-booking-all", specialist=info.specialist.name, **args)
    return t("spec-booking", **args)


def _paginate(entries: list[_Entry]) -> list[list[_Entry]]:
    pages: list[list[_Entry]] = []
    current: list[_Entry] = []
    size = 0
    for entry in entries:
        starts_day = not current or current[-1].title != entry.title
        cost = len(entry.block) + 2 + (len(entry.title or "") + 2 if starts_day else 0)
        if current and size + cost > PAGE_BUDGET:
            pages.append(current)
            current, size = [], 0
            cost = len(entry.block) + len(entry.title or "") + 4
        current.append(entry)
        size += cost
    if current:
        pages.append(current)
    return pages or [[]]


def _button_time(t: Translator, info: BookingInfo, zone: ZoneInfo, view: str) -> str:
    local = info.starts_at.astimezone(zone)
    if view == "w":
        return f"{t(f'weekday-{local.weekday()}')} {local:%H:%M}"
    return f"{local:%H:%M}"


async def render_screen(
    t: Translator,
    specialists: SpecialistService,
    zone: ZoneInfo,
    view: SpecView,
    specialist_id: int | None,
) -> Screen:
    first = date.fromordinal(view.d)
    count = WEEK if view.v == "w" else 1
    days = await specialists.days(first, count, specialist_id)
    entries = [
        _Entry(
            day_text(t, day.day) if view.v == "w" else None,
            _block(t, info, zone, specialists, view.v),
            info,
        )
        for day in days
        for info in day.bookings
    ]
    if view.v == "w":
        header = t(
            "spec-week-header",
            first=Html(day_text(t, first)),
            last=Html(day_text(t, first + timedelta(days=count - 1))),
        )
    else:
        key = "spec-all-header" if view.v == "a" else "spec-day-header"
        header = t(key, day=Html(day_text(t, first)))
    pages = _paginate(entries)
    page = clamp_page(view.p, len(pages))
    parts = [header]
    if len(pages) > 1:
        parts[0] += "\n" + t("spec-page", page=page + 1, pages=len(pages))
    if not entries:
        parts.append(t("spec-week-empty" if view.v == "w" else "spec-day-empty"))
    rows: list[list[InlineKeyboardButton]] = []
    title: str | None = None
    for entry in pages[page]:
        if entry.title is not None and entry.title != title:
            parts.append(t("spec-day-title", day=Html(entry.title)))
            title = entry.title
        parts.append(entry.block)
        if view.v != "a" and specialists.markable(entry.info):
            label = _button_time(t, entry.info, zone, view.v)
            rows.append(
                [
                    InlineKeyboardButton(
                        text=t(f"spec-btn-{status}", time=label),
                        callback_data=SpecMark(
                            id=entry.info.id, s=letter, v=view.v, d=view.d, p=page
                        ).pack(),
                    )
                    for letter, status in (("d", "done"), ("m", "missed"))
                ]
            )
    if paging := pager_row(
        t,
        page,
        len(pages),
        lambda p: SpecView(v=view.v, d=view.d, p=p).pack(),
        prev_key="spec-btn-page-prev",
        next_key="spec-btn-page-next",
        count_key=None,  # the page is said in the text
    ):
        rows.append(paging)
    step = WEEK if view.v == "w" else 1
    today = specialists.today().toordinal()
    middle = (
        InlineKeyboardButton(
            text=t("spec-btn-refresh"), callback_data=SpecView(v=view.v, d=view.d, p=page).pack()
        )
        if view.d == today
        else InlineKeyboardButton(
            text=t("spec-btn-today"), callback_data=SpecView(v=view.v, d=today).pack()
        )
    )
    rows.append(
        [
            InlineKeyboardButton(
                text=t("spec-btn-prev"), callback_data=SpecView(v=view.v, d=view.d - step).pack()
            ),
            middle,
            InlineKeyboardButton(
                text=t("spec-btn-next"), callback_data=SpecView(v=view.v, d=view.d + step).pack()
            ),
        ]
    )
    return Screen("\n\n".join(parts), InlineKeyboardMarkup(inline_keyboard=rows))


async def _show(query: CallbackQuery, bot: Bot, screen: Screen) -> None:
    """Redraw in place; Telegram refuses an edit that changes nothing, so skip those."""
    message = query.message
    if not isinstance(message, Message):  # too old to edit: send it anew
        await bot.send_message(query.from_user.id, screen.text, reply_markup=screen.markup)
        return
    await redraw(message, screen.text, screen.markup)


async def _my_screen(
    message: Message, t: Translator, view: str, specialists: SpecialistService, zone: ZoneInfo
) -> None:
    me = await specialists.by_user(message.from_user.id)
    if me is None:
        await message.answer(t("spec-only"))
        return
    screen = await render_screen(
        t, specialists, zone, SpecView(v=view, d=specialists.today().toordinal()), me.id
    )
    await message.answer(screen.text, reply_markup=screen.markup)


@router.message(Command("today"))
async def today(
    message: Message, t: Translator, settings: Settings, specialists: SpecialistService
) -> None:
    await _my_screen(message, t, "d", specialists, settings.zone)


@router.message(Command("week"))
async def week(
    message: Message, t: Translator, settings: Settings, specialists: SpecialistService
) -> None:
    await _my_screen(message, t, "w", specialists, settings.zone)


@router.message(Command("bookings"))
async def all_bookings(
    message: Message, t: Translator, settings: Settings, specialists: SpecialistService
) -> None:
    if not is_staff(message.from_user.id, settings):
        await message.answer(t("spec-admin-only"))
        return
    view = SpecView(v="a", d=specialists.today().toordinal())
    screen = await render_screen(t, specialists, settings.zone, view, None)
    await message.answer(screen.text, reply_markup=screen.markup)


def _valid_day(ordinal: int) -> bool:
    return 1 <= ordinal <= date.max.toordinal() - WEEK


async def _viewer(
    query: CallbackQuery,
    view: str,
    t: Translator,
    settings: Settings,
    specialists: SpecialistService,
    answer: CallbackAnswer,
) -> tuple[bool, int | None]:
    """(allowed, whose bookings: a specialist's id, or None for everyone's)."""
    if view == "a":
        if is_staff(query.from_user.id, settings):
            return True, None
        answer.text = t("spec-admin-only")
        return False, None
    me = await specialists.by_user(query.from_user.id)
    if me is None:
        answer.text = t("spec-only")
        answer.show_alert = True
        return False, None
    return True, me.id


@router.callback_query(SpecView.filter(F.v.in_({"d", "w", "a"})))
async def navigate(
    query: CallbackQuery,
    callback_data: SpecView,
    t: Translator,
    settings: Settings,
    bot: Bot,
    callback_answer: CallbackAnswer,
    specialists: SpecialistService,
) -> None:
    if not _valid_day(callback_data.d):
        callback_answer.text = t("button-outdated")
        return
    allowed, specialist_id = await _viewer(
        query, callback_data.v, t, settings, specialists, callback_answer
    )
    if allowed:
        screen = await render_screen(t, specialists, settings.zone, callback_data, specialist_id)
        await _show(query, bot, screen)


@router.callback_query(SpecMark.filter(F.v.in_({"d", "w"})))
async def mark(
    query: CallbackQuery,
    callback_data: SpecMark,
    t: Translator,
    settings: Settings,
    bot: Bot,
    locales: Locales,
    profiles: ProfileService,
    callback_answer: CallbackAnswer,
    specialists: SpecialistService,
    notices: NoticeQueue | None = None,
) -> None:
    allowed, specialist_id = await _viewer(
        query, callback_data.v, t, settings, specialists, callback_answer
    )
    if not allowed or specialist_id is None:
        return
    status = MARK_STATUS.get(callback_data.s)
    result = await specialists.mark(specialist_id, callback_data.id, status) if status else None
    outcome = result.outcome if result else None
    if outcome == MARKED:
        callback_answer.text = t(f"spec-marked-{status}")
        if status == "done" and result and result.booking:
            await ask_rating(
                bot,
                locales,
                profiles,
                settings.zone,
                result.booking,
                notices,
                settings.messenger,
            )
    elif outcome == ALREADY and result and result.booking:
        callback_answer.text = t(
            "spec-mark-already", status=t(f"spec-status-{result.booking.status}")
        )
    elif outcome == CANCELLED:
        callback_answer.text = t("spec-mark-cancelled")
    elif outcome == TOO_EARLY:
        callback_answer.text = t("spec-mark-too-early")
    else:
        callback_answer.text = t("spec-mark-not-found")
    if _valid_day(callback_data.d):
        view = SpecView(v=callback_data.v, d=callback_data.d, p=callback_data.p)
        screen = await render_screen(t, specialists, settings.zone, view, specialist_id)
        await _show(query, bot, screen)


# --- the parent's rating -------------------------------------------------------------------
def rating_keyboard(t: Translator, booking_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("rate-btn", stars=stars),
                    callback_data=Rate(id=booking_id, r=stars).pack(),
                )
                for stars in RATINGS
            ]
        ]
    )


def rating_text(t: Translator, info: BookingInfo, zone: ZoneInfo) -> str:
    return t(
        "rate-ask",
        when=Html(when_text(t, info.starts_at, zone)),
        service=info.service.title(t.locale),
        specialist=info.specialist.name,
    )


async def ask_rating(
    bot: Bot,
    locales: Locales,
    profiles: ProfileService,
    zone: ZoneInfo,
    info: BookingInfo,
    notices: NoticeQueue | None = None,
    messenger: Messenger = "telegram",
) -> None:
    """Asks the parent, in the booking's language, to rate a held consultation; a parent of
    the other messenger is asked by its process (the notice queue, bot/notify/notices.py)."""
    if info.user_id is None:  # the parent has since asked to be forgotten
        return
    if notices is not None and messenger_of(info.user_id) != messenger:
        await notices.put(info.user_id, RATE, booking_id=info.id)
        return
    t = locales.get(info.locale)
    text = rating_text(t, info, zone)
    try:
        await bot.send_message(info.user_id, text, reply_markup=rating_keyboard(t, info.id))
    except TelegramForbiddenError:
        await profiles.mark_blocked(info.user_id, blocked=True)
    except TelegramBadRequest as error:
        log.warning("rating request for booking %s refused: %s", info.id, error.message)
    except (TelegramRetryAfter, TelegramServerError, TelegramNetworkError, TimeoutError) as error:
        log.warning("rating request for booking %s not sent: %s", info.id, type(error).__name__)


@router.callback_query(Rate.filter())
async def rated(
    query: CallbackQuery,
    callback_data: Rate,
    t: Translator,
    state: FSMContext,
    bot: Bot,
    callback_answer: CallbackAnswer,
    specialists: SpecialistService,
) -> None:
    outcome = await specialists.rate(query.from_user.id, callback_data.id, callback_data.r)
    message = query.message if isinstance(query.message, Message) else None
    if outcome == SAVED:
        if message is not None and message.reply_markup is not None:
            await message.edit_reply_markup(reply_markup=None)
        text = t("rate-saved", stars="⭐" * callback_data.r) + "\n\n"
        text += t("rate-comment-ask", max=str(COMMENT_MAX))
        skip = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=t("rate-btn-no-comment"),
                        callback_data=RateSkip(id=callback_data.id).pack(),
                    )
                ]
            ]
        )
        prompt = await bot.send_message(query.from_user.id, text, reply_markup=skip)
        await state.set_state(RatingFlow.comment)
        await state.update_data(rate_id=callback_data.id, rate_pm=prompt.message_id)
    elif outcome == ALREADY:
        callback_answer.text = t("rate-already")
        if message is not None and message.reply_markup is not None:
            await message.edit_reply_markup(reply_markup=None)
    else:
        callback_answer.text = t("rate-not-found")
        callback_answer.show_alert = True


async def _drop_prompt(bot: Bot, message: Message, stored: dict[str, Any]) -> None:
    """Takes the «no comment» button off the prompt once the step is over."""
    prompt_id = stored.get("rate_pm")
    if isinstance(prompt_id, int):
        await drop_buttons(bot, message.chat.id, prompt_id)


@router.message(StateFilter(RatingFlow.comment), FreeText())
async def comment_typed(
    message: Message, t: Translator, state: FSMContext, bot: Bot, specialists: SpecialistService
) -> None:
    stored = await state.get_data()
    booking_id = stored.get("rate_id")
    if not isinstance(booking_id, int):
        await state.clear()
        await message.answer(t("rate-not-found"))
        return
    outcome = await specialists.comment(message.from_user.id, booking_id, message.text)
    if outcome == TOO_LONG:
        length = len(message.text.strip())
        await message.answer(t("rate-comment-too-long", max=str(COMMENT_MAX), length=str(length)))
        return
    if outcome == EMPTY:
        await message.answer(t("rate-comment-empty"))
        return
    await state.clear()
    await _drop_prompt(bot, message, stored)
    key = {SAVED: "rate-comment-saved", ALREADY: "rate-comment-already"}.get(
        outcome, "rate-not-found"
    )
    await message.answer(t(key), reply_markup=main_menu(t))


@router.message(StateFilter(RatingFlow.comment), ~HasText())
async def comment_not_text(message: Message, t: Translator) -> None:
    await message.answer(t("rate-comment-empty"))


@router.callback_query(RateSkip.filter())
async def no_comment(
    query: CallbackQuery, callback_data: RateSkip, t: Translator, state: FSMContext
) -> None:
    if await state.get_state() == RatingFlow.comment.state:
        if (await state.get_data()).get("rate_id") == callback_data.id:
            await state.clear()
    if isinstance(query.message, Message):
        await query.message.edit_text(t("rate-comment-skipped"))
