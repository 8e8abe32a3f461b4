"""A family's children: add, edit, remove, list, and «для кого» — the child chosen last.

Each child keeps what the parent gave (an age, a grade or a birth year, and the day it was
given) and `born`, the birth year estimated from it, which ages the child with the calendar
for filters: an age given in 2026 is a year more in 2027, a grade moves up each September.
Children are stored only with consent (the caller asks first; `add` refuses without it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import read_rows
from db.models import Child as ChildRow
from db.models import QuizResult, User
from services.catalog.terms import DIRECTIONS

MAX_CHILDREN = 10
NAME_MAX = 32
AGE_RANGE = range(3, 19)  # as profiles.CHILD_AGE_RANGE and the catalogue's ages
GRADE_RANGE = range(1, 12)
FIRST_SCHOOL_AGE = 6  # a child in grade N is about N + 6 years old (as the events assume)


class ChildRefused(Exception):
    """Nothing stored; `reason` names the refusal: age, name, duplicate, too_many, consent,
    gone (the child is not this person's, or no longer exists)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Given:
    """What the parent typed: exactly one of the three."""

    age: int | None = None
    grade: int | None = None
    birth_year: int | None = None


@dataclass(frozen=True, slots=True)
class Child:
    id: int
    name: str | None
    given: Given
    noted_on: date
    born: int
    interests: tuple[str, ...]
    health_needs: bool
    chosen: bool = False

    def age(self, today: date) -> int:
        """About how old the child is now (its birthday unknown: the calendar year's age)."""
        return today.year - self.born

    def grade(self, today: date) -> int:
        """The school grade now, 0 before school (no grade range includes it)."""
        return max(school_year(today) - self.born - FIRST_SCHOOL_AGE, 0)


@dataclass(frozen=True, slots=True)
class ForWhom:
    """Whom a list is for: `child` when known (the only one, or the one chosen last); with
    several children and none chosen yet, `ask` — the chooser is offered."""

    children: tuple[Child, ...]
    child: Child | None

    @property
    def several(self) -> bool:
        return len(self.children) > 1

    @property
    def ask(self) -> bool:
        return self.several and self.child is None


def school_year(today: date) -> int:
    """The calendar year the current school year began in (1 September)."""
    return today.year if today.month >= 9 else today.year - 1


def born_from(given: Given, today: date) -> int:
    if given.birth_year is not None:
        return given.birth_year
    if given.grade is not None:
        return school_year(today) - given.grade - FIRST_SCHOOL_AGE
    assert given.age is not None
    return today.year - given.age


def parse_given(text: str, today: date) -> Given | None:
    """'9' → age 9; '3 класс' / 'grade 3' → grade 3; '2015' → born in 2015; else None
    (and None for a number out of range)."""
    words = text.lower().replace("-", " ").replace(".", " ").replace(",", " ").split()
    numbers = [int(word) for word in words if word.isdecimal() and len(word) <= 4]
    if len(numbers) != 1 or len([w for w in words if w.isdecimal()]) != 1:
        return None
    number = numbers[0]
    if any(word.startswith(("класс", "кл", "grade", "form", "year")) for word in words):
        return Given(grade=number) if number in GRADE_RANGE else None
    if number >= 1000:
        return Given(birth_year=number) if today.year - number in AGE_RANGE else None
    return Given(age=number) if number in AGE_RANGE else None


def clean_name(text: str | None) -> str | None:
    """A name or nickname as stored: one line, spaces squeezed; None for nothing; refused
    (ChildRefused 'name') when longer than NAME_MAX."""
    if text is None:
        return None
    name = " ".join(text.split())
    if not name:
        return None
    if len(name) > NAME_MAX:
        raise ChildRefused("name")
    return name


def _interests(codes: object) -> str:
    chosen = [code for code in DIRECTIONS if code in set(codes or ())]  # type: ignore[call-overload]
    return ",".join(chosen)


def to_child(row: ChildRow, chosen_id: int | None = None) -> Child:
    return Child(
        id=row.id,
        name=row.name,
        given=Given(age=row.age, grade=row.grade, birth_year=row.birth_year),
        noted_on=row.noted_on,
        born=row.born,
        interests=tuple(code for code in row.interests.split(",") if code in DIRECTIONS),
        health_needs=row.health_needs,
        chosen=row.id == chosen_id,
    )


def _check(given: Given, today: date) -> None:
    if given.age is not None and given.age not in AGE_RANGE:
        raise ChildRefused("age")
    if given.grade is not None and given.grade not in GRADE_RANGE:
        raise ChildRefused("age")
    if given.birth_year is not None and today.year - given.birth_year not in AGE_RANGE:
        raise ChildRefused("age")
    if sum(value is not None for value in (given.age, given.grade, given.birth_year)) != 1:
        raise ChildRefused("age")


_CHILDREN = ChildRow.__table__
_CHILDREN_OF = (
    select(_CHILDREN).where(_CHILDREN.c.user_id == bindparam("user_id")).order_by(_CHILDREN.c.id)
)


def _children(rows: Sequence[Any]) -> tuple[Child, ...]:
    picked = [row for row in rows if row.chosen_at is not None]
    chosen_id = max(picked, key=lambda row: (row.chosen_at, row.id)).id if picked else None
    return tuple(to_child(row, chosen_id) for row in rows)


class ChildService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        self._sessions = sessions
        self._write = write_sessions

    @staticmethod
    def today() -> date:
        return datetime.now(UTC).date()

    async def list(self, user_id: int) -> tuple[Child, ...]:
        """In the order they were added; the one chosen last marked `chosen`. One statement
        (read on most catalogue screens)."""
        return _children(await read_rows(self._sessions, _CHILDREN_OF, {"user_id": user_id}))

    async def _list(self, session: AsyncSession, user_id: int) -> tuple[Child, ...]:
        return _children((await session.execute(_CHILDREN_OF, {"user_id": user_id})).all())

    async def get(self, user_id: int, child_id: int) -> Child | None:
        return next((c for c in await self.list(user_id) if c.id == child_id), None)

    async def for_whom(self, user_id: int) -> ForWhom:
        """The only child, or the one chosen last; none when there are several and none was
        chosen yet (ask), or no children at all."""
        children = await self.list(user_id)
        if len(children) == 1:
            return ForWhom(children, children[0])
        return ForWhom(children, next((c for c in children if c.chosen), None))

    async def chosen(self, user_id: int) -> Child | None:
        """«The chosen child» for a feature that needs one (quiz, recommendations): its
        `.age(today)`, `.grade(today)` and `.interests`; None when there is none or the
        parent has not chosen among several yet."""
        return (await self.for_whom(user_id)).child

    async def add(
        self,
        user_id: int,
        given: Given,
        *,
        name: str | None = None,
        interests: tuple[str, ...] = (),
        health_needs: bool = False,
    ) -> Child:
        today = self.today()
        _check(given, today)
        name = clean_name(name)
        born = born_from(given, today)
        async with self._write() as session, session.begin():
            consent = await session.scalar(select(User.consent_version).where(User.id == user_id))
            if consent is None:
                raise ChildRefused("consent")
            children = await self._list(session, user_id)
            if len(children) >= MAX_CHILDREN:
                raise ChildRefused("too_many")
            if any(_same(child, name, born) for child in children):
                raise ChildRefused("duplicate")
            row = ChildRow(
                user_id=user_id,
                name=name,
                age=given.age,
                grade=given.grade,
                birth_year=given.birth_year,
                noted_on=today,
                born=born,
                interests=_interests(interests),
                health_needs=health_needs,
            )
            session.add(row)
            await session.flush()
            return to_child(row, None)

    async def edit(self, user_id: int, child_id: int, **changes: object) -> Child:
        """Changes any of: name (None clears it), given (a Given), interests, health_needs."""
        today = self.today()
        values: dict[str, object] = {}
        if "name" in changes:
            values["name"] = clean_name(changes["name"])  # type: ignore[arg-type]
        given = changes.get("given")
        if isinstance(given, Given):
            _check(given, today)
            values.update(
                age=given.age,
                grade=given.grade,
                birth_year=given.birth_year,
                noted_on=today,
                born=born_from(given, today),
            )
        if "interests" in changes:
            values["interests"] = _interests(changes["interests"])
        if "health_needs" in changes:
            values["health_needs"] = bool(changes["health_needs"])
        async with self._write() as session, session.begin():
            children = await self._list(session, user_id)
            child = next((c for c in children if c.id == child_id), None)
            if child is None:
                raise ChildRefused("gone")
            name = values.get("name", child.name)
            born = values.get("born", child.born)
            if any(_same(other, name, born) for other in children if other.id != child_id):  # type: ignore[arg-type]
                raise ChildRefused("duplicate")
            if values:
                await session.execute(
                    update(ChildRow)
                    .where(ChildRow.id == child_id, ChildRow.user_id == user_id)
                    .values(**values)
                )
            row = await session.get(ChildRow, child_id, populate_existing=True)
            assert row is not None
            return to_child(row, child_id if child.chosen else None)

    async def remove(self, user_id: int, child_id: int) -> bool:
        async with self._write() as session, session.begin():
            result = await session.execute(
                delete(ChildRow).where(ChildRow.id == child_id, ChildRow.user_id == user_id)
            )
            if result.rowcount:  # type: ignore[attr-defined]
                await session.execute(
                    delete(QuizResult).where(
                        QuizResult.user_id == user_id, QuizResult.child_id == child_id
                    )
                )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def choose(self, user_id: int, child_id: int) -> Child | None:
        """Remembers the child as the one lists are for; None when it is not this person's."""
        async with self._write() as session, session.begin():
            result = await session.execute(
                update(ChildRow)
                .where(ChildRow.id == child_id, ChildRow.user_id == user_id)
                .values(chosen_at=datetime.now(UTC))
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                return None
        return await self.get(user_id, child_id)

    async def count(self, user_id: int) -> int:
        async with self._sessions() as session:
            return int(
                await session.scalar(
                    select(func.count()).select_from(ChildRow).where(ChildRow.user_id == user_id)
                )
                or 0
            )


def _same(child: Child, name: str | None, born: int) -> bool:
    """The same child again: the same name (or both unnamed) and the same age."""
    same_name = (child.name or "").casefold() == (name or "").casefold()
    return same_name and child.born == born
