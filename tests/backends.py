"""PostgreSQL and Redis for the backend tests: set by .ci/run, skipped with a reason otherwise."""

from __future__ import annotations

import os

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("TEST_REDIS_URL")

needs_postgres = pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")


async def fresh_postgres() -> AsyncEngine:
    """An engine on the test database with an empty public schema."""
    assert POSTGRES_URL
    engine = create_engine(POSTGRES_URL)
    async with engine.begin() as connection:
        await connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        await connection.exec_driver_sql("CREATE SCHEMA public")
    return engine
