"""Russian-aware normalisation shared by indexing and querying: ё→е, lower case, Snowball stems."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[0-9a-zа-я]+")
_russian = Stemmer.Stemmer("russian")
_english = Stemmer.Stemmer("english")


def fold(text: str) -> str:
    return text.lower().replace("ё", "е")


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    if word.isdigit():
        return word
    if word.isascii():
        return _english.stemWord(word)
    return _russian.stemWord(word)


def stems(text: str) -> list[str]:
    return [stem(word) for word in words(text)]


def document(*parts: str) -> str:
    """The `search_stems` of a programme: distinct stems of its texts, in first-seen order."""
    seen: dict[str, None] = {}
    for part in parts:
        for item in stems(part):
            if len(item) > 1:
                seen.setdefault(item, None)
    return " ".join(seen)
