"""A plausible demo catalogue of Tomsk oblast, generated deterministically.

Real localities and coordinates; invented organisations, teachers and links. The programme
counts by direction follow one region's public report (224/110/95/36/26/10 = 501).
`python -m services.catalog.demo` rewrites `data/demo/catalog.csv`; the benchmark uses
`generate()` for 100,000 programmes.
"""

from __future__ import annotations

import csv
import math
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from services.catalog.columns import COLUMNS
from services.catalog.terms import COSTS, DIRECTIONS, FORMATS, ORG_TYPES

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"
REPORT_COUNTS = {
    "technical": 224,
    "natural_science": 110,
    "sport": 95,
    "social": 36,
    "art": 26,
    "tourism": 10,
}

# name, description, age from, age to
PROGRAMMES: dict[str, list[tuple[str, str, int, int]]] = {
    "technical": [
        ("Робототехника", "Собираем и программируем роботов, готовимся к соревнованиям.", 8, 14),
        ("LEGO-конструирование", "Первые механизмы и модели из конструктора LEGO.", 5, 9),
        (
            "Программирование на Python",
            "Основы программирования: от первой программы до игры.",
            11,
            17,
        ),
        ("Scratch для начинающих", "Визуальное программирование: мультфильмы и игры.", 7, 11),
        (
            "3D-моделирование и прототипирование",
            "Моделируем детали и печатаем их на 3D-принтере.",
            10,
            17,
        ),
        ("Беспилотные летательные аппараты", "Сборка и пилотирование квадрокоптеров.", 12, 17),
        ("Основы электроники", "Схемы, пайка и микроконтроллеры Arduino.", 11, 17),
        ("Разработка мобильных приложений", "Создаём приложения для смартфонов.", 13, 17),
        ("Промышленный дизайн", "Придумываем и рисуем удобные вещи, делаем макеты.", 11, 17),
        ("VR/AR-технологии", "Виртуальная и дополненная реальность своими руками.", 12, 17),
        ("Хайтек: лазерная резка и станки с ЧПУ", "Работа на современном оборудовании.", 12, 17),
        ("Авиамоделирование", "Строим летающие модели самолётов.", 10, 16),
        (
            "Начальное техническое моделирование",
            "Модели машин и кораблей из бумаги и дерева.",
            6,
            10,
        ),
        (
            "Компьютерная графика и дизайн",
            "Рисуем на компьютере: иллюстрации, логотипы, баннеры.",
            10,
            17,
        ),
        ("Видеопроизводство", "Снимаем и монтируем видеоролики.", 12, 17),
        ("Кибербезопасность", "Как защитить данные и не попасться мошенникам.", 13, 17),
        ("Алгоритмика", "Логика и алгоритмы для младших школьников.", 7, 11),
        ("Шахматы и логика", "Шахматы как тренировка мышления.", 6, 12),
    ],
    "natural_science": [
        ("Юный эколог", "Изучаем природу родного края и проводим экологические акции.", 7, 12),
        ("Химия вокруг нас", "Опыты и эксперименты в настоящей лаборатории.", 12, 17),
        ("Занимательная биология", "Микроскоп, растения и животные: как устроена жизнь.", 10, 15),
        ("Астрономия", "Звёзды, планеты и телескоп.", 11, 17),
        ("Физика в экспериментах", "Проверяем законы физики опытами.", 12, 17),
        ("Агроэкология", "Выращиваем растения и изучаем почву.", 10, 16),
        ("Лаборатория юного исследователя", "Первые научные проекты и исследования.", 8, 13),
        ("Юный натуралист", "Наблюдаем за природой, ведём дневник наблюдений.", 6, 10),
        ("Геоинформатика", "Карты, спутниковые снимки и GPS.", 12, 17),
        ("Медицинская химия", "Химия для будущих медиков.", 14, 17),
    ],
    "sport": [
        ("Футбол", "Тренировки и соревнования по футболу.", 7, 17),
        ("Волейбол", "Обучение игре в волейбол.", 10, 17),
        ("Баскетбол", "Обучение игре в баскетбол.", 9, 17),
        ("Шахматы", "Шахматы для начинающих и турниры.", 6, 17),
        ("Лыжные гонки", "Лыжная подготовка и соревнования.", 8, 17),
        ("Самбо", "Борьба самбо и самооборона.", 7, 17),
        ("Настольный теннис", "Техника игры и турниры.", 8, 17),
        ("Лёгкая атлетика", "Бег, прыжки, метания.", 8, 17),
        ("Хоккей", "Хоккейная секция.", 7, 15),
        ("Общая физическая подготовка", "Сила, выносливость и подготовка к ГТО.", 7, 17),
        ("Спортивная гимнастика", "Гибкость, координация, акробатика.", 5, 12),
        ("Плавание", "Учимся плавать всеми стилями.", 6, 14),
    ],
    "social": [
        ("Юный журналист", "Пишем статьи и ведём школьную газету.", 11, 17),
        ("Школьное медиа", "Новости школы: тексты, фото, видео, соцсети.", 12, 17),
        ("Волонтёрский отряд", "Добрые дела и социальные проекты.", 12, 17),
        ("Юнармия", "Военно-патриотическое воспитание.", 11, 17),
        ("Английский язык", "Разговорный английский в игре.", 7, 14),
        ("Финансовая грамотность", "Как обращаться с деньгами.", 11, 17),
        ("Юные инспекторы движения", "Правила дорожного движения и безопасность.", 8, 13),
        ("Дебаты", "Учимся спорить аргументированно.", 13, 17),
        ("Психология общения", "Уверенность, общение, работа в команде.", 12, 17),
        ("Школа вожатых", "Готовим вожатых для летних лагерей.", 14, 17),
    ],
    "art": [
        ("Изостудия", "Рисование и живопись: акварель, гуашь, графика.", 6, 14),
        ("Хореография", "Классический и современный танец.", 5, 15),
        ("Вокальная студия", "Пение, постановка голоса, выступления.", 7, 17),
        ("Театральная студия", "Актёрское мастерство и спектакли.", 8, 17),
        ("Декоративно-прикладное творчество", "Поделки, роспись, сувениры своими руками.", 6, 14),
        ("Гитара", "Игра на гитаре с нуля.", 10, 17),
        ("Мультипликация", "Создаём мультфильмы: сценарий, герои, анимация.", 8, 14),
        ("Фотостудия", "Фотография и обработка снимков.", 11, 17),
        ("Керамика", "Лепка из глины и роспись.", 6, 14),
    ],
    "tourism": [
        ("Спортивный туризм", "Походы, ориентирование, туристская техника.", 10, 17),
        ("Юные краеведы", "История и природа родного края.", 9, 15),
        ("Школьный музей", "Экскурсоводы и хранители школьного музея.", 11, 17),
        ("Спортивное ориентирование", "Бег с картой и компасом.", 9, 17),
    ],
}

# Which directions each kind of organisation runs, with weights.
ORG_PROFILES: dict[str, dict[str, int]] = {
    "kvantorium": {"technical": 6, "natural_science": 2},
    "it_cube": {"technical": 1},
    "tochka_rosta": {"technical": 3, "natural_science": 3},
    "digital_lab": {"technical": 1},
    "dobroshkola": {"social": 2, "art": 1, "sport": 1},
    "dod_centre": {
        "technical": 2,
        "art": 2,
        "social": 1,
        "tourism": 1,
        "natural_science": 1,
        "sport": 1,
    },
    "school": {"sport": 3, "technical": 1, "social": 1, "natural_science": 1, "tourism": 1},
    "kindergarten": {"art": 2, "sport": 1, "technical": 1},
}

SURNAMES = [
    "Иванова",
    "Петров",
    "Сидорова",
    "Кузнецов",
    "Смирнова",
    "Попов",
    "Васильева",
    "Соколов",
    "Михайлова",
    "Новиков",
    "Фёдорова",
    "Морозов",
    "Волкова",
    "Алексеев",
    "Лебедева",
    "Семёнов",
    "Егорова",
    "Павлов",
    "Козлова",
    "Степанов",
    "Николаева",
]
INITIALS = ["А. В.", "Е. С.", "М. П.", "О. Н.", "И. А.", "Т. Г.", "Н. В.", "С. Ю.", "Д. К."]
DAYS = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб"]
STREETS = [
    "ул. Ленина",
    "ул. Советская",
    "ул. Школьная",
    "ул. Мира",
    "пр. Кирова",
    "ул. Молодёжная",
    "ул. Гагарина",
    "ул. Садовая",
    "ул. Строителей",
    "ул. Набережная",
]


@dataclass(frozen=True, slots=True)
class Town:
    name: str
    latitude: float
    longitude: float
    size: int  # 3 city, 2 town, 1 village


def _towns() -> list[Town]:
    with (DEMO_DIR / "localities.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    sizes = {"Томск": 3, "Северск": 2, "Стрежевой": 2, "Асино": 2, "Колпашево": 2}
    return [
        Town(r["name"], float(r["latitude"]), float(r["longitude"]), sizes.get(r["name"], 1))
        for r in rows
    ]


def _org_plan(towns: list[Town], rng: random.Random, scale: int) -> list[tuple[str, Town]]:
    """(type, town) for every organisation; `scale` multiplies the demo's 130 or so."""
    by_name = {town.name: town for town in towns}
    plan: list[tuple[str, Town]] = [("kvantorium", by_name["Томск"])]
    plan += [("it_cube", by_name[n]) for n in ("Томск", "Северск", "Стрежевой")]
    plan += [("dobroshkola", rng.choice(towns)) for _ in range(6)]
    for _ in range(scale):
        for town in towns:
            weight = {3: 8, 2: 3, 1: 1}[town.size]
            plan += [("tochka_rosta", town)] * (1 if town.size == 1 else weight // 3)
            plan += [("school", town)] * weight
            if town.size >= 2 or rng.random() < 0.3:
                plan += [("dod_centre", town)] * max(1, weight // 3)
            if rng.random() < 0.4 * town.size:
                plan.append(("digital_lab", town))
            if rng.random() < 0.35 * town.size:
                plan.append(("kindergarten", town))
    return plan


def _org_name(kind: str, town: Town, number: int, rng: random.Random) -> str:
    where = f"г. {town.name}" if town.size >= 2 else f"с. {town.name}"
    names = {
        "kvantorium": f"Детский технопарк «Кванториум» ({where})",
        "it_cube": f"Центр цифрового образования «IT-куб» ({where})",
        "tochka_rosta": f"Центр «Точка роста» при СОШ № {number % 40 + 1} ({where})",
        "digital_lab": f"Центр цифровой образовательной среды СОШ № {number % 40 + 1} ({where})",
        "dobroshkola": f"«Доброшкола» при школе-интернате № {number % 9 + 1} ({where})",
        "school": f"МБОУ «СОШ № {number % 60 + 1}» ({where})",
        "kindergarten": f"МБДОУ «Детский сад № {number % 90 + 1}» ({where})",
    }
    if kind == "dod_centre":
        label = rng.choice(["ЦДОД", "ДЮЦ", "ДЮСШ", "ДЭБЦ", "Дом детского творчества"])
        return (
            f"{label} «{rng.choice(['Радуга', 'Юность', 'Орион', 'Созвездие', 'Исток'])}» ({where})"
        )
    return names[kind]


def _jitter(town: Town, rng: random.Random) -> tuple[float, float]:
    radius_km = {3: 6.0, 2: 2.5, 1: 1.0}[town.size] * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    dlat = radius_km * math.cos(angle) / 111.0
    dlon = radius_km * math.sin(angle) / (111.0 * math.cos(math.radians(town.latitude)))
    return round(town.latitude + dlat, 6), round(town.longitude + dlon, 6)


def generate(
    counts: dict[str, int] = REPORT_COUNTS, *, seed: int = 2026, org_scale: int = 1
) -> Iterator[dict[str, str]]:
    """Rows in the import format (keys of catalog_columns.COLUMNS), one per programme."""
    rng = random.Random(seed)
    towns = _towns()
    orgs = []
    for number, (kind, town) in enumerate(_org_plan(towns, rng, org_scale), start=1):
        lat, lon = _jitter(town, rng)
        orgs.append(
            {
                "org_id": f"ORG-{number:05d}",
                "org_name": _org_name(kind, town, number, rng),
                "org_type": ORG_TYPES[kind],
                "locality": town.name,
                "address": f"{rng.choice(STREETS)}, {rng.randint(1, 120)}",
                "latitude": str(lat),
                "longitude": str(lon),
                "phone": "+7 (3822) {}-{}-{}".format(*(rng.randint(10, 99) for _ in range(3))),
                "website": f"https://org{number}.edu.example",
                "hours": "Пн–Пт 9:00–19:00" if kind != "kindergarten" else "Пн–Пт 7:30–18:00",
                "accessible": "да" if rng.random() < 0.35 else "нет",
                "org_hidden": "нет",
                "_kind": kind,
            }
        )
    by_direction: dict[str, list[dict[str, str]]] = {d: [] for d in DIRECTIONS}
    cum_weights: dict[str, list[int]] = {d: [] for d in DIRECTIONS}
    for org in orgs:
        for direction, weight in ORG_PROFILES[org["_kind"]].items():
            by_direction[direction].append(org)
            totals = cum_weights[direction]
            totals.append((totals[-1] if totals else 0) + weight)
    # Cumulative weights once, not per programme: `choices(weights=...)` re-adds every
    # organisation's weight on each call (minutes at 100,000 programmes); same draws.

    number = 0
    used: set[str] = set()
    for direction, count in counts.items():
        for _ in range(count):
            number += 1
            org = rng.choices(by_direction[direction], cum_weights=cum_weights[direction])[0]
            used.add(org["org_id"])
            choices = PROGRAMMES[direction]
            if org["_kind"] == "kindergarten":
                choices = [p for p in choices if p[2] <= 6]
            name, description, age_from, age_to = rng.choice(choices)
            if org["_kind"] == "kindergarten":
                age_from, age_to = 4, 7
            cost = rng.choices(list(COSTS), [70, 20, 10])[0]
            fmt = rng.choices(list(FORMATS), [85, 5, 10])[0]
            seats = rng.choice([10, 12, 15, 20, 25, 30])
            day1, day2 = sorted(rng.sample(range(len(DAYS)), 2))
            hour = rng.choice([14, 15, 16, 17, 18])
            row = {key: value for key, value in org.items() if not key.startswith("_")}
            row.update(
                programme_id=f"PRG-{number:06d}",
                name=name,
                direction=DIRECTIONS[direction],
                description=description,
                age_from=str(age_from),
                age_to=str(age_to),
                format=FORMATS[fmt],
                cost=COSTS[cost],
                price=str(rng.choice([1500, 2000, 2500, 3000])) if cost == "paid" else "",
                schedule=f"{DAYS[day1]}, {DAYS[day2]} {hour}:00–{hour + 1}:30",
                teacher=f"{rng.choice(SURNAMES)} {rng.choice(INITIALS)}",
                seats_total=str(seats),
                seats_free=str(rng.randint(0, seats)),
                enrol_url=f"https://navigator.example/program/{10000 + number}",
                hidden="нет",
            )
            yield row
    for org in orgs:  # organisations without programmes are listed too
        if org["org_id"] not in used:
            yield {key: value for key, value in org.items() if not key.startswith("_")}


def write_csv(rows: Iterator[dict[str, str]], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow([column.header for column in COLUMNS])
        for row in rows:
            writer.writerow([row.get(column.key, "") for column in COLUMNS])
            count += 1
    return count


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEMO_DIR / "catalog.csv"
    print(f"{write_csv(generate(), target)} rows → {target}")
