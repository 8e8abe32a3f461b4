"""The catalogue's fixed vocabularies: codes stored in the database, Russian words in files.

The Russian words are what staff type in their Excel files (import/export); what users see
comes from `locales/` (`direction-<code>`, `orgtype-<code>`, ...).
"""

from __future__ import annotations

DIRECTIONS: dict[str, str] = {
    "technical": "технический",
    "natural_science": "естественнонаучный",
    "sport": "физкультурно-спортивный",
    "social": "социально-гуманитарный",
    "art": "художественный",
    "tourism": "туристско-краеведческий",
}

ORG_TYPES: dict[str, str] = {
    "tochka_rosta": "Точка роста",
    "kvantorium": "Кванториум",
    "it_cube": "IT-куб",
    "dobroshkola": "Доброшкола",
    "digital_lab": "ЦОС",
    "dod_centre": "центр дополнительного образования",
    "school": "школа",
    "kindergarten": "детский сад",
    "other": "другое",
}

FORMATS: dict[str, str] = {
    "in_person": "очно",
    "online": "онлайн",
    "mixed": "смешанный",
}

COSTS: dict[str, str] = {
    "free": "бесплатно",
    "certificate": "сертификат ПФДО",
    "paid": "платно",
}

AGE_MIN, AGE_MAX = 3, 18
