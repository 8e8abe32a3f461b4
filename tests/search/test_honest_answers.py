"""Typed questions never guess silently (issue 14): the «Ищу:» line names every filter applied
and every word corrected, not understood or not found; ages outside the catalogue's and age
words are read; organisations' names do not match; chatty questions search by their filters;
the profile's age is said and can be dropped; counts and pages; online programmes beside a
place's; decimal commas. Through the dispatcher against the demo catalogue, RU and EN."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.app import App
from db.models import Organisation, Programme
from services.catalog import terms as catalog_terms
from services.catalog import text_index
from services.people.children import Given
from services.search import SearchService

pytestmark = pytest.mark.both_messengers

SEVERSK = 2


async def _user(client, app: App, user_id: int, locale: str = "ru", **profile):  # type: ignore[no-untyped-def]
    user = client.user(user_id, language_code=locale)
    await app.profiles.get_or_create(user.id, locale)
    age = profile.pop("child_age", None)
    if profile:
        await app.profiles.update(user.id, **profile)
    if age is not None:  # the one child's age
        await app.profiles.give_consent(user.id)
        await app.children.add(user.id, Given(age=age))
    return user


async def _programmes(app: App, ids: list[int]) -> list[tuple[Programme, Organisation]]:
    async with app.sessions() as session:
        rows = await session.execute(
            select(Programme, Organisation)
            .join(Organisation, Organisation.id == Programme.organisation_id)
            .where(Programme.id.in_(ids))
        )
        found = {p.id: (p, o) for p, o in rows.all()}
    return [found[i] for i in ids]


def _count(text: str) -> int:
    """The programmes an answer says it found (0 for «ничего»)."""
    found = re.search(r"Нашлось (?:программ: |больше )(\d+)", text)
    return int(found.group(1)) if found else 0


def _looking_for(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("🔎"))


async def test_a_typo_is_said_corrected_and_the_corrected_word_searched(client, app):
    parent = await _user(client, app, 9401)
    await parent.send("шахмты для девочки 8 лет")
    text = parent.text()
    assert "Исправил: шахмты → шахмат" in text
    assert "шахмат" in _looking_for(text) and "8 лет" in _looking_for(text)
    assert "1. " in text and "Шахмат" in text

    guest = await _user(client, app, 9402, "en")
    await guest.send("robotcs for my daughter")
    assert "Corrected: robotcs →" in guest.text()
    assert "1. " in guest.text()


async def test_the_accessibility_filter_is_shown_and_applied(client, app):
    parent = await _user(client, app, 9403)
    await parent.send("занятия для ребёнка-инвалида в Северске")
    line = _looking_for(parent.text())
    assert "доступно для детей с ОВЗ" in line and "Северск" in line
    answer = await app.search.ask("занятия для ребёнка-инвалида в Северске", limit=32)
    assert answer.kind == "programmes" and answer.understood.accessible
    for programme, organisation in await _programmes(app, answer.programme_ids):
        assert organisation.accessible, programme.name
        assert organisation.locality_id == SEVERSK or programme.format == "online"

    guest = await _user(client, app, 9404, "en")
    await guest.send("wheelchair friendly clubs")
    assert "accessible for children with disabilities" in _looking_for(guest.text())


async def test_an_age_no_programme_takes_is_said_and_the_nearest_offered(client, app):
    parent = await _user(client, app, 9405)
    await parent.send("хочу сама научиться рисовать, мне 45")
    text = parent.text()
    assert "Программ для 45 лет нет" in text and "от 3 до 18 лет" in text
    assert "1. " in text  # the nearest in age are offered, not «ничего»

    await parent.send("есть ли шахматы для взрослых")
    text = parent.text()
    assert "Программ для взрослых нет" in text and "1. " in text and "Шахмат" in text

    guest = await _user(client, app, 9406, "en")
    await guest.send("guitar lessons for adults")
    text = guest.text()
    assert "no programmes for adults" in text and "1. " in text


async def test_age_words_are_read_as_ages(client, app):
    parent = await _user(client, app, 9407)
    await parent.send("чем занять дошкольника в Томске")
    assert "дошкольник (5 лет)" in _looking_for(parent.text())
    await parent.send("первоклашке нужен кружок рисования")
    assert "1 класс (7 лет)" in _looking_for(parent.text())
    await parent.send("куда пойти подростку заниматься спортом")
    assert "подросток (14 лет)" in _looking_for(parent.text())
    search: SearchService = app.search
    for question, age in [
        ("секции для дошкольников", 5),
        ("что-нибудь для подростков", 14),
        ("clubs for a teenager", 14),
        ("something for a preschooler", 5),
        ("a first grader who likes lego", 7),
    ]:
        answer = await search.ask(question, limit=32)
        assert answer.understood.age == age, question
        assert answer.kind == "programmes", question
        for programme, _ in await _programmes(app, answer.programme_ids):
            assert programme.age_from <= age <= programme.age_to, (question, programme.name)

    guest = await _user(client, app, 9408, "en")
    await guest.send("dance for my teenager")
    assert "teenager (age 14)" in _looking_for(guest.text())


async def test_organisations_names_do_not_match_programmes(app):
    search: SearchService = app.search
    async with app.sessions() as session:
        rows = (
            await session.execute(
                select(Programme, Organisation).join(
                    Organisation, Organisation.id == Programme.organisation_id
                )
            )
        ).all()
    # The index holds the programme's words: no organisation's word unless its own texts say it.
    for programme, organisation in rows:
        own = set(
            text_index.stems(
                f"{programme.name} {programme.description} "
                f"{catalog_terms.DIRECTIONS[programme.direction]}"
            )
        )
        assert set(programme.search_stems.split()) <= own, (programme.name, organisation.name)
    # A word only organisations' names have finds no programme by it.
    names = {item for _, o in rows for item in text_index.stems(o.name)}
    texts = {item for p, _ in rows for item in p.search_stems.split()}
    only_names = sorted(item for item in names - texts if len(item) >= 5 and item.isalpha())
    assert only_names
    for item in only_names[:5]:
        answer = await search.ask(item)
        assert answer.kind == "nothing" or not answer.understood.terms, (item, answer)


async def test_a_chatty_message_searches_by_its_filters(client, app):
    parent = await _user(client, app, 9409)
    await parent.send(
        "дочка целыми днями сидит в планшете, хотелось бы увлечь её чем-то спортивным, ей 9"
    )
    text = parent.text()
    line = _looking_for(text)
    assert "9 лет" in line and "Физкультурно-спортивное" in line
    assert "Не понял:" in text and "1. " in text
    assert "Ничего подходящего" not in text

    guest = await _user(client, app, 9410, "en")
    await guest.send("honestly my boy is bored all summer, he is 12, anything technical?")
    text = guest.text()
    assert "Technical" in _looking_for(text) and "12 years old" in _looking_for(text)
    assert "1. " in text


async def test_the_profile_age_is_said_and_can_be_dropped(client, app):
    parent = await _user(client, app, 9411, child_age=6)
    await parent.send("футбол")
    text = parent.text()
    assert "Учитываю возраст из профиля: 6 лет" in text
    with_age = _count(text)
    await parent.press("🎂 Без учёта возраста")
    text = parent.text()
    assert "Без учёта возраста из профиля" in text
    assert "6 лет" not in _looking_for(text)
    without = _count(text)
    assert without > with_age

    guest = await _user(client, app, 9412, "en", child_age=15)
    await guest.send("chess")
    assert "Using the age from your profile: 15" in guest.text()
    await guest.press("🎂 Any age")
    assert "Not using the age from your profile" in guest.text()

    # A question's own age is not the profile's: nothing said, no button.
    await parent.send("футбол для 10 лет")
    assert "из профиля" not in parent.text()


async def test_the_count_is_said_and_all_are_shown_in_pages(client, app):
    pupil = await _user(client, app, 9413)
    await pupil.send("спортивные секции")
    text = pupil.text()
    assert re.search(r"Нашлось (программ: |больше )\d+", text)
    labels = pupil.visible_labels()
    show_all = next(label for label in labels if label.startswith("📋 Показать все"))
    await pupil.press(show_all)
    text = pupil.text()
    assert "Страница 2 из" in text and "\n9. " in text
    assert pupil.edits()  # the same message, turned to its next page
    await pupil.press("◀ Назад")
    assert "\n1. " in pupil.text() and "Страница" not in pupil.text()

    guest = await _user(client, app, 9414, "en")
    await guest.send("sports for kids")
    assert re.search(r"(Programmes found: |More than )\d+", guest.text())
    label = next(label for label in guest.visible_labels() if label.startswith("📋 Show all"))
    await guest.press(label)
    assert "Page 2 of" in guest.text()


async def test_a_few_found_are_all_on_one_page(client, app):
    parent = await _user(client, app, 9415)
    await parent.send("гитара в Северске")
    text = parent.text()
    count = int(re.search(r"Нашлось программ: (\d+)", text).group(1))
    assert count == len(re.findall(r"^\d+\. ", text, flags=re.MULTILINE))
    assert not any(label.startswith("📋") for label in parent.visible_labels())


async def test_online_programmes_are_not_hidden_by_the_place(client, app):
    parent = await _user(client, app, 9416)
    await parent.send("кружки в Северске для 10 лет")
    text = parent.text()
    assert "Северск" in _looking_for(text)
    answer = await app.search.ask("кружки в Северске для 10 лет", limit=32)
    online = answer.online_ids
    assert online, "the demo catalogue has online programmes of other places"
    for programme, organisation in await _programmes(app, answer.programme_ids):
        if programme.id in online:
            assert programme.format == "online"
        else:
            assert organisation.locality_id == SEVERSK
    pages = "\n".join(parent.texts())
    first_page_ids = answer.programme_ids[:8]
    if online & set(first_page_ids):
        assert "💻 онлайн" in pages

    guest = await _user(client, app, 9417, "en")
    await guest.send("anything in Seversk for a 10 year old")
    assert "💻 online" in guest.text()


async def test_distances_use_the_locales_decimal_sign(client, app):
    parent = await _user(client, app, 9418, locality_id=SEVERSK)
    await parent.send("где поблизости рисование")
    text = parent.text()
    assert re.search(r"\d,\d км", text), text
    assert not re.search(r"\d\.\d км", text)

    guest = await _user(client, app, 9419, "en", locality_id=SEVERSK)
    await guest.send("drawing near me")
    assert re.search(r"\d\.\d km", guest.text())
