"""Stairway: every revision goes up, down and up again, on SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from backends import fresh_postgres, needs_postgres
from sqlalchemy import insert as sa_insert
from sqlalchemy import inspect

from db import migrate
from db.engine import create_engine
from db.models import Base


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


async def _stairway(engine) -> None:
    revisions = _revisions()
    assert revisions, "no migrations found"
    previous = "base"
    for revision in revisions:
        await migrate.upgrade(engine, revision)
        await migrate.downgrade(engine, previous)
        await migrate.upgrade(engine, revision)
        previous = revision
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert set(Base.metadata.tables) <= tables, "models and migrations disagree"
    await migrate.downgrade(engine, "base")
    async with engine.connect() as connection:
        left = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert left <= {"alembic_version"}


async def test_stairway_sqlite(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite3'}")
    try:
        await _stairway(engine)
    finally:
        await engine.dispose()


@needs_postgres
async def test_stairway_postgres():
    engine = await fresh_postgres()
    try:
        await _stairway(engine)
    finally:
        await engine.dispose()


async def test_models_match_migrations(tmp_path):
    """Autogenerate finds nothing to add: every model change came with a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'c.sqlite3'}")
    try:
        await migrate.upgrade(engine)
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"include_name": migrate.include_name}),
                    Base.metadata,
                )
            )
        assert diff == []
    finally:
        await engine.dispose()


@needs_postgres
async def test_instances_starting_together_prepare_the_database_one_at_a_time():
    """On PostgreSQL, `prepare_database` (migrations, demo data, slots) runs under an advisory
    lock: a second instance starting while the first prepares waits for it, instead of running
    the same DDL and inserts at once and failing on duplicates. Watched in pg_locks."""
    import asyncio

    from sqlalchemy import func, select, text

    from bot.app import build_app, prepare_database, startup_lock
    from bot.config import Settings
    from db.models import Programme

    engine = await fresh_postgres()
    settings = Settings(_env_file=None, database_url=engine.url.render_as_string(False))
    waiting = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    app = build_app(settings)
    try:
        async with startup_lock(engine):  # "the first instance" is preparing
            second = asyncio.create_task(prepare_database(app))
            for _ in range(200):
                async with engine.connect() as connection:
                    if await connection.scalar(waiting) == 1:
                        break
                assert not second.done(), second
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("the second instance never waited for the startup lock")
            assert not second.done()
        await asyncio.wait_for(second, 60)  # the lock released: it prepares now
        async with app.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(Programme)) == 501
    finally:
        await app.close()
        await engine.dispose()


async def test_programmes_are_indexed_again_without_their_organisations_words(tmp_path):
    """Migration 0011: stems imported with the organisation's name and type are replaced by
    those of the programme's own name, description and direction."""
    from sqlalchemy import select

    from db.models import Locality, Organisation, Programme
    from services.catalog import text_index

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 's.sqlite3'}")
    try:
        await migrate.upgrade(engine)
        async with engine.begin() as connection:
            await connection.execute(
                Locality.__table__.insert().values(
                    id=901,
                    name="Тестовка",
                    name_en="Testovka",
                    district="Тестовский",
                    district_en="Testovsky",
                    latitude=56.0,
                    longitude=85.0,
                )
            )
            await connection.execute(
                Organisation.__table__.insert().values(
                    id=901,
                    external_id="o-901",
                    name="Дом детского творчества",
                    type="ddt",
                    locality_id=901,
                    latitude=56.0,
                    longitude=85.0,
                )
            )
            await connection.execute(
                Programme.__table__.insert().values(
                    id=901,
                    external_id="p-901",
                    organisation_id=901,
                    name="Шахматы",
                    direction="sport",
                    description="Игра и турниры",
                    age_from=7,
                    age_to=12,
                    format="offline",
                    cost="free",
                    search_stems=text_index.document(
                        "Шахматы",
                        "Игра и турниры",
                        "физкультурно-спортивный",
                        "Дом детского творчества",
                    ),
                )
            )
        await migrate.downgrade(engine, "0010")
        await migrate.upgrade(engine)
        async with engine.connect() as connection:
            stems = (await connection.execute(select(Programme.search_stems))).scalar_one()
        assert set(stems.split()) == set(
            text_index.document("Шахматы", "Игра и турниры", "физкультурно-спортивный").split()
        )
        assert text_index.stem("творчества") not in stems.split()
    finally:
        await engine.dispose()


async def _single_ages_become_children(engine) -> None:
    from sqlalchemy import select

    from db.models import Child, User

    await migrate.upgrade(engine, "0011")
    users = User.__table__
    async with engine.begin() as connection:
        await connection.execute(
            sa_insert(users),
            [
                {"id": 5_000_000_001, "locale": "ru", "child_age": 9, "child_grade": None},
                {"id": 5_000_000_002, "locale": "ru", "child_age": None, "child_grade": 3},
                {"id": 5_000_000_003, "locale": "en", "child_age": None, "child_grade": None},
            ],
        )
    await migrate.upgrade(engine)
    async with engine.connect() as connection:
        kids = (await connection.execute(select(Child).order_by(Child.user_id))).all()
        left = (await connection.execute(select(users.c.child_age, users.c.child_grade))).all()
    assert [(k.user_id, k.age, k.grade, k.name) for k in kids] == [
        (5_000_000_001, 9, None, None),
        (5_000_000_002, None, 3, None),
    ]
    assert kids[0].born == kids[0].noted_on.year - 9
    assert set(left) == {(None, None)}  # read from children from now on
    await migrate.downgrade(engine, "0011")  # and back: the first child into the profile
    async with engine.connect() as connection:
        back = (
            await connection.execute(
                select(users.c.id, users.c.child_age, users.c.child_grade).order_by(users.c.id)
            )
        ).all()
    assert [tuple(row) for row in back] == [
        (5_000_000_001, 9, None),
        (5_000_000_002, None, 3),
        (5_000_000_003, None, None),
    ]


async def test_single_age_profiles_become_one_child_sqlite(tmp_path):
    """Migration 0012: each profile's age or grade is that person's one child."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'k.sqlite3'}")
    try:
        await _single_ages_become_children(engine)
    finally:
        await engine.dispose()


@needs_postgres
async def test_single_age_profiles_become_one_child_postgres():
    engine = await fresh_postgres()
    try:
        await _single_ages_become_children(engine)
    finally:
        await engine.dispose()
