"""The question language: stop words, direction words, place names, the weights of stems."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from services.catalog import text_index
from services.catalog.localities import Place

# Weights of the stems a question term is searched as: (the term itself, its synonyms of the
# same meaning, related words); a misspelt term is searched as what it was read as.
WEIGHTS = (10, 9, 5)
TYPO_WEIGHTS = (8, 7, 4)
DIRECT = 7  # from this weight on, a match is the term or a synonym, not a related word

_SEARCH_STOP_WORDS = """
в во на для по с со у к ко о об от до из за и или а но не ни ли бы же то это что чтобы кто где
когда какой какая какие каких какое какую как куда есть хочу хотим хотела хотел хотелось ищу
ищем искать найти найди найдите нужен нужна нужно нужны надо подскажите посоветуйте покажите
скажите пожалуйста можно мой моя мое мои моему моей моего моих наш наша наше наши нашего нашей
нашему ваш ваша ваши сын сына сыну сыночек дочь дочери дочка дочке дочку ребенок ребенка ребенку
ребенком дети детей детям детский детские детская детское ребята школьник школьника школьнику
школьники школьников подросток подростка подростков малыш малыша мальчик мальчика мальчику
девочка девочки девочке внук внука внуку внучка внучки внучке кружок кружки кружков кружка
кружке кружку секция секции секций секцию занятия занятие занятий заниматься позаниматься
курсы курс курсов программа программы программу студия студии объединение объединения клуб
клубы клуба интересное интересные интересный любой любые все всех город городе поселок поселке
село селе деревня деревне год года лет годик годиков класс класса классе классов
записать записаться запись тоже также еще очень туда там тут здесь вообще просто ну вот
сейчас спасибо здравствуйте привет добрый день вечер утро хорошо ладно мы живем живу живет
живут проживаем находимся учится учимся учусь ученик ученица ученика ученику старшеклассник
старшеклассника старшекласснику старшеклассники младшеклассник младшеклассника ходит ходить
посещать занимается любит нравится увлекается интересуется хочет хотят отдать отвести устроить
пойти сходить начать подойдет подходит вариант варианты предложите порекомендуйте знаете узнать
лучше лучший лучшие хороший хорошие желательно нибудь либо дополнительное
дополнительного образование образования направление направления направленность какието
научиться научить научится учиться поучиться играть поиграть попробовать чемто чтото ктото
learn learning play playing try
a an the for in at on of to my our your his her kid kids child children son daughter boy girl
teen teens teenager year years old olds club clubs class classes lesson lessons course courses
section sections activity activities i we want looking find search show me some any there is
are what which where how can please with and or something interesting town city village area
after hello hi thanks thank you good we live living am looking like likes loves interested
would best suitable options
"""
SEARCH_STOP_STEMS = frozenset(text_index.stem(word) for word in _SEARCH_STOP_WORDS.split())

# Direction words: phrases of stems → direction code. «спорт» counts as the direction too.
_DIRECTION_PHRASES: dict[str, tuple[str, ...]] = {
    "technical": ("технический", "техническое творчество", "technical"),
    "natural_science": (
        "естественнонаучный",
        "естественные науки",
        "естественно-научный",
        "natural science",
        "science",
    ),
    "sport": ("физкультурно-спортивный", "спортивный", "физкультурный", "спорт", "sport"),
    "social": ("социально-гуманитарный", "социальный", "гуманитарный", "social", "humanities"),
    "art": ("художественный", "artistic", "arts", "art"),
    "tourism": ("туристско-краеведческий", "туристский", "краеведческий"),
}
# Kinds of organisation a question may name («в Кванториуме», «IT-куб»): a filter on the
# organisation's type. Organisations' own names are not searched (they are not the programme:
# «школа», «Дом детского творчества» say nothing of what is taught).
_ORG_TYPE_PHRASES: dict[str, tuple[str, ...]] = {
    "kvantorium": ("кванториум", "технопарк", "kvantorium", "technopark"),
    "it_cube": ("it куб", "ит куб", "айти куб", "айтикуб", "it cube", "itcube"),
    "tochka_rosta": ("точка роста", "growth point"),
    "dobroshkola": ("доброшкола", "dobroshkola"),
    "digital_lab": ("цос", "цифровая образовательная среда"),
}
# Direction words that are not the direction when followed by these («художественная
# гимнастика» is a sport).
DIRECTION_EXCEPTIONS = {("художествен", "гимнастик"), ("художествен", "литератур")}

# Russian «Томский район»: the generic words of district names.
GENERIC_PLACE_WORDS = frozenset(
    text_index.stem(word)
    for word in "район округ городской городского зато district urban okrug closed town".split()
)


# Short words whose stem says too little («изо» stems to the preposition «из»): kept whole.
_WHOLE_WORDS = frozenset({"изо"})


def token_stem(word: str) -> str:
    return word if word in _WHOLE_WORDS else text_index.stem(word)


def phrase(text_: str) -> tuple[str, ...]:
    """The stems of a phrase that count: no stop words, no single letters."""
    stems = (token_stem(word) for word in text_index.words(text_))
    return tuple(item for item in stems if item not in SEARCH_STOP_STEMS and len(item) > 1)


@dataclass(frozen=True, slots=True)
class PlaceMeaning:
    locality_ids: tuple[int, ...]
    district: str | None  # set when the phrase named a district


def place_phrases(places: Sequence[Place]) -> dict[tuple[str, ...], PlaceMeaning]:
    phrases: dict[tuple[str, ...], PlaceMeaning] = {}
    for place in places:
        for name in (place.name, place.name_en):
            key = tuple(text_index.stems(name))
            if key:
                phrases[key] = PlaceMeaning((place.id,), None)
    by_district: dict[str, list[Place]] = {}
    for place in places:
        by_district.setdefault(place.district, []).append(place)
    for district, members in by_district.items():
        meaning = PlaceMeaning(tuple(sorted(p.id for p in members)), district)
        for name in (district, members[0].district_en):
            full = tuple(text_index.stems(name))
            distinctive = tuple(item for item in full if item not in GENERIC_PLACE_WORDS)
            if full and full not in phrases:
                phrases[full] = meaning
            # «Асиновский» alone names the district, unless it is a locality's own name.
            if distinctive and distinctive not in phrases:
                phrases[distinctive] = meaning
    return phrases


DIRECTION_KEYS: dict[tuple[str, ...], str] = {
    key: code
    for code, names in _DIRECTION_PHRASES.items()
    for name in names
    if (key := tuple(text_index.stems(name)))
}


ORG_TYPE_KEYS: dict[tuple[str, ...], str] = {
    key: code
    for code, names in _ORG_TYPE_PHRASES.items()
    for name in names
    if (key := tuple(text_index.stems(name)))
}

# One-stem direction and organisation words → the word itself, to say what a typo was read as.
KEY_WORDS: dict[str, str] = {
    key[0]: name
    for table in (_DIRECTION_PHRASES, _ORG_TYPE_PHRASES)
    for names in table.values()
    for name in names
    if len(key := tuple(text_index.stems(name))) == 1
}
