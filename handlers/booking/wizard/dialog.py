"""The windows of booking a consultation and of moving a booking. Back walks the states in
their order (states.py); on the first step it closes the dialog, back to the screen that
opened it. A text sent where a press is wanted is answered, never taken as a question."""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.state import State
from aiogram.types import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import (
    Back,
    Button,
    Cancel,
    Group,
    RequestContact,
    Row,
    Select,
)
from aiogram_dialog.widgets.markup.reply_keyboard import ReplyKeyboardFactory

from bot.telegram.dialogs import Tr
from bot.telegram.month_calendar import DaysCalendar
from handlers.booking.wizard import actions, getters, outcomes, section, typed, waiting
from handlers.booking.wizard.states import Booking, Reschedule
from handlers.booking.wizard.texts import Plain, Typed, said
from handlers.filters import ContentIs, FreeText

BACK = Tr("btn-back")


def _item_id(item: dict) -> str:
    return item["id"]


def _choices(id: str, items: str, on_click, width: int = 1, when: str | None = None) -> Group:  # type: ignore[no-untyped-def]
    select = Select(Plain(), id=id, item_id_getter=_item_id, items=items, on_click=on_click)
    return Group(select, width=width, when=when)


def _buttons_only() -> tuple[MessageInput]:
    """Messages where a press is wanted are told so (commands and menu buttons never reach a
    dialog: handlers/routes.py)."""
    return (MessageInput(typed.use_buttons),)


def _typed(handler) -> tuple[MessageInput, ...]:  # type: ignore[no-untyped-def]
    return (
        MessageInput(handler, filter=FreeText()),
        MessageInput(typed.text_only),
    )


def _calendar() -> DaysCalendar:
    return DaysCalendar(
        "calendar",
        actions.day_chosen,
        days="open_days",
        first="first_day",
        last="last_day",
        start="calendar_start",
        closed_key="booking-cal-noop",
        when="has_days",
    )


def _no_days() -> Tr:
    return Tr("booking-no-days", days="horizon", when=lambda data, *_: not data["has_days"])


def _times(state: State) -> Window:
    return Window(
        said("booking-ask-time", "day"),
        Tr("booking-day-empty", when="no_times"),
        _choices("time", "times", actions.time_chosen, width=4, when="short"),
        _choices("named_time", "times", actions.time_chosen, width=2, when="named"),
        Back(BACK),
        *_buttons_only(),
        state=state,
        getter=getters.times,
    )


def _taken(state: State) -> Window:
    return Window(
        Tr("booking-slot-taken", when="offered"),
        Tr("booking-slot-taken-none", when="none_offered"),
        _choices("offered", "offered", actions.alternative_chosen),
        Button(Tr("booking-btn-other-day"), id="other_day", on_click=actions.other_day),
        Button(Tr("btn-cancel"), id="stop", on_click=outcomes.stopped),
        *_buttons_only(),
        state=state,
        getter=getters.taken,
    )


def _clash(state: State) -> Window:
    return Window(
        said("booking-clash", "details"),
        Button(Tr("booking-btn-other-day"), id="other_day", on_click=actions.other_day),
        Button(Tr("booking-btn-mine"), id="mine", on_click=section.to_mine),
        Button(Tr("btn-cancel"), id="stop", on_click=outcomes.stopped),
        *_buttons_only(),
        state=state,
        getter=getters.clash,
    )


def _confirm_buttons() -> tuple[Button, Row]:
    return (
        Button(
            Tr("booking-btn-confirm"),
            id="ok",
            on_click=outcomes.confirmed,
            when=lambda data, *_: not data["gone"],
        ),
        Row(Back(BACK), Button(Tr("btn-cancel"), id="stop", on_click=outcomes.stopped)),
    )


def booking_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("booking-ask-service", when="has_topics"),
            Tr("booking-no-services", when=lambda data, *_: not data["has_topics"]),
            _choices("topic", "topics", actions.topic_chosen),
            Cancel(BACK),
            *_buttons_only(),
            state=Booking.topic,
            getter=getters.topics,
        ),
        Window(
            said("booking-ask-provider", "service"),
            _choices("organisation", "organisations", actions.organisation_chosen),
            Button(Tr("booking-any-provider"), id="any", on_click=actions.any_organisation),
            Back(BACK),
            *_buttons_only(),
            state=Booking.organisation,
            getter=getters.organisations,
        ),
        Window(
            said("booking-ask-specialist", "summary"),
            _choices("specialist", "specialists", actions.specialist_chosen),
            Button(Tr("booking-any-specialist"), id="any", on_click=actions.any_specialist),
            Back(BACK),
            *_buttons_only(),
            state=Booking.specialist,
            getter=getters.specialists,
        ),
        Window(
            said("booking-ask-day", "summary"),
            _no_days(),
            _calendar(),
            Button(
                Tr("waitlist-btn-join-time"), id="wait", on_click=waiting.join, when="wait_offered"
            ),
            Button(
                Tr("waitlist-btn-leave-time"),
                id="unwait",
                on_click=waiting.leave,
                when="wait_joined",
            ),
            Back(BACK),
            *_buttons_only(),
            state=Booking.day,
            getter=getters.days,
        ),
        _times(Booking.time),
        Window(
            said(
                "booking-ask-format",
                "when",
                "specialist",
                "place",
                when=lambda d, *_: not d["gone"],
            ),
            Tr("booking-gone", when="gone"),
            _choices("format", "formats", actions.format_chosen),
            Back(BACK),
            *_buttons_only(),
            state=Booking.format,
            getter=getters.formats,
        ),
        Window(
            said("booking-notice", "version", "days"),
            Button(Tr("btn-consent-yes"), id="agree", on_click=outcomes.notice_agreed),
            Button(Tr("btn-consent-no"), id="refuse", on_click=outcomes.notice_refused),
            Back(BACK),
            *_buttons_only(),
            state=Booking.notice,
            getter=getters.notice,
        ),
        Window(
            Tr("booking-ask-name"),
            Back(BACK),
            *_typed(typed.name_typed),
            state=Booking.name,
        ),
        Window(
            Tr("booking-ask-phone"),
            RequestContact(Tr("booking-btn-share-phone")),
            Typed("btn-back", "btn-cancel"),
            MessageInput(typed.phone_shared, filter=ContentIs(ContentType.CONTACT)),
            *_typed(typed.phone_typed),
            markup_factory=ReplyKeyboardFactory(
                resize_keyboard=True,
                one_time_keyboard=True,
                input_field_placeholder=Tr("booking-phone-placeholder"),
            ),
            state=Booking.phone,
        ),
        Window(
            Tr("booking-ask-age", when=~F["has_children"]),
            Tr("booking-ask-child", when="has_children"),
            _choices("child", "children", typed.child_chosen),
            Row(
                Button(
                    Tr("btn-skip"), id="skip", on_click=typed.age_skipped, when=~F["has_children"]
                ),
                Button(
                    Tr("booking-btn-no-child"),
                    id="no_child",
                    on_click=typed.age_skipped,
                    when="has_children",
                ),
                Back(BACK),
            ),
            *_typed(typed.age_typed),
            state=Booking.age,
            getter=getters.age,
        ),
        Window(
            said("booking-ask-question", "limit"),
            Row(Button(Tr("btn-skip"), id="skip", on_click=typed.question_skipped), Back(BACK)),
            *_typed(typed.question_typed),
            state=Booking.question,
            getter=getters.question,
        ),
        Window(
            said(
                "booking-confirm",
                *("service", "place", "specialist", "when", "format"),
                *("name", "phone", "age", "question"),
                when="new",
            ),
            Tr("booking-gone", when="gone"),
            *_confirm_buttons(),
            *_buttons_only(),
            state=Booking.confirm,
            getter=getters.confirmation,
        ),
        _taken(Booking.taken),
        _clash(Booking.clash),
    )


def reschedule_dialog() -> Dialog:
    return Dialog(
        Window(
            said("booking-move-ask-day", "code", "when"),
            _no_days(),
            _calendar(),
            Cancel(BACK),
            *_buttons_only(),
            state=Reschedule.day,
            getter=getters.days,
        ),
        _times(Reschedule.time),
        Window(
            said(
                "booking-move-confirm",
                *("code", "old", "when", "specialist", "place", "format"),
                when="move",
            ),
            Tr("booking-gone", when="gone"),
            *_confirm_buttons(),
            *_buttons_only(),
            state=Reschedule.confirm,
            getter=getters.confirmation,
        ),
        _taken(Reschedule.taken),
        _clash(Reschedule.clash),
    )
