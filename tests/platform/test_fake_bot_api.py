"""The fake Bot API server, driven by a real aiogram Bot over HTTP (as through BOT_API_URL)."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import tracemalloc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonCommands,
    Message,
)
from aiohttp import ClientSession

from bot.app import create_bot
from bot.config import PROJECT_ROOT, Settings
from bot.telegram.session import create_session
from bot.testing.fake_bot_api import (
    Delivery,
    FakeBotApi,
    FakeBotApiConfig,
    FakeFaults,
    FakeLimits,
    config_from_args,
    count_duplicates,
    read_records,
)

TOKEN = "123456:" + "A" * 35
OTHER_TOKEN = "123456:" + "B" * 35
KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="Записаться", callback_data="book:1")]]
)


@asynccontextmanager
async def running(config: FakeBotApiConfig | None = None) -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(config or FakeBotApiConfig(token=TOKEN)) as server:
        yield server


@asynccontextmanager
async def real_bot(
    server: FakeBotApi, token: str = TOKEN, *, plain: bool = False
) -> AsyncIterator[Bot]:
    """The bot as the app builds it; `plain`: its HTTP session alone, without middlewares."""
    settings = Settings(
        _env_file=None,
        bot_token=token,
        bot_api_url=server.url,
        database_url="sqlite+aiosqlite:///:memory:",
    )
    if plain:
        bot = Bot(token, session=create_session(server.url))  # without the bot's middlewares
    else:
        bot = create_bot(settings)
    try:
        yield bot
    finally:
        await bot.session.close()


async def test_send_message_returns_a_message_and_is_recorded() -> None:
    async with running() as server, real_bot(server) as bot:
        message = await bot.send_message(501, "Кружок «Робототехника» <b>открыт</b>")

    assert isinstance(message, Message)
    assert message.message_id == 1
    assert message.chat.id == 501 and message.chat.type == "private"
    assert message.from_user is not None and message.from_user.id == 123456
    assert message.from_user.is_bot
    assert message.text == "Кружок «Робототехника» <b>открыт</b>"  # as sent: no HTML parsing
    assert server.url.startswith("http://127.0.0.1:")
    [record] = server.delivered
    assert record == Delivery(501, "sendMessage", message.text, record.timestamp, 1)
    assert server.counters.requests == 1 and server.counters.delivered == 1


async def test_edit_works_and_an_identical_edit_is_not_modified() -> None:
    async with running() as server, real_bot(server, plain=True) as bot:
        sent = await bot.send_message(502, "Запись открыта", reply_markup=KEYBOARD)
        assert sent.reply_markup is not None
        assert sent.reply_markup.model_dump() == KEYBOARD.model_dump()
        edited = await bot.edit_message_text(
            "Запись закрыта", chat_id=502, message_id=sent.message_id, reply_markup=KEYBOARD
        )
        assert isinstance(edited, Message)
        assert edited.text == "Запись закрыта" and edited.message_id == sent.message_id
        assert server.stored_text(502, sent.message_id) == "Запись закрыта"

        with pytest.raises(TelegramBadRequest, match="message is not modified"):
            await bot.edit_message_text(
                "Запись закрыта", chat_id=502, message_id=sent.message_id, reply_markup=KEYBOARD
            )
        # The same text without the keyboard removes it: that is a change.
        await bot.edit_message_text("Запись закрыта", chat_id=502, message_id=sent.message_id)
        with pytest.raises(TelegramBadRequest, match="message is not modified"):
            await bot.edit_message_reply_markup(chat_id=502, message_id=sent.message_id)
        await bot.edit_message_reply_markup(
            chat_id=502, message_id=sent.message_id, reply_markup=KEYBOARD
        )
        with pytest.raises(TelegramBadRequest, match="message to edit not found"):
            await bot.edit_message_text("?", chat_id=502, message_id=999)

    assert len(server.delivered) == 1  # edits are not deliveries
    assert server.counters.bad_requests == 3
    async with running() as served, real_bot(served) as bot:  # the bot's own session
        sent = await bot.send_message(502, "Запись открыта")
        # Refused as above, and taken as done (bot/telegram/not_modified.py): the message shows it.
        assert await bot.edit_message_text(
            "Запись открыта", chat_id=502, message_id=sent.message_id
        )
    assert served.counters.bad_requests == 1


async def test_second_send_to_one_chat_within_the_window_is_told_to_retry() -> None:
    async with running() as server, real_bot(server) as bot:
        await bot.send_message(503, "первое")
        with pytest.raises(TelegramRetryAfter) as caught:
            await bot.send_message(503, "второе")

    assert caught.value.retry_after >= 1
    assert "Too Many Requests: retry after" in caught.value.message
    assert [record.text for record in server.per_chat(503)] == ["первое"]
    assert server.counters.rate_limited == 1 and server.counters.rate_limited_chat == 1


async def test_global_limit_answers_exactly_one_429_for_31_chats() -> None:
    async with running() as server, real_bot(server) as bot:
        results = await asyncio.gather(
            *(
                bot.send_message(chat_id, "Билет в будущее: регистрация открыта")
                for chat_id in range(1001, 1032)
            ),
            return_exceptions=True,
        )

    refused = [result for result in results if not isinstance(result, Message)]
    assert len(refused) == 1, refused
    assert isinstance(refused[0], TelegramRetryAfter) and refused[0].retry_after >= 1
    assert server.counters.delivered == 30
    assert server.counters.rate_limited == 1 and server.counters.rate_limited_chat == 0


async def test_paid_broadcast_raises_the_global_limit() -> None:
    limits = FakeLimits(global_rate=3, paid_rate=10)
    async with running(FakeBotApiConfig(token=TOKEN, limits=limits)) as server:
        async with real_bot(server) as bot:
            for chat_id in range(1, 6):
                await bot.send_message(chat_id, "платная рассылка", allow_paid_broadcast=True)
            with pytest.raises(TelegramRetryAfter):
                await bot.send_message(6, "обычная рассылка")

    assert server.counters.delivered == 5


async def test_the_window_slides() -> None:
    limits = FakeLimits(window=0.2)
    async with running(FakeBotApiConfig(token=TOKEN, limits=limits)) as server:
        async with real_bot(server) as bot:
            await bot.send_message(504, "раз")
            with pytest.raises(TelegramRetryAfter) as caught:
                await bot.send_message(504, "два")
            assert caught.value.retry_after >= 1  # whole seconds, as Telegram answers
            await asyncio.sleep(0.25)
            await bot.send_message(504, "два")

    assert [record.text for record in server.per_chat(504)] == ["раз", "два"]


async def test_blocked_chat_is_forbidden_on_every_send() -> None:
    config = FakeBotApiConfig(token=TOKEN, blocked=frozenset({505}))
    async with running(config) as server, real_bot(server) as bot:
        for _ in range(2):
            with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
                await bot.send_message(505, "вы заблокировали бота")
        await bot.send_message(506, "а вы нет")

    assert server.counters.forbidden == 2
    assert [record.chat_id for record in server.delivered] == [506]


async def test_configured_server_errors_deliver_nothing() -> None:
    faults = FakeFaults(error_rate=1.0, error_codes=(502,))
    async with running(FakeBotApiConfig(token=TOKEN, faults=faults)) as server:
        async with real_bot(server) as bot:
            with pytest.raises(TelegramServerError, match="Bad Gateway"):
                await bot.send_message(507, "не дойдёт")
            assert await bot.get_me()  # faults touch only the sending methods by default

    assert server.delivered == []
    assert server.counters.server_errors == 1


async def test_html_gateway_pages_are_not_json() -> None:
    faults = FakeFaults(error_rate=1.0, html_errors=True)
    async with running(FakeBotApiConfig(token=TOKEN, faults=faults)) as server:
        async with real_bot(server) as bot:
            with pytest.raises(ClientDecodeError):
                await bot.send_message(508, "не дойдёт")


async def test_faults_are_reproducible_from_the_seed() -> None:
    async def outcomes(seed: int) -> list[str]:
        faults = FakeFaults(error_rate=0.5)
        config = FakeBotApiConfig(token=TOKEN, faults=faults, seed=seed)
        results = []
        async with running(config) as server, real_bot(server) as bot:
            for chat_id in range(1, 13):
                try:
                    await bot.send_message(chat_id, "x")
                    results.append("ok")
                except TelegramServerError as exc:
                    results.append(exc.message)
        return results

    first = await outcomes(7)
    assert first == await outcomes(7)
    assert "ok" in first and len(set(first)) > 1


async def test_every_method_answers_as_aiogram_expects() -> None:
    async with running() as server, real_bot(server) as bot:
        me = await bot.get_me()
        assert me.id == 123456 and me.is_bot and me.username == "edu_navigator_bot"
        photo = await bot.send_photo(
            601, BufferedInputFile(b"\x89PNG", "club.png"), caption="Кванториум"
        )
        assert photo.photo and photo.caption == "Кванториум"
        document = await bot.send_document(602, BufferedInputFile(b"%PDF", "plan.pdf"))
        assert document.document is not None and document.document.file_name == "plan.pdf"
        venue = await bot.send_venue(603, 56.48, 84.95, "IT-куб", "пр. Ленина, 1")
        assert venue.venue is not None and venue.venue.title == "IT-куб"
        location = await bot.send_location(604, 56.48, 84.95)
        assert location.location is not None and location.location.latitude == 56.48
        copy = await bot.copy_message(605, from_chat_id=601, message_id=photo.message_id)
        assert copy.message_id > location.message_id
        assert await bot.delete_message(604, location.message_id) is True
        with pytest.raises(TelegramBadRequest, match="message to delete not found"):
            await bot.delete_message(604, location.message_id)
        assert await bot.answer_callback_query("query-1", text="Готово") is True
        assert await bot.set_my_commands([BotCommand(command="start", description="Начать")])
        assert await bot.delete_my_commands() is True
        assert await bot.set_chat_menu_button(menu_button=MenuButtonCommands()) is True
        assert await bot.set_webhook("https://example.org/hook", secret_token="s3cret")
        assert (await bot.get_webhook_info()).url == "https://example.org/hook"
        assert await bot.delete_webhook() is True
        assert (await bot.get_webhook_info()).url == ""

    assert [(record.method, record.text) for record in server.delivered] == [
        ("sendPhoto", "Кванториум"),
        ("sendDocument", None),
        ("sendVenue", "IT-куб"),
        ("sendLocation", None),
        ("copyMessage", "Кванториум"),
    ]


async def test_wrong_token_is_unauthorized() -> None:
    async with running() as server, real_bot(server, token=OTHER_TOKEN) as bot:
        with pytest.raises(TelegramUnauthorizedError, match="Unauthorized"):
            await bot.get_me()
    assert server.counters.unauthorized == 1


async def test_raw_http_unknown_method_json_body_and_get() -> None:
    async with running() as server, ClientSession() as http:
        async with http.post(f"{server.url}/bot{TOKEN}/sendSticker", data={"chat_id": "1"}) as r:
            assert r.status == 404
            assert await r.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }
        async with http.get(f"{server.url}/bot{TOKEN}/GETME") as r:  # names ignore case
            assert r.status == 200 and (await r.json())["result"]["id"] == 123456
        body = {"chat_id": 701, "text": "json", "reply_markup": KEYBOARD.model_dump()}
        async with http.post(f"{server.url}/bot{TOKEN}/sendMessage", json=body) as r:
            answer = await r.json()
            assert answer["ok"] and answer["result"]["reply_markup"] == body["reply_markup"]
        async with http.get(f"{server.url}/_fake/stats") as r:
            stats = await r.json()
            assert stats["delivered"] == 1 and stats["not_found"] == 1
        async with http.post(f"{server.url}/_fake/reset") as r:
            assert r.status == 200
    assert server.counters.requests == 0 and server.delivered == []


async def test_slow_but_delivered_times_out_on_the_client_yet_counts() -> None:
    faults = FakeFaults(slow_delivered_rate=1.0, slow_delivered_delay=0.5)
    async with running(FakeBotApiConfig(token=TOKEN, faults=faults)) as server:
        async with real_bot(server) as bot:
            bot.session.timeout = 0.1
            with pytest.raises(TelegramNetworkError):
                await bot.send_message(801, "доставлено, но ответ опоздал")
            assert [record.text for record in server.per_chat(801)] == [
                "доставлено, но ответ опоздал"
            ]
    assert server.counters.slow_delivered == 1


async def test_a_refusal_is_never_slow_but_delivered() -> None:
    """ "Slow but delivered" stands for a message that went out: a 403 or 429 drawn for that
    fault is answered at once, or a client would count an unsent message as uncertain."""
    faults = FakeFaults(slow_delivered_rate=1.0, slow_delivered_delay=5.0)
    config = FakeBotApiConfig(token=TOKEN, faults=faults, blocked=frozenset({802}))
    async with running(config) as server:
        async with real_bot(server) as bot:
            bot.session.timeout = 2.0
            with pytest.raises(TelegramForbiddenError):
                await bot.send_message(802, "не дойдёт")
    assert server.counters.slow_delivered == 0 and server.delivered == []


async def test_slow_answer_is_lost_when_the_client_gives_up_first() -> None:
    faults = FakeFaults(slow_rate=1.0, slow_delay=0.3)
    async with running(FakeBotApiConfig(token=TOKEN, faults=faults)) as server:
        async with real_bot(server) as bot:
            bot.session.timeout = 0.1
            with pytest.raises(TelegramNetworkError):
                await bot.send_message(802, "не дойдёт")
            await asyncio.sleep(0.35)
            bot.session.timeout = 5
            await bot.send_message(803, "дойдёт, хоть и не сразу")
    assert [record.chat_id for record in server.delivered] == [803]
    assert server.counters.abandoned == 1 and server.counters.slow == 2


async def test_duplicates_per_chat_and_reset() -> None:
    limits = FakeLimits(per_chat_rate=0)
    async with running(FakeBotApiConfig(token=TOKEN, limits=limits)) as server:
        async with real_bot(server) as bot:
            for text in ("напоминание", "напоминание", "напоминание", "другое"):
                await bot.send_message(901, text)
            await bot.send_message(902, "напоминание")
        assert server.duplicates() == 2
        assert len(server.per_chat(901)) == 4
        server.reset()
        assert server.delivered == [] and server.counters.requests == 0
        assert server.duplicates() == 0


def test_recording_stays_compact_for_100k_messages() -> None:
    server = FakeBotApi(FakeBotApiConfig(limits=FakeLimits(global_rate=0), keep_per_chat=1))
    text = "Объявление: в субботу день открытых дверей в «Кванториуме». Приходите всей семьёй!"
    count = 5_000  # measured on a twentieth, to stay fast
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for chat_id in range(count):
            status, _ = server.call("sendMessage", {"chat_id": str(10**9 + chat_id), "text": text})
            assert status == 200
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(server.delivered) == count
    assert used / count < 600, f"{used / count:.0f} bytes a message"  # ~60 MB for 100,000


def test_cli_flags_build_the_config(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked.txt"
    blocked.write_text("# blocked users\n11\n12  # left the region\n\n", encoding="utf-8")
    config = config_from_args(
        [
            "--port=0",
            "--rate=5",
            "--window=0.5",
            f"--blocked-file={blocked}",
            "--blocked=13",
            "--error-rate=0.01",
            "--error-codes=500",
            "--slow-delivered-rate=0.1",
            "--slow-delivered-delay=2",
            f"--record={tmp_path / 'r.jsonl'}",
        ]
    )
    assert config.port == 0 and config.limits.global_rate == 5 and config.limits.window == 0.5
    assert config.blocked == frozenset({11, 12, 13})
    assert config.faults.error_rate == 0.01 and config.faults.error_codes == (500,)
    assert config.faults.slow_delivered_rate == 0.1 and config.record_path == tmp_path / "r.jsonl"


async def test_standalone_process_records_to_a_file_and_stops_on_sigterm(tmp_path: Path) -> None:
    record = tmp_path / "records.jsonl"
    blocked = tmp_path / "blocked.txt"
    blocked.write_text("66\n", encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.testing.fake_bot_api",
        "--port=0",
        f"--token={TOKEN}",
        f"--blocked-file={blocked}",
        f"--record={record}",
        cwd=PROJECT_ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        url = (await asyncio.wait_for(process.stdout.readline(), 15)).decode().strip()
        assert url.startswith("http://127.0.0.1:")
        server = FakeBotApi(FakeBotApiConfig(token=TOKEN))
        server.url = url  # only to build the bot's settings
        async with real_bot(server) as bot:
            await bot.send_message(64, "один")
            await bot.send_message(65, "два")
            with pytest.raises(TelegramForbiddenError):
                await bot.send_message(66, "заблокирован")
        # Written and flushed per message: readable while the server still runs.
        records = list(read_records(record))
        assert [(r.chat_id, r.text) for r in records] == [(64, "один"), (65, "два")]
        assert count_duplicates(records) == 0
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 15)
    finally:
        if process.returncode is None:
            process.kill()
            await process.communicate()
    assert process.returncode == 0
    counters = json.loads(stderr.decode().strip().splitlines()[-1])
    assert counters["delivered"] == 2 and counters["forbidden"] == 1
