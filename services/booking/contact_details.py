"""What a parent types when booking: a name, a phone, a child's age — checked and normalised."""

from __future__ import annotations

import re
import unicodedata

from services.people.profiles import CHILD_AGE_RANGE

NAME_RE = re.compile(r"[^\W\d_]+(?:(?: ?- ?| )[^\W\d_]+)*")
PHONE_NOISE = re.compile(r"[\s()\-]")
AGE_RE = re.compile(r"(\d{1,2})\s*(?:лет|года|год|г|years?|y|yo|y\.o)?\.?")


def clean_name(text: str) -> str | None:
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if not 2 <= len(name) <= 100 or not NAME_RE.fullmatch(name):
        return None
    return name


def normalize_phone(text: str) -> str | None:
    """A Russian number as +7XXXXXXXXXX: +7 or 8, then ten digits; spaces, (), - allowed."""
    compact = PHONE_NOISE.sub("", text.strip())
    if re.fullmatch(r"\+7\d{10}", compact):
        return compact
    if re.fullmatch(r"8\d{10}", compact):
        return "+7" + compact[1:]
    return None


def contact_phone(raw: str) -> str | None:
    """A shared contact's number (Telegram may omit the +): Russian ones as +7XXXXXXXXXX."""
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 11 and digits[0] in "78":
        return "+7" + digits[1:]
    if 10 <= len(digits) <= 15:
        return "+" + digits
    return None


def parse_age(text: str) -> int | None:
    match = AGE_RE.fullmatch(text.strip().lower())
    if match is None:
        return None
    age = int(match.group(1))
    return age if age in CHILD_AGE_RANGE else None
