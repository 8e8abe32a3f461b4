"""The profile cache is per process: it is on only when this process is the database's one bot."""

from __future__ import annotations

from bot.app import build_app, prepare_database
from bot.config import Settings


async def two_apps(tmp_path, redis_url: str | None):
    url = f"sqlite:///{tmp_path}/shared.sqlite3"
    apps = [
        build_app(Settings(_env_file=None, database_url=url, bot_token=None, redis_url=redis_url))
        for _ in range(2)
    ]
    await prepare_database(apps[0])
    return apps


async def test_with_several_instances_a_change_at_one_is_seen_at_the_other(tmp_path):
    first, second = await two_apps(tmp_path, "redis://127.0.0.1:6379/15")  # never connected
    try:
        assert (await first.profiles.get_or_create(501, "ru")).locale == "ru"
        await second.profiles.update(501, locale="en", role="parent")
        seen = await first.profiles.get_or_create(501, "ru")
        assert (seen.locale, seen.role) == ("en", "parent")
    finally:
        for app in (first, second):
            await app.close()


async def test_a_single_instance_serves_profiles_from_its_cache(tmp_path):
    first, second = await two_apps(tmp_path, None)
    try:
        await first.profiles.get_or_create(502, "ru")
        await second.profiles.update(502, locale="en")  # a second writer is not expected here
        assert (await first.profiles.get_or_create(502, "ru")).locale == "ru"
    finally:
        for app in (first, second):
            await app.close()
