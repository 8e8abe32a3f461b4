"""The answers given so far, and what the booking service says about them.

Booking keeps its answers in the dialog's data; Reschedule starts with the booking being moved
in its start data. Both as JSON: ids, codes, ISO days and times.
  service, provider, specialist   ids; provider / specialist None = any (absent = not asked yet)
  day (ISO date), slot (id), format ("in_person" | "phone" | "video")
  notice_at (ISO time the booking notice was accepted), name, phone, age, question
  move: booking, code, old_at (ISO), old_specialist — moving keeps the topic, the organisation
  and the format; any specialist of that organisation who gives both may take it.
"""

from __future__ import annotations

import html
from datetime import date, datetime, timedelta
from typing import Any

from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.telegram.i18n import Html, Translator
from handlers.booking.views import SlotDetails
from services.booking.service import BookingInfo, BookingService, Choice, SlotInfo, SpecialistInfo

Answers = dict[str, Any]
MAX_QUESTION = 500
MAX_REASON = 500


def answers(manager: DialogManager) -> Answers:
    return {**(manager.start_data or {}), **manager.dialog_data}


def is_move(data: Answers) -> bool:
    return "old_at" in data


def forget(manager: DialogManager, *keys: str) -> None:
    for key in keys:
        manager.dialog_data.pop(key, None)


def horizon(booking: BookingService, settings: Settings) -> tuple[date, date]:
    """Today in the configured zone, and the last day one may book."""
    today = booking.now().astimezone(booking.zone).date()
    return today, today + timedelta(days=settings.booking.horizon_days)


def move_data(info: BookingInfo) -> Answers:
    """Reschedule's start data."""
    return {
        "booking": info.id,
        "code": info.code,
        "service": info.service.id,
        "provider": info.specialist.provider_id,
        "format": info.format,
        "old_at": info.starts_at.isoformat(),
        "old_specialist": info.specialist.id,
    }


def choice(data: Answers, specialist_id: int | None = None) -> Choice:
    if is_move(data):
        return Choice(data["service"], data["provider"], specialist_id)
    return Choice(data["service"], data.get("provider"), data.get("specialist"))


async def eligible(booking: BookingService, data: Answers) -> list[SpecialistInfo]:
    """Move: specialists of the same organisation and topic who work in the same format."""
    people = await booking.specialists(data["service"], data["provider"])
    return [person for person in people if data["format"] in person.formats]


async def free_days(booking: BookingService, data: Answers, first: date, last: date) -> set[date]:
    if not is_move(data):
        return await booking.free_days(choice(data), first, last)
    days: set[date] = set()
    for person in await eligible(booking, data):
        days |= await booking.free_days(choice(data, person.id), first, last)
    return days


def fits_move(slot: SlotInfo, data: Answers) -> bool:
    old_at = datetime.fromisoformat(data["old_at"])
    same_as_now = slot.specialist_id == data["old_specialist"] and slot.starts_at == old_at
    return data["format"] in slot.formats and not same_as_now


async def slots(booking: BookingService, data: Answers, day: date) -> list[SlotInfo]:
    found = await booking.free_slots(choice(data), day)
    if is_move(data):
        return [slot for slot in found if fits_move(slot, data)]
    return found


async def specialist(
    booking: BookingService, service_id: int, specialist_id: int
) -> SpecialistInfo | None:
    for person in await booking.specialists(service_id, None):
        if person.id == specialist_id:
            return person
    return None


async def details(booking: BookingService, data: Answers, slot_id: int) -> SlotDetails | None:
    """The slot with its specialist's position and the address, if it fits the answers."""
    slot = await booking.slot(slot_id)
    if slot is None:
        return None
    person = await specialist(booking, data["service"], slot.specialist_id)
    if person is None:
        return None
    if data.get("provider") is not None and person.provider_id != data["provider"]:
        return None
    if is_move(data):
        if not fits_move(slot, data):
            return None
    elif data.get("specialist") not in (None, person.id):
        return None
    address = await booking.provider_address(person.provider_id)
    return SlotDetails(slot, person.position, person.provider_id, address)


async def alternatives(
    booking: BookingService, data: Answers, offered: list[SlotInfo], limit: int = 5
) -> list[SlotInfo]:
    """After «slot taken»: slots that keep every other answer (the choice and the format)."""
    if not is_move(data):
        return [slot for slot in offered if data["format"] in slot.formats][:limit]
    found: list[SlotInfo] = []
    for person in await eligible(booking, data):
        found += await booking.nearest_slots(choice(data, person.id), limit)
    found = [slot for slot in found if fits_move(slot, data)]
    return sorted(found, key=lambda slot: slot.starts_at)[:limit]


async def summary(booking: BookingService, t: Translator, data: Answers) -> str:
    """Topic, organisation and specialist chosen so far (HTML)."""
    service = await booking.service(data["service"])
    lines = [t("booking-summary-service", service=service.title(t.locale) if service else "—")]
    if "provider" in data:
        provider = t("booking-any-provider-value")
        if data["provider"] is not None:
            names = {p.id: p.name for p in await booking.providers(data["service"])}
            provider = html.escape(names.get(data["provider"], "—"), quote=False)
        lines.append(t("booking-summary-provider", provider=Html(provider)))
    if "specialist" in data:
        name = t("booking-any-specialist-value")
        if data["specialist"] is not None:
            person = await specialist(booking, data["service"], data["specialist"])
            name = html.escape(person.name if person else "—", quote=False)
        lines.append(t("booking-summary-specialist", specialist=Html(name)))
    return "\n".join(lines)
