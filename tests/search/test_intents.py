"""Typed messages that are not catalogue questions go where the person means (issue 14): help
with a child → the consultation booking, events → matching events, how-to → the FAQ answer,
small talk and off-topic → a short answer and the menu; catalogue questions stay searches."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.both_messengers

BOOK_RU, BOOK_EN = "📝 Записаться на консультацию", "📝 Book a consultation"
PSY_RU = "Психолого-педагогическая помощь"
FOSTER_RU = "Для тех, кто хочет принять ребёнка в семью"


def _menu_shown(user) -> bool:  # type: ignore[no-untyped-def]
    keyboard = user.reply_keyboard
    labels = [b.text for row in (keyboard.keyboard if keyboard else []) for b in row]
    return "🔎 Кружки и центры" in labels or "🔎 Clubs and centres" in labels


# --- consultations ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("сын стал очень агрессивным, к кому обратиться?", PSY_RU),
        ("у дочки истерики каждый вечер, помогите", PSY_RU),
        ("ребёнка дразнят одноклассники, он замкнулся", PSY_RU),
        ("хотели бы поговорить с психологом о подростке", PSY_RU),
        ("думаем об усыновлении малыша, с чего начать", FOSTER_RU),
        ("как оформить опекунство над племянником", FOSTER_RU),
    ],
)
async def test_help_with_a_child_offers_the_booking_on_its_topic(client, question, topic):
    parent = client.user(9501)
    await parent.send(question)
    assert BOOK_RU in parent.visible_labels(), parent.text()
    assert "Ищу:" not in parent.text()
    assert topic in parent.text()
    await parent.press(BOOK_RU)
    # The booking starts on the chosen topic: the next step asks for the organisation.
    assert "Тема:" in parent.text() and topic in parent.text()


async def test_a_general_wish_for_advice_lets_the_person_choose_the_topic(client):
    parent = client.user(9502)
    await parent.send("хочу посоветоваться со специалистом")
    await parent.press(BOOK_RU)
    assert "Выберите тему" in parent.text()
    assert PSY_RU in parent.visible_labels()


async def test_english_help_with_a_child_offers_the_booking(client):
    parent = client.user(9503, language_code="en")
    await parent.send("my daughter gets bullied at school, what should we do?")
    assert BOOK_EN in parent.visible_labels(), parent.text()
    await parent.press(BOOK_EN)
    assert "Topic:" in parent.text()
    parent2 = client.user(9504, language_code="en")
    await parent2.send("we are thinking about adopting a child")
    assert BOOK_EN in parent2.visible_labels()


@pytest.mark.parametrize(
    "question",
    [
        "психология для подростков кружок",
        "психология для подростков",
        "робототехника для 10 лет",
        "шахматы бесплатно рядом",
        "кружок рисования для первоклассника",
        "секция самбо для агрессивного мальчика",
        "театральная студия для застенчивой девочки 9 лет",
        "chess club for a shy 8 year old",
        "олимпиадная математика 7 класс",
        "подготовка к конкурсу чтецов",
    ],
)
async def test_catalogue_questions_stay_searches(client, question):
    parent = client.user(9505)
    await parent.send(question)
    assert BOOK_RU not in parent.visible_labels() and BOOK_EN not in parent.visible_labels()
    assert "Ищу:" in parent.text() or "Ничего подходящего" in parent.text(), parent.text()


# --- events -------------------------------------------------------------------------------------
async def test_an_events_question_lists_matching_events_and_opens_them(client):
    pupil = client.user(9510)
    await pupil.send("будет ли какой-нибудь фестиваль профессий?")
    text = pupil.text()
    assert "Фестиваль профессий" in text and "Мероприятия по вашему вопросу" in text
    assert "Асино" not in text  # the open day elsewhere does not match
    event = next(label for label in pupil.visible_labels() if label.startswith("1. "))
    await pupil.press(event)
    assert "Фестиваль профессий" in pupil.text()
    await pupil.press("📅 Все события")
    assert "Мероприятия по профориентации" in pupil.text()


async def test_events_by_place_and_by_plain_wording(client):
    parent = client.user(9511)
    await parent.send("когда в Северске открытые двери?")
    assert "IT-куба" in parent.text() and "Мероприятия по вашему вопросу" in parent.text()
    await parent.send("какие события ждут школьников в ближайшее время")
    assert "1. " in parent.text() and "Ищу:" not in parent.text()
    assert "📅 Все события" in parent.visible_labels()


async def test_an_events_question_with_nothing_matching_offers_the_nearest(client):
    parent = client.user(9512)
    await parent.send("когда фестиваль воздушных змеев")
    assert "Таких мероприятий пока нет" in parent.text()
    assert "1. " in parent.text()


async def test_english_events_question(client):
    pupil = client.user(9513, language_code="en")
    await pupil.send("any open days coming up?")
    assert "Events for your question" in pupil.text() or "nearest" in pupil.text()
    assert "📅 All events" in pupil.visible_labels()


# --- FAQ in other words -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "answer_part"),
    [
        ("какие бумаги собрать для зачисления в кружок", "для записи нужны"),
        ("за занятия надо отдавать деньги?", "бесплатные"),
        ("где взять сертификат пфдо для сына", "Сертификат"),
        ("как с вами связаться", "телефон"),
        ("что нужно сделать чтобы попасть в кружок через навигатор", "навигатор"),
        ("how much do the clubs cost", "free"),
        ("do we need any documents to join", "to enrol you usually need"),
        ("how can i sign my kid up for a club", "navigator"),
        ("who do i call with questions", "hone"),
    ],
)
async def test_how_to_questions_get_the_faq_answer_in_other_words(client, question, answer_part):
    locale = "en" if question.isascii() else "ru"
    parent = client.user(9520, language_code=locale)
    await parent.send(question)
    text = parent.text()
    assert "Ищу:" not in text and "Looking for:" not in text, text
    assert answer_part.lower() in text.lower(), text


# --- small talk and off-topic -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "locale", "expected"),
    [
        ("Добрый вечер!", "ru", "Здравствуйте"),
        ("благодарю вас", "ru", "Пожалуйста"),
        ("как поживаешь?", "ru", "Всё хорошо"),
        ("hey there", "en", "Hello"),
        ("thanks a lot!", "en", "welcome"),
    ],
)
async def test_small_talk_gets_a_short_answer_with_the_menu(client, message, locale, expected):
    user = client.user(9530, language_code=locale)
    await user.send(message)
    assert expected in user.text()
    assert "Ищу:" not in user.text() and "Ничего подходящего" not in user.text()
    assert _menu_shown(user)


@pytest.mark.parametrize(
    ("message", "locale", "expected"),
    [
        ("какой прогноз погоды на выходные", "ru", "кружками, консультациями и мероприятиями"),
        ("где купить зимнюю куртку подешевле", "ru", "кружками, консультациями и мероприятиями"),
        ("сколько стоит обучение в автошколе", "ru", "кружками, консультациями и мероприятиями"),
        ("I want to buy a new phone", "en", "clubs, consultations and events"),
        ("how do I get a driving licence", "en", "clubs, consultations and events"),
        ("какой сегодня курс евро", "ru", "кружками, консультациями и мероприятиями"),
        ("где поменять паспорт", "ru", "кружками, консультациями и мероприятиями"),
    ],
)
async def test_off_topic_requests_are_declined_not_forced_into_a_match(
    client, message, locale, expected
):
    user = client.user(9540, language_code=locale)
    await user.send(message)
    assert expected in user.text()
    assert "Ищу:" not in user.text() and "исправил" not in user.text()
    assert _menu_shown(user)


async def test_a_greeting_with_a_question_is_a_search(client):
    parent = client.user(9550)
    await parent.send("здравствуйте, подскажите кружок шахмат для сына")
    assert "Ищу:" in parent.text()


async def test_events_fit_the_grade_the_question_names(client):
    pupil = client.user(9560)
    await pupil.send("какие мероприятия есть для 5 класса?")
    text = pupil.text()
    assert "Открытый день «Точки роста»" in text  # grades 5–11
    assert "Фестиваль профессий" not in text  # grade 8 only
