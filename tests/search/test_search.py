"""The text-question engine: reading, typos, synonyms, filters, FAQ, plans, backends."""

# ruff: noqa: E501  (tables of test data read best one row a line)

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from backends import fresh_postgres, needs_postgres
from sqlalchemy import select, update

from bot.app import App
from bot.telegram.i18n import Locales
from db import migrate
from db.engine import create_session_factory
from db.models import Organisation, Programme
from services.catalog import terms as catalog_terms
from services.catalog import text_index
from services.catalog.localities import LocalityService
from services.demo_data import load_localities_if_empty
from services.search import (
    SYNONYMS_PATH,
    Answer,
    FuzzyIndex,
    SearchService,
    SynonymTable,
    osa_distance,
)
from services.search import planner as search_module
from services.search.faq import FAQ_PATH, FaqIndex, question_stems

# ---------------------------------------------------------------------------------------------
# A small, realistic catalogue of Tomsk oblast, loaded through the ORM as the importer would.

LOCALITY = {  # ids of data/demo/localities.csv
    "Томск": 1,
    "Северск": 2,
    "Стрежевой": 3,
    "Асино": 5,
    "Колпашево": 6,
    "Богашёво": 20,
    "Батурино": 28,
}


@dataclass(frozen=True)
class Org:
    key: str
    name: str
    type: str
    locality: str
    latitude: float
    longitude: float
    hidden: bool = False
    accessible: bool = False


@dataclass(frozen=True)
class Prog:
    key: str
    org: str
    name: str
    direction: str
    description: str
    ages: tuple[int, int]
    cost: str = "free"
    hidden: bool = False


ORGS = [
    Org("kvant", "Детский технопарк «Кванториум»", "kvantorium", "Томск", 56.4750, 84.9510),
    Org("itcube", "IT-куб Томск", "it_cube", "Томск", 56.4630, 84.9660),
    Org("dtdm", "Дворец творчества детей и молодёжи", "dod_centre", "Томск", 56.4880, 84.9480),
    Org("sosh5", "МАОУ СОШ № 5 г. Томска", "school", "Томск", 56.4700, 84.9800),
    Org("dussh1", "ДЮСШ № 1 г. Томска", "dod_centre", "Томск", 56.5020, 84.9720),
    Org("ds45", "Детский сад № 45 «Солнышко»", "kindergarten", "Томск", 56.4500, 84.9900),
    Org("syun", "Станция юных натуралистов", "dod_centre", "Томск", 56.4900, 84.9300),
    Org("sddt", "Северский Дом детского творчества", "dod_centre", "Северск", 56.6040, 84.8800),
    Org("sgym", "Северская гимназия", "school", "Северск", 56.6000, 84.8850),
    Org("asino1", "СОШ № 1 г. Асино", "tochka_rosta", "Асино", 56.9910, 86.1570),
    Org("asport", "Асиновская спортивная школа", "dod_centre", "Асино", 56.9950, 86.1500),
    Org("baturino", "Батуринская СОШ", "school", "Батурино", 57.0360, 85.9890),
    Org("kolp7", "Колпашевская СОШ № 7", "tochka_rosta", "Колпашево", 58.3130, 82.9080),
    Org("kolpart", "Колпашевская детская школа искусств", "dod_centre", "Колпашево", 58.3100, 82.9200),
    Org("bogash", "Богашёвская СОШ", "school", "Богашёво", 56.3525, 85.1317),
    Org("strzh", "IT-куб Стрежевой", "it_cube", "Стрежевой", 60.7330, 77.5890),
    Org("dobro", "Стрежевская коррекционная школа", "dobroshkola", "Стрежевой", 60.7350, 77.5900, accessible=True),
    Org("closed", "Шахматный клуб «Закрыт»", "dod_centre", "Томск", 56.4847, 84.9482, hidden=True),
]  # fmt: skip

PROGRAMMES = [
    Prog("robo-kv", "kvant", "Робототехника", "technical", "Конструируем и программируем роботов на LEGO и Arduino", (8, 14)),
    Prog("promdesign", "kvant", "Промдизайнквантум", "technical", "Промышленный дизайн: эскиз, прототип, 3D-печать", (11, 17)),
    Prog("aero", "kvant", "Аэроквантум: беспилотные летательные аппараты", "technical", "Сборка и пилотирование квадрокоптеров", (10, 17)),
    Prog("bio-kv", "kvant", "Биоквантум", "natural_science", "Исследования живых систем: микробиология, генетика", (12, 17)),
    Prog("robo-old", "kvant", "Робототехника (архив)", "technical", "Старая программа", (8, 14), hidden=True),
    Prog("python", "itcube", "Программирование на Python", "technical", "Алгоритмы и программирование на языке Python", (10, 17)),
    Prog("mobile", "itcube", "Мобильная разработка", "technical", "Разработка мобильных приложений под Android", (12, 17)),
    Prog("cyber", "itcube", "Кибергигиена и большие данные", "technical", "Безопасность в сети и анализ данных", (12, 17)),
    Prog("dance", "dtdm", "Хореографическая студия «Радуга»", "art", "Классический и народный танец", (6, 14), "paid"),
    Prog("izo", "dtdm", "Изостудия «Палитра»", "art", "Рисунок, живопись, композиция", (7, 15), "certificate"),
    Prog("theatre", "dtdm", "Театральная студия «Маска»", "art", "Актёрское мастерство и сценическая речь", (9, 16), "certificate"),
    Prog("vocal", "dtdm", "Вокальный ансамбль «Соловушки»", "art", "Эстрадный вокал и пение", (7, 12)),
    Prog("journal", "dtdm", "Юные журналисты", "social", "Школьная газета и медиацентр: интервью, репортаж, видеосъёмка", (12, 17)),
    Prog("chess-t", "sosh5", "Шахматы", "sport", "Шахматная секция: дебюты, эндшпиль, турниры", (7, 12)),
    Prog("football-t", "sosh5", "Футбол", "sport", "Мини-футбол для мальчиков и девочек", (8, 14)),
    Prog("volunteer", "sosh5", "Волонтёрский отряд «Добро»", "social", "Добровольчество, помощь ветеранам и акции", (13, 17)),
    Prog("swim", "dussh1", "Плавание", "sport", "Обучение плаванию в бассейне", (6, 14), "paid"),
    Prog("ski", "dussh1", "Лыжные гонки", "sport", "Классический и коньковый ход, соревнования", (9, 17)),
    Prog("lego-ds", "ds45", "Лего-конструирование для дошкольников", "technical", "Первые конструкторы и простые механизмы", (5, 7)),
    Prog("rhythm", "ds45", "Ритмика", "art", "Музыкально-ритмические занятия для малышей", (4, 7), "paid"),
    Prog("eco-t", "syun", "Юный эколог", "natural_science", "Экология родного края, наблюдения за природой", (8, 13)),
    Prog("chem-t", "syun", "Химия вокруг нас", "natural_science", "Опыты и лабораторные работы по химии", (12, 16), "certificate"),
    Prog("robo-s", "sddt", "Робототехника для начинающих", "technical", "LEGO WeDo: первые роботы и датчики", (7, 10), "certificate"),
    Prog("chess-s", "sddt", "Шахматный клуб «Ладья»", "sport", "Шахматы для начинающих и разрядников", (6, 16)),
    Prog("draw-s", "sddt", "Студия рисования «Акварель»", "art", "Рисование акварелью и гуашью", (6, 12), "paid"),
    Prog("tour-s", "sddt", "Туристический клуб «Азимут»", "tourism", "Походы, спортивное ориентирование, туристские навыки", (10, 17)),
    Prog("3d-s", "sgym", "3D-моделирование", "technical", "Моделирование в Blender и 3D-печать", (11, 16)),
    Prog("english-s", "sgym", "Английский клуб", "social", "Разговорный английский язык", (9, 14), "paid"),
    Prog("robo-a", "asino1", "Робототехника и конструирование", "technical", "Сборка роботов из конструкторов", (9, 14)),
    Prog("chem-a", "asino1", "Юный химик", "natural_science", "Химический эксперимент в цифровой лаборатории", (12, 17)),
    Prog("chess-a", "asino1", "Шахматы в школе", "sport", "Шахматы для учеников начальной школы", (7, 11)),
    Prog("scratch-a", "asino1", "Основы программирования в Scratch", "technical", "Первые программы и компьютерные игры", (8, 12)),
    Prog("volley-a", "asport", "Волейбол", "sport", "Тренировки и игры для юношей и девушек", (10, 17)),
    Prog("judo-a", "asport", "Дзюдо", "sport", "Борьба дзюдо", (7, 15)),
    Prog("kraeved-b", "baturino", "Краеведение: история села", "tourism", "Школьный музей и история родного края", (10, 15)),
    Prog("bio-k", "kolp7", "Биология с цифровой лабораторией", "natural_science", "Опыты с датчиками и микроскопами", (12, 17)),
    Prog("photo-k", "kolp7", "Фотостудия «Кадр»", "art", "Фотография и видеомонтаж", (11, 17)),
    Prog("tour-k", "kolp7", "Пешеходный туризм", "tourism", "Походы выходного дня по родному краю", (10, 17)),
    Prog("guitar-k", "kolpart", "Гитара", "art", "Игра на шестиструнной гитаре", (8, 17), "paid"),
    Prog("dance-k", "kolpart", "Хореография", "art", "Современный танец и хип-хоп", (7, 15), "certificate"),
    Prog("football-b", "bogash", "Мини-футбол", "sport", "Тренировки по мини-футболу", (8, 14)),
    Prog("gymn-b", "bogash", "Художественная гимнастика", "sport", "Гимнастика для девочек с обручем и лентой", (5, 12), "paid"),
    Prog("eco-b", "bogash", "Экологический отряд", "natural_science", "Охрана природы, посадка деревьев, экотропа", (10, 15)),
    Prog("robo-z", "strzh", "Программирование роботов", "technical", "Робототехника на Arduino и программирование на C++", (10, 17)),
    Prog("games-z", "strzh", "Разработка игр", "technical", "Создание компьютерных игр на Unity", (12, 17)),
    Prog("sensory-z", "dobro", "Сенсорная комната и арт-терапия", "social", "Занятия для детей с ОВЗ", (7, 14)),
    Prog("chess-closed", "closed", "Шахматы для всех", "sport", "Шахматы", (6, 16)),
]  # fmt: skip


def programme_stems(programme: Prog) -> str:
    """search_stems exactly as the importer fills it: the programme's own words, no
    organisation's."""
    return text_index.document(
        programme.name, programme.description, catalog_terms.DIRECTIONS[programme.direction]
    )


async def load_catalogue(sessions) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Organisations and programmes above; returns programme ids by key."""
    ids: dict[str, int] = {}
    async with sessions() as session:
        rows = {}
        for org in ORGS:
            row = Organisation(
                external_id=f"ORG-{org.key}",
                name=org.name,
                type=org.type,
                locality_id=LOCALITY[org.locality],
                latitude=org.latitude,
                longitude=org.longitude,
                accessible=org.accessible,
                hidden=org.hidden,
            )
            session.add(row)
            rows[org.key] = row
        await session.flush()
        programmes = {}
        for item in PROGRAMMES:
            row = Programme(
                external_id=f"P-{item.key}",
                organisation_id=rows[item.org].id,
                name=item.name,
                direction=item.direction,
                description=item.description,
                age_from=item.ages[0],
                age_to=item.ages[1],
                format="in_person",
                cost=item.cost,
                price=3000 if item.cost == "paid" else None,
                hidden=item.hidden,
                search_stems=programme_stems(item),
            )
            session.add(row)
            programmes[item.key] = row
        await session.flush()
        ids = {key: row.id for key, row in programmes.items()}
        await session.commit()
    return ids


@pytest.fixture
async def catalogue(app: App) -> AsyncIterator[tuple[SearchService, dict[str, int]]]:
    """A search service over the small catalogue above, in an empty migrated database."""
    async with app.sessions() as session:
        await session.execute(Programme.__table__.delete())
        await session.execute(Organisation.__table__.delete())
        await session.commit()
    ids = await load_catalogue(app.sessions)
    yield SearchService(app.sessions, app.localities), ids


def keys_of(answer: Answer, ids: dict[str, int]) -> list[str]:
    by_id = {value: key for key, value in ids.items()}
    return [by_id[programme_id] for programme_id in answer.programme_ids]


# ---------------------------------------------------------------------------------------------
# Pure parts


def test_osa_distance():
    assert osa_distance("робот", "робот", 2) == 0
    assert osa_distance("робот", "робто", 2) == 1  # transposition
    assert osa_distance("програмирован", "программирован", 2) == 1
    assert osa_distance("раблтотехник", "робототехник", 2) == 2
    assert osa_distance("шахмат", "футбол", 2) == 3  # capped at limit + 1


def test_fuzzy_index_finds_every_word_within_distance():
    words = ["робототехник", "робот", "шахмат", "шашк", "программирован", "танц", "футбол"]
    index = FuzzyIndex(words)
    assert index.near("раблтотехник") == [(2, "робототехник")]
    assert index.near("програмирован") == [(1, "программирован")]
    assert index.near("шахмта") == [(1, "шахмат")]
    assert index.near("танцф") == [(1, "танц")]
    assert index.near("тантс") == []  # distance 2 is too far for a short word
    # Brute force agrees on a sample of misspellings.
    for query in ["роботтехник", "робототехнк", "шахмтаы", "фудбол", "прогрммирован", "футбо"]:
        expected = sorted(
            (d, w)
            for w in words
            if (d := osa_distance(query, w, 2)) <= (2 if len(query) >= 7 else 1)
        )
        assert index.near(query) == expected, query


def test_synonyms_load_and_expand():
    table = SynonymTable.load(SYNONYMS_PATH)
    weights = (10, 9, 5)
    robotics = table.expand(("робототехник",), weights)
    assert robotics[("робототехник",)] == 10  # the word itself
    assert robotics[("робот",)] == 9  # the same meaning
    assert robotics[("лег",)] == 5  # related
    assert table.expand(("айт",), weights)[("программирован",)] == 9
    assert table.expand(("изо",), weights)[("рисован",)] == 9  # a short word kept whole
    assert table.expand(("3d", "моделирован"), weights)[("3d", "моделирован")] == 10  # a phrase
    assert table.expand(("несуществующ",), weights) == {}


def test_faq_data_has_ten_entries_with_both_languages_and_answers():
    raw = json.loads(FAQ_PATH.read_text(encoding="utf-8"))
    entries = raw["entries"]
    assert len(entries) >= 10
    assert len({entry["id"] for entry in entries}) == len(entries)
    locales = Locales()
    for entry in entries:
        assert len(entry["ru"]) >= 3 and len(entry["en"]) >= 3, entry["id"]
        for locale in locales.available:
            t = locales.get(locale)
            assert t.has(f"faq-{entry['id']}"), (locale, entry["id"])
            assert t.has(f"faq-{entry['id']}-title"), (locale, entry["id"])


def test_faq_index_matches_every_variant_of_its_own_entry():
    index = FaqIndex.load()
    raw = json.loads(FAQ_PATH.read_text(encoding="utf-8"))
    for entry in raw["entries"]:
        for variant in entry["ru"] + entry["en"]:
            found = index.match(question_stems(variant))
            assert found is not None and found.id == entry["id"], (variant, found)


# ---------------------------------------------------------------------------------------------
# Reading a question


async def test_understood_age_place_free_direction(catalogue):
    search, _ = catalogue
    cases = {
        "робототехника для 10 лет": {"age": 10, "terms": ("робототехника",)},
        "ребёнку 7": {"age": 7},
        "кружки для 7-летнему сыну": {"age": 7},
        "что есть для семилетнего": {"age": 7},
        "в 5 классе": {"age": 11, "grade": 5},
        "дочь в пятом классе": {"age": 11, "grade": 5},
        "for a 9 year old": {"age": 9},
        "grade 3": {"age": 9, "grade": 3},
        "шахматы 10": {"age": 10, "terms": ("шахматы",)},
        "бесплатные кружки в Асино": {"free_only": True, "locality_ids": (5,)},
        "без оплаты в Северске": {"free_only": True, "locality_ids": (2,)},
        "технические кружки": {"directions": ("technical",)},
        "спортивные секции Томский район": {"directions": ("sport",)},
        "шахматы рядом": {"near_me": True, "terms": ("шахматы",)},
        "танцы возле дома": {"near_me": True},
        "chess near me": {"near_me": True, "terms": ("chess",)},
        "кружки в школе № 5": {"age": None},
    }
    for question, expected in cases.items():
        answer = await search.ask(question)
        for name, value in expected.items():
            assert getattr(answer.understood, name) == value, (question, name, answer.understood)
    district = (await search.ask("спортивные секции Томский район")).understood
    assert district.districts == ("Томский район",)
    assert district.locality_id is None
    assert 20 in district.locality_ids and 1 not in district.locality_ids
    assert (await search.ask("кружки в Томске")).understood.locality_id == 1
    assert (await search.ask("clubs in Seversk")).understood.locality_id == 2
    assert (await search.ask("кружки в Белом Яре")).understood.locality_id == 9


async def test_age_in_question_overrides_the_profile_age(catalogue):
    search, ids = catalogue
    answer = await search.ask("шахматы для 15 лет", age=7)
    assert answer.understood.age == 15 and answer.understood.age_in_question
    assert set(keys_of(answer, ids)) == {"chess-s"}  # the only chess taking 15-year-olds
    answer = await search.ask("шахматы", age=15)
    assert answer.understood.age == 15 and not answer.understood.age_in_question
    assert keys_of(answer, ids) == ["chess-s"]


async def test_typos_are_read_as_catalogue_words(catalogue):
    search, ids = catalogue
    for question, expected in [
        ("раблтотехника", "robo"),
        ("програмирование", "python"),
        ("шахмты", "chess"),
        ("хареография", "dance"),
    ]:
        answer = await search.ask(question)
        assert answer.kind == "programmes", question
        assert any(key.startswith(expected) for key in keys_of(answer, ids)[:3]), (
            question,
            keys_of(answer, ids),
        )
        assert answer.understood.corrections, question


async def test_synonyms_find_what_the_words_do_not_say(catalogue):
    search, ids = catalogue
    answer = await search.ask("айти")
    assert {"python", "scratch-a"} <= set(keys_of(answer, ids))
    answer = await search.ask("изо")
    assert keys_of(answer, ids)[:2] == ["izo", "draw-s"] or set(keys_of(answer, ids)[:2]) == {
        "izo",
        "draw-s",
    }
    answer = await search.ask("лего")
    keys = keys_of(answer, ids)
    assert keys[0] == "lego-ds" or keys[0].startswith("robo")
    assert any(key.startswith("robo") for key in keys)


async def test_direct_matches_come_before_related_ones(catalogue):
    search, ids = catalogue
    keys = keys_of(await search.ask("шахматы"), ids)
    assert keys[:3] and all(key.startswith("chess") for key in keys[:3])
    assert "chess-closed" not in keys  # a hidden organisation's programme


async def test_hidden_programmes_and_organisations_are_never_found(catalogue):
    search, ids = catalogue
    keys = keys_of(await search.ask("робототехника", limit=50), ids)
    assert "robo-old" not in keys
    keys = keys_of(await search.ask("шахматы", limit=50), ids)
    assert "chess-closed" not in keys


async def test_filters_alone_give_filtered_programmes(catalogue):
    search, ids = catalogue
    answer = await search.ask("бесплатные кружки в Асино", limit=50)
    assert answer.kind == "programmes"
    assert set(keys_of(answer, ids)) == {
        "robo-a",
        "chem-a",
        "chess-a",
        "scratch-a",
        "volley-a",
        "judo-a",
    }
    answer = await search.ask("художественные кружки в Колпашево", limit=50)
    assert set(keys_of(answer, ids)) == {"photo-k", "guitar-k", "dance-k"}
    answer = await search.ask("спорт для 16 лет в Томском районе", limit=50)
    assert answer.kind == "nothing"
    assert answer.understood.age == 16 and answer.understood.directions == ("sport",)


async def test_near_me_orders_by_distance(catalogue):
    search, ids = catalogue
    seversk = (56.6040, 84.8800)
    answer = await search.ask("шахматы рядом", near=seversk)
    assert keys_of(answer, ids)[0] == "chess-s"
    assert answer.understood.near_me and answer.understood.point == seversk
    assert list(answer.distances_km) == sorted(answer.distances_km)
    # Without a shared location, the profile's locality is the point.
    answer = await search.ask("шахматы поблизости", locality_id=LOCALITY["Асино"])
    assert keys_of(answer, ids)[0] == "chess-a"
    assert answer.distances_km[0] < 5


async def test_profile_locality_is_a_preference_not_a_filter(catalogue):
    search, ids = catalogue
    answer = await search.ask("шахматы", locality_id=LOCALITY["Асино"])
    keys = keys_of(answer, ids)
    assert keys[0] == "chess-a" and {"chess-t", "chess-s"} <= set(keys)


async def test_nothing_is_said_honestly(catalogue):
    search, ids = catalogue
    # An unknown word does not veto the place: Tomsk's programmes, the word said as not read.
    answer = await search.ask("квиддич в Томске")
    assert answer.kind == "programmes" and answer.programme_ids
    assert answer.understood.locality_id == 1 and answer.understood.unknown == ("квиддич",)
    answer = await search.ask("хоккей")
    assert answer.kind == "nothing" and answer.understood.terms == ("хоккей",)
    answer = await search.ask("кружки для ребёнка")
    assert answer.kind == "nothing" and answer.understood.empty
    # Chess takes nobody of 5: programmes for 5-year-olds, chess said as not found.
    answer = await search.ask("шахматы для 5 лет")
    assert answer.understood.age == 5 and answer.understood.unmatched == ("шахматы",)
    assert set(keys_of(answer, ids)) == {"lego-ds", "rhythm", "gymn-b"}
    answer = await search.ask("шахматы для 3 лет")
    assert answer.kind == "nothing" and answer.understood.age == 3


async def test_faq_is_answered_first_but_searches_do_not_hit_it(catalogue):
    search, _ = catalogue
    for question, faq_id in [
        ("что такое точка роста", "tochka-rosta"),
        ("Что такое «Точка роста»?", "tochka-rosta"),
        ("что такое кваториум", "kvantorium"),
        ("как получить сертификат ПФДО", "certificate"),
        ("What is IT-cube?", "it-cube"),
        ("это бесплатно?", "cost"),
    ]:
        answer = await search.ask(question)
        assert (answer.kind, answer.faq_id) == ("faq", faq_id), question
    # The consultation's FAQ entry is answered by offering the booking itself.
    answer = await search.ask("как записаться на консультацию")
    assert answer.kind == "consult" and answer.intent is not None
    for question in [
        "робототехника для 10 лет",
        "бесплатные кружки в Асино",
        "кружки в точке роста",
        "кванториум робототехника",
        "бесплатные шахматы",
        "программирование в IT-кубе",
    ]:
        answer = await search.ask(question)
        assert answer.kind != "faq", (question, answer.faq_id)


async def test_accessible_direction_exceptions_and_faq_words(catalogue):
    search, ids = catalogue
    answer = await search.ask("кружки для детей с ОВЗ")
    assert answer.understood.accessible and keys_of(answer, ids) == ["sensory-z"]
    answer = await search.ask("художественная гимнастика")
    assert answer.understood.directions == () and keys_of(answer, ids)[0] == "gymn-b"
    answer = await search.ask("билет")  # an FAQ word, not a misspelt «балет»
    assert answer.understood.corrections == ()


async def test_near_me_alone_needs_a_point(catalogue):
    search, ids = catalogue
    answer = await search.ask("что-нибудь рядом")
    assert answer.kind == "nothing" and answer.understood.near_me
    assert answer.understood.point is None  # the handler asks for a location
    answer = await search.ask("что-нибудь рядом", locality_id=LOCALITY["Колпашево"])
    assert answer.kind == "programmes"
    assert answer.understood.point == (58.3131, 82.9086)
    assert {"photo-k", "guitar-k"} & set(keys_of(answer, ids)[:5])
    assert list(answer.distances_km) == sorted(answer.distances_km)


async def test_vocabulary_is_cached_until_invalidated(catalogue, app):
    search, ids = catalogue
    assert (await search.ask("квиддич")).kind == "nothing"
    async with app.sessions() as session:
        await session.execute(
            update(Programme)
            .where(Programme.id == ids["football-t"])
            .values(search_stems=text_index.document("Квиддич", "Футбол"))
        )
        await session.commit()
    # The new word is not in the cached vocabulary yet.
    assert (await search.ask("квиддич")).kind == "nothing"
    search.invalidate()
    answer = await search.ask("квиддич")
    assert answer.kind == "programmes" and answer.programme_ids == [ids["football-t"]]


async def test_query_words_cannot_inject_fts_syntax(catalogue):
    search, _ = catalogue
    for question in [
        '"шахматы" OR *',
        "NEAR(шахматы",
        "шахматы AND NOT футбол",
        "'; drop --",
        "^$",
    ]:
        answer = await search.ask(question)
        assert answer.kind in ("programmes", "nothing")


# ---------------------------------------------------------------------------------------------
# Bounded plans (what a catalogue of 100,000 programmes gets), forced on the small one


@pytest.fixture
def bounded(monkeypatch):
    """No question reads all its matches; scans stop after a few rows; rings start small."""
    monkeypatch.setattr(search_module, "ALL_MATCHES", 0)
    monkeypatch.setattr(search_module, "CANDIDATES", 3)
    monkeypatch.setattr(search_module, "RING_MIN", 2)


async def _programmes(app: App, answer: Answer) -> list[Programme]:
    async with app.sessions() as session:
        rows = (
            await session.execute(select(Programme).where(Programme.id.in_(answer.programme_ids)))
        ).scalars()
        by_id = {row.id: row for row in rows}
    return [by_id[i] for i in answer.programme_ids]


async def test_bounded_plans_keep_the_filters_and_the_order(catalogue, bounded, app):
    search, ids = catalogue
    answer = await search.ask("шахматы")
    assert search.last_plan[0] == "tiers"
    assert keys_of(answer, ids) and all(k.startswith("chess") for k in keys_of(answer, ids))

    answer = await search.ask("шахматы рядом", near=(56.6040, 84.8800))
    assert search.last_plan[0] == "rings"
    assert keys_of(answer, ids)[0] == "chess-s"
    assert list(answer.distances_km) == sorted(answer.distances_km)

    answer = await search.ask("бесплатные кружки в Асино")
    assert search.last_plan[0] == "place"
    programmes = await _programmes(app, answer)
    assert programmes and all(p.cost == "free" for p in programmes)
    assert set(keys_of(answer, ids)) <= {
        "robo-a",
        "chem-a",
        "chess-a",
        "scratch-a",
        "volley-a",
        "judo-a",
    }

    answer = await search.ask("шахматы в Асино")
    assert keys_of(answer, ids) == ["chess-a"]

    answer = await search.ask("спортивные секции для 9 лет")
    assert search.last_plan[0] == "filters"
    programmes = await _programmes(app, answer)
    assert programmes and all(
        p.direction == "sport" and p.age_from <= 9 <= p.age_to for p in programmes
    )

    # Two terms: programmes with both come first («робототехника» and «программирование»).
    answer = await search.ask("робототехника программирование")
    assert keys_of(answer, ids)[0] == "robo-z"

    # A kind of organisation: its organisations' programmes, found through them.
    answer = await search.ask("робототехника в Кванториуме")
    assert search.last_plan[0] == "orgs" and answer.understood.org_types == ("kvantorium",)
    assert keys_of(answer, ids)[0] == "robo-kv"
    assert set(keys_of(answer, ids)) <= {"robo-kv", "promdesign", "aero", "bio-kv"}
    answer = await search.ask("что есть в IT-кубе")  # 5 programmes; a scan stops after 3
    assert set(keys_of(answer, ids)) < {"python", "mobile", "cyber", "robo-z", "games-z"}
    assert len(keys_of(answer, ids)) == 3 and answer.more

    # The profile's locality first, the rest after.
    answer = await search.ask("шахматы", locality_id=LOCALITY["Асино"])
    assert search.last_plan[0] == "rings"
    assert keys_of(answer, ids)[0] == "chess-a"


# ---------------------------------------------------------------------------------------------
# Both databases


async def _answers(search: SearchService, ids: dict[str, int]) -> list[tuple]:
    questions = [
        "робототехника для 10 лет",
        "робототехника ардуино",
        "шахматы в Асино",
        "спортивные секции для 9 лет",
        "шахматы",
        "раблтотехника",
        "бесплатные кружки в Асино",
        "танцы",
        "программирование",
        "спорт в Томском районе",
        "рисование для 8 лет",
        "что такое точка роста",
        "квиддич",
    ]
    by_id = {value: key for key, value in ids.items()}
    found = []
    for question in questions:
        for kwargs in ({}, {"locality_id": LOCALITY["Северск"]}, {"near": (56.99, 86.15)}):
            answer = await search.ask(question + (" рядом" if "near" in kwargs else ""), **kwargs)
            found.append(
                (
                    question,
                    answer.kind,
                    answer.faq_id,
                    [by_id[i] for i in answer.programme_ids],
                    answer.understood,
                )
            )
    return found


@needs_postgres
@pytest.mark.parametrize("plans", ["as in a small catalogue", "as in a large one"])
async def test_sqlite_and_postgresql_give_the_same_answers(catalogue, app, plans, monkeypatch):
    if plans == "as in a large one":
        monkeypatch.setattr(search_module, "ALL_MATCHES", 0)
        monkeypatch.setattr(search_module, "CANDIDATES", 3)
        monkeypatch.setattr(search_module, "RING_MIN", 2)
    search, ids = catalogue
    on_sqlite = await _answers(search, ids)
    engine = await fresh_postgres()
    try:
        await migrate.upgrade(engine)
        sessions = create_session_factory(engine)
        await load_localities_if_empty(sessions)
        pg_ids = await load_catalogue(sessions)
        pg_search = SearchService(sessions, LocalityService(sessions))
        on_postgres = await _answers(pg_search, pg_ids)
    finally:
        await engine.dispose()
    assert any(kind == "programmes" for _, kind, *_ in on_sqlite)
    for left, right in zip(on_sqlite, on_postgres, strict=True):
        assert left == right
