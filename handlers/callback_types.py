"""Field types of callback data: bounded numbers and known codes.

Callback data comes from the person's client, so it may be old, mutated or forged. A value
outside its type fails to unpack, the button's handlers do not match, and the press gets
«кнопка устарела» from handlers/general/fallback.py: nothing reaches the database or a translation.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from bot.config import SUPPORTED_LOCALES
from services.dates import EARLIEST, LATEST
from services.ids import MAX_ID

MAX_PAGE = 100_000


def bounded(low: int, high: int) -> Any:
    """An integer field that takes, from callback data, only low..high. Numbers the bot puts in
    its own buttons are taken as they are: a screen at the window's edge (the first day, the
    last year) still draws its arrows, and a press on one beyond the edge is then outdated."""

    def check(value: object) -> object:
        if isinstance(value, str):  # from Telegram: callback data is text
            number = int(value)
            if not low <= number <= high:
                raise ValueError(f"{number} is outside {low}..{high}")
            return number
        return value

    return Annotated[int, BeforeValidator(check)]


Id = bounded(0, MAX_ID)  # 0 where a button means "none" or "any"
PageNo = bounded(0, MAX_PAGE)
DayOrdinal = bounded(EARLIEST.toordinal(), LATEST.toordinal())
Year = bounded(EARLIEST.year, LATEST.year)
# A short code that handlers compare with their own values (F.a == "x"), so an unknown one
# matches no handler; or a value the handler checks itself (an ISO day, a step's name).
Code = Annotated[str, Field(max_length=16, pattern=r"^[a-z0-9_-]*$")]


def one_of(*codes: str) -> Any:
    """A string field that takes these codes only."""
    return Literal[codes]  # Literal["a", "b", ...]


Language = one_of(*SUPPORTED_LOCALES)


def parse_id(text: str) -> int | None:
    """An id typed into a string field (e.g. the composer's chosen event), when it is one."""
    if not text.isdecimal() or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
