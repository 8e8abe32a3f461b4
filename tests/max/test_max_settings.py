"""MAX's settings: MESSENGER, MAX_TOKEN, MAX_API_URL, MAX_WEBHOOK__*, MAX_ADMIN_IDS."""

from __future__ import annotations

import pytest

from bot.config import MAX_API_URL, ConfigError, load_settings
from services.messengers.ids import from_max


def settings(**values: object):  # type: ignore[no-untyped-def]
    return load_settings(_env_file=None, **values)


def test_telegram_is_the_default_and_max_the_platform_api2_host():
    plain = settings()
    assert plain.messenger == "telegram"
    assert plain.max_api_url == MAX_API_URL == "https://platform-api2.max.ru"
    assert settings(messenger="MAX", max_api_url="").max_api_url == MAX_API_URL


def test_max_webhook_mode_needs_its_secret_not_telegrams_keys():
    with pytest.raises(ConfigError) as refused:
        settings(messenger="max", bot_mode="webhook")
    assert [p.split(":")[0] for p in refused.value.problems] == ["MAX_WEBHOOK__SECRET"]
    ready = settings(messenger="max", bot_mode="webhook", max_webhook={"secret": "abc-DEF-123"})
    assert ready.max_webhook.public_url == "" and ready.max_webhook.path == "/max/webhook"


@pytest.mark.parametrize(
    ("webhook", "key"),
    [
        ({"secret": "abc"}, "MAX_WEBHOOK__SECRET"),  # 5 characters at least
        ({"secret": "has_underscore"}, "MAX_WEBHOOK__SECRET"),  # A-Z, a-z, 0-9 and - only
        ({"secret": "abcde", "public_url": "http://bot.example.org"}, "MAX_WEBHOOK__PUBLIC_URL"),
        (
            {"secret": "abcde", "public_url": "https://bot.example.org:8443"},
            "MAX_WEBHOOK__PUBLIC_URL",
        ),
    ],
)
def test_max_webhook_settings_follow_maxs_rules(webhook, key):
    with pytest.raises(ConfigError) as refused:
        settings(messenger="max", bot_mode="webhook", max_webhook=webhook)
    assert refused.value.problems[0].startswith(key)


def test_max_admins_are_kept_as_the_bots_ids_of_max_people():
    loaded = settings(admin_ids="900001", max_admin_ids="5, 77")
    assert loaded.admin_ids == [900001, from_max(5), from_max(77)]


def test_an_unknown_messenger_is_a_config_error():
    with pytest.raises(ConfigError) as refused:
        settings(messenger="vk")
    assert refused.value.problems[0].startswith("MESSENGER")
