"""Patterns over the folded question: age, school grade, «бесплатно», «рядом», «ОВЗ»."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from services.catalog import terms as catalog_terms

if TYPE_CHECKING:
    from services.search.reading import Reading

_NUMERALS = {
    "дву": 2, "двух": 2, "трех": 3, "четырех": 4, "пяти": 5, "шести": 6, "семи": 7, "восьми": 8,
    "девяти": 9, "десяти": 10, "одиннадцати": 11, "двенадцати": 12, "тринадцати": 13,
    "четырнадцати": 14, "пятнадцати": 15, "шестнадцати": 16, "семнадцати": 17,
    "восемнадцати": 18,
}  # fmt: skip
_CARDINALS = {
    "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9,
    "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14,
    "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17,
}  # fmt: skip
_ORDINALS = {
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8,
    "девят": 9, "десят": 10, "одиннадцат": 11,
}  # fmt: skip

_EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
}  # fmt: skip
# Words for an age group → (the age searched for, the group's code for the «Ищу:» line).
ADULT = 30  # what «взрослый» reads as: no programme takes it, so the nearest is offered
_AGE_GROUPS = [
    (r"дошкольни\w*|дошкольн\w*\s+возраст\w*|preschool\w*|pre-school\w*", 5, "preschool"),
    (
        r"младш\w*\s+школьни\w*|начальн\w*\s+(?:школ\w*|класс\w*)|primary\s+school\w*"
        r"|elementary\s+school\w*",
        8,
        "primary",
    ),
    (r"старшеклассни\w*|старш\w*\s+класс\w*|high\s*school\w*", 16, "senior"),
    (r"подрост\w*|тинейджер\w*|teen\w*|adolescen\w*", 14, "teen"),
    (r"малыш\w*|кроха\w*|toddler\w*|little\s+ones?", 4, "toddler"),
    (
        r"взросл\w*|пенсионер\w*|adults?|grown[\s-]*ups?|retire\w*|для\s+себя|for\s+myself",
        ADULT,
        "adult",
    ),
]
_AGE_GROUP_PATTERNS = [
    (re.compile(rf"\b(?:{text_})"), age, code) for text_, age, code in _AGE_GROUPS
]
_N = r"(\d{1,2})"
_GRADE_PATTERNS = [
    re.compile(rf"\b{_N}\s*-?\s*(?:й|го|м|ом|ый|ой)?\s*(?:класс\w*|кл)\b"),
    re.compile(r"\b(" + "|".join(_ORDINALS) + r")(?:ый|ой|ий|ом|ем|ого|его|ому|ему)\s+класс\w*"),
    re.compile(r"\b(первоклассни\w*|первоклашк\w*)"),
    re.compile(r"\b(" + "|".join(_EN_ORDINALS) + r")[\s-]*grade(?:rs?)?\b"),
    re.compile(rf"\bgrade\s*{_N}\b"),
    re.compile(rf"\b{_N}\s*(?:st|nd|rd|th)?\s*grade(?:rs?)?\b"),
    re.compile(rf"\b(?:year|form)\s+{_N}\b(?!\s*-?\s*(?:years?|olds?)\b)"),
]
_AGE_PATTERNS = [
    re.compile(
        rf"\b(?:от\s*)?{_N}\s*(?:-|–|—|до)\s*{_N}\s*(?:-?\s*(?:ти|и|х|ми))?\s*(?:лет|год\w*)"
    ),
    re.compile(rf"\b{_N}\s*-?\s*(?:ти|и|х|ми|ть)?\s*(?:лет|года|годик\w*|годов\w*|год)\b"),
    re.compile(rf"\b{_N}\s*-?\s*(?:ти|и|х|ми)?\s*-?\s*летн\w*"),
    re.compile(r"\b(" + "|".join(_NUMERALS) + r")\s*-?\s*летн\w*"),
    re.compile(r"\b(" + "|".join([*_CARDINALS, *_NUMERALS]) + r")\s+(?:лет|года|год)\b"),
    re.compile(
        r"\b(?:ребен\w*|сын\w*|доч\w*|внук\w*|внучк\w*|мальчик\w*|девочк\w*|малыш\w*|мне|нам|"
        rf"ему|ей)\s+(?:исполнилось\s+|уже\s+)?{_N}\b"
    ),
    re.compile(rf"\b{_N}\s*-?\s*(?:years?|yrs?|y\s?o)\b(?:\s*-?\s*olds?)?"),
    re.compile(rf"\baged?\s+{_N}\b"),
    re.compile(rf"\b(?:kid|child|son|daughter|boy|girl)\s+(?:is\s+|of\s+)?{_N}\b"),
    re.compile(rf"\b(?:для|for)\s+{_N}\b"),
]
_BARE_NUMBER = re.compile(rf"(?<![№#\w])(?<!№\s){_N}\b")
_NOT_AGE_BEFORE = re.compile(r"(?:школ\w*|сош|гимназ\w*|лице\w*|№|номер\w*|дом|корпус|school)\s*$")
_FREE_PATTERNS = [
    re.compile(r"\bбесплатн\w*"),
    re.compile(r"\bбез\s+(?:оплат\w*|платы|денег)"),
    re.compile(r"\bдаром\b"),
    re.compile(r"\bfree(?:\s+of\s+charge)?\b"),
    re.compile(r"\bno\s+(?:cost|fee|charge)\b"),
]
_NEAR_PATTERNS = [
    re.compile(r"\bрядом(?:\s+с\s+(?:домом|нами|мной|нашим\s+домом))?\b"),
    re.compile(r"\bпоблизости\b"),
    re.compile(r"\bнедалеко(?:\s+от\s+(?:дома|нас|меня))?\b"),
    re.compile(r"\b(?:возле|около)\s+(?:дома|нас|меня)\b"),
    re.compile(r"\bблизко(?:\s+к\s+дому|\s+от\s+дома)?\b"),
    re.compile(r"\bближайш\w*"),
    re.compile(r"\bв\s+шаговой\s+доступности\b"),
    re.compile(r"\bпо\s+соседству\b"),
    re.compile(r"\bв\s+(?:моем|нашем)\s+районе\b"),
    re.compile(r"\bnear(?:\s+(?:me|us|home|my\s+home|here))?\b"),
    re.compile(r"\bnearby\b"),
    re.compile(r"\bclose\s+to\s+(?:me|us|home|my\s+home)\b"),
    re.compile(r"\b(?:nearest|closest)\b"),
    re.compile(r"\baround\s+here\b"),
]

_ACCESSIBLE_PATTERNS = [
    re.compile(r"\bовз\b"),
    re.compile(r"\bс\s+ограниченными\s+возможностями(?:\s+здоровья)?"),
    re.compile(r"\bинвалид\w*"),
    re.compile(r"\bдоступн\w*\s+сред\w*"),
    re.compile(r"\bколясочник\w*"),
    re.compile(r"\bособыми\s+потребностями\b"),
    re.compile(r"\bdisabilit\w*|\bdisabled\b"),
    re.compile(r"\bspecial\s+needs\b"),
    re.compile(r"\bwheelchair\w*"),
    re.compile(r"\baccessible\b"),
]

AGE_LIMITS = range(1, 100)  # what reads as an age; programmes say what they take (3–18)


def _number(token: str, table: dict[str, int]) -> int | None:
    return int(token) if token.isdigit() else table.get(token)


def _cut(text_: str, match: re.Match[str]) -> str:
    return text_[: match.start()] + " " * (match.end() - match.start()) + text_[match.end() :]


def read_patterns(folded: str, reading: Reading) -> str:
    """Takes age (a number or a group: «подросток», «взрослый»), grade, «бесплатно», «рядом»,
    «ОВЗ» out of the question; returns the rest."""
    for pattern in _GRADE_PATTERNS:
        match = pattern.search(folded)
        if match is None:
            continue
        token = match.group(1)
        grade = 1 if token.startswith("перв") and not token.isdigit() else None
        grade = grade or _number(token, _ORDINALS) or _EN_ORDINALS.get(token)
        folded = _cut(folded, match)
        if grade is not None and 1 <= grade <= 11 and reading.grade is None:
            reading.grade = grade
    for pattern in _AGE_PATTERNS:
        match = pattern.search(folded)
        if match is None:
            continue
        age = _number(match.group(1), _NUMERALS) or _number(match.group(1), _CARDINALS)
        folded = _cut(folded, match)
        if age is not None and age in AGE_LIMITS and reading.age is None:
            reading.age = age
    flags = (
        (_FREE_PATTERNS, "free_only"),
        (_NEAR_PATTERNS, "near_me"),
        (_ACCESSIBLE_PATTERNS, "accessible"),
    )
    for patterns, flag in flags:
        for pattern in patterns:
            while (match := pattern.search(folded)) is not None:
                folded = _cut(folded, match)
                setattr(reading, flag, True)
    if reading.age is None and reading.grade is None:
        # A lone number that is no school's number: «шахматы 10».
        numbers = [
            match
            for match in _BARE_NUMBER.finditer(folded)
            if not _NOT_AGE_BEFORE.search(folded[: match.start()])
        ]
        if len(numbers) == 1 and int(numbers[0].group(1)) in range(
            catalog_terms.AGE_MIN, catalog_terms.AGE_MAX + 1
        ):
            reading.age = int(numbers[0].group(1))
            folded = _cut(folded, numbers[0])
    for pattern, age, group in _AGE_GROUP_PATTERNS:
        match = pattern.search(folded)
        if match is None:
            continue
        folded = _cut(folded, match)
        if reading.age is None and reading.grade is None:
            reading.age, reading.age_group = age, group
    if reading.age is None and reading.grade is not None:
        reading.age = reading.grade + 6
    return folded
