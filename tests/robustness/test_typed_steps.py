"""Typed steps: a command or a menu button always leaves the step and does what it says; and
the dates staff type are taken only within the window the bot works with (2000–2100)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import func, select

from db.models import ScheduleException
from services.booking.exports import PeriodError, parse_period
from services.consultations.admin import DaysError, parse_days
from services.events.service import EventError, parse_local_time

ADMIN = 900001
PARENT = 7501
TOMSK = ZoneInfo("Asia/Tomsk")


def _key(client, user_id: int) -> StorageKey:
    return StorageKey(bot_id=client.bot.id, chat_id=user_id, user_id=user_id)


def _shown(person) -> str:  # type: ignore[no-untyped-def]
    """What the last action showed: texts and the labels of their buttons."""
    labels = [
        button.text
        for out in person.last
        if out.message is not None and out.message.reply_markup is not None
        for row in getattr(out.message.reply_markup, "inline_keyboard", [])
        for button in row
    ]
    return "\n".join([person.text(), *labels])


def _plain(t, key: str, **values: object) -> str:  # type: ignore[no-untyped-def]
    """A key's first line as Telegram shows it (the tags parsed away)."""
    line = t(key, **values).splitlines()[0]
    for tag in ("<b>", "</b>", "<code>", "</code>"):
        line = line.replace(tag, "")
    return line


# --- commands and menu buttons leave typed steps -------------------------------------------------
LEAVING = [  # who, the typed step, what they type, a line of what they get, the state after
    (ADMIN, "SettingsFlow:locality", "/broadcast", "cmp-ask-content", None),  # a dialog
    (ADMIN, "SettingsFlow:age", "/broadcast", "cmp-ask-content", None),
    (ADMIN, "SettingsFlow:locality", "/consult_admin", "scadm-menu", None),
    (ADMIN, "SettingsFlow:age", "/events_admin", "eadm-btn-new", None),
    (ADMIN, "CloseFlow:reason", "menu-consult", "booking-intro", None),
    (ADMIN, "ReportsFlow:period", "/help", "help-text", None),
    (ADMIN, "CatalogFlow:seats", "/consult_admin", "scadm-menu", None),
    (PARENT, "SettingsFlow:age", "/help", "help-text", None),
    (PARENT, "SettingsFlow:locality", "menu-events", None, None),
    (PARENT, "Onboarding:age", "/settings", "settings-btn-language", None),
    (PARENT, "Onboarding:locality", "/menu", "menu-shown", None),
    (PARENT, "BookingFlow:name", "/broadcast", "cmp-staff-only", "BookingFlow:name"),
    (PARENT, "BookingFlow:q", "menu-catalog", "catalog-intro", None),
]


@pytest.mark.parametrize(("user_id", "step", "typed", "shown", "after"), LEAVING)
async def test_a_command_or_a_menu_button_leaves_a_typed_step(
    client, app, user_id, step, typed, shown, after
):
    t = app.locales.get("ru")
    person = client.user(user_id)
    await person.send("/start")
    key = _key(client, user_id)
    await client.dispatcher.storage.set_state(key, step)
    await client.dispatcher.storage.set_data(key, {"title": "Черновик", "programme_id": 1})
    await person.send(typed if typed.startswith("/") else t(typed))
    texts = _shown(person)
    for refusal in ("locality-not-found", "age-invalid", "booking-name-invalid"):
        assert _plain(t, refusal, text=typed)[:20] not in texts, (step, typed)
    if shown is not None:
        assert _plain(t, shown) in texts, (step, typed, texts)
    else:
        assert person.last, (step, typed)
    assert await client.dispatcher.storage.get_state(key) == after, (step, typed)


# --- dates at the edges --------------------------------------------------------------------------
# An event's or a broadcast's time outside the window: their dialogs' tests (tests/events,
# tests/broadcasts) type the edge dates into the real windows.


@pytest.mark.parametrize(
    "typed", ["01.01.0001", "31.12.9999", "31.12.9999–31.12.9999", "30.12.2100–02.01.2101"]
)
async def test_closing_days_outside_the_window_are_refused(client, app, typed):
    t = app.locales.get("ru")
    admin = client.user(ADMIN)
    await admin.send("/consult_admin")
    await admin.press(t("scadm-btn-close"))
    first = next(label for label in admin.visible_labels() if label != t("scadm-btn-menu"))
    await admin.press(first)
    await admin.press(t("scadm-btn-whole", count=len(admin.visible_labels()) - 2))
    await admin.send(typed)
    assert admin.text() == t("scadm-days-window"), typed
    await admin.send("01.01.2100")  # still the days step: a day in the window is taken
    assert "Причина" in admin.text(), typed
    async with app.sessions() as session:
        count = select(func.count()).select_from(ScheduleException)
        assert (await session.execute(count)).scalar() == 0


@pytest.mark.parametrize(
    "typed", ["01.01.0001–02.01.0001", "31.12.9999", "0001-01-01 0001-01-31", "25.12.2101"]
)
async def test_a_report_period_outside_the_window_is_refused(client, app, typed):
    t = app.locales.get("ru")
    admin = client.user(ADMIN)
    await admin.send("/reports")
    await admin.press(t("srep-btn-export"))
    await admin.press(t("srep-btn-period-custom"))
    await admin.send(typed)
    first = typed.replace("–", " ").split()[0]
    assert admin.text() == _plain(t, "srep-period-bad-window", text=first), typed
    await admin.send("01.10.2026–31.12.2026")  # still the period step
    assert "01.10.2026–31.12.2026" in admin.text() and t("srep-btn-kind-csv") in _shown(admin)


def test_the_parsers_take_dates_within_the_window_only():
    now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    for text in ("01.01.0001 00:00", "31.12.9999 23:59", "31.12.1999 23:59", "01.01.2101 00:00"):
        with pytest.raises(EventError) as refused:
            parse_local_time(text, TOMSK, now)
        assert refused.value.code == "date-window", text
    assert parse_local_time("31.12.2100 23:59", TOMSK, now).year == 2100
    today = date(2026, 11, 23)
    for text in ("01.01.0001", "31.12.9999", "01.12.2100–05.01.2101"):
        with pytest.raises(DaysError) as refused:
            parse_days(text, today)
        assert refused.value.reason == "window", text
    assert parse_days("30.12.2100–31.12.2100", today)[1] == date(2100, 12, 31)
    for text in ("01.01.0001", "31.12.9999", "1999-12-31 2000-01-05"):
        with pytest.raises(PeriodError) as refused:
            parse_period(text)
        assert refused.value.reason == "window", text
    assert parse_period("01.01.2000–31.01.2000").first == date(2000, 1, 1)


async def test_a_specialist_reference_in_other_digits_finds_nobody(client, app):
    t = app.locales.get("ru")
    admin = client.user(ADMIN)
    for command in ("/linkcode ²", "/unlink ²", "/linkcode ٣", "/linkcode 99999999999"):
        await admin.send(command)
        assert admin.text() == t("spec-not-found", ref=command.split()[1]), command


@pytest.mark.parametrize("step", ["CatalogFlow:seats"])  # ages: tests/people (dialogs)
async def test_a_number_in_other_digits_is_not_a_seat_count(client, app, step):
    t = app.locales.get("ru")
    admin = client.user(ADMIN)
    key = _key(client, ADMIN)
    await client.dispatcher.storage.set_state(key, step)
    await client.dispatcher.storage.set_data(key, {"programme_id": 1})
    await admin.send("²")
    refusal = {"CatalogFlow:seats": "staff-seats-invalid"}.get(step, "age-invalid")
    assert _plain(t, refusal, total="∞")[:20] in admin.text(), step
    assert await client.dispatcher.storage.get_state(key) == step
