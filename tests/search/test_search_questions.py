"""Realistic questions of parents and pupils against the demo catalogue (data/demo/catalog.csv,
loaded by `prepare_database`): the expected answer must be among the first three.

Run with `-s` to see every question's outcome; a failure lists the misses."""

# ruff: noqa: E501  (tables of test data read best one row a line)

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from bot.app import App
from db.models import Locality, Organisation, Programme
from services.search import Answer, SearchService

TOMSK, SEVERSK, ASINO = 1, 2, 5
TOMSK_CENTRE = (56.4847, 84.9482)
REQUIRED_HIT_RATE = 0.9


@dataclass(frozen=True)
class Q:
    question: str
    faq: str | None = None  # the expected FAQ entry
    # Constraints one of the first three programmes must meet, all of them:
    names: tuple[str, ...] = ()  # its name contains one of these (case-insensitive)
    org: tuple[str, ...] = ()  # its organisation's name contains one of these
    locality: str | None = None  # in this locality (Russian name)
    district: str | None = None
    age: int | None = None  # takes children of this age
    free: bool = False
    direction: str | None = None
    accessible: bool = False
    kwargs: dict = field(default_factory=dict)  # profile: age, locality_id, near


QUESTIONS = [
    # Frequent questions
    Q("что такое точка роста", faq="tochka-rosta"),
    Q("Что такое «Кванториум»?", faq="kvantorium"),
    Q("айти куб это что", faq="it-cube"),
    Q("как получить сертификат ПФДО", faq="certificate"),
    Q("как записать ребёнка в кружок через навигатор", faq="navigator"),
    Q("кружки платные или бесплатные?", faq="cost"),
    Q("какие документы нужны для записи в секцию", faq="documents"),
    Q("что такое билет в будущее", faq="bilet"),
    Q("что значит доступно для детей с ОВЗ", faq="ovz"),
    Q("как связаться с управлением образования", faq="contacts"),
    Q("как записаться на консультацию к психологу", faq="consultation"),
    Q("что такое дополнительное образование", faq="dop-obrazovanie"),
    Q("What is Kvantorium?", faq="kvantorium"),
    Q("how do I get the certificate of additional education", faq="certificate"),
    Q("is it free?", faq="cost"),
    # Programmes by subject, age, place, cost
    Q("робототехника для 10 лет", names=("робототехн",), age=10),
    Q("шахматы рядом", names=("шахмат",), locality="Асино", kwargs={"locality_id": ASINO}),
    Q("бесплатные кружки по рисованию", names=("изостуд", "графика", "декоратив"), free=True),
    Q("шахматы для 7 лет", names=("шахмат",), age=7),
    Q("бесплатные кружки в Асино", locality="Асино", free=True),
    Q("футбол в Северске", names=("футбол",), locality="Северск"),
    Q("хореография", names=("хореограф",)),
    Q("танцы для девочки 6 лет", names=("хореограф",), age=6),
    Q("плавание в Колпашево", names=("плавани",), locality="Колпашево"),
    Q("3D-моделирование", names=("3d",)),
    Q("программирование для 12 лет в Томске", names=("python", "мобильн"), locality="Томск"),
    Q("лего для ребёнка 5 лет", names=("lego",), age=5),
    Q("кружок астрономии", names=("астроном",)),
    Q("химия для 14 лет", names=("хими",), age=14),
    Q("экология", names=("эколог",)),
    Q("квадрокоптеры", names=("беспилотн",)),
    Q("дроны для 13 лет", names=("беспилотн",), age=13),
    Q("английский язык", names=("английск",)),
    Q("журналистика", names=("журналист", "медиа")),
    Q("волонтёрство", names=("волонт",)),
    Q("краеведение", names=("краевед",)),
    Q("походы и туризм", names=("туризм", "ориентирован")),
    Q("хоккей", names=("хоккей",)),
    Q("баскетбол в Молчаново", names=("баскетбол",), locality="Молчаново"),
    Q("научиться играть на гитаре", names=("гитар",)),
    Q("пение", names=("вокал",)),
    Q("кибербезопасность для подростка 14 лет", names=("кибербез",), age=14),
    Q("технические кружки в Стрежевом для 8 лет", locality="Стрежевой", age=8, direction="technical"),
    Q("спортивные секции в Томском районе", district="Томский район", direction="sport"),
    Q("что-нибудь по физике", names=("физик",)),
    Q("разработка мобильных приложений", names=("мобильн",)),
    Q("видеосъёмка и монтаж", names=("видео",)),
    Q("самбо", names=("самбо",)),
    Q("лыжи", names=("лыжн",)),
    Q("в 3 классе", age=9),
    Q("бесплатно для 5 лет", age=5, free=True),
    Q("кружки для детей с ОВЗ в Томске", locality="Томск", accessible=True),
    Q("кружки в Точке роста в Каргасоке", org=("точка роста",), locality="Каргасок"),
    Q("Кванториум робототехника", org=("кванториум",)),
    Q("программирование в IT-кубе", org=("it-куб",)),
    # As people write them
    Q("Здравствуйте! Подскажите, куда можно отдать сына 9 лет на робототехнику в Северске?", names=("робототехн",), locality="Северск", age=9),
    Q("где в Томске бесплатный футбол для мальчика 10 лет", names=("футбол",), locality="Томск", age=10, free=True),
    Q("хочу записать дочку на танцы, ей 5", names=("хореограф",), age=5),
    Q("есть ли кружок программирования для первоклассника", names=("scratch", "алгоритм"), age=7),
    Q("моему сыну 12, интересуется химией", names=("хими",), age=12),
    Q("бесплатные спортивные секции в Колпашево", locality="Колпашево", free=True, direction="sport"),
    Q("секция самбо в Кожевниково", names=("самбо",), locality="Кожевниково"),
    Q("настольный теннис", names=("теннис",)),
    Q("гимнастика для девочки 6 лет", names=("гимнастик",), age=6),
    Q("кружки рядом с домом для 10 лет", locality="Северск", age=10, kwargs={"near": (56.6031, 84.8809)}),
    Q("ближайший кружок по 3d-моделированию", names=("3d",), locality="Асино", kwargs={"locality_id": ASINO}),
    Q("курсы python для 15 лет", names=("python",), age=15),
    Q("айти кружки в Колпашево", names=("python", "алгоритм", "мобильн", "кибер"), locality="Колпашево"),
    Q("биология для 11 лет", names=("биолог",), age=11),
    Q("юные натуралисты", names=("натуралист",)),
    Q("финансовая грамотность", names=("финанс",)),
    Q("юнармия", names=("юнарм",)),
    Q("психология общения для подростков", names=("психолог",)),
    Q("лазерная резка и ЧПУ", names=("хайтек",)),
    Q("электроника и ардуино", names=("электрон",)),
    Q("VR", names=("vr",)),
    Q("керамика, лепка из глины", names=("керамик",)),
    Q("авиамодели", names=("авиамодел",)),
    Q("рисование для 5 лет в Асино", names=("изостуд", "декоратив", "керамик"), locality="Асино", age=5),
    Q("мы живём в Белом Яре, что есть для 8 лет?", locality="Белый Яр", age=8),
    Q("что есть бесплатно для старшеклассника 16 лет в Северске", locality="Северск", age=16, free=True),
    Q("сколько стоит кружок", faq="cost"),
    Q("как попасть в билет в будущее", faq="bilet"),
    Q("хочу взять ребёнка в семью, нужна консультация", faq="consultation"),
    # Typos
    Q("раблтотехника", names=("робототехн",)),
    Q("програмирование на питоне", names=("python",)),
    Q("шахмты", names=("шахмат",)),
    Q("хареография", names=("хореограф",)),
    Q("кибербезопастность", names=("кибербез",)),
    Q("астраномия в Томске", names=("астроном",), locality="Томск"),
    # English
    Q("robotics for 10 year olds", names=("робототехн",), age=10),
    Q("chess near me", names=("шахмат",), kwargs={"near": TOMSK_CENTRE}),
    Q("free programming classes in Tomsk", names=("python", "scratch", "мобильн"), locality="Томск", free=True),
    Q("swimming in Seversk", names=("плавани",), locality="Северск"),
    Q("drawing", names=("изостуд", "графика")),
    Q("football", names=("футбол",)),
    Q("3d printing", names=("3d",)),
    Q("chess for a 7 year old in Asino", names=("шахмат",), locality="Асино", age=7),
    Q("robotics club in Seversk", names=("робототехн",), locality="Северск"),
    Q("english for kids", names=("английск",)),
    Q("volunteering", names=("волонт",)),
    Q("dancing for a 6 year old girl", names=("хореограф",), age=6),
    Q("what documents do I need", faq="documents"),
    Q("what is a growth point centre", faq="tochka-rosta"),
    Q("что такое кванторум", faq="kvantorium"),
]  # fmt: skip


@dataclass(frozen=True)
class _Programme:
    name: str
    org: str
    locality: str
    district: str
    age_from: int
    age_to: int
    cost: str
    direction: str
    accessible: bool


async def _catalogue(app: App) -> dict[int, _Programme]:
    async with app.sessions() as session:
        rows = await session.execute(
            select(Programme, Organisation, Locality)
            .join(Organisation, Organisation.id == Programme.organisation_id)
            .join(Locality, Locality.id == Organisation.locality_id)
        )
        return {
            p.id: _Programme(
                p.name, o.name, loc.name, loc.district, p.age_from, p.age_to, p.cost,
                p.direction, o.accessible,
            )
            for p, o, loc in rows.all()
        }  # fmt: skip


def _fits(q: Q, p: _Programme) -> bool:
    return (
        (not q.names or any(word in p.name.lower() for word in q.names))
        and (not q.org or any(word in p.org.lower() for word in q.org))
        and (q.locality is None or p.locality.replace("ё", "е") == q.locality.replace("ё", "е"))
        and (q.district is None or p.district == q.district)
        and (q.age is None or p.age_from <= q.age <= p.age_to)
        and (not q.free or p.cost == "free")
        and (q.direction is None or p.direction == q.direction)
        and (not q.accessible or p.accessible)
    )


def _outcome(q: Q, answer: Answer, catalogue: dict[int, _Programme]) -> tuple[bool, str]:
    if q.faq is not None:
        got = f"{answer.kind} {answer.faq_id or ''}".strip()
        return answer.kind == "faq" and answer.faq_id == q.faq, got
    top = [catalogue[i] for i in answer.programme_ids[:3]]
    shown = "; ".join(f"{p.name} ({p.locality}, {p.age_from}-{p.age_to}, {p.cost})" for p in top)
    return answer.kind == "programmes" and any(_fits(q, p) for p in top), (
        f"{answer.kind}: {shown}" if top else answer.kind
    )


async def test_demo_catalogue_is_loaded(app: App):
    catalogue = await _catalogue(app)
    assert len(catalogue) > 400, "the demo catalogue should be loaded by prepare_database"


async def test_question_set_hit_rate(app: App):
    assert len(QUESTIONS) >= 40
    catalogue = await _catalogue(app)
    search = SearchService(app.sessions, app.localities)
    results = []
    for q in QUESTIONS:
        answer = await search.ask(q.question, **q.kwargs)
        hit, got = _outcome(q, answer, catalogue)
        results.append((hit, q.question, got, answer.understood))
    hits = sum(hit for hit, *_ in results)
    rate = hits / len(results)
    lines = [
        f"{'ok ' if hit else 'MISS'} {question!r} → {got}" for hit, question, got, _ in results
    ]
    print("\n".join(lines))
    print(f"question set: {hits}/{len(results)} = {rate:.1%} in the top 3")
    misses = [
        f"{question!r} → {got}\n      understood: {understood}"
        for hit, question, got, understood in results
        if not hit
    ]
    assert rate >= REQUIRED_HIT_RATE, f"hit rate {rate:.1%}; misses:\n" + "\n".join(misses)


async def test_nothing_and_faq_are_never_confused_with_searches(app: App):
    search = SearchService(app.sessions, app.localities)
    for question in ["робототехника для 10 лет", "бесплатные кружки в Асино", "шахматы рядом"]:
        assert (await search.ask(question, locality_id=ASINO)).kind == "programmes", question
    answer = await search.ask("квиддич")
    assert answer.kind == "nothing" and answer.understood.unknown == ("квиддич",)
    # A place carries the search; the unknown word is said, not a veto.
    answer = await search.ask("квиддич в Томске")
    assert answer.kind == "programmes" and answer.understood.locality_id == TOMSK
    assert answer.understood.unknown == ("квиддич",)
