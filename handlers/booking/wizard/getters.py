"""What the booking and reschedule windows show: read from the booking service on each render,
with the answers so far (handlers/booking/wizard/answers.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.telegram.dates import day_text, when_text
from bot.telegram.i18n import Html, Translator
from handlers.booking import views
from handlers.booking.wizard import answers as a
from handlers.booking.wizard import waiting
from handlers.pickers.child import plain_title
from services.booking.service import NOTICE_VERSION, BookingService
from services.people.children import ChildService
from services.people.profiles import Profile
from services.waitlists.entries import WaitlistService

Data = dict[str, Any]
MAX_TIMES = 90


async def topics(
    dialog_manager: DialogManager, booking: BookingService, t: Translator, **_: Any
) -> Data:
    items = [{"id": str(s.id), "label": s.title(t.locale)} for s in await booking.services()]
    return {"topics": items, "has_topics": bool(items)}


async def organisations(
    dialog_manager: DialogManager, booking: BookingService, t: Translator, **_: Any
) -> Data:
    data = a.answers(dialog_manager)
    service = await booking.service(data["service"])
    providers = await booking.providers(data["service"])
    return {
        "service": service.title(t.locale) if service else "—",
        "organisations": [{"id": str(p.id), "label": p.title(t.locale)} for p in providers],
    }


async def specialists(
    dialog_manager: DialogManager, booking: BookingService, t: Translator, **_: Any
) -> Data:
    data = a.answers(dialog_manager)
    people = await booking.specialists(data["service"], data.get("provider"))
    items = [
        {
            "id": str(person.id),
            "label": f"{views.short_name(person.name)} · {person.position}"
            if person.position
            else person.name,
        }
        for person in people
    ]
    return {"summary": Html(await a.summary(booking, t, data)), "specialists": items}


async def days(
    dialog_manager: DialogManager,
    booking: BookingService,
    t: Translator,
    settings: Settings,
    waitlists: WaitlistService,
    profile: Profile,
    **_: Any,
) -> Data:
    data = a.answers(dialog_manager)
    first, last = a.horizon(booking, settings)
    free = sorted(await a.free_days(booking, data, first, last))
    shown: Data = {
        "open_days": [day.isoformat() for day in free],
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "calendar_start": data.get("day") or (free[0].isoformat() if free else None),
        "has_days": bool(free),
        "horizon": settings.booking.horizon_days,
        "wait_offered": False,
        "wait_joined": False,
    }
    if not free:
        shown |= await waiting.shown(data, profile.user_id, waitlists)
    if a.is_move(data):
        old_at = datetime.fromisoformat(data["old_at"])
        shown |= {"code": data["code"], "when": Html(when_text(t, old_at, booking.zone))}
    else:
        shown["summary"] = Html(await a.summary(booking, t, data))
    return shown


async def times(
    dialog_manager: DialogManager, booking: BookingService, t: Translator, **_: Any
) -> Data:
    data = a.answers(dialog_manager)
    day = date.fromisoformat(data["day"])
    found = await a.slots(booking, data, day)
    with_names = a.is_move(data) or data.get("specialist") is None
    items = [
        {"id": str(slot.id), "label": views.slot_label(slot, booking.zone, with_names)}
        for slot in found[:MAX_TIMES]
    ]
    return {
        "day": Html(day_text(t, day)),
        "times": items,
        "no_times": not items,
        "short": not with_names,  # times only: four a row
        "named": with_names,  # times with the specialist's name: two a row
    }


async def formats(
    dialog_manager: DialogManager, booking: BookingService, t: Translator, **_: Any
) -> Data:
    data = a.answers(dialog_manager)
    details = await a.details(booking, data, data["slot"])
    if details is None:  # the specialist or the organisation is gone meanwhile
        return {"gone": True, "formats": []}
    return {
        "gone": False,
        "when": Html(when_text(t, details.slot.starts_at, booking.zone)),
        "specialist": views.specialist_text(details.slot.specialist, details.position),
        "place": views.place_text(details.slot.provider, details.address),
        "formats": [
            {"id": code, "label": views.plain(t(views.FORMAT_BUTTON_KEYS[code]))}
            for code in details.slot.formats
            if code in views.FORMAT_BUTTON_KEYS
        ],
    }


async def notice(settings: Settings, **_: Any) -> Data:
    return {"version": NOTICE_VERSION, "days": settings.retention.booking_days}


async def age(profile: Profile, t: Translator, children: ChildService, **_: Any) -> Data:
    """Which child the consultation is about (a button each), none, or an age typed."""
    today = children.today()
    kids = await children.list(profile.user_id)
    return {
        "has_children": bool(kids),
        "children": [
            {"id": str(child.id), "label": plain_title(t, child, today)} for child in kids
        ],
    }


async def question(**_: Any) -> Data:
    return {"limit": a.MAX_QUESTION}


async def confirmation(
    dialog_manager: DialogManager, booking: BookingService, t: Translator, **_: Any
) -> Data:
    data = a.answers(dialog_manager)
    details = await a.details(booking, data, data["slot"])
    if details is None:
        return {"gone": True, "new": False, "move": False}
    zone = booking.zone
    if a.is_move(data):
        return {
            "gone": False,
            "new": False,
            "move": True,
            "code": data["code"],
            "old": Html(when_text(t, datetime.fromisoformat(data["old_at"]), zone)),
            "when": Html(when_text(t, details.slot.starts_at, zone)),
            "specialist": views.specialist_text(details.slot.specialist, details.position),
            "place": views.place_text(details.slot.provider, details.address),
            "format": Html(views.format_text(t, data["format"])),
        }
    service = await booking.service(data["service"])
    if service is None:
        return {"gone": True, "new": False, "move": False}
    fields = views.confirmation_fields(t, zone, service, details, data)
    return {"gone": False, "new": True, "move": False, **fields}


async def taken(
    dialog_manager: DialogManager, booking: BookingService, t: Translator, **_: Any
) -> Data:
    data = a.answers(dialog_manager)
    offered = []
    for slot_id in data.get("offered", []):
        slot = await booking.slot(slot_id)
        if slot is not None:
            when = views.plain(when_text(t, slot.starts_at, booking.zone))
            label = f"{when} · {views.short_name(slot.specialist)}"
            offered.append({"id": str(slot.id), "label": label})
    return {"offered": offered, "none_offered": not offered}


async def clash(
    dialog_manager: DialogManager, booking: BookingService, t: Translator, **_: Any
) -> Data:
    info = await booking.booking(dialog_manager.dialog_data.get("clash", 0))
    lines = views.booking_lines(t, info, booking.zone) if info is not None else "—"
    return {"details": Html(lines)}
