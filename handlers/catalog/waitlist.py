"""A card's own buttons for the person looking at it: «🔔 Сообщить, когда появится место»
(a full programme's waitlist) and «⏰ Напомнить о начале записи»; staff's «📅 Начало записи»
(the day a programme's enrolment opens, typed). Presses are checked again by the services: a
programme that has seats or is hidden meanwhile, a second join — a short answer, nothing kept."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.config import Settings
from bot.telegram.dates import day_text
from bot.telegram.i18n import Translator
from bot.telegram.screens import redraw_markup
from handlers.catalog.cards import Viewer, send_programme
from handlers.catalog.states import CatalogFlow
from handlers.catalog.views import ProgrammeAction, ToList, WaitAction, programme_keyboard
from handlers.filters import FreeText, is_staff
from handlers.routes import Routes
from services.catalog.browse import CatalogService
from services.catalog.localities import LocalityService
from services.people.profiles import Profile
from services.waitlists.enrolment import DateSaved, EnrolmentService, parse_day
from services.waitlists.entries import Joined, WaitlistService

buttons = Routes("catalog_waitlist")
staff_router = Routes("catalog_waitlist_staff")  # the day enrolment opens: staff's only
staff_router.staff_only(refusal="staff-only", dialogs=(CatalogFlow.opens,))

ANSWERS = {
    "join": {
        Joined.JOINED: "waitlist-joined",
        Joined.ALREADY: "waitlist-already",
        Joined.HAS_ROOM: "waitlist-has-seats",
        Joined.GONE: "programme-gone",
    },
    "remind": {
        Joined.JOINED: "enrol-remind-set",
        Joined.ALREADY: "enrol-remind-already",
        Joined.HAS_ROOM: "enrol-remind-open",
        Joined.GONE: "enrol-remind-gone",
    },
}


def _to_list(query: CallbackQuery) -> bool:
    markup = getattr(query.message, "reply_markup", None)
    return any(
        button.callback_data == ToList().pack()
        for row in (markup.inline_keyboard if markup else [])
        for button in row
    )


@buttons.callback_query(WaitAction.filter())
async def card_mark(
    query: CallbackQuery,
    callback_data: WaitAction,
    t: Translator,
    profile: Profile,
    settings: Settings,
    catalog: CatalogService,
    waitlists: WaitlistService,
    enrolment: EnrolmentService,
    callback_answer: CallbackAnswer,
) -> None:
    user_id, programme_id, act = profile.user_id, callback_data.id, callback_data.act
    if act == "join":
        key = ANSWERS["join"][await waitlists.join_programme(user_id, programme_id, t.locale)]
    elif act == "remind":
        key = ANSWERS["remind"][await enrolment.remind(user_id, programme_id, t.locale)]
    elif act == "leave":
        left = await waitlists.leave_programme(user_id, programme_id)
        key = "waitlist-left" if left else "waitlist-not-waiting"
    else:
        cancelled = await enrolment.cancel(user_id, programme_id)
        key = "enrol-remind-cancelled" if cancelled else "enrol-remind-none"
    callback_answer.text = t(key)
    callback_answer.show_alert = key == "programme-gone"
    staff = is_staff(user_id, settings)
    card = await catalog.programme(programme_id, staff=staff)
    if card is not None:  # the buttons as they are now
        marks = await Viewer(user_id, waitlists, enrolment).marks(card)
        await redraw_markup(query, programme_keyboard(t, card, staff, _to_list(query), marks))


# --- staff: the day enrolment opens ----------------------------------------------------------
@staff_router.callback_query(ProgrammeAction.filter(F.act == "opens"))
async def ask_opens(
    query: CallbackQuery,
    callback_data: ProgrammeAction,
    state: FSMContext,
    t: Translator,
    catalog: CatalogService,
    callback_answer: CallbackAnswer,
) -> None:
    card = await catalog.programme(callback_data.id, staff=True)
    if card is None:
        callback_answer.text = t("programme-gone")
        return
    await state.set_state(CatalogFlow.opens)
    await state.update_data(programme_id=card.id)
    now = day_text(t, card.enrol_starts_on) if card.enrol_starts_on else t("staff-opens-none")
    await query.message.answer(t("staff-opens-ask", name=card.name, now=now))


@staff_router.message(StateFilter(CatalogFlow.opens), FreeText())
async def opens_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    catalog: CatalogService,
    localities: LocalityService,
    enrolment: EnrolmentService,
) -> None:
    programme_id = (await state.get_data()).get("programme_id")
    card = await catalog.programme(programme_id, staff=True) if programme_id else None
    if card is None:
        await state.clear()
        await message.answer(t("programme-gone"))
        return
    text = message.text.strip()
    clear = text in ("-", "—", "–")
    day = None if clear else parse_day(text)
    if day is None and not clear:
        await message.answer(t("staff-opens-invalid"))
        return
    saved = await enrolment.set_start(card.id, day)
    if saved is DateSaved.PAST:
        await message.answer(t("staff-opens-past"))
        return
    await state.clear()
    if saved is DateSaved.GONE:
        await message.answer(t("programme-gone"))
        return
    shown = day_text(t, day) if day else t("staff-opens-none")
    await message.answer(t("staff-opens-saved", day=shown))
    await send_programme(message, card.id, t, catalog, localities, staff=True)
