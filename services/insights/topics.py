"""What a logged search keeps of a person's words: an age band, and for a question the stems
of its topic words, never the text.

A question's topic is the words the search read as terms (known to the catalogue) and the
words it did not know, stemmed, sorted and deduplicated. Dropped on the way: anything with a
digit (a phone number, a house number, an age), stop words, first names from a short list,
and unknown words written with a capital letter (a name, a street), so that the log groups
«шахматы» with «шахматам» without holding who asked.
"""

from __future__ import annotations

import re

from services.catalog import text_index
from services.search.words import SEARCH_STOP_STEMS

MAX_STEMS = 6
MAX_STEM = 24
TOPIC_LENGTH = 160  # DemandLog.topic
AGE_BANDS = ((0, 6, "0-6"), (7, 10, "7-10"), (11, 14, "11-14"), (15, 18, "15-18"))
BANDS = tuple(band for _low, _high, band in AGE_BANDS)
_CAPITALISED = re.compile(r"\b[A-ZА-ЯЁ][\w-]*")

_NAMES = """
александр саша шура алексей леша алеша андрей артем артём антон богдан борис вадим валентин
василий вася виктор виталий влад владимир вова глеб григорий даниил данил даня денис дмитрий
дима евгений женя егор иван ваня игорь илья кирилл константин костя лев максим макс марк
матвей михаил миша никита николай коля олег павел паша петр петя роман рома руслан семен
сергей сережа степан тимофей тимур федор федя юрий юра ярослав слава
александра алена алина алиса алла анастасия настя ангелина анна аня варвара варя вероника
виктория вика дарья даша диана ева евгения екатерина катя елена лена елизавета лиза злата
ирина ира карина кристина ксения ксюша маргарита рита марина мария маша милана мила
надежда надя наталья наташа ольга оля полина поля светлана света софия софья соня таисия
татьяна таня ульяна уля юлия юля яна
"""
NAME_STEMS = frozenset(text_index.stem(text_index.fold(word)) for word in _NAMES.split())


def age_band(age: int | None) -> str | None:
    if age is None:
        return None
    for low, high, band in AGE_BANDS:
        if low <= age <= high:
            return band
    return None  # an adult's question: no band of the catalogue


def topic_stems(text: str, terms: tuple[str, ...], unknown: tuple[str, ...]) -> str | None:
    """The question's topic as sorted distinct stems (None when nothing is left).

    `terms` are the words the search looked for, `unknown` those it knew nothing of
    (services.search.Understood); `text` is what was typed, read only for capital letters."""
    capitalised = {text_index.fold(word) for word in _CAPITALISED.findall(text)}
    words = [*terms, *(word for word in unknown if word not in capitalised)]
    stems: set[str] = set()
    for word in words:
        for part in text_index.words(word):
            if not part.isalpha() or len(part) < 3:
                continue
            stem = text_index.stem(part)[:MAX_STEM]
            if stem in SEARCH_STOP_STEMS or stem in NAME_STEMS:
                continue
            stems.add(stem)
    if not stems:
        return None
    return " ".join(sorted(stems)[:MAX_STEMS])[:TOPIC_LENGTH]
