"""Screens that tell the truth (issue 14): online programmes under any place filter, the
place filter as the one locality picker (typed names, typos), «← к списку» under cards,
labels cut at a word, decimal commas, «Рядом» counted as the card counts, a pupil asked as a
pupil, no waitlist promised, and buttons of a flow walked away from taken away. RU and EN."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from db.models import Organisation, Programme

BACK_TO_LIST = {"ru": "← к списку", "en": "← to the list"}


async def _list(user, catalogue: str, direction: str) -> None:
    await user.send(catalogue)
    await user.press(direction)


def _now(user, message):
    """The message as the chat shows it now (after edits)."""
    return next(m for m in user.messages if m.message_id == message.message_id)


def _buttons_of(message) -> list[str]:
    markup = message.reply_markup
    return [b.text for row in (markup.inline_keyboard if markup else []) for b in row]


def _numbered(user) -> list[str]:
    return [label for label in user.visible_labels() if re.match(r"\d+\. ", label)]


async def test_a_card_from_the_list_goes_back_to_the_list(client):
    anna = client.user(9701)
    await _list(anna, "🔎 Кружки и центры", "Художественное")
    above = anna.messages[-1]
    first = _numbered(anna)[0]
    await anna.press(first)
    assert BACK_TO_LIST["ru"] in anna.visible_labels()
    await anna.press(BACK_TO_LIST["ru"])
    assert "Художественное — " in anna.messages[-1].text  # drawn again below the card
    assert anna.messages[-1].message_id != above.message_id
    assert not _buttons_of(_now(anna, above))  # the copy above no longer answers
    await anna.press("▶️")  # the list below goes on
    assert "\n7. " in anna.text()


async def test_a_centre_near_and_its_programmes_go_back_to_the_centres(client):
    anna = client.user(9702, language_code="en")
    await anna.send("🔎 Clubs and centres")
    await anna.press("📍 Near me")
    await anna.send("Kedrovy")
    centres = anna.messages[-1]
    await anna.press(_numbered(anna)[0])
    assert BACK_TO_LIST["en"] in anna.visible_labels()  # under the centre's card
    programmes = next(label for label in anna.visible_labels() if label.startswith("📚"))
    await anna.press(programmes)
    assert anna.texts()[-1].endswith(": programmes")  # the centre's list, below its card
    assert not _buttons_of(_now(anna, centres))  # the centres above wait below the list
    await anna.press(BACK_TO_LIST["en"])  # the list's own: the centres in its place
    assert "Nearest centres" in anna.text() and anna.edits()
    assert _numbered(anna)


# --- online programmes and the place filter --------------------------------------------------
async def _visible_online(app) -> int:
    async with app.sessions() as session:
        return await session.scalar(
            select(func.count())
            .select_from(Programme)
            .join(Organisation)
            .where(
                Programme.format == "online",
                Programme.hidden.is_(False),
                Organisation.hidden.is_(False),
            )
        )


async def test_online_programmes_stay_whatever_the_place(client, app):
    anna = client.user(9703)
    await _list(anna, "🔎 Кружки и центры", "Все направления")
    await anna.press("📍 Место")
    await anna.send("Асино")  # typed into the place filter: no search starts
    assert "Фильтры: Асино и онлайн" in anna.text() and "🔎 Ищу" not in anna.text()
    for shown in ("🧭 Любой формат", "🧭 Очно"):  # to «Онлайн»
        await anna.press(shown)
    online = await _visible_online(app)
    assert online and f"Все направления — {online} " in anna.text()  # all of them, every town
    lines = [line for line in anna.text().splitlines() if re.match(r"\d+\. ", line)]
    assert lines and all("🌐 онлайн" in line for line in lines)


async def test_online_programmes_stay_whatever_the_place_in_english(client, app):
    bob = client.user(9704, language_code="en")
    await _list(bob, "🔎 Clubs and centres", "All directions")
    await bob.press("📍 Place")
    await bob.send("Kedrovy")
    assert "Kedrovy and online" in bob.text()
    for shown in ("🧭 Any format", "🧭 In person"):  # to «Online»
        await bob.press(shown)
    online = await _visible_online(app)
    assert f"All directions: {online} " in bob.text()
    assert all("🌐 online" in line for line in bob.text().splitlines() if re.match(r"\d+\. ", line))


# --- the locality picker: typed names, typos, «not found» -----------------------------------
async def test_the_place_filter_takes_a_name_with_a_typo(client):
    anna = client.user(9705)
    await _list(anna, "🔎 Кружки и центры", "Техническое")
    await anna.press("📍 Место")
    await anna.send("Томкс")
    assert "Фильтры: Томск и онлайн" in anna.text()
    assert "🔎 Кружки и центры" in anna.visible_labels()  # the main menu's keyboard is back


async def test_a_name_not_found_offers_the_location_button(client):
    bob = client.user(9706, language_code="en")
    await _list(bob, "🔎 Clubs and centres", "Arts")
    await bob.press("📍 Place")
    await bob.send("Hogwarts")
    assert "Could not find «Hogwarts»" in bob.text() and "share your location" in bob.text()
    assert "📍 Share location" in [b.text for row in bob.reply_keyboard.keyboard for b in row]
    await bob.send("Tomks")  # the picker still listens
    assert "Tomsk and online" in bob.text()


async def test_back_from_the_place_picker_keeps_the_list(client):
    anna = client.user(9707)
    await _list(anna, "🔎 Кружки и центры", "Техническое")
    await anna.press("▶️")
    await anna.press("📍 Место")
    await anna.press("◀️ Назад")
    assert "Место не изменилось" in anna.text() and "Фильтры не заданы" in anna.text()
    assert "2 из 38" in anna.visible_labels()
