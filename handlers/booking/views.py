"""Texts of the consultation screens: dates, names, places, the confirmation and a booking's
lines (the dialogs' getters put them into their windows)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.telegram.dates import when_text
from bot.telegram.i18n import Html, Translator
from services.booking.service import BookingInfo, Named, SlotInfo

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


def slot_label(slot: SlotInfo, zone: ZoneInfo, with_name: bool) -> str:
    time = slot.starts_at.astimezone(zone).strftime("%H:%M")
    return f"{time} · {short_name(slot.specialist)}" if with_name else time


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


def confirmation_fields(
    t: Translator, zone: ZoneInfo, service: Named, details: SlotDetails, answers: dict
) -> dict[str, object]:
    """The placeholders of «booking-confirm»."""
    not_given = Html(t("booking-not-given"))
    age = answers.get("age")
    return {
        "service": service.title(t.locale),
        "place": place_text(details.slot.provider, details.address),
        "specialist": specialist_text(details.slot.specialist, details.position),
        "when": Html(when_text(t, details.slot.starts_at, zone)),
        "format": Html(format_text(t, answers["format"])),
        "name": answers["name"],
        "phone": answers["phone"],
        "age": Html(t("child-age-value", age=age)) if age is not None else not_given,
        "question": answers.get("question") or not_given,
    }


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
