"""The interest quiz through the dispatcher: a pupil and a parent, in Russian and English; back,
retake, stale presses; the result's programmes of the right age and place (free first) and
events; kept only with consent, shown in /mydata, gone with /forget — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from backends import POSTGRES_URL, fresh_postgres, needs_postgres
from sqlalchemy import func, select

from bot.app import build_app, prepare_database
from db.models import Locality, Organisation, Programme, QuizResult, User
from handlers.links import Open
from harness import TestUser
from services.catalog import text_index
from services.events.service import Viewer
from services.people.children import Given
from services.people.profiles import CONSENT_VERSION
from services.quiz.bank import QuizBank
from services.quiz.recommend import recommend
from services.quiz.results import results_by_direction

PUPIL, PARENT, STRANGER = 7101, 7102, 7103
NOT_A_DIAGNOSIS = "Это подсказка, а не диагноз"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=needs_postgres)])
async def app(request, settings):
    """The suite's app on SQLite or PostgreSQL (the `client` fixture drives it)."""
    engine = None
    if request.param == "postgres":
        settings = settings.model_copy(update={"database_url": POSTGRES_URL})
        engine = await fresh_postgres()
    app = build_app(settings, engine)
    await prepare_database(app)
    yield app
    await app.close()


async def _locality(app, name: str) -> int:
    async with app.sessions() as session:
        return await session.scalar(select(Locality.id).where(Locality.name == name))


async def _profile(app, user_id: int, locale: str = "ru", *, consent: bool, **fields) -> None:
    """The person's profile; `child_age` (with consent) becomes their one child, as onboarding
    makes it."""
    age = fields.pop("child_age", None)
    await app.profiles.get_or_create(user_id, locale)
    await app.profiles.finish_onboarding(user_id, consent=consent, **fields)
    if age is not None and consent:
        await app.children.add(user_id, Given(age=age))


def _leaning(bank: QuizBank, direction: str, language: str) -> list[str]:
    """For each question, the label of the answer giving `direction` most points."""
    return [
        max(question.answers, key=lambda answer: answer.weights.get(direction, 0)).text[language]
        for question in bank.questions
    ]


async def _answer_all(user: TestUser, labels: list[str]) -> None:
    for label in labels:
        await user.press(label)


async def _rows(app) -> list[QuizResult]:
    async with app.sessions() as session:
        return list((await session.scalars(select(QuizResult).order_by(QuizResult.id))).all())


def _opened(user: TestUser, kind: str) -> list[int]:
    """Ids of the `Open` buttons of this kind in the newest message that has any."""
    for message in reversed(user.messages):
        markup = message.reply_markup
        ids = [
            Open.unpack(button.callback_data).id
            for row in (markup.inline_keyboard if markup else [])
            for button in row
            if button.callback_data and button.callback_data.startswith(f"open:{kind}:")
        ]
        if ids:
            return ids
    return []


async def test_a_pupil_takes_the_quiz_and_gets_programmes_of_their_age_and_town_free_first(
    client, app
):
    tomsk = await _locality(app, "Томск")
    await _profile(app, PUPIL, consent=True, role="pupil", child_age=12, locality_id=tomsk)
    pupil = client.user(PUPIL, "ru")
    await pupil.send("/quiz")
    assert "Тест интересов" in pupil.text() and "Кто отвечает" not in pupil.text()
    await pupil.press("▶️ Начать")
    assert "Вопрос 1/10" in pupil.text()
    assert app.quiz.questions[0].text["pupil"]["ru"] in pupil.text()  # about themselves

    labels = _leaning(app.quiz, "art", "ru")
    await _answer_all(pupil, labels[:2])
    assert "Вопрос 3/10" in pupil.text()
    await _answer_all(pupil, labels[2:])

    result = pupil.text()
    assert "Твой результат" in result and NOT_A_DIAGNOSIS in result
    assert "1. Художественное" in result and "выражать себя" in result
    assert "Результат сохранён" in result
    assert "12 лет, Томск" in result  # the recommendations' line says for whom

    (row,) = await _rows(app)
    (me,) = await app.children.list(PUPIL)  # a pupil's age is kept as their one «child»
    assert (row.user_id, row.wording, row.top_direction, row.child_id) == (
        PUPIL,
        "pupil",
        "art",
        me.id,
    )
    assert row.scores["art"] == max(row.scores.values()) and row.top.startswith("art")

    programme_ids = _opened(pupil, "programme")
    assert programme_ids
    async with app.sessions() as session:
        found = (
            await session.execute(
                select(Programme, Organisation.locality_id)
                .join(Organisation)
                .where(Programme.id.in_(programme_ids))
            )
        ).all()
    by_id = {programme.id: (programme, locality) for programme, locality in found}
    top = row.top.split(",")
    shown = [by_id[pid][0] for pid in programme_ids]
    assert [p.direction for p in shown] == sorted(
        (p.direction for p in shown), key=top.index
    )  # the first direction's first
    for programme in shown:
        locality = by_id[programme.id][1]
        assert programme.age_from <= 12 <= programme.age_to
        assert locality == tomsk or programme.format == "online"
        assert programme.direction in top and not programme.hidden
    for direction in top:  # free ones before the others of a direction
        costs = [p.cost == "free" for p in shown if p.direction == direction]
        assert costs == sorted(costs, reverse=True)

    # a programme's button opens its card (the catalogue answers it)
    await pupil.press(next(b for b in pupil.visible_labels() if b.startswith("1. ")))
    assert shown[0].name in pupil.text()


async def test_a_parent_in_english_without_consent_keeps_nothing_unless_they_agree(client, app):
    await _profile(app, PARENT, "en", consent=False)
    await app.profiles.update(PARENT, role="parent")  # as before consent was withdrawn
    parent = client.user(PARENT, "en")
    await parent.send("/quiz")
    await parent.press("▶️ Start")
    assert app.quiz.questions[0].text["parent"]["en"] in parent.text()  # about the child
    await _answer_all(parent, _leaning(app.quiz, "sport", "en"))
    result = parent.text()
    assert "The quiz result" in result and "This is a hint, not a diagnosis" in result
    assert "1. Physical culture and sport" in result and "movement, competition" in result
    assert "not saved" in result
    assert "the whole region" in result  # no age, no town: the whole region, and a hint
    assert "Set the child's age" in result
    assert await _rows(app) == []

    await parent.press("💾 Save the result")
    assert "consent" in parent.text().lower()
    await parent.press("Not now")
    assert "the result is not saved" in parent.text()
    assert "💾 Save the result" not in parent.visible_labels()
    assert await _rows(app) == []

    # retaken, then kept with the consent given on the result screen
    await parent.press("🔁 Take it again")
    assert "Question 1/10" in parent.text()
    await _answer_all(parent, _leaning(app.quiz, "technical", "en"))
    await parent.press("💾 Save the result")
    await parent.press("✅ I agree")
    assert "The result is saved" in parent.text()
    assert _opened(parent, "event")  # the demo's robotics and IT events suit a technical result
    (row,) = await _rows(app)
    assert (row.wording, row.top_direction) == ("parent", "technical")
    async with app.sessions() as session:
        assert (await session.get(User, PARENT)).consent_version == CONSENT_VERSION


async def test_who_answers_is_asked_when_the_role_does_not_say(client, app):
    await _profile(app, STRANGER, consent=True, role="teacher")
    user = client.user(STRANGER, "ru")
    await user.send("/start quiz")
    assert "Кто отвечает на вопросы?" in user.text()
    await user.press("👨‍👩‍👧 Я родитель — о ребёнке")
    assert app.quiz.questions[0].text["parent"]["ru"] in user.text()


async def test_back_goes_to_the_previous_question_and_from_the_first_to_the_intro(client, app):
    await _profile(app, PUPIL, consent=True, role="pupil")
    pupil = client.user(PUPIL, "ru")
    await pupil.send("/quiz")
    await pupil.press("▶️ Начать")
    labels = _leaning(app.quiz, "sport", "ru")
    await _answer_all(pupil, labels[:3])
    assert "Вопрос 4/10" in pupil.text()
    await pupil.press("◀️ Назад")
    assert "Вопрос 3/10" in pupil.text()
    await pupil.press("◀️ Назад")
    await pupil.press("◀️ Назад")
    assert "Вопрос 1/10" in pupil.text()
    await pupil.press("◀️ Назад")
    assert "Тест интересов" in pupil.text() and "▶️ Начать" in pupil.visible_labels()
    # answered again from the start: ten answers make a result, none counted twice
    await pupil.press("▶️ Начать")
    await _answer_all(pupil, _leaning(app.quiz, "tourism", "ru"))
    (row,) = await _rows(app)
    chosen = [
        max(range(len(q.answers)), key=lambda n, q=q: q.answers[n].weights.get("tourism", 0))
        for q in app.quiz.questions
    ]
    assert row.top_direction == "tourism" and row.scores == app.quiz.scores(chosen)


async def test_a_retake_replaces_the_result_and_the_last_one_is_shown_first(client, app):
    await _profile(app, PUPIL, consent=True, role="pupil")
    pupil = client.user(PUPIL, "ru")
    await pupil.send("/quiz")
    await pupil.press("▶️ Начать")
    await _answer_all(pupil, _leaning(app.quiz, "natural_science", "ru"))
    await pupil.press("🔁 Пройти заново")
    assert "Вопрос 1/10" in pupil.text()
    await _answer_all(pupil, _leaning(app.quiz, "social", "ru"))
    (row,) = await _rows(app)  # one result a person: the latest
    assert row.top_direction == "social"
    await pupil.send("/quiz")
    assert "Прошлый результат" in pupil.text() and "Социально-гуманитарное" in pupil.text()


async def test_stale_presses_get_a_short_answer_and_change_nothing(client, app):
    await _profile(app, PUPIL, consent=True, role="pupil")
    pupil = client.user(PUPIL, "ru")
    await pupil.send("/quiz")
    await pupil.press("▶️ Начать")
    first = pupil.messages[-1].model_copy(deep=True)  # question 1 as it was drawn
    old = first.reply_markup.inline_keyboard[0][0].callback_data
    labels = _leaning(app.quiz, "art", "ru")
    await _answer_all(pupil, labels[:2])
    await pupil._callback(first, old)  # an answer to question 1, pressed on a copy of it
    assert "уже позади" in pupil.callback_answer().text
    assert not pupil.edits()
    prefix = old.rsplit(":", 1)[0]
    for forged in ("2-99", "99-0", "x-1", "2-1-1", "0002-1"):  # no such answer: forged
        await pupil._callback(first, f"{prefix}:{forged}")
        assert "уже позади" in pupil.callback_answer().text and not pupil.edits()
    await pupil.press(labels[2])
    assert "Вопрос 4/10" in pupil.text()

    await pupil.press("✖️ Выйти из теста")
    await pupil._callback(first, old)  # the quiz has ended
    assert pupil.callback_answer().text == "Эта кнопка устарела. Откройте меню заново."
    assert await _rows(app) == []


async def test_the_catalogue_opens_the_quiz_in_place_of_its_directions(client, app):
    await _profile(app, PUPIL, consent=True, role="pupil")
    pupil = client.user(PUPIL, "ru")
    await pupil.send("🔎 Кружки и центры")
    await pupil.press("🧭 Тест интересов")
    assert "Тест интересов" in pupil.text() and "▶️ Начать" in pupil.visible_labels()
    await pupil.press("✖️ Закрыть")
    assert "▶️ Начать" not in pupil.visible_labels()


async def test_mydata_shows_the_result_and_forget_deletes_it(client, app):
    await _profile(app, PUPIL, consent=True, role="pupil")
    pupil = client.user(PUPIL, "ru")
    await pupil.send("/mydata")
    assert "Тест интересов: результатов нет" in pupil.text()
    await pupil.send("/quiz")
    await pupil.press("▶️ Начать")
    await _answer_all(pupil, _leaning(app.quiz, "art", "ru"))
    await pupil.send("/mydata")
    assert "Тест интересов: пройден" in pupil.text()
    assert "ученик о себе" in pupil.text() and "Художественное" in pupil.text()

    await pupil.send("/forget")
    assert "результаты теста интересов" in pupil.text()
    await pupil.press("Да, удалить")
    assert await _rows(app) == []
    stored = await app.privacy.collect(PUPIL)
    assert stored.quiz == []


async def test_withdrawn_consent_takes_the_result_with_it(client, app):
    await _profile(app, PUPIL, consent=True, role="pupil")
    pupil = client.user(PUPIL, "ru")
    await pupil.send("/quiz")
    await pupil.press("▶️ Начать")
    await _answer_all(pupil, _leaning(app.quiz, "art", "ru"))
    assert len(await _rows(app)) == 1
    await app.profiles.finish_onboarding(PUPIL, consent=False)
    assert await _rows(app) == []
    # and without consent a direct save stores nothing
    assert await app.quiz_results.save(PUPIL, "pupil", {"art": 3}, ("art",)) is None


async def test_results_are_counted_by_top_direction_over_a_period(app):
    now = datetime(2026, 12, 1, tzinfo=UTC)
    for user_id, top in ((1, "art"), (2, "art"), (3, "sport"), (4, "technical")):
        await _profile(app, user_id, consent=True)
        await app.quiz_results.save(
            user_id, "parent", {top: 5}, (top,), now=now - timedelta(days=user_id)
        )
    counts = await results_by_direction(app.sessions, now - timedelta(days=3), now)
    assert counts == {
        "technical": 0,
        "natural_science": 0,
        "sport": 1,
        "social": 0,
        "art": 2,
        "tourism": 0,
    }
    async with app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(QuizResult)) == 4


async def test_settings_show_the_latest_result_and_open_the_quiz(client, app):
    await _profile(app, PUPIL, consent=True, role="pupil")
    pupil = client.user(PUPIL, "ru")
    await pupil.send("/settings")
    assert "🧭 Тест интересов (" not in pupil.text()  # none taken yet
    await pupil.press("🧭 Тест интересов")
    await pupil.press("▶️ Начать")
    await _answer_all(pupil, _leaning(app.quiz, "art", "ru"))
    await pupil.press("✖️ Закрыть")  # back to the settings, which name the result
    assert "🧭 Тест интересов (" in pupil.text() and "Художественное" in pupil.text()


async def test_a_direction_missing_in_the_town_is_suggested_elsewhere_and_events_fit(app):
    async with app.sessions() as session:
        # a locality with programmes, but none of `tourism` for a 12-year-old there
        with_some = (
            select(Organisation.locality_id).join(Programme).group_by(Organisation.locality_id)
        )
        tourism_there = (
            select(Organisation.locality_id)
            .join(Programme)
            .where(
                Programme.direction == "tourism",
                Programme.age_from <= 12,
                Programme.age_to >= 12,
            )
        )
        place = await session.scalar(
            with_some.where(Organisation.locality_id.not_in(tourism_there)).limit(1)
        )
    assert place is not None
    viewer = Viewer(role="pupil", grade=6, locality_id=place)
    found = await recommend(
        app.quiz, ("tourism", "technical"), app.catalog, app.events, viewer, age=12
    )
    tourism = [item for item in found.programmes if item.direction == "tourism"]
    assert tourism and all(item.elsewhere for item in tourism)
    assert [item.direction for item in found.programmes][: len(tourism)] == ["tourism"] * len(
        tourism
    )
    words = app.quiz.event_words["tourism"] | app.quiz.event_words["technical"]
    for card in found.events:
        assert words & set(text_index.stems(f"{card.title} {card.description}"))
        assert not card.roles or "pupil" in card.roles
        assert card.grade_from is None or card.grade_from <= 6
        assert not card.localities or place in card.localities


async def test_a_parent_of_two_says_for_whom_and_the_result_is_kept_with_that_child(client, app):
    await _profile(app, PARENT, consent=True, role="parent")
    masha = await app.children.add(PARENT, Given(age=9), name="Маша")
    petya = await app.children.add(PARENT, Given(age=15), name="Петя")
    parent = client.user(PARENT, "ru")
    await parent.send("/quiz")
    assert "Для кого подбирать?" in parent.text()
    await parent.press("Петя, 15 лет")
    assert "Для: Петя, 15 лет" in parent.text()
    await parent.press("▶️ Начать")
    await _answer_all(parent, _leaning(app.quiz, "technical", "ru"))
    assert "15 лет" in parent.text()  # the recommendations are for Petya's age
    [row] = await _rows(app)
    assert row.child_id == petya.id

    await app.children.remove(PARENT, petya.id)
    assert await _rows(app) == [], "a removed child's quiz result goes with them"
    assert masha.id != petya.id
