"""Rendering of the consultation screens: callback data, keyboards, texts, dates.

Callback data carries ids and short codes only (never names):
  bk:<a>:<v>:<d>  the booking wizard. a = action, v = an id or number, d = a code or date:
      new / mine               entry buttons (work in any state)
      svc:<service id>         topic
      prv:<provider id|0>      organisation, 0 = any
      spc:<specialist id|0>    specialist, 0 = any
      mon::<YYYY-MM>           calendar month
      day::<YYYY-MM-DD>        calendar day
      slot:<slot id>           time
      fmt::<in_person|phone|video>
      age:<years>              the child's age taken from the profile
      skip::<step> / back::<step>   the step the button belongs to
      ok / stop                confirm / leave
      alt:<slot id>            an alternative after "slot taken"
      cal                      choose another day (after "slot taken")
      noop                     a calendar cell that is not a day to choose
  mb:<a>:<booking id>  My bookings: c = cancel, m = move, n = cancel without a reason
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.telegram.calendar import calendar_rows
from bot.telegram.dates import when_text
from bot.telegram.i18n import Html, Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from handlers import pickers
from handlers.callback_types import Code, Id, one_of
from services.booking.service import BookingInfo, Named, SlotInfo, SpecialistInfo

CONSENT_PURPOSE = "b"
FORMAT_KEYS = {
    "in_person": "booking-format-in-person",
    "phone": "booking-format-phone",
    "video": "booking-format-video",
}
FORMAT_BUTTON_KEYS = {
    "in_person": "booking-btn-format-in-person",
    "phone": "booking-btn-format-phone",
    "video": "booking-btn-format-video",
}


class Wizard(CallbackData, prefix="bk"):
    a: Code
    v: Id = 0
    d: Code = ""


class MyBooking(CallbackData, prefix="mb"):
    a: one_of("c", "m", "n")  # c cancel, m move, n cancel without a reason
    id: Id


# --- dates (day_text, when_text: bot/telegram/dates.py) -------------------------------------------
def short_when(moment: datetime, zone: ZoneInfo) -> str:
    """«23.11 10:30»: for button labels."""
    return moment.astimezone(zone).strftime("%d.%m %H:%M")


def short_name(full_name: str) -> str:
    """«Иванова Мария Петровна» → «Иванова М. П.»."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    return " ".join([parts[0], *(f"{part[0]}." for part in parts[1:3])])


def plain(text: str) -> str:
    """A translated text as plain text (for files and button labels)."""
    return html.unescape(text)


# --- keyboards -----------------------------------------------------------------------------
def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def back_button(t: Translator, step: str) -> InlineKeyboardButton:
    return _button(t("btn-back"), Wizard(a="back", d=step))


def entry_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(t("booking-btn-book"), Wizard(a="new")),
                _button(t("booking-btn-mine"), Wizard(a="mine")),
            ]
        ]
    )


def mine_button_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(t("booking-btn-mine"), Wizard(a="mine"))]]
    )


def list_keyboard(
    t: Translator, items: list[Named], action: str, step: str, any_key: str | None = None
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for item in items:
        builder.button(text=item.title(t.locale), callback_data=Wizard(a=action, v=item.id))
    builder.adjust(1)
    if any_key is not None:
        builder.row(_button(t(any_key), Wizard(a=action, v=0)))
    builder.row(back_button(t, step))
    return builder.as_markup()


def specialists_keyboard(t: Translator, specialists: list[SpecialistInfo]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for person in specialists:
        label = f"{short_name(person.name)} · {person.position}" if person.position else person.name
        builder.button(text=label, callback_data=Wizard(a="spc", v=person.id))
    builder.adjust(1)
    builder.row(_button(t("booking-any-specialist"), Wizard(a="spc", v=0)))
    builder.row(back_button(t, "spc"))
    return builder.as_markup()


def calendar_keyboard(
    t: Translator, month: date, pressable: set[date], first: date, last: date
) -> InlineKeyboardMarkup:
    rows = calendar_rows(
        t,
        month,
        pressable,
        first,
        last,
        day_data=lambda day: Wizard(a="day", d=day.isoformat()).pack(),
        month_data=lambda start: Wizard(a="mon", d=start.strftime("%Y-%m")).pack(),
        noop=Wizard(a="noop").pack(),
    )
    rows.append([back_button(t, "day")])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def slot_label(slot: SlotInfo, zone: ZoneInfo, with_name: bool) -> str:
    time = slot.starts_at.astimezone(zone).strftime("%H:%M")
    return f"{time} · {short_name(slot.specialist)}" if with_name else time


def times_keyboard(
    t: Translator, slots: list[SlotInfo], zone: ZoneInfo, with_names: bool
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for slot in slots[:90]:
        builder.button(
            text=slot_label(slot, zone, with_names), callback_data=Wizard(a="slot", v=slot.id)
        )
    builder.adjust(2 if with_names else 4)
    builder.row(back_button(t, "time"))
    return builder.as_markup()


def formats_keyboard(t: Translator, formats: tuple[str, ...]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code in formats:
        builder.button(text=t(FORMAT_BUTTON_KEYS[code]), callback_data=Wizard(a="fmt", d=code))
    builder.adjust(1)
    builder.row(back_button(t, "fmt"))
    return builder.as_markup()


def prompt_keyboard(
    t: Translator, step: str, *, skip: bool = False, extra: list[InlineKeyboardButton] = ()
) -> InlineKeyboardMarkup:
    rows = [list(extra)] if extra else []
    last_row = []
    if skip:
        last_row.append(_button(t("btn-skip"), Wizard(a="skip", d=step)))
    last_row.append(back_button(t, step))
    rows.append(last_row)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def phone_keyboard(t: Translator) -> ReplyKeyboardMarkup:
    """Contact sharing needs a reply keyboard; typing the number works as well."""
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=t("booking-btn-share-phone"), request_contact=True)],
            [KeyboardButton(text=t("btn-back")), KeyboardButton(text=t("btn-cancel"))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder=t("booking-phone-placeholder"),
    )


def consent_keyboard(t: Translator) -> InlineKeyboardMarkup:
    rows = list(pickers.consent_keyboard(t, CONSENT_PURPOSE).inline_keyboard)
    rows.append([back_button(t, "cons")])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def confirm_keyboard(t: Translator, step: str = "conf") -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(t("booking-btn-confirm"), Wizard(a="ok"))],
            [back_button(t, step), _button(t("btn-cancel"), Wizard(a="stop"))],
        ]
    )


def alternatives_keyboard(
    t: Translator, slots: list[SlotInfo], zone: ZoneInfo
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for slot in slots:
        label = f"{plain(when_text(t, slot.starts_at, zone))} · {short_name(slot.specialist)}"
        builder.button(text=label, callback_data=Wizard(a="alt", v=slot.id))
    builder.adjust(1)
    builder.row(_button(t("booking-btn-other-day"), Wizard(a="cal")))
    builder.row(_button(t("btn-cancel"), Wizard(a="stop")))
    return builder.as_markup()


def clash_keyboard(t: Translator) -> InlineKeyboardMarkup:
    """After "you have a booking at this time": another day, that booking, or leave."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(t("booking-btn-other-day"), Wizard(a="cal"))],
            [_button(t("booking-btn-mine"), Wizard(a="mine"))],
            [_button(t("btn-cancel"), Wizard(a="stop"))],
        ]
    )


def bookings_keyboard(
    t: Translator, bookings: list[BookingInfo], zone: ZoneInfo
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for info in bookings:
        when = short_when(info.starts_at, zone)
        builder.row(
            _button(t("booking-btn-cancel-item", when=when), MyBooking(a="c", id=info.id)),
            _button(t("booking-btn-move-item", when=when), MyBooking(a="m", id=info.id)),
        )
    if not bookings:
        builder.row(_button(t("booking-btn-book"), Wizard(a="new")))
    return builder.as_markup()


def reason_keyboard(t: Translator, booking_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(t("booking-btn-no-reason"), MyBooking(a="n", id=booking_id))],
            [back_button(t, "why")],
        ]
    )


# --- texts ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SlotDetails:
    """Everything the screens say about one slot."""

    slot: SlotInfo
    position: str
    provider_id: int
    address: str


def format_text(t: Translator, code: str) -> str:
    return t(FORMAT_KEYS[code]) if code in FORMAT_KEYS else code


def specialist_text(name: str, position: str) -> str:
    return f"{name}, {position}" if position else name


def place_text(provider: str, address: str) -> str:
    return f"{provider}, {address}" if address else provider


def confirmation_text(
    t: Translator, zone: ZoneInfo, service: Named, details: SlotDetails, answers: dict
) -> str:
    not_given = t("booking-not-given")
    age = answers.get("age")
    return t(
        "booking-confirm",
        service=service.title(t.locale),
        place=place_text(details.slot.provider, details.address),
        specialist=specialist_text(details.slot.specialist, details.position),
        when=Html(when_text(t, details.slot.starts_at, zone)),
        format=Html(format_text(t, answers["fmt"])),
        name=answers["name"],
        phone=answers["phone"],
        age=Html(t("child-age-value", age=age)) if age is not None else Html(not_given),
        question=answers.get("q") or Html(not_given),
    )


def booking_lines(t: Translator, info: BookingInfo, zone: ZoneInfo) -> str:
    return t(
        "booking-details",
        service=info.service.title(t.locale),
        when=Html(when_text(t, info.starts_at, zone)),
        specialist=specialist_text(info.specialist.name, info.specialist.position),
        place=place_text(info.specialist.provider, info.address),
        format=Html(format_text(t, info.format)),
        code=info.code,
    )


def bookings_text(t: Translator, bookings: list[BookingInfo], zone: ZoneInfo) -> str:
    if not bookings:
        return t("booking-mine-empty")
    parts = [t("booking-mine-header")]
    parts += [booking_lines(t, info, zone) for info in bookings]
    return "\n\n".join(parts)
