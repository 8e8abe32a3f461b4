"""User profiles: language, role, locality, consent (children: services/people/children.py)."""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import read_rows
from db.models import Child, QuizResult, Subscription, User

# Core statements on the table: the profile is read on most updates, and ORM statements on the
# User entity cost several times more to compile and run than the row is worth.
_USERS = User.__table__
# Read on every update where there is no profile cache (several instances): built once, run on a
# plain connection.
_BY_ID = select(_USERS).where(_USERS.c.id == bindparam("user_id"))

ROLES = ("parent", "pupil", "teacher")
# What declining consent clears: every answer that needs it, and the consent itself.
WITHDRAWN = ("role", "locality_id", "child_age", "child_grade", "consent_version", "consent_at")
CONSENT_VERSION = "2026-12-07"  # the edition of locales/*/main.ftl consent-text
CHILD_AGE_RANGE = range(3, 19)
CHILD_GRADE_RANGE = range(1, 12)


@dataclass(frozen=True, slots=True)
class Profile:
    user_id: int
    locale: str
    role: str | None = None
    locality_id: int | None = None
    consent_version: str | None = None
    consent_at: datetime | None = None
    onboarded_at: datetime | None = None
    blocked_at: datetime | None = None  # when the person blocked the bot, if they have

    @property
    def has_consent(self) -> bool:
        """Consent to the current edition: what saving profile answers asks for."""
        return self.consent_version == CONSENT_VERSION

    @property
    def consent_on_record(self) -> bool:
        """Consent to some edition, not withdrawn: what subscriptions and broadcasts need."""
        return self.consent_version is not None

    @property
    def onboarded(self) -> bool:
        return self.onboarded_at is not None


class ProfileService:
    """Reads and writes profiles; keeps a bounded cache of those this process has seen.

    The cache is right only while this process is the one that writes profiles: with several
    instances (cache_size=0) every update reads the row, one primary-key select.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession] | None = None,
        cache_size: int = 50_000,
    ) -> None:
        self._sessions = sessions
        self._write = write_sessions or sessions
        self._cache: OrderedDict[int, Profile] = OrderedDict()
        self._cache_size = cache_size

    async def get_or_create(self, user_id: int, locale: str) -> Profile:
        cached = self._cache.get(user_id)
        if cached is not None:
            self._cache.move_to_end(user_id)
            return cached
        rows = await read_rows(self._sessions, _BY_ID, {"user_id": user_id})
        row = rows[0] if rows else None
        if row is None:
            async with self._write() as session:
                # Two updates of a new person at once, or another instance: the second insert
                # gives way and reads the first one's row.
                dialect = sqlite if session.bind.dialect.name == "sqlite" else postgresql
                new = {"id": user_id, "locale": locale, "created_at": datetime.now(UTC)}
                inserted = (
                    dialect.insert(_USERS)
                    .values(new)
                    .on_conflict_do_nothing(index_elements=["id"])
                    .returning(*_USERS.c)
                )
                row = (await session.execute(inserted)).first()
                await session.commit()
                if row is None:
                    row = (await session.execute(_BY_ID, {"user_id": user_id})).first()
        return self._remember(_to_profile(row))

    async def update(self, user_id: int, **changes: object) -> Profile:
        unknown = set(changes) - set(Profile.__dataclass_fields__)
        if unknown or "user_id" in changes:
            raise ValueError(f"not profile fields: {sorted(unknown)}")
        async with self._write() as session:
            row = (
                await session.execute(
                    update(_USERS)
                    .where(_USERS.c.id == user_id)
                    .values(**changes)
                    .returning(*_USERS.c)
                )
            ).first()
            await session.commit()
        if row is None:
            raise LookupError(user_id)
        return self._remember(_to_profile(row))

    async def give_consent(self, user_id: int, **profile_fields: object) -> Profile:
        return await self.update(
            user_id, consent_version=CONSENT_VERSION, consent_at=datetime.now(UTC), **profile_fields
        )

    async def finish_onboarding(
        self, user_id: int, *, consent: bool = False, **profile_fields: object
    ) -> Profile:
        """Onboarding is over; with consent, its answers are kept too (one transaction).

        Without it nothing is kept but the language: someone who had agreed to an earlier
        edition and now declines the current one withdraws it, with their profile answers,
        children, subscriptions and quiz results."""
        if consent:
            profile_fields.update(consent_version=CONSENT_VERSION, consent_at=datetime.now(UTC))
            return await self.update(user_id, onboarded_at=datetime.now(UTC), **profile_fields)
        withdrawn = dict.fromkeys(WITHDRAWN)
        async with self._write() as session:
            await session.execute(delete(Subscription).where(Subscription.user_id == user_id))
            await session.execute(delete(QuizResult).where(QuizResult.user_id == user_id))
            await session.execute(delete(Child).where(Child.user_id == user_id))
            row = (
                await session.execute(
                    update(_USERS)
                    .where(_USERS.c.id == user_id)
                    .values(onboarded_at=datetime.now(UTC), **withdrawn)
                    .returning(*_USERS.c)
                )
            ).first()
            await session.commit()
        if row is None:
            raise LookupError(user_id)
        return self._remember(_to_profile(row))

    async def mark_blocked(self, user_id: int, blocked: bool) -> None:
        """Notes that the person blocked (or unblocked) the bot; no write when the cached
        profile says so already (a MAX start says «unblocked» every time)."""
        cached = self._cache.get(user_id)
        if cached is not None and (cached.blocked_at is not None) == blocked:
            return
        with contextlib.suppress(LookupError):  # someone the bot never stored: nothing to note
            await self.update(user_id, blocked_at=datetime.now(UTC) if blocked else None)

    async def count(self) -> int:
        async with self._sessions() as session:
            return (await session.execute(select(func.count()).select_from(User))).scalar_one()

    def forget_cached(self, user_id: int) -> None:
        self._cache.pop(user_id, None)

    def _remember(self, profile: Profile) -> Profile:
        if not self._cache_size:
            return profile
        self._cache[profile.user_id] = profile
        self._cache.move_to_end(profile.user_id)
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return profile


def _to_profile(row: Any) -> Profile:  # a row of users
    return Profile(
        user_id=row.id,
        locale=row.locale,
        role=row.role,
        locality_id=row.locality_id,
        consent_version=row.consent_version,
        consent_at=row.consent_at,
        onboarded_at=row.onboarded_at,
        blocked_at=row.blocked_at,
    )


def parse_age_or_grade(text: str) -> tuple[int | None, int | None] | None:
    """'10' → age 10; '5 класс' / '5 кл' / 'grade 5' → grade 5; otherwise None."""
    words = text.lower().replace("-", " ").replace(".", " ").split()
    numbers = [int(word) for word in words if word.isdecimal()]  # «²» is a digit, not a number
    if len(numbers) != 1:
        return None
    number = numbers[0]
    is_grade = any(word.startswith(("класс", "кл", "grade", "form", "year")) for word in words)
    if is_grade:
        return (None, number) if number in CHILD_GRADE_RANGE else None
    return (number, None) if number in CHILD_AGE_RANGE else None
