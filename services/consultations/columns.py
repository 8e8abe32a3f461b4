"""The file format of the consultation set-up: one XLSX workbook with a sheet per kind, or one
CSV file per kind (told apart by its header). Headers are what staff see in Excel; `key` is
the field name in code. Rows are matched by their ИД (external id): importing a file twice
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.catalog.columns import EXAMPLE_NOTE, Column


@dataclass(frozen=True, slots=True)
class Sheet:
    kind: str  # services, providers, specialists, templates, exceptions
    title: str  # the XLSX sheet's name
    columns: tuple[Column, ...]
    signature: str  # the key of a header that only this kind has (tells a CSV file's kind)
    aliases: tuple[str, ...] = ()  # other names the sheet may have

    @property
    def header_of(self) -> dict[str, str]:
        return {column.key: column.header for column in self.columns}


YES_NO = "да / нет"

SERVICES = Sheet(
    "services",
    "Услуги",
    (
        Column(
            "service_id",
            "ИД услуги",
            True,
            "постоянный код услуги, например S-PSY" + EXAMPLE_NOTE,
        ),
        Column("name", "Название", True, "как её видят родители"),
        Column("name_en", "Название (англ.)", False, "для тех, кто выбрал английский"),
        Column("hidden", "Скрыта", False, YES_NO + "; скрытую нельзя выбрать при записи"),
    ),
    "service_id",
    ("services",),
)
PROVIDERS = Sheet(
    "providers",
    "Организации",
    (
        Column(
            "provider_id",
            "ИД организации",
            True,
            "постоянный код, например P-01" + EXAMPLE_NOTE,
        ),
        Column("provider_name", "Название организации", True),
        Column("locality", "Населённый пункт", False, "как в списке населённых пунктов бота"),
        Column("address", "Адрес"),
        Column("phone", "Телефон"),
        Column("hidden", "Скрыта", False, YES_NO),
    ),
    "provider_name",
    ("providers", "organisations"),
)
SPECIALISTS = Sheet(
    "specialists",
    "Специалисты",
    (
        Column(
            "specialist_id",
            "ИД специалиста",
            True,
            "постоянный код, например E-01" + EXAMPLE_NOTE,
        ),
        Column("full_name", "ФИО", True),
        Column("position", "Должность"),
        Column("provider_id", "ИД организации", True, "с листа «Организации» или уже в боте"),
        Column("services", "Услуги", True, "ИД услуг через запятую: S-PSY, S-ADV"),
        Column("formats", "Форматы", True, "через запятую: очно, по телефону, по видеосвязи"),
        Column("hidden", "Скрыт", False, YES_NO + "; к скрытому нельзя записаться"),
    ),
    "full_name",
    ("specialists",),
)
TEMPLATES = Sheet(
    "templates",
    "Расписание",
    (
        Column("specialist_id", "ИД специалиста", True),
        Column("weekday", "День недели", True, "пн, вт, ср, чт, пт, сб, вс"),
        Column("start", "Начало", True, "ЧЧ:ММ, например 09:00"),
        Column("end", "Конец", True, "ЧЧ:ММ, позже начала"),
        Column("slot", "Длительность, мин", True, "длина одной консультации: от 10 до 240"),
        Column("break_start", "Перерыв с", False, "ЧЧ:ММ или пусто"),
        Column("break_end", "Перерыв до", False, "ЧЧ:ММ или пусто"),
    ),
    "weekday",
    ("templates", "schedule"),
)
EXCEPTIONS = Sheet(
    "exceptions",
    "Исключения",
    (
        Column("specialist_id", "ИД специалиста", False, "кто не принимает"),
        Column(
            "provider_id",
            "ИД организации",
            False,
            "или вся организация; пусто в обоих — не принимает никто (праздник)",
        ),
        Column("first_day", "Первый день", True, "ДД.ММ.ГГГГ"),
        Column("last_day", "Последний день", False, "ДД.ММ.ГГГГ; пусто — один день"),
        Column("reason", "Причина", False, "отпуск, больничный, праздник…"),
    ),
    "first_day",
    ("exceptions",),
)

SHEETS: tuple[Sheet, ...] = (SERVICES, PROVIDERS, SPECIALISTS, TEMPLATES, EXCEPTIONS)
NOTES_TITLE = "Пояснения"

WEEKDAYS = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
FORMAT_WORDS = {"in_person": "очно", "phone": "по телефону", "video": "по видеосвязи"}
