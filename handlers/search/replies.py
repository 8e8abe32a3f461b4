"""Replies to typed messages that are not catalogue questions (services/search/intents.py):
small talk and off-topic requests get a short answer and the main menu; a wish for help with a
child gets the consultation booking offered (its topic chosen where the message makes it
clear, handlers/booking/wizard/offered.py); an events question gets the matching upcoming
events, each opening its card, and the events section."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.telegram.dates import when_text
from bot.telegram.i18n import Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from bot.telegram.labels import cut_label
from handlers.conversation import leave
from handlers.links import BookConsult, Open, OpenSection, Sections
from handlers.menu import main_menu
from handlers.routes import Routes
from services.booking.service import BookingService
from services.events.service import EventService, Viewer
from services.people.children import ChildService
from services.people.profiles import Profile
from services.search import Answer, SearchService
from services.search.event_match import pick_events

router = Routes("question_replies")  # the buttons under these replies
EVENTS_SHOWN = 5


async def answer_intent(
    message: Message,
    t: Translator,
    profile: Profile,
    answer: Answer,
    *,
    search: SearchService,
    booking: BookingService,
    events: EventService,
    settings: Settings,
    children: ChildService,
    **_: Any,
) -> int | None:
    """How many things the reply offered (the demand log's result count: a consultation,
    events, nothing for an off-topic request); None for small talk, which is no question."""
    intent = answer.intent
    assert intent is not None
    if intent.kind == "consult":
        await _consult(message, t, search, booking, intent.topic)
        return 1
    if intent.kind == "events":
        child = (await children.for_whom(profile.user_id)).child
        child_grade = child.grade(children.today()) if child else None
        return await _events(message, t, profile, answer, events, settings, child_grade)
    if intent.kind == "smalltalk":
        await message.answer(t(f"intent-{intent.topic or 'greeting'}"), reply_markup=main_menu(t))
        return None
    await message.answer(t("intent-offtopic"), reply_markup=main_menu(t))
    return 0


async def _consult(
    message: Message,
    t: Translator,
    search: SearchService,
    booking: BookingService,
    topic: str | None,
) -> None:
    services = await booking.services()
    chosen = search.intents.service_for(
        topic, [(item.id, f"{item.name} {item.name_en}") for item in services]
    )
    named = next((item for item in services if item.id == chosen), None)
    text = t("intent-consult")
    if named is not None:
        text += "\n\n" + t("intent-consult-topic", topic=named.title(t.locale))
    builder = InlineKeyboardBuilder()
    builder.button(text=t("intent-btn-book"), callback_data=BookConsult(service=chosen or 0))
    builder.adjust(1)
    await message.answer(text, reply_markup=builder.as_markup())


async def _events(
    message: Message,
    t: Translator,
    profile: Profile,
    answer: Answer,
    events: EventService,
    settings: Settings,
    child_grade: int | None,
) -> int:
    intent = answer.intent
    assert intent is not None
    seen = answer.understood
    grade = seen.grade
    if grade is None and seen.age_in_question and seen.age is not None:
        grade = max(seen.age - 6, 0)
    if grade is None:  # the chosen child's (a grade or age in the question comes first)
        grade = Viewer.of(profile.role, child_grade, None, None).grade
    found, exact = pick_events(
        await events.ahead(),
        words=intent.words,
        kinds=intent.kinds,
        period=intent.period,
        zone=settings.zone,
        now=events.now(),
        locality_ids=seen.locality_ids,
        grade=grade,
        role=profile.role,
    )
    builder = InlineKeyboardBuilder()
    if not found:
        rows = [t("intent-events-empty")]
    else:
        rows = [t("intent-events-found" if exact else "intent-events-nearest")]
        for n, card in enumerate(found[:EVENTS_SHOWN], start=1):
            when = when_text(t, card.starts_at, settings.zone)
            rows.append(t("intent-event-line", n=n, when=when, title=card.title))
            builder.button(
                text=cut_label(f"{n}. {card.title}"), callback_data=Open(kind="event", id=card.id)
            )
    builder.button(text=t("intent-btn-events"), callback_data=OpenSection(name="events"))
    builder.adjust(1)
    await message.answer("\n".join(rows), reply_markup=builder.as_markup())
    return len(found) if exact else 0


@router.callback_query(OpenSection.filter())
async def open_section(
    query: CallbackQuery,
    callback_data: OpenSection,
    t: Translator,
    state: FSMContext,
    dialog_manager: DialogManager,
    sections: Sections,
) -> None:
    section = sections.get(callback_data.name)
    if section is None:  # a section with no first screen of its own (settings)
        await query.message.answer(t("menu-shown"), reply_markup=main_menu(t))
        return
    await leave(state, dialog_manager)
    await section.open(query.message, t, dialog_manager)
