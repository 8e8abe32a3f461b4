"""A parent's name, phone and child's age as typed for a booking: what passes, as what."""

from __future__ import annotations

import pytest

from services.booking.contact_details import clean_name, contact_phone, normalize_phone, parse_age


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Анна   Петрова ", "Анна Петрова"),
        ("Мария-Луиза", "Мария-Луиза"),
        ("Анна - Мария", "Анна - Мария"),
        ("Ёлкина Алёна", "Ёлкина Алёна"),
        ("А", None),  # too short
        ("Анна2", None),
        ("<b>Анна</b>", None),
        ("Анна " * 30, None),  # too long
    ],
)
def test_names(typed, kept):
    assert clean_name(typed) == kept


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("+7 (999) 123-45-67", "+79991234567"),
        ("8 999 123 45 67", "+79991234567"),
        ("89991234567", "+79991234567"),
        ("+7999123456", None),  # a digit short
        ("9991234567", None),  # no +7 or 8
        ("+1 202 555 0100", None),
        ("телефон", None),
    ],
)
def test_typed_phones(typed, kept):
    assert normalize_phone(typed) == kept


@pytest.mark.parametrize(
    ("shared", "kept"),
    [
        ("79991234567", "+79991234567"),  # Telegram may leave out the +
        ("+7 999 123 45 67", "+79991234567"),
        ("89991234567", "+79991234567"),
        ("12025550100", "+12025550100"),  # another country's number stays as it is
        ("123", None),
    ],
)
def test_shared_contact_phones(shared, kept):
    assert contact_phone(shared) == kept


@pytest.mark.parametrize(
    ("typed", "age"),
    [("9", 9), ("9 лет", 9), ("12 года", 12), ("7 y.o", 7), ("10 years", 10), ("0", None)],
)
def test_ages(typed, age):
    assert parse_age(typed) == age
