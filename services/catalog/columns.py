"""The column format of catalogue files (CSV and XLSX): one row per programme.

Organisation columns repeat on every row of that organisation's programmes and must agree.
A row with an empty programme id describes an organisation alone. Headers are what staff
see in Excel; `key` is the field name used in code.
"""

from __future__ import annotations

from dataclasses import dataclass

# Example rows of the templates have ids ОБРАЗЕЦ-… (services/example_ids.py).
EXAMPLE_NOTE = "; ИД «ОБРАЗЕЦ-…» — строки-образцы из шаблона, замените их своими"


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    required: bool = False
    note: str = ""


COLUMNS: tuple[Column, ...] = (
    Column(
        "org_id",
        "ИД организации",
        True,
        "постоянный код организации, например ORG-0001" + EXAMPLE_NOTE,
    ),
    Column("org_name", "Организация", True),
    Column(
        "org_type",
        "Тип организации",
        True,
        "Точка роста, Кванториум, IT-куб, Доброшкола, "
        "ЦОС, центр дополнительного образования, школа, детский сад, другое",
    ),
    Column("locality", "Населённый пункт", True, "как в списке населённых пунктов бота"),
    Column("address", "Адрес"),
    Column("latitude", "Широта", False, "пусто — центр населённого пункта"),
    Column("longitude", "Долгота", False, "пусто — центр населённого пункта"),
    Column("phone", "Телефон"),
    Column("website", "Сайт", False, "https://..."),
    Column("hours", "Часы работы"),
    Column("accessible", "Доступно для детей с ОВЗ", False, "да / нет"),
    Column("org_hidden", "Организация скрыта", False, "да / нет"),
    Column(
        "programme_id",
        "ИД программы",
        False,
        "постоянный код программы; пусто — строка только об организации",
    ),
    Column("name", "Название программы"),
    Column(
        "direction",
        "Направление",
        False,
        "технический, естественнонаучный, "
        "физкультурно-спортивный, социально-гуманитарный, художественный, "
        "туристско-краеведческий",
    ),
    Column("description", "Описание"),
    Column("age_from", "Возраст от", False, "целое число от 3 до 18"),
    Column("age_to", "Возраст до", False, "целое число от 3 до 18, не меньше «Возраст от»"),
    Column("format", "Формат", False, "очно / онлайн / смешанный"),
    Column("cost", "Стоимость", False, "бесплатно / сертификат ПФДО / платно"),
    Column("price", "Цена, руб.", False, "для платных: целое число рублей в месяц"),
    Column("schedule", "Расписание"),
    Column("teacher", "Педагог"),
    Column("seats_total", "Мест всего", False, "целое число"),
    Column("seats_free", "Мест свободно", False, "целое число, не больше «Мест всего»"),
    Column("enrol_url", "Ссылка на запись", False, "https://... (страница в навигаторе)"),
    Column("hidden", "Программа скрыта", False, "да / нет"),
    Column(
        "enrol_starts_on",
        "Начало записи",
        False,
        "дата, когда откроется запись, например 01.09.2027 (не в прошлом); пусто — неизвестно",
    ),
)

PROGRAMME_REQUIRED = ("name", "direction", "age_from", "age_to", "format", "cost")
HEADERS = {column.header: column.key for column in COLUMNS}
