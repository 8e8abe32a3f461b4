"""/mydata: everything the bot keeps about the user; /forget: deleting it, after a confirmation.

Callback data: fg:<a>, a = y (delete) or n (keep). Forgetting acts on the presser's own id.
"""

from __future__ import annotations

import dataclasses
import html
import json
import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_dialog import DialogManager
from aiogram_dialog.api.exceptions import UnknownIntent
from aiogram_dialog.api.internal import STORAGE_KEY

from bot.config import Settings
from bot.telegram.dates import date_text, when_text
from bot.telegram.i18n import Html, Locales, Translator
from bot.telegram.screens import redraw
from handlers.callback_types import one_of
from handlers.conversation import leave
from handlers.filters import PrivateChat
from handlers.hooks import BookingEvents, CommitState
from handlers.people.privacy_notices import notice_blocks
from handlers.people.privacy_waits import enrol_blocks, waits_blocks
from handlers.pickers.child import child_title
from handlers.routes import Routes
from services.booking.service import BookingInfo
from services.booking.specialists import SpecialistService
from services.messengers.ids import messenger_of, to_max
from services.people.children import Child, ChildService
from services.people.privacy import (
    PrivacyService,
    StoredBooking,
    StoredData,
    StoredProfile,
    StoredReminder,
)
from services.people.profiles import ProfileService
from services.quiz.results import StoredQuiz

router = Routes("privacy")
router.filter("message", PrivateChat())
router.filter("callback_query", PrivateChat())
log = logging.getLogger(__name__)

MESSAGE_BUDGET = 3500  # characters of HTML per message; Telegram allows 4096 after parsing
STATE_DATA_SHOWN = 1500


class Forget(CallbackData, prefix="fg"):
    a: one_of("y", "n")  # y delete, n keep


def pack(blocks: list[str], budget: int = MESSAGE_BUDGET) -> list[str]:
    """Blocks joined by blank lines into as few messages as fit the budget."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        if current and len(current) + 2 + len(block) > budget:
            messages.append(current)
            current = ""
        current = f"{current}\n\n{block}" if current else block
    if current:
        messages.append(current)
    return messages


# --- /mydata -------------------------------------------------------------------------------
def _when(t: Translator, moment: datetime | None, zone: ZoneInfo) -> str:
    return Html(when_text(t, moment, zone)) if moment else Html(t("privacy-none"))


def _known(t: Translator, key: str, fallback: str) -> str:
    return Html(t(key)) if t.has(key) else fallback


def _profile(t: Translator, profile: StoredProfile | None, zone: ZoneInfo) -> str:
    if profile is None:
        return t("privacy-profile-none")
    none = Html(t("privacy-none"))
    if profile.consent_version:
        consent = Html(
            t(
                "privacy-consent-given",
                version=profile.consent_version,
                when=_when(t, profile.consent_at, zone),
            )
        )
    else:
        consent = Html(t("privacy-consent-none"))
    text = t(
        "privacy-profile",
        language=_known(t, f"language-{profile.locale}", profile.locale),
        role=_known(t, f"role-{profile.role}", profile.role) if profile.role else none,
        locality=profile.locality.title(t.locale) if profile.locality else none,
        consent=consent,
        created=_when(t, profile.created_at, zone),
        onboarded=_when(t, profile.onboarded_at, zone),
    )
    if profile.blocked_at is not None:
        text += "\n" + t("privacy-blocked", when=_when(t, profile.blocked_at, zone))
    return text


def _children(t: Translator, children: tuple[Child, ...]) -> str:
    if not children:
        return t("privacy-children-none")
    today = ChildService.today()
    lines = [t("privacy-children-title", count=len(children))]
    for child in children:
        interests = ", ".join(t(f"direction-{code}") for code in child.interests)
        lines.append(
            t(
                "privacy-child",
                child=child_title(t, child, today),
                interests=Html(interests) if interests else Html(t("privacy-none")),
                health=Html(
                    t("children-health-yes" if child.health_needs else "children-health-no")
                ),
                noted=child.noted_on.strftime("%d.%m.%Y"),
            )
        )
    return "\n".join(lines)


def _state(t: Translator, name: str | None, values: dict[str, Any]) -> str:
    if name is None and not values:
        return t("privacy-state-none")
    shown = json.dumps(values, ensure_ascii=False, default=str)
    if len(shown) > STATE_DATA_SHOWN:
        shown = shown[:STATE_DATA_SHOWN] + "…"
    return t("privacy-state", state=name or "—", data=shown)


def _booking(t: Translator, booking: StoredBooking, zone: ZoneInfo) -> str:
    none = Html(t("privacy-none"))
    if booking.notice_version:
        notice = t(
            "privacy-booking-notice",
            version=booking.notice_version,
            when=_when(t, booking.notice_at, zone),
        )
    else:
        notice = t("privacy-booking-notice-none")
    text = t(
        "privacy-booking",
        code=booking.code,
        when=_when(t, booking.starts_at, zone),
        status=Html(t(f"privacy-status-{booking.status}")),
        service=booking.service.title(t.locale),
        specialist=booking.specialist,
        format=_known(t, f"notice-format-{booking.format}", booking.format),
        name=booking.name or none,
        phone=booking.phone or none,
        age=str(booking.child_age) if booking.child_age is not None else none,
        question=booking.question or none,
        rating=str(booking.rating) if booking.rating is not None else none,
        comment=booking.comment or none,
        reason=booking.cancel_reason or none,
        created=_when(t, booking.created_at, zone),
    )
    return text + "\n" + notice


def _subscriptions(t: Translator, topics: tuple[str, ...]) -> str:
    if not topics:
        return t("privacy-subscriptions-none")
    names = [
        t(f"subs-topic-{topic}") if t.has(f"subs-topic-{topic}") else html.escape(topic)
        for topic in topics
    ]
    return t("privacy-subscriptions", topics=Html(", ".join(names)))


REMINDER_STATES = {"claimed": "pending", "sending": "uncertain"}  # as the person sees them


def _reminder(t: Translator, reminder: StoredReminder, zone: ZoneInfo) -> str:
    state = REMINDER_STATES.get(reminder.state, reminder.state)
    key = f"privacy-reminder-{state}"
    if state == "pending":
        shown = Html(t(key, due=_when(t, reminder.due_at, zone)))
    elif state == "sent":
        shown = Html(t(key, sent=_when(t, reminder.sent_at, zone)))
    else:  # uncertain, skipped; a state not known here is shown as stored
        shown = _known(t, key, state)
    return t(
        "privacy-reminder",
        title=reminder.title,
        when=_when(t, reminder.starts_at, zone),
        state=shown,
    )


def _quiz(t: Translator, results: list[StoredQuiz], zone: ZoneInfo) -> str:
    if not results:
        return t("quiz-mydata-none")
    return "\n".join(
        t(
            "quiz-mydata",
            date=Html(date_text(t, result.taken_at, zone)),
            wording=Html(_known(t, f"quiz-wording-{result.wording}", result.wording)),
            top=Html(", ".join(_known(t, f"direction-{code}", code) for code in result.top)),
        )
        for result in results
    )


def _messenger_id(user_id: int) -> int:
    """The id the person's messenger knows them by (the bot keeps MAX ids in a range apart)."""
    return to_max(user_id) if messenger_of(user_id) == "max" else user_id


def render_my_data(
    t: Translator,
    stored: StoredData,
    state_name: str | None,
    state_data: dict[str, Any],
    zone: ZoneInfo,
) -> list[str]:
    head = [
        t("privacy-title", user_id=str(_messenger_id(stored.user_id))),
        _profile(t, stored.profile, zone),
        _state(t, state_name, state_data),
    ]
    if stored.specialist is not None:
        head.append(
            t(
                "privacy-specialist",
                name=stored.specialist.name,
                provider=stored.specialist.provider,
            )
        )
    head.append(_subscriptions(t, stored.topics))
    head.append(_children(t, stored.children))
    blocks = ["\n\n".join(head)]
    if stored.bookings:
        blocks.append(t("privacy-bookings-title", count=len(stored.bookings)))
        blocks.extend(_booking(t, booking, zone) for booking in stored.bookings)
    else:
        blocks.append(t("privacy-bookings-none"))
    blocks.append(_quiz(t, stored.quiz, zone))
    if stored.reminders:
        blocks.append(t("privacy-reminders-title", count=len(stored.reminders)))
        blocks.extend(_reminder(t, reminder, zone) for reminder in stored.reminders)
    else:
        blocks.append(t("privacy-reminders-none"))
    blocks.extend(waits_blocks(t, stored.waits, zone))
    blocks.extend(enrol_blocks(t, stored.enrol_reminders, zone))
    blocks.extend(notice_blocks(t, stored.notices, zone))
    blocks.append(t("privacy-footer"))
    return pack(blocks)


async def open_dialogs(manager: DialogManager) -> list[tuple[str, dict[str, Any]]]:
    """The open dialogs, the first opened first: each one's step and the answers it keeps."""
    if not manager.has_context():
        return []
    storage = manager.middleware_data[STORAGE_KEY]
    found = []
    for intent_id in manager.current_stack().intents:
        try:
            context = await storage.load_context(intent_id)
        except UnknownIntent:  # expired (RETENTION__CONVERSATION_HOURS) under a newer one
            continue
        started = context.start_data if isinstance(context.start_data, dict) else {}
        found.append((context.state.state, {**started, **context.dialog_data}))
    return found


@router.message(Command("mydata"))
async def my_data(
    message: Message,
    t: Translator,
    state: FSMContext,
    settings: Settings,
    privacy: PrivacyService,
    dialog_manager: DialogManager,
) -> None:
    stored = await privacy.collect(message.from_user.id)
    name, data = await state.get_state(), await state.get_data()
    for dialog_state, dialog_data in await open_dialogs(dialog_manager):
        name = f"{name} → {dialog_state}" if name else dialog_state
        data = {**data, **dialog_data}
    texts = render_my_data(t, stored, name, data, settings.zone)
    for text in texts:
        await message.answer(text)


# --- /forget -------------------------------------------------------------------------------
def forget_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("privacy-btn-forget-yes"), callback_data=Forget(a="y").pack()
                ),
                InlineKeyboardButton(
                    text=t("privacy-btn-forget-no"), callback_data=Forget(a="n").pack()
                ),
            ]
        ]
    )


@router.message(Command("forget"))
async def forget_asked(message: Message, t: Translator, specialists: SpecialistService) -> None:
    me = await specialists.by_user(message.from_user.id)
    parts = [t("privacy-forget-ask")]
    parts.append(t("quiz-forget-ask-line"))
    if me is not None:
        parts.append(t("privacy-forget-ask-specialist", name=me.name))
    text = "\n".join(parts) + "\n\n" + t("privacy-forget-warning")
    await message.answer(text, reply_markup=forget_keyboard(t))


async def _tell_specialists(
    cancelled: list[BookingInfo],
    user_id: int,
    events: BookingEvents | None,
    locales: Locales,
    profiles: ProfileService,
) -> None:
    if events is None:
        return
    for info in cancelled:
        if info.specialist_user_id is None or info.specialist_user_id == user_id:
            continue
        try:
            specialist = await profiles.get_or_create(info.specialist_user_id, locales.default)
            reason = locales.get(specialist.locale)("privacy-forget-reason")
            await events.cancelled(dataclasses.replace(info, cancel_reason=reason))
        except Exception:  # a notice failing must not undo or hide the deletion
            log.exception("booking_events.cancelled failed for booking %s", info.id)


@router.callback_query(Forget.filter(F.a == "y"))
async def forget_confirmed(
    query: CallbackQuery,
    t: Translator,
    state: FSMContext,
    locales: Locales,
    profiles: ProfileService,
    privacy: PrivacyService,
    dialog_manager: DialogManager,
    commit_state: CommitState | None = None,
    booking_events: BookingEvents | None = None,
) -> None:
    user_id = query.from_user.id
    result = await privacy.forget(user_id)
    await leave(state, dialog_manager)  # a dialog's data (a name, a phone) goes too
    if commit_state is not None:
        await commit_state()  # the state's deletion is committed before the files are scrubbed
    await privacy.erase_traces()
    profiles.forget_cached(user_id)
    await _tell_specialists(result.cancelled, user_id, booking_events, locales, profiles)
    text = t("privacy-forget-done", cancelled=len(result.cancelled), anonymised=result.anonymised)
    await redraw(query, text)


@router.callback_query(Forget.filter(F.a == "n"))
async def forget_declined(query: CallbackQuery, t: Translator) -> None:
    await redraw(query, t("privacy-forget-kept"))
