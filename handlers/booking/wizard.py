"""Family consultations for parents: the booking wizard and «My bookings» (cancel, move).

Wizard: topic → organisation (or any) → specialist (or any) → day (month calendar of days
with free time, within settings.booking.horizon_days) → time → format → the booking notice
(who sees the data, how long it is kept; for everyone, profile consent or not) → name → phone
(shared contact or typed) → child's age (or skip) → question (or skip) → confirmation →
booked, with an .ics file. The notice's acceptance (when; NOTICE_VERSION) is kept with the
booking. Back works at every step; /cancel leaves without a trace: answers live only in the
FSM data until BookingService.book(). A time that overlaps another active booking of the
parent is refused by book() and reschedule(), naming that booking.

Screens with buttons are edited in place; text steps send a new prompt and the buttons of
the previous prompt are removed (its id is `pm` in the FSM data), so no stale wizard buttons
stay pressable. Every wizard button carries the step it belongs to where that matters
(Back, Skip), and wizard handlers are bound to their state: an old button answers «outdated».

Moving a booking keeps the topic, the organisation and the format: any specialist of that
organisation who gives this topic in this format may take it (the calendar and the times
show only such slots). The place stays the same, the confirmation names the specialist.

Events for others (notices to the specialist, reminders): after a successful book, cancel
or move, the handlers take `booking_events` (the dispatcher's keyword, set by the runner:
`dispatcher["booking_events"] = notices`) and, when it is there, await
    booked(info: BookingInfo)
    cancelled(info: BookingInfo)
    moved(info: BookingInfo, old_starts_at: datetime)
An absent hook is ignored; a failing hook is logged and never undoes the parent's action.

FSM data (JSON only): mode ("new" | "move"), svc, prv, spc (ids; None = any), day (ISO date),
slot (slot id), fmt, nat (ISO, when the notice was accepted), name, phone, age, q,
pm (message id), bid, old_at (ISO), old_spc.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F
from aiogram.filters import Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.telegram.calendar import month_end, month_start
from bot.telegram.dates import day_text, when_text
from bot.telegram.i18n import Html, Locales, Translator
from bot.telegram.screens import drop_buttons, redraw, remove_buttons
from handlers.booking import views
from handlers.booking.views import MyBooking, SlotDetails, Wizard
from handlers.conversation import leave
from handlers.filters import FreeText, MenuButton, NotCommandOrMenu
from handlers.hooks import BookingEvents
from handlers.links import Section
from handlers.menu import main_menu
from handlers.pickers import ConsentAnswer
from handlers.routes import Routes
from services.booking.contact_details import clean_name, contact_phone, normalize_phone, parse_age
from services.booking.ics import CalendarEvent, event_ics
from services.booking.service import (
    NOTICE_VERSION,
    BookingError,
    BookingInfo,
    BookingService,
    Choice,
    Contact,
    SlotInfo,
    SpecialistInfo,
)
from services.people.profiles import CHILD_AGE_RANGE, Profile

router = Routes("booking")
buttons = Routes("booking_buttons")  # tried early: only booking makes them
router.filter("message", F.chat.type == "private")
buttons.filter("callback_query", F.message.chat.type == "private")
log = logging.getLogger(__name__)

MAX_QUESTION = 500
MAX_REASON = 500
MAX_LISTED = 10
ICS_DOMAIN = "consultations.edu-navigator"


class BookingFlow(StatesGroup):
    svc = State()
    prv = State()
    spc = State()
    day = State()
    time = State()
    fmt = State()
    name = State()
    phone = State()
    age = State()
    q = State()
    cons = State()
    conf = State()
    why = State()


STATES: dict[str, State] = {
    state.state.split(":", 1)[1]: state  # type: ignore[union-attr]
    for state in BookingFlow.__all_states__
}
TEXT_STEPS = ("name", "phone", "age", "q", "why")
BACK_NEW = {
    "prv": "svc",
    "spc": "prv",
    "day": "spc",
    "time": "day",
    "fmt": "time",
    "cons": "fmt",
    "name": "cons",
    "phone": "name",
    "age": "phone",
    "q": "age",
    "conf": "q",
}
BACK_MOVE = {"time": "day", "conf": "time"}


class BackLabel(Filter):
    """The reply-keyboard «◀️ Назад» of the phone step, in any language."""

    async def __call__(self, message: Message, locales: Locales) -> bool:
        return message.text in set(locales.all("btn-back"))


@dataclass
class Ctx:
    """What the wizard's handlers use: their `ctx`, made per update (Routes.context)."""

    t: Translator
    state: FSMContext
    booking: BookingService
    settings: Settings
    profile: Profile
    bot: Bot
    answer: CallbackAnswer | None
    events: BookingEvents | None

    @classmethod
    def of(
        cls,
        *,
        t: Translator,
        state: FSMContext,
        booking: BookingService,
        settings: Settings,
        profile: Profile,
        bot: Bot,
        callback_answer: CallbackAnswer | None = None,
        booking_events: BookingEvents | None = None,
        **_: Any,
    ) -> Ctx:
        return cls(t, state, booking, settings, profile, bot, callback_answer, booking_events)

    @property
    def zone(self) -> ZoneInfo:
        return self.booking.zone

    @property
    def user_id(self) -> int:
        return self.profile.user_id

    def horizon(self) -> tuple[date, date]:
        today = self.booking.now().astimezone(self.zone).date()
        return today, today + timedelta(days=self.settings.booking.horizon_days)

    def toast(self, key: str, *, alert: bool = False, **kwargs: object) -> None:
        if self.answer is not None:
            self.answer.text = views.plain(self.t(key, **kwargs))
            self.answer.show_alert = alert


router.context("ctx", Ctx.of)
buttons.context("ctx", Ctx.of)


# --- entry ---------------------------------------------------------------------------------
SECTION = Section("booking-intro", views.entry_keyboard)  # the menu's button, /start consult


@buttons.message(MenuButton("menu-consult"))
async def consult_button(
    message: Message, t: Translator, state: FSMContext, dialog_manager: DialogManager
) -> None:
    await leave(state, dialog_manager)
    await SECTION.open(message, t, dialog_manager)


async def _fresh(query: CallbackQuery, ctx: Ctx) -> None:
    """Leave any dialog of this router: its last prompt loses its buttons, the state goes."""
    pm = (await ctx.state.get_data()).get("pm")
    if pm and pm != query.message.message_id:
        await drop_buttons(ctx.bot, query.message.chat.id, pm)
    await ctx.state.clear()


@buttons.callback_query(Wizard.filter(F.a == "new"))
async def start_booking(query: CallbackQuery, ctx: Ctx) -> None:
    await _fresh(query, ctx)
    active = await ctx.booking.user_bookings(ctx.user_id)
    if len(active) >= ctx.settings.booking.max_active:
        await redraw(query.message, _limit_text(ctx), views.mine_button_keyboard(ctx.t))
        return
    await ctx.state.set_data({"mode": "new"})
    await go("svc", query, ctx)


@buttons.callback_query(Wizard.filter(F.a == "mine"))
async def my_bookings(query: CallbackQuery, ctx: Ctx) -> None:
    await _fresh(query, ctx)
    await show_bookings(query, ctx)


async def show_bookings(target: CallbackQuery | Message, ctx: Ctx) -> None:
    bookings = (await ctx.booking.user_bookings(ctx.user_id))[:MAX_LISTED]
    text = views.bookings_text(ctx.t, bookings, ctx.zone)
    markup = views.bookings_keyboard(ctx.t, bookings, ctx.zone)
    if isinstance(target, CallbackQuery):
        await redraw(target.message, text, markup)
    else:
        await target.answer(text, reply_markup=markup)


# --- moving between steps ------------------------------------------------------------------
async def go(
    step: str, target: CallbackQuery | Message, ctx: Ctx, month: date | None = None
) -> None:
    """Enter `step`: set the state and show its screen (edited in place after a press)."""
    await ctx.state.set_state(STATES[step])
    if step == "phone":
        await _drop_prompt(target, ctx)
        message = target.message if isinstance(target, CallbackQuery) else target
        await message.answer(ctx.t("booking-ask-phone"), reply_markup=views.phone_keyboard(ctx.t))
        return
    text, markup = await screen(step, ctx, month)
    data = await ctx.state.get_data()
    pm = data.get("pm")
    if isinstance(target, CallbackQuery):
        message = target.message
        if pm and pm != message.message_id:
            await drop_buttons(ctx.bot, message.chat.id, pm)
        pm = (await redraw(message, text, markup)).message_id
    else:
        await _drop_prompt(target, ctx)
        sent = await target.answer(text, reply_markup=markup)
        pm = sent.message_id
    await ctx.state.update_data(pm=pm)


async def screen(
    step: str, ctx: Ctx, month: date | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    t, data = ctx.t, await ctx.state.get_data()
    if step == "svc":
        services = await ctx.booking.services()
        if not services:
            return t("booking-no-services"), views.prompt_keyboard(t, "svc")
        return t("booking-ask-service"), views.list_keyboard(t, services, "svc", "svc")
    if step == "prv":
        service = await ctx.booking.service(data["svc"])
        providers = await ctx.booking.providers(data["svc"])
        return (
            t("booking-ask-provider", service=service.title(t.locale) if service else "—"),
            views.list_keyboard(t, providers, "prv", "prv", any_key="booking-any-provider"),
        )
    if step == "spc":
        specialists = await ctx.booking.specialists(data["svc"], data.get("prv"))
        return (
            t("booking-ask-specialist", summary=Html(await _choice_summary(ctx, data))),
            views.specialists_keyboard(t, specialists),
        )
    if step == "day":
        return await _calendar_screen(ctx, data, month)
    if step == "time":
        day = date.fromisoformat(data["day"])
        slots = await _slots(ctx, data, day)
        with_names = data.get("mode") == "move" or data.get("spc") is None
        text = t("booking-ask-time", day=Html(day_text(t, day)))
        if not slots:
            text += "\n\n" + t("booking-day-empty")
        return (
            text,
            views.times_keyboard(t, slots, ctx.zone, with_names),
        )
    if step == "fmt":
        details = await _details(ctx, data, data["slot"])
        if details is None:  # the specialist or the organisation is gone meanwhile
            return t("booking-gone"), views.entry_keyboard(t)
        return (
            t(
                "booking-ask-format",
                when=Html(when_text(t, details.slot.starts_at, ctx.zone)),
                specialist=views.specialist_text(details.slot.specialist, details.position),
                place=views.place_text(details.slot.provider, details.address),
            ),
            views.formats_keyboard(t, details.slot.formats),
        )
    if step == "name":
        return t("booking-ask-name"), views.prompt_keyboard(t, "name")
    if step == "age":
        extra = []
        if ctx.profile.child_age is not None:
            label = views.plain(t("child-age-value", age=ctx.profile.child_age))
            extra.append(
                InlineKeyboardButton(
                    text=label, callback_data=Wizard(a="age", v=ctx.profile.child_age).pack()
                )
            )
        return t("booking-ask-age"), views.prompt_keyboard(t, "age", skip=True, extra=extra)
    if step == "q":
        return t("booking-ask-question", limit=MAX_QUESTION), views.prompt_keyboard(
            t, "q", skip=True
        )
    if step == "cons":
        days = ctx.settings.retention.booking_days
        return t("booking-notice", version=NOTICE_VERSION, days=days), views.consent_keyboard(t)
    if step == "conf":
        return await _confirmation(ctx, data)
    if step == "why":
        info = await ctx.booking.booking(data["bid"])
        when = when_text(t, info.starts_at, ctx.zone) if info else "—"
        return (
            t("booking-ask-reason", when=Html(when), code=info.code if info else "—"),
            views.reason_keyboard(t, data["bid"]),
        )
    raise ValueError(step)


async def _calendar_screen(
    ctx: Ctx, data: dict[str, Any], month: date | None
) -> tuple[str, InlineKeyboardMarkup]:
    t = ctx.t
    first, last = ctx.horizon()
    free = await _free_days(ctx, data, first, last)
    if data.get("mode") == "move":
        text = t(
            "booking-move-ask-day",
            code=data["code"],
            when=Html(when_text(t, datetime.fromisoformat(data["old_at"]), ctx.zone)),
        )
    else:
        text = t("booking-ask-day", summary=Html(await _choice_summary(ctx, data)))
    if not free:
        no_days = t("booking-no-days", days=ctx.settings.booking.horizon_days)
        return text + "\n\n" + no_days, views.prompt_keyboard(t, "day")
    if month is None:
        chosen = data.get("day")
        month = date.fromisoformat(chosen) if chosen else min(free)
    return text, views.calendar_keyboard(t, month_start(month), free, first, last)


async def _choice_summary(ctx: Ctx, data: dict[str, Any]) -> str:
    t = ctx.t
    service = await ctx.booking.service(data["svc"])
    lines = [t("booking-summary-service", service=service.title(t.locale) if service else "—")]
    if "prv" in data:
        provider = t("booking-any-provider-value")
        if data["prv"] is not None:
            names = {p.id: p.name for p in await ctx.booking.providers(data["svc"])}
            provider = html.escape(names.get(data["prv"], "—"), quote=False)
        lines.append(t("booking-summary-provider", provider=Html(provider)))
    if "spc" in data:
        specialist = t("booking-any-specialist-value")
        if data["spc"] is not None:
            person = await _specialist(ctx, data["svc"], data["spc"])
            specialist = html.escape(person.name if person else "—", quote=False)
        lines.append(t("booking-summary-specialist", specialist=Html(specialist)))
    return "\n".join(lines)


async def _specialist(ctx: Ctx, service_id: int, specialist_id: int) -> SpecialistInfo | None:
    for person in await ctx.booking.specialists(service_id, None):
        if person.id == specialist_id:
            return person
    return None


async def _eligible(ctx: Ctx, data: dict[str, Any]) -> list[SpecialistInfo]:
    """Move: specialists of the same organisation and topic who work in the same format."""
    people = await ctx.booking.specialists(data["svc"], data["prv"])
    return [person for person in people if data["fmt"] in person.formats]


async def _free_days(ctx: Ctx, data: dict[str, Any], first: date, last: date) -> set[date]:
    if data.get("mode") == "move":
        days: set[date] = set()
        for person in await _eligible(ctx, data):
            choice = Choice(data["svc"], data["prv"], person.id)
            days |= await ctx.booking.free_days(choice, first, last)
        return days
    choice = Choice(data["svc"], data.get("prv"), data.get("spc"))
    return await ctx.booking.free_days(choice, first, last)


def _fits_move(slot: SlotInfo, data: dict[str, Any]) -> bool:
    old_at = datetime.fromisoformat(data["old_at"])
    same_as_now = slot.specialist_id == data["old_spc"] and slot.starts_at == old_at
    return data["fmt"] in slot.formats and not same_as_now


async def _slots(ctx: Ctx, data: dict[str, Any], day: date) -> list[SlotInfo]:
    if data.get("mode") == "move":
        slots = await ctx.booking.free_slots(Choice(data["svc"], data["prv"]), day)
        return [slot for slot in slots if _fits_move(slot, data)]
    return await ctx.booking.free_slots(Choice(data["svc"], data.get("prv"), data.get("spc")), day)


async def _details(ctx: Ctx, data: dict[str, Any], slot_id: int) -> SlotDetails | None:
    """The slot with its specialist's position and the address, if it fits the choice."""
    slot = await ctx.booking.slot(slot_id)
    if slot is None:
        return None
    person = await _specialist(ctx, data["svc"], slot.specialist_id)
    if person is None:
        return None
    if data.get("prv") is not None and person.provider_id != data["prv"]:
        return None
    if data.get("mode") != "move" and data.get("spc") not in (None, person.id):
        return None
    if data.get("mode") == "move" and not _fits_move(slot, data):
        return None
    return SlotDetails(
        slot,
        person.position,
        person.provider_id,
        await ctx.booking.provider_address(person.provider_id),
    )


async def _confirmation(ctx: Ctx, data: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup]:
    t = ctx.t
    details = await _details(ctx, data, data["slot"])
    if details is None:
        return t("booking-gone"), views.entry_keyboard(t)
    if data.get("mode") == "move":
        text = t(
            "booking-move-confirm",
            code=data["code"],
            old=Html(when_text(t, datetime.fromisoformat(data["old_at"]), ctx.zone)),
            when=Html(when_text(t, details.slot.starts_at, ctx.zone)),
            specialist=views.specialist_text(details.slot.specialist, details.position),
            place=views.place_text(details.slot.provider, details.address),
            format=Html(views.format_text(t, data["fmt"])),
        )
        return text, views.confirm_keyboard(t)
    service = await ctx.booking.service(data["svc"])
    if service is None:
        return t("booking-gone"), views.entry_keyboard(t)
    return views.confirmation_text(t, ctx.zone, service, details, data), views.confirm_keyboard(t)


async def _drop_prompt(target: CallbackQuery | Message, ctx: Ctx) -> None:
    """Remove the buttons of the previous prompt (or of the pressed message)."""
    data = await ctx.state.get_data()
    pm = data.get("pm")
    if isinstance(target, CallbackQuery):
        message = target.message
        await remove_buttons(message)
        if pm and pm != message.message_id:
            await drop_buttons(ctx.bot, message.chat.id, pm)
    elif pm:
        await drop_buttons(ctx.bot, target.chat.id, pm)
    await ctx.state.update_data(pm=None)


async def _current_step(ctx: Ctx) -> str | None:
    state = await ctx.state.get_state()
    if state is None or not state.startswith("BookingFlow:"):
        return None
    return state.split(":", 1)[1]


# --- Back ----------------------------------------------------------------------------------
@buttons.callback_query(StateFilter(BookingFlow), Wizard.filter(F.a == "back"))
async def back_pressed(query: CallbackQuery, callback_data: Wizard, ctx: Ctx) -> None:
    step = await _current_step(ctx)
    if step != callback_data.d:
        ctx.toast("button-outdated", alert=True)
        return
    await go_back(step, query, ctx)


async def go_back(step: str, target: CallbackQuery, ctx: Ctx) -> None:
    data = await ctx.state.get_data()
    if step == "why" or (data.get("mode") == "move" and step == "day"):
        await ctx.state.clear()
        await show_bookings(target, ctx)
        return
    previous = (BACK_MOVE if data.get("mode") == "move" else BACK_NEW).get(step)
    if previous is None:  # the first step: back to the entry screen
        await ctx.state.clear()
        await redraw(target.message, ctx.t("booking-intro"), views.entry_keyboard(ctx.t))
        return
    await go(previous, target, ctx)


# --- topic, organisation, specialist -------------------------------------------------------
@buttons.callback_query(BookingFlow.svc, Wizard.filter(F.a == "svc"))
async def service_chosen(query: CallbackQuery, callback_data: Wizard, ctx: Ctx) -> None:
    if await ctx.booking.service(callback_data.v) is None:
        ctx.toast("booking-choice-gone", alert=True)
        await go("svc", query, ctx)
        return
    await _forget(ctx, "prv", "spc", "day", "slot", "fmt")
    await ctx.state.update_data(svc=callback_data.v)
    await go("prv", query, ctx)


@buttons.callback_query(BookingFlow.prv, Wizard.filter(F.a == "prv"))
async def provider_chosen(query: CallbackQuery, callback_data: Wizard, ctx: Ctx) -> None:
    answers = await ctx.state.get_data()
    provider_id = callback_data.v or None
    known = {p.id for p in await ctx.booking.providers(answers["svc"])}
    if provider_id is not None and provider_id not in known:
        ctx.toast("booking-choice-gone", alert=True)
        await go("prv", query, ctx)
        return
    await _forget(ctx, "spc", "day", "slot", "fmt")
    await ctx.state.update_data(prv=provider_id)
    await go("spc", query, ctx)


@buttons.callback_query(BookingFlow.spc, Wizard.filter(F.a == "spc"))
async def specialist_chosen(query: CallbackQuery, callback_data: Wizard, ctx: Ctx) -> None:
    answers = await ctx.state.get_data()
    specialist_id = callback_data.v or None
    known = {p.id for p in await ctx.booking.specialists(answers["svc"], answers.get("prv"))}
    if specialist_id is not None and specialist_id not in known:
        ctx.toast("booking-choice-gone", alert=True)
        await go("spc", query, ctx)
        return
    await _forget(ctx, "day", "slot", "fmt")
    await ctx.state.update_data(spc=specialist_id)
    await go("day", query, ctx)


async def _forget(ctx: Ctx, *keys: str) -> None:
    data = await ctx.state.get_data()
    await ctx.state.set_data({k: v for k, v in data.items() if k not in keys})


# --- day and time --------------------------------------------------------------------------
@buttons.callback_query(BookingFlow.day, Wizard.filter(F.a == "noop"))
async def not_a_day(query: CallbackQuery, ctx: Ctx) -> None:
    ctx.toast("booking-cal-noop")


@buttons.callback_query(BookingFlow.day, Wizard.filter(F.a == "mon"))
async def month_turned(query: CallbackQuery, callback_data: Wizard, ctx: Ctx) -> None:
    first, last = ctx.horizon()
    try:
        month = date.fromisoformat(callback_data.d + "-01")
    except ValueError:
        month = None
    if month is None or month_end(month) < first or month > last:
        ctx.toast("booking-cal-noop")
        return
    await go("day", query, ctx, month=month)


@buttons.callback_query(BookingFlow.day, Wizard.filter(F.a == "day"))
async def day_chosen(query: CallbackQuery, callback_data: Wizard, ctx: Ctx) -> None:
    first, last = ctx.horizon()
    try:
        day = date.fromisoformat(callback_data.d)
    except ValueError:
        day = None
    answers = await ctx.state.get_data()
    if day is None or not first <= day <= last or not await _slots(ctx, answers, day):
        ctx.toast("booking-day-empty", alert=True)
        await go("day", query, ctx, month=day if day and first <= day <= last else None)
        return
    await _forget(ctx, "slot")
    await ctx.state.update_data(day=day.isoformat())
    await go("time", query, ctx)


@buttons.callback_query(BookingFlow.time, Wizard.filter(F.a == "slot"))
async def time_chosen(query: CallbackQuery, callback_data: Wizard, ctx: Ctx) -> None:
    answers = await ctx.state.get_data()
    free = {slot.id for slot in await _slots(ctx, answers, date.fromisoformat(answers["day"]))}
    details = await _details(ctx, answers, callback_data.v) if callback_data.v in free else None
    if details is None:
        ctx.toast("booking-time-gone", alert=True)
        await go("time" if free else "day", query, ctx)
        return
    await ctx.state.update_data(slot=callback_data.v)
    if answers.get("mode") == "move":
        await go("conf", query, ctx)
        return
    if answers.get("fmt") not in details.slot.formats:
        await _forget(ctx, "fmt")
    await go("fmt", query, ctx)


@buttons.callback_query(BookingFlow.fmt, Wizard.filter(F.a == "fmt"))
async def format_chosen(query: CallbackQuery, callback_data: Wizard, ctx: Ctx) -> None:
    answers = await ctx.state.get_data()
    details = await _details(ctx, answers, answers["slot"])
    if details is None or callback_data.d not in details.slot.formats:
        ctx.toast("booking-choice-gone", alert=True)
        await go("time", query, ctx)
        return
    await ctx.state.update_data(fmt=callback_data.d)
    await go("cons", query, ctx)


# --- name, phone, age, question ------------------------------------------------------------
@router.message(BookingFlow.name, FreeText())
async def name_typed(message: Message, ctx: Ctx) -> None:
    name = clean_name(message.text)
    if name is None:
        await message.answer(ctx.t("booking-name-invalid"))
        return
    await ctx.state.update_data(name=name)
    await go("phone", message, ctx)


@router.message(BookingFlow.phone, F.text, BackLabel())
async def phone_back(message: Message, ctx: Ctx) -> None:
    await message.answer(ctx.t("booking-back-note"), reply_markup=main_menu(ctx.t))
    await go("name", message, ctx)


@router.message(BookingFlow.phone, F.contact)
async def phone_shared(message: Message, ctx: Ctx) -> None:
    contact = message.contact
    if contact.user_id != message.from_user.id:
        await message.answer(ctx.t("booking-phone-not-yours"))
        return
    phone = contact_phone(contact.phone_number)
    if phone is None:
        await message.answer(ctx.t("booking-phone-invalid"))
        return
    await _phone_accepted(message, ctx, phone)


@router.message(BookingFlow.phone, FreeText())
async def phone_typed(message: Message, ctx: Ctx) -> None:
    phone = normalize_phone(message.text)
    if phone is None:
        await message.answer(ctx.t("booking-phone-invalid"))
        return
    await _phone_accepted(message, ctx, phone)


async def _phone_accepted(message: Message, ctx: Ctx, phone: str) -> None:
    await ctx.state.update_data(phone=phone)
    await message.answer(ctx.t("booking-phone-ok", phone=phone), reply_markup=main_menu(ctx.t))
    await go("age", message, ctx)


@router.message(BookingFlow.age, FreeText())
async def age_typed(message: Message, ctx: Ctx) -> None:
    age = parse_age(message.text)
    if age is None:
        await message.answer(ctx.t("booking-age-invalid"))
        return
    await ctx.state.update_data(age=age)
    await go("q", message, ctx)


@buttons.callback_query(BookingFlow.age, Wizard.filter(F.a == "age"))
async def age_from_profile(query: CallbackQuery, callback_data: Wizard, ctx: Ctx) -> None:
    if callback_data.v not in CHILD_AGE_RANGE:
        ctx.toast("booking-age-invalid", alert=True)
        return
    await ctx.state.update_data(age=callback_data.v)
    await _drop_prompt(query, ctx)
    await go("q", query.message, ctx)


@buttons.callback_query(StateFilter(BookingFlow.age, BookingFlow.q), Wizard.filter(F.a == "skip"))
async def step_skipped(query: CallbackQuery, callback_data: Wizard, ctx: Ctx) -> None:
    step = await _current_step(ctx)
    if step != callback_data.d:
        ctx.toast("button-outdated", alert=True)
        return
    await ctx.state.update_data(**{"age" if step == "age" else "q": None})
    await _drop_prompt(query, ctx)
    await _after(step, query.message, ctx)


@router.message(BookingFlow.q, FreeText())
async def question_typed(message: Message, ctx: Ctx) -> None:
    question = message.text.strip()
    if len(question) > MAX_QUESTION:
        await message.answer(
            ctx.t("booking-question-too-long", limit=MAX_QUESTION, length=len(question))
        )
        return
    await ctx.state.update_data(q=question)
    await _after("q", message, ctx)


async def _after(step: str, message: Message, ctx: Ctx) -> None:
    """The step that follows age or question."""
    await go("q" if step == "age" else "conf", message, ctx)


# --- the booking notice ------------------------------------------------------------------
@buttons.callback_query(BookingFlow.cons, ConsentAnswer.filter(F.purpose == views.CONSENT_PURPOSE))
async def notice_answered(query: CallbackQuery, callback_data: ConsentAnswer, ctx: Ctx) -> None:
    if not callback_data.agree:
        await ctx.state.clear()
        await redraw(query.message, ctx.t("booking-notice-refused"), None)
        return
    await ctx.state.update_data(nat=ctx.booking.now().isoformat())
    await go("name", query, ctx)


# --- confirmation and its outcomes ---------------------------------------------------------
@buttons.callback_query(BookingFlow.conf, Wizard.filter(F.a == "ok"))
async def confirmed(query: CallbackQuery, ctx: Ctx) -> None:
    answers = await ctx.state.get_data()
    if answers.get("mode") == "move":
        await _move(query, ctx, answers)
        return
    if not answers.get("nat"):  # a dialog begun before the notice existed: show it now
        await go("cons", query, ctx)
        return
    choice = Choice(answers["svc"], answers.get("prv"), answers.get("spc"))
    contact = Contact(
        name=answers["name"],
        phone=answers["phone"],
        child_age=answers.get("age"),
        question=answers.get("q"),
        locale=ctx.t.locale,
        notice_at=datetime.fromisoformat(answers["nat"]),
    )
    try:
        info = await ctx.booking.book(ctx.user_id, choice, answers["slot"], answers["fmt"], contact)
    except BookingError as error:
        await _refused(query, ctx, answers, error)
        return
    await ctx.state.clear()
    text = ctx.t("booking-done", details=Html(views.booking_lines(ctx.t, info, ctx.zone)))
    await redraw(query.message, text, None)
    await _send_ics(query.message, ctx, info, "booking-ics-caption")
    await _publish(ctx, "booked", info)


async def _move(query: CallbackQuery, ctx: Ctx, answers: dict[str, Any]) -> None:
    old_at = datetime.fromisoformat(answers["old_at"])
    try:
        info = await ctx.booking.reschedule(ctx.user_id, answers["bid"], answers["slot"])
    except BookingError as error:
        await _refused(query, ctx, answers, error)
        return
    await ctx.state.clear()
    text = ctx.t(
        "booking-moved",
        old=Html(when_text(ctx.t, old_at, ctx.zone)),
        details=Html(views.booking_lines(ctx.t, info, ctx.zone)),
    )
    await redraw(query.message, text, None)
    await _send_ics(query.message, ctx, info, "booking-ics-caption-moved")
    await _publish(ctx, "moved", info, old_at)


async def _refused(
    query: CallbackQuery, ctx: Ctx, answers: dict[str, Any], error: BookingError
) -> None:
    t = ctx.t
    if error.reason == "clash" and error.clash is not None:
        lines = views.booking_lines(t, error.clash, ctx.zone)
        await redraw(
            query.message, t("booking-clash", details=Html(lines)), views.clash_keyboard(t)
        )
        await ctx.state.update_data(pm=query.message.message_id)
        return
    if error.reason == "slot_taken":
        alternatives = await _alternatives(ctx, answers, error.alternatives)
        key = "booking-slot-taken" if alternatives else "booking-slot-taken-none"
        markup = views.alternatives_keyboard(t, alternatives, ctx.zone)
        shown = await redraw(query.message, t(key), markup)
        await ctx.state.update_data(pm=shown.message_id)
        return
    await ctx.state.clear()
    if error.reason == "limit":
        await redraw(query.message, _limit_text(ctx), views.mine_button_keyboard(t))
    elif answers.get("mode") == "move":
        key = "booking-too-late" if error.reason == "too_late" else "booking-not-found"
        await redraw(query.message, t(key), None)
        await show_bookings(query.message, ctx)
    else:
        await redraw(query.message, t("booking-gone"), views.entry_keyboard(t))


def _limit_text(ctx: Ctx) -> str:
    return ctx.t("booking-limit", limit=ctx.settings.booking.max_active)


async def _alternatives(
    ctx: Ctx, answers: dict[str, Any], offered: list[SlotInfo], limit: int = 5
) -> list[SlotInfo]:
    """Slots that keep every other answer: the same choice and a format the specialist gives."""
    if answers.get("mode") == "move":
        found: list[SlotInfo] = []
        for person in await _eligible(ctx, answers):
            choice = Choice(answers["svc"], answers["prv"], person.id)
            found += await ctx.booking.nearest_slots(choice, limit)
        found = [slot for slot in found if _fits_move(slot, answers)]
        return sorted(found, key=lambda slot: slot.starts_at)[:limit]
    return [slot for slot in offered if answers["fmt"] in slot.formats][:limit]


@buttons.callback_query(BookingFlow.conf, Wizard.filter(F.a == "alt"))
async def alternative_chosen(query: CallbackQuery, callback_data: Wizard, ctx: Ctx) -> None:
    answers = await ctx.state.get_data()
    details = await _details(ctx, answers, callback_data.v)
    if details is None or answers["fmt"] not in details.slot.formats:
        ctx.toast("booking-time-gone", alert=True)
        return
    local_day = details.slot.starts_at.astimezone(ctx.zone).date()
    await ctx.state.update_data(slot=callback_data.v, day=local_day.isoformat())
    await go("conf", query, ctx)


@buttons.callback_query(BookingFlow.conf, Wizard.filter(F.a == "cal"))
async def other_day(query: CallbackQuery, ctx: Ctx) -> None:
    await _forget(ctx, "slot")
    await go("day", query, ctx)


@buttons.callback_query(StateFilter(BookingFlow), Wizard.filter(F.a == "stop"))
async def stopped(query: CallbackQuery, ctx: Ctx) -> None:
    await ctx.state.clear()
    await remove_buttons(query)
    await query.message.answer(ctx.t("cancel-done"), reply_markup=main_menu(ctx.t))


async def _send_ics(message: Message, ctx: Ctx, info: BookingInfo, caption_key: str) -> None:
    t = ctx.t
    location = views.place_text(info.specialist.provider, info.address)
    if info.format != "in_person":
        location = f"{views.plain(views.format_text(t, info.format))}: {info.specialist.provider}"
    event = CalendarEvent(
        uid=f"consultation-{info.id}-{info.code}@{ICS_DOMAIN}",
        starts_at=info.starts_at,
        ends_at=info.ends_at,
        summary=views.plain(t("booking-ics-summary", service=info.service.title(t.locale))),
        location=location,
        description=views.plain(
            t(
                "booking-ics-description",
                code=info.code,
                specialist=views.specialist_text(info.specialist.name, info.specialist.position),
                format=Html(views.format_text(t, info.format)),
            )
        ),
        stamp=ctx.booking.now(),
    )
    document = BufferedInputFile(event_ics(event), filename=f"konsultaciya-{info.code}.ics")
    await message.answer_document(document, caption=t(caption_key), reply_markup=main_menu(t))


async def _publish(ctx: Ctx, name: str, *args: Any) -> None:
    if ctx.events is None:
        return
    try:
        await getattr(ctx.events, name)(*args)
    except Exception:
        log.exception("booking_events.%s failed", name)


# --- My bookings: cancel and move ----------------------------------------------------------
async def _own_upcoming(ctx: Ctx, booking_id: int) -> BookingInfo | None:
    info = await ctx.booking.booking(booking_id)
    if info is None or info.user_id != ctx.user_id or info.status != "active":
        return None
    if info.starts_at <= ctx.booking.now():
        return None
    return info


@buttons.callback_query(MyBooking.filter(F.a == "c"))
async def cancel_asked(query: CallbackQuery, callback_data: MyBooking, ctx: Ctx) -> None:
    await _fresh(query, ctx)
    if await _own_upcoming(ctx, callback_data.id) is None:
        ctx.toast("booking-not-found", alert=True)
        await show_bookings(query, ctx)
        return
    await ctx.state.set_data({"bid": callback_data.id})
    await go("why", query, ctx)


@router.message(BookingFlow.why, FreeText())
async def reason_typed(message: Message, ctx: Ctx) -> None:
    reason = message.text.strip()
    if len(reason) > MAX_REASON:
        await message.answer(ctx.t("booking-reason-too-long", limit=MAX_REASON))
        return
    await _drop_prompt(message, ctx)
    await _cancel(message, ctx, reason)


@buttons.callback_query(BookingFlow.why, MyBooking.filter(F.a == "n"))
async def no_reason(query: CallbackQuery, callback_data: MyBooking, ctx: Ctx) -> None:
    if (await ctx.state.get_data()).get("bid") != callback_data.id:
        ctx.toast("button-outdated", alert=True)
        return
    await _drop_prompt(query, ctx)
    await _cancel(query.message, ctx, None)


async def _cancel(message: Message, ctx: Ctx, reason: str | None) -> None:
    booking_id = (await ctx.state.get_data())["bid"]
    await ctx.state.clear()
    try:
        info = await ctx.booking.cancel(ctx.user_id, booking_id, reason)
    except BookingError as error:
        key = "booking-too-late" if error.reason == "too_late" else "booking-not-found"
        await message.answer(ctx.t(key))
        return
    when = when_text(ctx.t, info.starts_at, ctx.zone)
    await message.answer(
        ctx.t("booking-cancelled", when=Html(when), code=info.code), reply_markup=main_menu(ctx.t)
    )
    await _publish(ctx, "cancelled", info)


@buttons.callback_query(MyBooking.filter(F.a == "m"))
async def move_asked(query: CallbackQuery, callback_data: MyBooking, ctx: Ctx) -> None:
    await _fresh(query, ctx)
    info = await _own_upcoming(ctx, callback_data.id)
    if info is None:
        ctx.toast("booking-not-found", alert=True)
        await show_bookings(query, ctx)
        return
    await ctx.state.set_data(
        {
            "mode": "move",
            "bid": info.id,
            "code": info.code,
            "svc": info.service.id,
            "prv": info.specialist.provider_id,
            "fmt": info.format,
            "old_at": info.starts_at.isoformat(),
            "old_spc": info.specialist.id,
        }
    )
    await go("day", query, ctx)


# --- anything else inside the flow ---------------------------------------------------------
@router.message(StateFilter(BookingFlow), NotCommandOrMenu())
async def unexpected(message: Message, ctx: Ctx) -> None:
    step = await _current_step(ctx)
    await message.answer(
        ctx.t("booking-text-only" if step in TEXT_STEPS else "booking-use-buttons")
    )
