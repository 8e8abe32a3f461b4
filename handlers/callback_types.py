"""Field types of callback data: bounded numbers and known codes.

Callback data comes from the person's client, so it may be old, mutated or forged. A value
outside its type fails to unpack, the button's handlers do not match, and the press gets
«кнопка устарела» from handlers/fallback.py: nothing reaches the database or a translation.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from bot.config import SUPPORTED_LOCALES
from bot.dates import EARLIEST, LATEST

MAX_ID = 2**31 - 1  # database ids are 32-bit integers on PostgreSQL
MAX_PAGE = 100_000

Id = Annotated[int, Field(ge=0, le=MAX_ID)]  # 0 where a button means "none" or "any"
PageNo = Annotated[int, Field(ge=0, le=MAX_PAGE)]
DayOrdinal = Annotated[int, Field(ge=EARLIEST.toordinal(), le=LATEST.toordinal())]
Year = Annotated[int, Field(ge=EARLIEST.year, le=LATEST.year)]
# A short code that handlers compare with their own values (F.a == "x"), so an unknown one
# matches no handler; or a value the handler checks itself (an ISO day, a step's name).
Code = Annotated[str, Field(max_length=16, pattern=r"^[a-z0-9_-]*$")]


def one_of(*codes: str) -> Any:
    """A string field that takes these codes only."""
    return Literal[codes]  # Literal["a", "b", ...]


Language = one_of(*SUPPORTED_LOCALES)


def parse_id(text: str) -> int | None:
    """An id typed into a string field (e.g. the composer's chosen event), when it is one."""
    if not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
