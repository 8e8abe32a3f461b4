"""Several children through the bot: «👧 Дети» in /settings (add, edit, remove, refusals),
«для кого?» in the catalogue and questions, /mydata and /forget — on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from backends import fresh_postgres, needs_postgres
from kids import add_child, given_of
from sqlalchemy import func, select

from bot.app import App, build_app, prepare_database
from bot.config import Settings
from db.models import Child
from harness import BotClient
from services.events.service import Viewer
from services.people.children import MAX_CHILDREN, ChildRefused, ChildService, Given

AGREE = "✅ Согласен(на)"
KIDS = "👧 Дети"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=needs_postgres)])
async def any_app(request, settings: Settings) -> AsyncIterator[App]:
    engine = await fresh_postgres() if request.param == "postgres" else None
    app = build_app(settings, engine=engine)
    await prepare_database(app)
    yield app
    await app.close()


@pytest.fixture
async def bot(any_app: App, logged_errors) -> AsyncIterator[BotClient]:
    client = BotClient(any_app)
    yield client
    await client.dispatcher.storage.close()
    assert not [str(out.error) for out in client.rejections]
    assert not logged_errors, [r.getMessage() for r in logged_errors]


async def _onboard(user, age: str | None = "9") -> None:
    await user.send("/start")
    await user.press("Родитель")
    await user.send("Томск")
    if age is None:
        await user.press("Пропустить")
    else:
        await user.send(age)
    await user.press(AGREE)


async def _add(user, name: str | None, age: str, interests=(), health: bool = False) -> None:
    await user.press("➕ Добавить")
    if name is None:
        await user.press("Пропустить")
    else:
        await user.send(name)
    await user.send(age)
    for direction in interests:
        await user.press(direction)
    await user.press("✅ Готово")
    await user.press("Да" if health else "Нет")


async def _count(app: App) -> int:
    async with app.sessions() as session:
        return await session.scalar(select(func.count()).select_from(Child))


# --- /settings «👧 Дети» ---------------------------------------------------------------------
async def test_onboarding_age_is_the_first_child_then_add_edit_remove(bot, any_app):
    anna = bot.user(7101)
    await _onboard(anna, "9")
    await anna.send("/settings")
    assert "Дети: 9 лет" in anna.text()
    await anna.press(KIDS)
    assert "1. 9 лет" in anna.text()

    await _add(anna, "Маша <3", "3 класс", interests=("Техническое", "Художественное"))
    card = anna.text()
    assert "Маша <3, 3 класс" in card  # typed text shown as typed (escaped in the HTML)
    assert "Интересы: Техническое, Художественное" in card
    assert "ОВЗ (особые потребности здоровья): нет" in card
    await anna.press("◀️ К списку")
    assert "1. 9 лет" in anna.text() and "2. Маша <3, 3 класс" in anna.text()

    await anna.press("Маша <3, 3 класс")  # edit: each answer stored at once
    await anna.press("✏️ Имя")
    await anna.send("Мария")
    await anna.press("✏️ Возраст")
    await anna.send("2016")
    assert "Мария, 2016 г. р." in anna.text()
    await anna.press("🎯 Интересы")
    await anna.press("✅ Техническое")  # untick
    await anna.press("Физкультурно-спортивное")
    await anna.press("✅ Готово")
    await anna.press("♿ ОВЗ")
    await anna.press("Да")
    assert "ОВЗ (особые потребности здоровья): да" in anna.text()
    async with any_app.sessions() as session:
        masha = await session.scalar(select(Child).where(Child.name == "Мария"))
    assert (masha.birth_year, masha.age, masha.grade, masha.health_needs) == (
        2016,
        None,
        None,
        True,
    )
    assert masha.interests == "sport,art"  # in the directions' order

    await anna.press("🗑 Удалить")
    assert "Удалить из списка: Мария" in anna.text()
    await anna.press("Нет")  # nothing removed
    assert await given_of(any_app.sessions, 7101) == [(9, None, None), (None, None, "Мария")]
    await anna.press("🗑 Удалить")
    await anna.press("🗑 Да, удалить")
    assert "1. 9 лет" in anna.text() and "Мария" not in anna.text()
    assert await given_of(any_app.sessions, 7101) == [(9, None, None)]


async def test_bad_input_is_refused_and_nothing_is_stored(bot, any_app):
    anna = bot.user(7102)
    await _onboard(anna, "9")
    await anna.send("/settings")
    await anna.press(KIDS)
    await anna.press("➕ Добавить")
    await anna.send("Очень-очень длинное имя ребёнка больше тридцати двух")
    assert "Слишком длинно" in anna.text()
    await anna.press("Пропустить")
    for wrong in ("сто", "25", "0", "12 класс", "1990", "5 и 6"):
        await anna.send(wrong)
        assert "Не понял" in anna.text(), wrong
    await anna.send("9")  # the same unnamed nine-year-old again
    await anna.press("✅ Готово")
    await anna.press("Нет")
    assert "уже есть в списке" in anna.text()
    assert await given_of(any_app.sessions, 7102) == [(9, None, None)]

    # a named one, and then the same name and age by editing the first: refused too
    await _add(anna, "Петя", "9")
    await anna.press("◀️ К списку")
    await anna.press("9 лет")
    await anna.press("✏️ Имя")
    await anna.send("петя")
    assert "уже есть в списке" in anna.text()
    assert await given_of(any_app.sessions, 7102) == [(9, None, None), (9, None, "Петя")]

    for age in range(3, 3 + MAX_CHILDREN - 2):  # up to the limit
        await any_app.children.add(7102, Given(age=age), name=f"Ребёнок {age}")
    await anna.press("◀️ К списку")
    await anna.press("➕ Добавить")
    assert "не больше 10 детей" in anna.callback_answer().text
    assert await _count(any_app) == MAX_CHILDREN


async def test_children_need_consent_first(bot, any_app):
    anna = bot.user(7103)
    await anna.send("/settings")
    await anna.press(KIDS)
    assert "Согласие на обработку" in anna.text()
    await anna.press("Не сейчас")
    assert "нужно согласие" in anna.text()
    with pytest.raises(ChildRefused) as refused:
        await any_app.children.add(7103, Given(age=9))
    assert refused.value.reason == "consent"
    await anna.press(KIDS)
    await anna.press(AGREE)
    await _add(anna, None, "10")
    assert await given_of(any_app.sessions, 7103) == [(10, None, None)]


async def test_a_stale_child_button_is_answered_not_failed(bot, any_app):
    anna = bot.user(7104)
    await _onboard(anna, "9")
    await anna.send("/settings")
    await anna.press(KIDS)
    async with any_app.sessions() as session:
        (child_id,) = (await session.scalars(select(Child.id).where(Child.user_id == 7104))).all()
    await any_app.children.remove(7104, child_id)  # removed elsewhere meanwhile
    await anna.press("9 лет")
    assert "устарела" in anna.callback_answer().text


# --- «для кого?» -------------------------------------------------------------------------
async def test_the_catalogue_asks_for_whom_and_remembers(bot, any_app):
    await add_child(any_app, 7110, age=9, name="Маша")
    await any_app.children.add(7110, Given(age=15), name="Петя")
    anna = bot.user(7110)
    await anna.send("🔎 Кружки и центры")
    assert "Для кого подбирать?" in anna.text()
    assert {"Маша, 9 лет", "Петя, 15 лет"} <= set(anna.visible_labels())
    await anna.press("Техническое")  # none chosen yet: no age, as before
    assert "9 лет" not in anna.text().split("\n\n")[0]
    await anna.press("Петя, 15 лет")
    assert "Фильтры: 15 лет" in anna.text()
    assert "👧 Для: Петя, 15 лет" in anna.text()

    await anna.send("🔎 Кружки и центры")  # remembered
    assert "👧 Для: Петя, 15 лет" in anna.text() and "Для кого" not in anna.text()
    await anna.press("👧 Сменить")
    await anna.press("Маша, 9 лет")
    await anna.press("Техническое")
    assert "Фильтры: 9 лет" in anna.text()

    await anna.send("футбол")  # a question: the chosen child's age
    assert "возраст из профиля: 9 лет" in anna.text()
    await anna.send("футбол для 12 лет")  # an age in the question overrides it
    assert "из профиля" not in anna.text()


async def test_a_question_asks_for_whom_and_answers_again_for_the_child(bot, any_app):
    await add_child(any_app, 7114, age=9, name="Маша")
    await any_app.children.add(7114, Given(age=15), name="Петя")
    anna = bot.user(7114)
    await anna.send("футбол")
    assert "Для кого подбирать?" in anna.text() and "из профиля" not in anna.text()
    await anna.press("Петя, 15 лет")
    assert anna.edits()
    assert "возраст из профиля: 15 лет" in anna.text() and "👧 Для: Петя, 15 лет" in anna.text()
    await anna.press("👧 Сменить")
    await anna.press("Маша, 9 лет")
    assert "возраст из профиля: 9 лет" in anna.text()
    await anna.send("шахматы")  # remembered
    assert "возраст из профиля: 9 лет" in anna.text() and "👧 Для: Маша" in anna.text()
    await anna.send("шахматы для 12 лет")  # the question's own age: no «для кого»
    assert "👧" not in anna.text()


async def test_one_child_is_used_silently_and_none_means_no_age(bot, any_app):
    await add_child(any_app, 7111, age=10)
    one = bot.user(7111)
    await one.send("🔎 Кружки и центры")
    assert "Для кого" not in one.text() and "Для:" not in one.text()
    await one.press("Техническое")
    assert "Фильтры: 10 лет" in one.text()

    none = bot.user(7112)
    await none.send("🔎 Кружки и центры")
    assert "Для кого" not in none.text()
    await none.press("Техническое")
    assert "10 лет" not in none.text().split("\n\n")[0]


async def test_nearby_and_events_use_the_chosen_child(bot, any_app):
    await add_child(any_app, 7113, age=16, name="Оля")
    await any_app.children.add(7113, Given(grade=1), name="Ваня")
    anna = bot.user(7113)
    await anna.send("🔎 Кружки и центры")
    await anna.press("Оля, 16 лет")
    await anna.press("📍 Рядом со мной")
    await anna.share_location(56.4847, 84.9482)
    assert "для 16 лет" in anna.text() and "👧 Для: Оля, 16 лет" in anna.text()
    await anna.press("👧 Сменить")
    await anna.press("Ваня, 1 класс")
    assert "для 7 лет" in anna.text()
    assert (await any_app.children.chosen(7113)).name == "Ваня"


async def test_events_are_listed_for_the_chosen_childs_grade(bot, any_app):
    await add_child(any_app, 7115, grade=2, name="Ваня")
    await any_app.children.add(7115, Given(grade=10), name="Оля")
    anna = bot.user(7115)
    await anna.send("📅 События")
    assert "Для кого подбирать?" in anna.text()
    await anna.press("Оля, 10 класс")
    assert "👧 Для: Оля, 10 класс" in anna.text()
    tenth = (await any_app.events.upcoming(Viewer.of(None, 10, None, None))).total
    assert _shown(anna.text()) == tenth
    await anna.press("👧 Сменить")
    await anna.press("Ваня, 2 класс")
    assert "👧 Для: Ваня, 2 класс" in anna.text()
    second = (await any_app.events.upcoming(Viewer.of(None, 2, None, None))).total
    assert _shown(anna.text()) == second and tenth != second  # demo events differ by grade


def _shown(text: str) -> int:
    found = re.search(r"всего: (\d+)", text)
    return int(found[1]) if found else 0


# --- the service's view: ages move with the calendar ---------------------------------------
def test_an_age_given_grows_with_the_calendar():
    from datetime import date

    from services.people.children import Child as Kid
    from services.people.children import born_from, parse_given

    noted = date(2026, 12, 7)
    nine = Kid(1, None, Given(age=9), noted, born_from(Given(age=9), noted), (), False)
    assert nine.age(noted) == 9 and nine.age(date(2027, 12, 7)) == 10
    third = Given(grade=3)
    pupil = Kid(2, None, third, noted, born_from(third, noted), (), False)
    assert pupil.grade(noted) == 3 and pupil.grade(date(2027, 5, 1)) == 3
    assert pupil.grade(date(2027, 9, 1)) == 4 and pupil.age(noted) == 9
    assert parse_given("2016", noted) == Given(birth_year=2016)
    assert parse_given("5 класс", noted) == Given(grade=5)
    assert parse_given("grade 12", noted) is None and parse_given("2", noted) is None
    assert ChildService.today() >= noted


# --- /mydata and /forget -------------------------------------------------------------------
async def test_mydata_shows_each_child_and_forget_removes_them(bot, any_app):
    await add_child(any_app, 7120, age=9, name="Маша")
    await any_app.children.add(7120, Given(grade=5), interests=("sport", "art"), health_needs=True)
    await add_child(any_app, 7121, age=12, name="Чужой")  # another family's stays
    anna = bot.user(7120)
    await anna.send("/mydata")
    text = "\n".join(anna.texts())
    assert "Дети (2)" in text
    assert "Маша, 9 лет" in text and "5 класс" in text
    assert "интересы: Физкультурно-спортивное, Художественное" in text
    assert "ОВЗ: да" in text
    await anna.send("/forget")
    await anna.press("Да, удалить")
    assert await given_of(any_app.sessions, 7120) == []
    assert await given_of(any_app.sessions, 7121) == [(12, None, "Чужой")]
    await anna.send("/mydata")
    assert "Дети: не сохранены" in "\n".join(anna.texts())


async def test_declining_consent_again_removes_the_children(bot, any_app):
    await add_child(any_app, 7122, age=9)
    anna = bot.user(7122)
    await anna.send("/start")  # onboarding again (a new edition, or /start on a new device)
    await any_app.profiles.finish_onboarding(7122, consent=False)
    assert await given_of(any_app.sessions, 7122) == []
