"""`make run` end to end: long polling against the fake Bot API server answers a real update,
registers the commands and starts the background ticker."""

from __future__ import annotations

import asyncio
import contextlib

from pydantic import SecretStr

from bot.config import Settings
from bot.runner import run_polling
from bot.testing.fake_bot_api import FakeBotApi, FakeBotApiConfig, FakeLimits

TOKEN = "123456:" + "D" * 35


async def test_polling_handles_an_update_end_to_end(tmp_path):
    # Conversations send bursts of two or three messages, which Telegram allows; the strict
    # one-a-second rule is for bulk sending and is tested with broadcasts.
    limits = FakeLimits(per_chat_rate=0)
    async with FakeBotApi(FakeBotApiConfig(limits=limits)) as server:
        settings = Settings(
            _env_file=None,
            bot_token=SecretStr(TOKEN),
            bot_api_url=server.url,
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'run.sqlite3'}",
        )
        running = asyncio.create_task(run_polling(settings))
        try:
            server.push_update(
                {
                    "message": {
                        "message_id": 1,
                        "date": 1_790_000_000,
                        "chat": {"id": 5001, "type": "private"},
                        "from": {
                            "id": 5001,
                            "is_bot": False,
                            "first_name": "Анна",
                            "language_code": "ru",
                        },
                        "text": "/start",
                        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
                    }
                }
            )
            for _ in range(300):
                if len(server.per_chat(5001)) >= 2:
                    break
                await asyncio.sleep(0.1)
            texts = [delivery.text for delivery in server.per_chat(5001)]
            assert "Здравствуйте" in texts[0] and "Кто вы?" in texts[1], texts
            assert server.counters.as_dict()["requests"] > 3  # getMe, setMyCommands, getUpdates…
        finally:
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running
