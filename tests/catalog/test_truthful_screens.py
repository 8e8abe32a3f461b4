"""Screens that tell the truth (issue 14): online programmes under any place filter, the
place filter as the one locality picker (typed names, typos), «← к списку» under cards,
labels cut at a word, decimal commas, «Рядом» counted as the card counts, a pupil asked as a
pupil, no waitlist promised, and buttons of a flow walked away from taken away. RU and EN."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from db.models import Organisation, Programme
from services.people.children import Given

pytestmark = pytest.mark.both_messengers

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


# --- «Рядом»: counted as the card counts, centres with programmes first, «Ещё» ----------------
LINE = re.compile(r"^(\d+)\. (.+?)(?: —|:) ([\d.,]+) (?:км|km) · (.+)$")


def _lines(text: str) -> list[re.Match]:
    return [m for line in text.splitlines() if (m := LINE.match(line))]


async def _profile(app, user_id: int, locale: str, **fields: object) -> None:
    """A profile with consent; `child_age=N`: its one child of that age."""
    age = fields.pop("child_age", None)
    await app.profiles.get_or_create(user_id, locale)
    await app.profiles.give_consent(user_id, **fields)
    if age is not None:
        await app.children.add(user_id, Given(age=age))


async def test_nearby_counts_for_the_age_and_as_the_card_does(client, app):
    await _profile(app, client.person_id(9708), "ru", role="parent", child_age=16)
    anna = client.user(9708)
    await anna.send("🔎 Кружки и центры")
    await anna.press("📍 Рядом со мной")
    await anna.share_location(56.4847, 84.9482)
    text = anna.text()
    assert "Расстояния — от отправленной вами геопозиции" in text  # «рядом» said plainly
    lines = _lines(text)
    assert len(lines) == 10
    counts = [re.fullmatch(r"для 16 лет: (\d+) из (\d+)", m[4]) for m in lines]
    assert all(counts), [m[4] for m in lines]
    suitable = [int(c[1]) for c in counts]
    # centres with something for 16 come first; none of them is pushed out by an empty one
    assert suitable == sorted(suitable, key=lambda n: n == 0)
    assert all(n <= int(c[2]) for n, c in zip(suitable, counts, strict=True))
    await anna.press(_numbered(anna)[0])  # the card counts all its programmes: M
    assert f"Программ: {counts[0][2]}" in anna.text()


async def test_nearby_counts_in_english_with_a_point(client, app):
    await _profile(app, client.person_id(9709), "en", role="parent", child_age=10)
    bob = client.user(9709, language_code="en")
    await bob.send("🔎 Clubs and centres")
    await bob.press("📍 Near me")
    await bob.share_location(56.4847, 84.9482)
    lines = _lines(bob.text())
    assert lines and all(re.fullmatch(r"for age 10: \d+ of \d+", m[4]) for m in lines)
    near = [m[3] for m in lines if float(m[3]) < 10]
    assert near and all(re.fullmatch(r"\d+\.\d", km) for km in near)  # 4.9 km in English


async def test_nearby_decimal_commas_and_more_after_ten(client):
    anna = client.user(9710)
    await anna.send("🔎 Кружки и центры")
    await anna.press("📍 Рядом со мной")
    await anna.share_location(56.4847, 84.9482)
    first = _lines(anna.text())
    near = [m[3] for m in first if float(m[3].replace(",", ".")) < 10]
    assert near and all(re.fullmatch(r"\d+,\d", km) for km in near)  # «4,9 км»
    assert all(re.fullmatch(r"\d+ программ\w*", m[4]) for m in first)  # no age: plain counts
    await anna.press("Ещё ▶️")
    more = _lines(anna.text())
    assert [int(m[1]) for m in more] == list(range(11, 11 + len(more))) and more
    assert not {m[2] for m in more} & {m[2] for m in first}  # the next ten, not the same
    km = [float(m[3].replace(",", ".")) for m in first + more]
    assert km == sorted(km)
    await anna.press("◀️")
    assert [int(m[1]) for m in _lines(anna.text())][:1] == [1]


async def test_nearby_from_a_locality_says_so(client):
    bob = client.user(9711, language_code="en")
    await bob.send("🔎 Clubs and centres")
    await bob.press("📍 Near me")
    await bob.send("Asino")
    assert "Distances are from Asino" in bob.text()


# --- a pupil spoken to as a pupil ----------------------------------------------------------
async def test_the_age_filter_asks_a_pupil_about_themselves(client, app):
    await _profile(app, client.person_id(9712), "ru", role="pupil")
    await _profile(app, client.person_id(9713), "ru", role="parent")
    await _profile(app, client.person_id(9714), "en", role="pupil")
    pupil, parent, pupil_en = client.user(9712), client.user(9713), client.user(9714, "en")
    for user, catalogue, direction, age in (
        (pupil, "🔎 Кружки и центры", "Техническое", "🎂 Возраст"),
        (parent, "🔎 Кружки и центры", "Техническое", "🎂 Возраст"),
        (pupil_en, "🔎 Clubs and centres", "Technical", "🎂 Age"),
    ):
        await _list(user, catalogue, direction)
        await user.press(age)
    assert "Сколько тебе лет?" in pupil.text()
    assert "Для какого возраста искать?" in parent.text() and "тебе" not in parent.text()
    assert "How old are you?" in pupil_en.text()


async def test_settings_speak_to_a_pupil_and_to_a_parent(client, app):
    await _profile(app, client.person_id(9715), "ru", role="pupil", child_age=12)
    await _profile(app, client.person_id(9716), "en", role="parent", child_age=12)
    pupil, parent = client.user(9715), client.user(9716, "en")
    await pupil.send("/settings")
    assert "Мой возраст: 12 лет" in pupil.text() and "🧒 Мой возраст" in pupil.visible_labels()
    await pupil.press("🧒 Мой возраст")
    assert "1. 12 лет" in pupil.text()
    await parent.send("/settings")
    assert "Children: 12 years old" in parent.text()
    await parent.press("👧 Children")
    assert "1. 12 years old" in parent.text()


# --- no waitlist promised --------------------------------------------------------------------
async def test_a_full_programme_promises_no_waiting_list(client, app):
    async with app.sessions() as session:
        programme = await session.scalar(select(Programme).order_by(Programme.id).limit(1))
        programme.seats_free, programme.seats_total = 0, 12
        await session.commit()
        programme_id = programme.id
    anna, bob = client.user(9717), client.user(9718, "en")
    await anna.send(f"/start p-{programme_id}")
    assert "Мест сейчас нет" in anna.text()
    assert not re.search(r"очеред|лист ожидания", anna.text())
    await bob.send(f"/start p-{programme_id}")
    assert "No free places now" in bob.text() and "waiting list" not in bob.text()


# --- labels cut to fit -----------------------------------------------------------------------
LONG = (
    "Театральная студия выразительного чтения, сценической речи и актёрского мастерства "
    "для юных артистов"
)


async def test_a_long_name_is_cut_at_a_word_with_an_ellipsis(client, app):
    async with app.sessions() as session:
        template = await session.scalar(select(Programme).order_by(Programme.id).limit(1))
        organisation = await session.get(Organisation, template.organisation_id)
        centre = Organisation(
            external_id="ORG-LONG",
            name="Студия на Береговой",
            type=organisation.type,
            locality_id=organisation.locality_id,
            latitude=organisation.latitude,
            longitude=organisation.longitude,
        )
        session.add(centre)
        await session.flush()
        session.add(
            Programme(
                external_id="P-LONG",
                organisation_id=centre.id,
                name=LONG,
                direction="art",
                age_from=7,
                age_to=14,
                format="in_person",
                cost="free",
            )
        )
        await session.commit()
        centre_id = centre.id
    for user, programmes in (
        (client.user(9719), "📚 Программы (1)"),
        (client.user(9720, "en"), None),
    ):
        await user.send(f"/start o-{centre_id}")
        label = programmes or next(b for b in user.visible_labels() if b.startswith("📚"))
        await user.press(label)
        shown = next(b for b in user.visible_labels() if b.startswith("Театральная"))
        assert shown.endswith("…") and len(shown) <= 60
        kept = shown[:-1]
        assert LONG.startswith(kept) and LONG[len(kept)] in " ,"  # ends at a whole word
        await user.press(shown)  # the card under the centre's list, which it goes back to
        assert LONG in user.text()
        assert BACK_TO_LIST[user.user.language_code] in user.visible_labels()


# --- buttons of a flow walked away from ------------------------------------------------------
async def test_the_role_question_left_for_the_catalogue_loses_its_buttons(client):
    anna = client.user(9721)
    await anna.send("/start")
    question = anna.messages[-1]
    assert "Родитель" in _buttons_of(question)
    await anna.send("🔎 Кружки и центры")
    assert not _buttons_of(_now(anna, question))  # nothing left that would answer «устарела»
    assert "Родитель" not in anna.visible_labels()


async def test_the_consent_left_for_events_loses_its_buttons(client):
    bob = client.user(9722, language_code="en")
    await bob.send("/start")
    await bob.press("Parent")
    await bob.send("Tomsk")
    await bob.send("10")
    consent = bob.messages[-1]
    assert "✅ I agree" in _buttons_of(consent)
    await bob.send("📅 Events")
    assert not _buttons_of(_now(bob, consent))
    assert "✅ I agree" not in bob.visible_labels()


async def test_a_question_typed_mid_onboarding_keeps_its_buttons_working(client):
    """Not left: a question typed over «Кто вы?» is answered, and the role still answers."""
    anna = client.user(9723)
    await anna.send("/start")
    await anna.send("робототехника для 10 лет")
    await anna.press("Родитель")
    assert "устарела" not in (anna.callback_answer().text or "")
    assert "Населённые пункты" in anna.text()
