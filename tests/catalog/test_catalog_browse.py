"""Browsing the demo catalogue as a parent would: directions, filters, cards, nearby, staff."""

from __future__ import annotations

import pytest
from aiogram.methods import SendVenue

from db.models import Programme

pytestmark = pytest.mark.both_messengers


async def _open_catalog(user) -> None:
    await user.send("🔎 Кружки и центры")
    assert "Выберите направление" in user.text()


async def test_direction_list_pages_and_filters(client):
    anna = client.user(9101)
    await _open_catalog(anna)
    await anna.press("Техническое")
    assert "Техническое — 224 программы" in anna.text()
    assert "1 из 38" in anna.visible_labels()
    await anna.press("▶️")
    assert "\n7. " in anna.text() and "2 из 38" in anna.visible_labels()

    await anna.press("🎂 Возраст")
    await anna.press("10")
    assert "Фильтры: 10 лет" in anna.text()
    await anna.press("📍 Место")
    await anna.press("Асино")
    assert "Фильтры: 10 лет, Асино и онлайн" in anna.text()  # online reaches every place
    lines = [line for line in anna.text().splitlines() if line[:1].isdigit()]
    assert lines and all("Асино" in line or "🌐 онлайн" in line for line in lines)
    await anna.press("💸 Бесплатные")
    assert "только бесплатные" in anna.text()
    assert all("бесплатно" in line for line in anna.text().splitlines() if line[:1].isdigit())
    await anna.press("💸 Бесплатные ✓")
    assert "только бесплатные" not in anna.text()
    await anna.press("⬅️ Направления")
    assert "Выберите направление" in anna.text()


async def test_profile_age_and_place_are_the_starting_filters(client):
    anna = client.user(9102)
    await anna.send("/start")
    await anna.press("Родитель")
    await anna.send("Асино")
    await anna.send("8")
    await anna.press("✅ Согласен(на)")
    await _open_catalog(anna)
    await anna.press("Художественное")
    assert "Фильтры: 8 лет, Асино" in anna.text()


async def test_empty_result_says_so_and_offers_a_way_out(client):
    anna = client.user(9103)
    await _open_catalog(anna)
    await anna.press("Туристско-краеведческое")
    await anna.press("🎂 Возраст")
    await anna.press("3")
    assert "ничего не нашлось" in anna.text()
    assert "🎂 Возраст" in anna.visible_labels()


async def test_programme_card_map_enrol_and_share(client, app):
    anna = client.user(9104)
    await _open_catalog(anna)
    await anna.press("Естественнонаучное")
    first = next(label for label in anna.visible_labels() if label.startswith("1. "))
    await anna.press(first)
    card = anna.text()
    assert first.removeprefix("1. ") in card and "лет" in card and "🏫" in card

    await anna.press("🗺 На карте")
    assert isinstance(anna.last[0].method, SendVenue)
    await anna.press("✍️ Как записаться")
    assert "навигатор" in anna.text()
    await anna.press("🔗 Поделиться")
    link = anna.text().split()[-1]
    assert link.startswith(client.start_link("p-"))

    friend = client.user(9105)
    await friend.send("/start " + link.split("start=")[1])
    assert first.removeprefix("1. ") in friend.texts()[0]


async def test_centre_card_and_its_programmes(client):
    anna = client.user(9106)
    await anna.send("/start o-1")
    assert "Программ:" in anna.texts()[0]
    label = next(label for label in anna.visible_labels() if label.startswith("📚"))
    await anna.press(label)
    assert "программы:" in anna.text()


async def test_nearby_from_a_location_and_from_a_typed_locality(client):
    anna = client.user(9107)
    await _open_catalog(anna)
    await anna.press("📍 Рядом со мной")
    assert "📍 Отправить геопозицию" in anna.visible_labels()
    await anna.share_location(56.4847, 84.9482)  # Tomsk centre
    text = anna.text()
    assert "Ближайшие к вам центры" in text
    distances = [
        float(line.split(" — ")[1].split(" км")[0].replace(",", "."))  # «4,9 км»
        for line in text.splitlines()
        if " км · " in line
    ]
    assert len(distances) == 10 and distances == sorted(distances) and distances[0] < 5

    await anna.press("⬅️ Направления")  # the directions above became the list: back to them
    await anna.press("📍 Рядом со мной")
    await anna.send("Кедровый")
    assert "Кедровый" in anna.text()
    newest_first = [label for label in anna.visible_labels() if label.startswith("1. ")][-1]
    await anna.press(newest_first)
    assert "Кедровый" in anna.text()


async def test_staff_hide_show_and_free_seats(client, app):
    admin = client.user(900001)
    await admin.send("/start p-7")
    await admin.press("🙈 Скрыть")
    assert "Скрыто" in admin.callback_answer().text
    parent = client.user(9108)
    await parent.send("/start p-7")
    assert "ссылка устарела" in parent.texts()[0]

    await admin.press("👁 Показать")
    await parent.send("/start p-7")
    assert "ссылка устарела" not in parent.texts()[0]

    await admin.press("🪑 Места")
    await admin.send("1000")
    assert "Нужно целое число" in admin.text()
    await admin.send("3")
    assert "Свободных мест теперь: 3" in admin.text()
    async with app.sessions() as session:
        assert (await session.get(Programme, 7)).seats_free == 3


async def test_staff_buttons_are_refused_to_others(client):
    parent = client.user(9109)
    await parent.send("/start p-8")
    assert "🙈 Скрыть" not in parent.visible_labels()
