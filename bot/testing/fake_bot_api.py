"""A fake Telegram Bot API server for tests, crash tests and benchmarks.

The real bot reaches it through `BOT_API_URL`, exactly as it would reach a self-hosted Bot API
server: aiogram posts to `{url}/bot{token}/{method}` (form data, or multipart when files go
along; complex fields such as reply_markup and entities are JSON-encoded strings). The server
answers as Telegram does, including what Telegram does under load:

- a global limit of sends per sliding window (30/s; 1000/s for `allow_paid_broadcast=true`)
  and a per-chat limit (1/s), answered with 429 and `parameters.retry_after`;
- 403 "bot was blocked by the user" for configured chats;
- faults drawn from a seeded random generator: 5xx before delivering, slow answers, and
  "slow but delivered" (delivered and recorded first, answered late: the Bot API has no
  idempotency key, so a client that timed out cannot know the message went out).

Every delivered message is recorded as a compact tuple (`server.delivered`), optionally also as
JSON lines in a file (flushed per line) that another process can read after a kill.

In tests::

    async with FakeBotApi(FakeBotApiConfig(token=TOKEN)) as server:
        settings = Settings(bot_token=TOKEN, bot_api_url=server.url, ...)

Standalone::

    python -m bot.testing.fake_bot_api --port 8081 --rate 30 --blocked-file F --error-rate 0.01 \\
        --record records.jsonl

prints its URL on the first line of stdout and stops on SIGTERM/SIGINT. While it runs,
`GET /_fake/stats` answers the counters and `POST /_fake/reset` clears them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import json
import math
import random
import re
import signal
import sys
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from aiohttp import web

# Telegram's method names are case-insensitive; answers use the canonical spelling.
SEND_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "sendVenue", "sendLocation", "copyMessage"}
)
OTHER_METHODS = frozenset(
    {
        "getMe",
        "editMessageText",
        "editMessageReplyMarkup",
        "deleteMessage",
        "answerCallbackQuery",
        "setMyCommands",
        "deleteMyCommands",
        "setWebhook",
        "deleteWebhook",
        "getWebhookInfo",
        "setChatMenuButton",
        "getUpdates",
    }
)
_CANONICAL = {name.lower(): name for name in SEND_METHODS | OTHER_METHODS}
_TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")
_INTEGER_RE = re.compile(r"-?\d+")
_MAX_BODY = 52 * 1024 * 1024  # files up to 50 MB, plus the other fields

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
_INTERN_LIMIT = 4096  # distinct texts shared between records (a broadcast repeats one text)


@dataclass
class FakeLimits:
    """Telegram's flood limits; a rate of 0 switches that limit off."""

    global_rate: int = 30  # sends per window across all chats
    paid_rate: int = 1000  # the global limit for requests with allow_paid_broadcast=true
    per_chat_rate: int = 1  # sends per window to one chat
    window: float = 1.0  # seconds; the window slides


@dataclass
class FakeFaults:
    """Faults drawn once per request to `methods` from the server's seeded generator.

    The rates are exclusive slices of one draw, so their sum must not exceed 1.
    """

    error_rate: float = 0.0  # answer 5xx before delivering
    error_codes: tuple[int, ...] = (500, 502)
    html_errors: bool = False  # 5xx as an nginx HTML page (aiogram: ClientDecodeError)
    slow_rate: float = 0.0  # sleep, then handle; nothing is delivered if the client left
    slow_delay: float = 0.0
    slow_delivered_rate: float = 0.0  # deliver and record, then sleep, then answer
    slow_delivered_delay: float = 0.0
    methods: frozenset[str] = SEND_METHODS


@dataclass
class FakeBotApiConfig:
    token: str | None = None  # the one token accepted; None accepts any well-formed token
    host: str = "127.0.0.1"
    port: int = 0  # 0: any free port
    limits: FakeLimits = field(default_factory=FakeLimits)
    faults: FakeFaults = field(default_factory=FakeFaults)
    blocked: frozenset[int] = frozenset()  # chats whose user blocked the bot
    seed: int = 0
    record_path: Path | None = None  # JSON lines, one per delivered message, flushed
    keep_per_chat: int = 3  # messages kept per chat for edits and deletes (0: none)
    bot_first_name: str = "Навигатор"
    bot_username: str = "edu_navigator_bot"
    shutdown_timeout: float = 1.0  # how long stopping waits for requests in flight


class Delivery(NamedTuple):
    """One delivered message (a plain tuple in memory)."""

    chat_id: int
    method: str
    text: str | None  # text or caption
    timestamp: float  # time.time()
    message_id: int


@dataclass
class FakeCounters:
    requests: int = 0  # every HTTP request to /bot...
    delivered: int = 0
    rate_limited: int = 0  # 429s sent
    rate_limited_chat: int = 0  # of those, for the per-chat limit
    forbidden: int = 0  # 403s sent
    server_errors: int = 0  # 5xx sent
    bad_requests: int = 0  # 400s sent
    unauthorized: int = 0  # 401s sent
    not_found: int = 0  # 404s sent
    slow: int = 0  # slow answers (delivered or not)
    slow_delivered: int = 0  # delivered, then answered late
    abandoned: int = 0  # slow requests whose client left before they were handled
    in_flight: int = 0
    max_in_flight: int = 0
    # "method: description" of every 4xx sent, how many times (what a bench says went wrong)
    refusals: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _ApiError(Exception):
    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def _error(status: int, description: str, **parameters: Any) -> _ApiError:
    return _ApiError(status, description, parameters or None)


class _Params:
    """Request fields: form or multipart strings (complex values JSON-encoded), or a JSON body."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw

    def text(self, key: str) -> str | None:
        value = self.raw.get(key)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, web.FileField):
            return None
        return str(value)

    def integer(self, key: str, *, required: str | None = None) -> int | None:
        value = self.raw.get(key)
        if isinstance(value, bool):
            value = None
        if isinstance(value, int):
            return value
        if isinstance(value, str) and _INTEGER_RE.fullmatch(value.strip()):
            return int(value)
        if required is not None:
            raise _error(400, required)
        return None

    def number(self, key: str) -> float:
        try:
            return float(self.raw[key])
        except (KeyError, TypeError, ValueError):
            raise _error(400, f"Bad Request: {key} is invalid") from None

    def flag(self, key: str) -> bool:
        value = self.raw.get(key)
        if isinstance(value, str):
            return value.strip().lower() in {"true", "1"}
        return bool(value)

    def structure(self, key: str) -> Any:
        value = self.raw.get(key)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise _error(400, f"Bad Request: can't parse {key} JSON object") from None
        return value

    def file_name(self, key: str) -> str | None:
        value = self.raw.get(key)
        if isinstance(value, str) and value.startswith("attach://"):
            value = self.raw.get(value.removeprefix("attach://"))
        if isinstance(value, web.FileField):
            return value.filename
        return None

    def chat_id(self, key: str = "chat_id") -> int:
        value = self.raw.get(key)
        if value is None or value == "":
            raise _error(400, "Bad Request: chat_id is empty")
        chat_id = self.integer(key)
        if chat_id is None:  # "@channelusername": no such chats here
            raise _error(400, "Bad Request: chat not found")
        return chat_id


def _markup_key(markup: Any) -> str | None:
    """A comparable form of a reply_markup: only inline keyboards stay on a message."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    return json.dumps(markup, sort_keys=True, ensure_ascii=False)


class _Stored(NamedTuple):
    message_id: int
    kind: str  # "text", "caption" or "media"
    text: str | None
    markup: str | None  # _markup_key


class FakeBotApi:
    """The server; `async with FakeBotApi(config) as server:` runs it on `server.url`."""

    def __init__(self, config: FakeBotApiConfig | None = None) -> None:
        self.config = config or FakeBotApiConfig()
        self.counters = FakeCounters()
        self.delivered: list[Delivery] = []
        self.answered_queries: dict[str, str | None] = {}  # callback query id -> its toast
        self.webhook_url = ""
        self._rng = random.Random(self.config.seed)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._window: deque[float] = deque()  # monotonic times of sends in the global window
        self._chat_window: dict[int, tuple[float, ...]] = {}
        self._last_sweep = time.monotonic()
        self._messages: dict[int, tuple[_Stored, ...]] = {}
        self._texts: dict[str, str] = {}
        self._user: dict[str, Any] | None = None
        self._last_token = "100000001:"  # getMe's id when any token is accepted
        self._record: TextIO | None = None
        self._runner: web.AppRunner | None = None
        self.url = ""
        self._updates: list[dict[str, Any]] = []  # queued for getUpdates (long polling)
        self._update_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self.app = self._build_app()

    # ---------------------------------------------------------------- life cycle

    async def start(self) -> str:
        if self.config.record_path is not None:
            self._record = _open_record(self.config.record_path)
        self._runner = web.AppRunner(
            self.app, access_log=None, shutdown_timeout=self.config.shutdown_timeout
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.config.host, self.config.port)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._record is not None:
            self._record.close()
            self._record = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def reset(self) -> None:
        """Forget everything of the previous run: records, counters, windows, messages."""
        self.counters = FakeCounters()
        self.delivered = []
        self.answered_queries = {}
        self.webhook_url = ""
        self._rng = random.Random(self.config.seed)
        self._window.clear()
        self._chat_window.clear()
        self._messages.clear()
        self._texts.clear()
        if self._record is not None:
            self._record.seek(0)
            self._record.truncate()
            self._record.flush()

    # ---------------------------------------------------------------- long polling

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update (a dict in Bot API form, without update_id) for getUpdates."""
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **update})
        self._new_update.set()
        return update_id

    async def _long_poll(self, params: _Params) -> list[dict[str, Any]]:
        offset = params.integer("offset") or 0
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._new_update.clear()
            timeout = min(float(params.text("timeout") or 0), 1.0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        return list(self._updates[:100])

    # ---------------------------------------------------------------- what was delivered

    def per_chat(self, chat_id: int) -> list[Delivery]:
        return [record for record in self.delivered if record.chat_id == chat_id]

    def duplicates(self) -> int:
        """Extra copies: deliveries of a text to a chat that already had that text."""
        return count_duplicates(self.delivered)

    def forget(self, chat_id: int) -> None:
        """Drop the messages kept for a chat (a load generator done with that user)."""
        self._messages.pop(chat_id, None)
        self._chat_window.pop(chat_id, None)

    def buttons(self, chat_id: int) -> list[tuple[int, str, str]]:
        """(message_id, label, callback_data) of the inline buttons on the kept messages of a
        chat, the newest message first, as a person would look for one to press."""
        found = []
        for stored in reversed(self._messages.get(chat_id, ())):
            if stored.markup is None:
                continue
            for row in json.loads(stored.markup)["inline_keyboard"]:
                for button in row:
                    if "callback_data" in button:
                        found.append((stored.message_id, button["text"], button["callback_data"]))
        return found

    def button(self, chat_id: int, label: str) -> tuple[int, str] | None:
        """(message_id, callback_data) of the newest inline button with this label, or None."""
        for message_id, text, data in self.buttons(chat_id):
            if text == label:
                return message_id, data
        return None

    def stored_text(self, chat_id: int, message_id: int) -> str | None:
        """The current text (or caption) of a kept message, as edits left it."""
        stored = self._find(chat_id, message_id)
        return stored.text if stored else None

    # ---------------------------------------------------------------- HTTP

    def _build_app(self) -> web.Application:
        app = web.Application(client_max_size=_MAX_BODY)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/_fake/stats", self._stats)
        app.router.add_post("/_fake/reset", self._reset)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        return app

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response({**self.counters.as_dict(), "duplicates": self.duplicates()})

    async def _reset(self, request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"ok": True})

    async def _not_found(self, request: web.Request) -> web.Response:
        self.counters.not_found += 1
        return _json(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        counters = self.counters
        counters.requests += 1
        counters.in_flight += 1
        counters.max_in_flight = max(counters.max_in_flight, counters.in_flight)
        try:
            return await self._respond(request)
        finally:
            counters.in_flight -= 1

    async def _respond(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        if not _TOKEN_RE.fullmatch(token):
            self.counters.not_found += 1
            return _json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        if self.config.token is not None and token != self.config.token:
            self.counters.unauthorized += 1
            return _json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        self._last_token = token
        method = _CANONICAL.get(request.match_info["method"].lower())
        if method is None:
            self.counters.not_found += 1
            return _json(
                404,
                {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
            )
        params = await _read_params(request)
        if method == "getUpdates":
            return _json(200, {"ok": True, "result": await self._long_poll(params)})

        fault = self._draw_fault(method)
        faults = self.config.faults
        if fault == "error":
            return self._server_error()
        if fault == "slow":
            self.counters.slow += 1
            await asyncio.sleep(faults.slow_delay)
            if request.transport is None or request.transport.is_closing():
                self.counters.abandoned += 1  # the client gave up before Telegram handled it
                return self._server_error(count=False)

        status, payload = self.call(method, params)

        if fault == "slow_delivered" and status == 200:  # a refusal (429, 403) is not delivered
            self.counters.slow += 1
            self.counters.slow_delivered += 1
            await asyncio.sleep(faults.slow_delivered_delay)
        return _json(status, payload)

    def _draw_fault(self, method: str) -> str | None:
        faults = self.config.faults
        if method not in faults.methods:
            return None
        if not (faults.error_rate or faults.slow_rate or faults.slow_delivered_rate):
            return None
        draw = self._rng.random()
        for name, rate in (
            ("error", faults.error_rate),
            ("slow", faults.slow_rate),
            ("slow_delivered", faults.slow_delivered_rate),
        ):
            if draw < rate:
                return name
            draw -= rate
        return None

    def _server_error(self, *, count: bool = True) -> web.Response:
        faults = self.config.faults
        code = self._rng.choice(faults.error_codes) if faults.error_codes else 500
        if count:
            self.counters.server_errors += 1
        reason = _REASONS.get(code, "Internal Server Error")
        if faults.html_errors:
            page = (
                f"<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n"
                f"<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
                "</body>\r\n</html>\r\n"
            )
            return web.Response(status=code, text=page, content_type="text/html")
        return _json(code, {"ok": False, "error_code": code, "description": reason})

    # ---------------------------------------------------------------- the Bot API itself

    def webhook_reply(self, body: bytes | str) -> tuple[int, dict[str, Any]] | None:
        """What Telegram does with the body of a webhook's 200: a JSON object with "method"
        is executed as that call (its result goes nowhere). None when there was no method."""
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("method"), str):
            return None
        method = payload.pop("method")
        return self.call(method, payload)

    def call(self, method: str, values: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API call without HTTP: (status, Telegram's JSON answer).

        `values` are as the client sent them (strings, complex values JSON-encoded) or as a
        JSON body would carry them. Limits and records apply; faults do not.
        """
        params = values if isinstance(values, _Params) else _Params(values)
        canonical = _CANONICAL.get(method.lower())
        try:
            if canonical is None:
                raise _error(404, "Not Found: method not found")
            result = getattr(self, f"_api_{canonical}")(params)
        except _ApiError as exc:
            counter = {
                400: "bad_requests",
                403: "forbidden",
                404: "not_found",
                429: "rate_limited",
            }.get(exc.status)
            if counter:
                setattr(self.counters, counter, getattr(self.counters, counter) + 1)
            if exc.status != 429:
                said = f"{method}: {exc.description}"
                self.counters.refusals[said] = self.counters.refusals.get(said, 0) + 1
            answer: dict[str, Any] = {
                "ok": False,
                "error_code": exc.status,
                "description": exc.description,
            }
            if exc.parameters:
                answer["parameters"] = exc.parameters
            return exc.status, answer
        return 200, {"ok": True, "result": result}

    def _bot_user(self) -> dict[str, Any]:
        token = self.config.token or self._last_token
        if self._user is not None and self._user["id"] == int(token.split(":", 1)[0]):
            return self._user
        self._user = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": self.config.bot_first_name,
            "username": self.config.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        return self._user

    def _api_getMe(self, params: _Params) -> Any:
        return self._bot_user()

    def _api_sendMessage(self, params: _Params) -> Any:
        chat_id = params.chat_id()
        text = params.text("text")
        if not text:
            raise _error(400, "Bad Request: message text is empty")
        self._admit(chat_id, params)
        message = self._deliver(chat_id, "sendMessage", text, "text", params)
        message["text"] = text
        if entities := params.structure("entities"):
            message["entities"] = entities
        return message

    def _api_sendPhoto(self, params: _Params) -> Any:
        return self._send_media(params, "sendPhoto", "photo")

    def _api_sendDocument(self, params: _Params) -> Any:
        return self._send_media(params, "sendDocument", "document")

    def _send_media(self, params: _Params, method: str, key: str) -> Any:
        chat_id = params.chat_id()
        if not params.raw.get(key):
            raise _error(400, f"Bad Request: there is no {key} in the request")
        caption = params.text("caption") or None
        self._admit(chat_id, params)
        message = self._deliver(chat_id, method, caption, "caption", params)
        file_id = self._file_id(params.text(key))
        unique = f"U{file_id}"
        if key == "photo":
            message["photo"] = [
                {"file_id": file_id, "file_unique_id": unique, "width": 90, "height": 90}
            ]
        else:
            document: dict[str, Any] = {"file_id": file_id, "file_unique_id": unique}
            if name := params.file_name(key):
                document["file_name"] = name
            message["document"] = document
        if caption is not None:
            message["caption"] = caption
            if entities := params.structure("caption_entities"):
                message["caption_entities"] = entities
        return message

    def _file_id(self, given: str | None) -> str:
        if given and not given.startswith(("attach://", "http://", "https://")):
            return given  # a file_id sent again
        return f"FAKE{next(self._file_ids):08d}"

    def _api_sendLocation(self, params: _Params) -> Any:
        chat_id = params.chat_id()
        location = {"latitude": params.number("latitude"), "longitude": params.number("longitude")}
        self._admit(chat_id, params)
        message = self._deliver(chat_id, "sendLocation", None, "media", params)
        message["location"] = location
        return message

    def _api_sendVenue(self, params: _Params) -> Any:
        chat_id = params.chat_id()
        location = {"latitude": params.number("latitude"), "longitude": params.number("longitude")}
        title, address = params.text("title"), params.text("address")
        if not title or not address:
            raise _error(400, "Bad Request: venue title and address must be non-empty")
        self._admit(chat_id, params)
        message = self._deliver(chat_id, "sendVenue", title, "media", params)
        message["venue"] = {"location": location, "title": title, "address": address}
        message["location"] = location
        return message

    def _api_copyMessage(self, params: _Params) -> Any:
        chat_id = params.chat_id()
        source = self._find(
            params.chat_id("from_chat_id"),
            params.integer("message_id", required="Bad Request: message_id is empty") or 0,
        )
        if source is None:
            raise _error(400, "Bad Request: message to copy not found")
        self._admit(chat_id, params)
        message = self._deliver(chat_id, "copyMessage", source.text, source.kind, params)
        return {"message_id": message["message_id"]}

    def _api_editMessageText(self, params: _Params) -> Any:
        text = params.text("text")
        if not text:
            raise _error(400, "Bad Request: message text is empty")
        if params.text("inline_message_id"):
            return True
        chat_id, stored = self._to_edit(params)
        if stored.kind != "text":
            raise _error(400, "Bad Request: there is no text in the message to edit")
        markup = _markup_key(params.structure("reply_markup"))
        if stored.text == text and stored.markup == markup:
            raise _error(400, NOT_MODIFIED)
        self._replace(chat_id, stored._replace(text=self._intern(text), markup=markup))
        message = self._message(chat_id, stored.message_id, params.structure("reply_markup"))
        message["text"] = text
        message["edit_date"] = int(time.time())
        return message

    def _api_editMessageReplyMarkup(self, params: _Params) -> Any:
        if params.text("inline_message_id"):
            return True
        chat_id, stored = self._to_edit(params)
        markup = _markup_key(params.structure("reply_markup"))
        if stored.markup == markup:
            raise _error(400, NOT_MODIFIED)
        self._replace(chat_id, stored._replace(markup=markup))
        message = self._message(chat_id, stored.message_id, params.structure("reply_markup"))
        if stored.kind == "text":
            message["text"] = stored.text
        elif stored.text is not None and stored.kind == "caption":
            message["caption"] = stored.text
        message["edit_date"] = int(time.time())
        return message

    def _api_deleteMessage(self, params: _Params) -> Any:
        chat_id = params.chat_id()
        message_id = params.integer("message_id", required="Bad Request: message_id is empty")
        kept = self._messages.get(chat_id, ())
        rest = tuple(stored for stored in kept if stored.message_id != message_id)
        if len(rest) == len(kept):
            raise _error(400, "Bad Request: message to delete not found")
        self._messages[chat_id] = rest
        return True

    def _api_answerCallbackQuery(self, params: _Params) -> Any:
        query_id = params.text("callback_query_id")
        if not query_id or query_id in self.answered_queries:  # Telegram takes one answer
            raise _error(400, "Bad Request: query is too old and response timeout expired")
        self.answered_queries[query_id] = params.text("text")
        return True

    def _api_setWebhook(self, params: _Params) -> Any:
        self.webhook_url = params.text("url") or ""
        return True

    def _api_deleteWebhook(self, params: _Params) -> Any:
        self.webhook_url = ""
        return True

    def _api_getWebhookInfo(self, params: _Params) -> Any:
        return {"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": 0}

    def _api_setMyCommands(self, params: _Params) -> Any:
        commands = params.structure("commands")
        if not isinstance(commands, list):
            raise _error(400, "Bad Request: commands must be an array")
        return True

    def _api_deleteMyCommands(self, params: _Params) -> Any:
        return True

    def _api_setChatMenuButton(self, params: _Params) -> Any:
        return True

    # ---------------------------------------------------------------- limits and records

    def _admit(self, chat_id: int, params: _Params) -> None:
        """Refuse a send as Telegram would (403, 429), or count it in the windows."""
        if chat_id in self.config.blocked:
            raise _error(403, "Forbidden: bot was blocked by the user")
        limits = self.config.limits
        now = time.monotonic()
        horizon = now - limits.window
        window = self._window
        while window and window[0] <= horizon:
            window.popleft()
        recent = tuple(t for t in self._chat_window.get(chat_id, ()) if t > horizon)
        waits: list[float] = []
        global_rate = (
            limits.paid_rate if params.flag("allow_paid_broadcast") else limits.global_rate
        )
        if global_rate and len(window) >= global_rate:
            waits.append(window[len(window) - global_rate] - horizon)
        chat_limited = bool(limits.per_chat_rate) and len(recent) >= limits.per_chat_rate
        if chat_limited:
            waits.append(recent[len(recent) - limits.per_chat_rate] - horizon)
        if waits:
            if chat_limited:
                self.counters.rate_limited_chat += 1
            retry_after = max(1, math.ceil(max(waits)))
            raise _error(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )
        window.append(now)
        if limits.per_chat_rate:
            self._chat_window[chat_id] = (*recent, now)  # fewer than per_chat_rate before
        if now - self._last_sweep > max(limits.window, 1.0) * 10:
            self._sweep(horizon)
            self._last_sweep = now

    def _sweep(self, horizon: float) -> None:
        stale = [chat for chat, times in self._chat_window.items() if times[-1] <= horizon]
        for chat in stale:
            del self._chat_window[chat]

    def _deliver(
        self, chat_id: int, method: str, text: str | None, kind: str, params: _Params
    ) -> dict[str, Any]:
        message_id = next(self._message_ids)
        stamp = time.time()
        text = self._intern(text)
        self.delivered.append(Delivery(chat_id, method, text, stamp, message_id))
        self.counters.delivered += 1
        if self._record is not None:
            line = json.dumps(
                {
                    "chat_id": chat_id,
                    "method": method,
                    "text": text,
                    "ts": stamp,
                    "message_id": message_id,
                },
                ensure_ascii=False,
            )
            self._record.write(line + "\n")
            self._record.flush()
        keep = self.config.keep_per_chat
        markup = params.structure("reply_markup")
        if keep > 0:
            kept = self._messages.get(chat_id, ())
            entry = _Stored(message_id, kind, text, _markup_key(markup))
            self._messages[chat_id] = (*(kept[-(keep - 1) :] if keep > 1 else ()), entry)
        return self._message(chat_id, message_id, markup, int(stamp))

    def _message(
        self, chat_id: int, message_id: int, markup: Any, date: int | None = None
    ) -> dict[str, Any]:
        if chat_id > 0:
            chat: dict[str, Any] = {"id": chat_id, "type": "private"}
        else:
            chat = {
                "id": chat_id,
                "type": "supergroup" if chat_id < -1_000_000_000_000 else "group",
                "title": f"Chat {chat_id}",
            }
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": date if date is not None else int(time.time()),
            "chat": chat,
            "from": self._bot_user(),
        }
        if _markup_key(markup) is not None:
            message["reply_markup"] = markup
        return message

    def _intern(self, text: str | None) -> str | None:
        if text is None:
            return None
        shared = self._texts.get(text)
        if shared is not None:
            return shared
        if len(self._texts) < _INTERN_LIMIT:
            self._texts[text] = text
        return text

    def _find(self, chat_id: int, message_id: int) -> _Stored | None:
        for stored in self._messages.get(chat_id, ()):
            if stored.message_id == message_id:
                return stored
        return None

    def _to_edit(self, params: _Params) -> tuple[int, _Stored]:
        chat_id = params.chat_id()
        message_id = params.integer("message_id", required="Bad Request: message_id is empty")
        stored = self._find(chat_id, message_id or 0)
        if stored is None:
            raise _error(400, "Bad Request: message to edit not found")
        return chat_id, stored

    def _replace(self, chat_id: int, new: _Stored) -> None:
        self._messages[chat_id] = tuple(
            new if stored.message_id == new.message_id else stored
            for stored in self._messages[chat_id]
        )


async def _read_params(request: web.Request) -> _Params:
    if request.method == "GET":
        return _Params(request.query)
    if request.content_type == "application/json":
        body = await request.json()
        return _Params(body if isinstance(body, dict) else {})
    return _Params(await request.post())


def _open_record(path: Path | str) -> TextIO:
    # Small writes, flushed per line: another process may read them after a kill.
    return Path(path).open("w", encoding="utf-8")


def _json(status: int, payload: dict[str, Any]) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(payload, ensure_ascii=False).encode(),
        content_type="application/json",
    )


# -------------------------------------------------------------------- records in files


def count_duplicates(records: Iterable[Delivery]) -> int:
    """Extra copies: for each (chat, text) delivered n > 1 times, n - 1."""
    seen = Counter((record.chat_id, record.text) for record in records)
    return sum(count - 1 for count in seen.values() if count > 1)


def read_records(path: Path | str) -> Iterator[Delivery]:
    """The records a standalone server wrote; a torn last line (killed mid-write) is skipped."""
    with Path(path).open(encoding="utf-8") as lines:
        for line in lines:
            try:
                data = json.loads(line)
            except ValueError:
                continue
            yield Delivery(
                data["chat_id"], data["method"], data["text"], data["ts"], data["message_id"]
            )


def read_chat_ids(path: Path | str) -> frozenset[int]:
    """Chat ids, one a line; blank lines and `#` comments are skipped."""
    ids = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            ids.add(int(line))
    return frozenset(ids)


# -------------------------------------------------------------------- standalone


def build_parser() -> argparse.ArgumentParser:
    limits, faults = FakeLimits(), FakeFaults()
    parser = argparse.ArgumentParser(
        prog="python -m bot.testing.fake_bot_api", description="A fake Telegram Bot API server."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0: any free port")
    parser.add_argument("--token", help="the one token accepted (default: any)")
    parser.add_argument("--rate", type=int, default=limits.global_rate, help="sends per window")
    parser.add_argument("--paid-rate", type=int, default=limits.paid_rate)
    parser.add_argument("--per-chat-rate", type=int, default=limits.per_chat_rate)
    parser.add_argument("--window", type=float, default=limits.window, help="seconds")
    parser.add_argument("--blocked", type=int, action="append", default=[], help="a chat id")
    parser.add_argument("--blocked-file", type=Path, help="chat ids, one a line")
    parser.add_argument("--error-rate", type=float, default=faults.error_rate)
    parser.add_argument(
        "--error-codes",
        default=",".join(map(str, faults.error_codes)),
        help="comma-separated 5xx codes",
    )
    parser.add_argument("--html-errors", action="store_true", help="5xx as nginx HTML pages")
    parser.add_argument("--slow-rate", type=float, default=faults.slow_rate)
    parser.add_argument("--slow-delay", type=float, default=faults.slow_delay)
    parser.add_argument("--slow-delivered-rate", type=float, default=faults.slow_delivered_rate)
    parser.add_argument("--slow-delivered-delay", type=float, default=faults.slow_delivered_delay)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--record", type=Path, help="JSON lines, one per delivered message")
    parser.add_argument("--keep-per-chat", type=int, default=3)
    return parser


def config_from_args(argv: list[str] | None = None) -> FakeBotApiConfig:
    args = build_parser().parse_args(argv)
    blocked = set(args.blocked)
    if args.blocked_file:
        blocked |= read_chat_ids(args.blocked_file)
    return FakeBotApiConfig(
        token=args.token,
        host=args.host,
        port=args.port,
        limits=FakeLimits(
            global_rate=args.rate,
            paid_rate=args.paid_rate,
            per_chat_rate=args.per_chat_rate,
            window=args.window,
        ),
        faults=FakeFaults(
            error_rate=args.error_rate,
            error_codes=tuple(int(code) for code in args.error_codes.split(",") if code.strip()),
            html_errors=args.html_errors,
            slow_rate=args.slow_rate,
            slow_delay=args.slow_delay,
            slow_delivered_rate=args.slow_delivered_rate,
            slow_delivered_delay=args.slow_delivered_delay,
        ),
        blocked=frozenset(blocked),
        seed=args.seed,
        record_path=args.record,
        keep_per_chat=args.keep_per_chat,
    )


async def serve(config: FakeBotApiConfig) -> FakeCounters:
    """Run until SIGTERM or SIGINT; the URL is the first line on stdout."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with FakeBotApi(config) as server:
        print(server.url, flush=True)
        settling = asyncio.create_task(_keep_heap_settled())
        await stop.wait()
        settling.cancel()
    return server.counters


async def _keep_heap_settled(every: float = 2.0) -> None:
    """The records only grow: a full collection would walk all of them and stall the server for
    longer each time, and requests that queued meanwhile would arrive at the rate limiter in a
    bunch. Collect what is new every few seconds and freeze what survived (gc.freeze)."""
    while True:
        await asyncio.sleep(every)
        gc.collect()
        gc.freeze()


def main(argv: list[str] | None = None) -> int:
    config = config_from_args(argv)
    counters = asyncio.run(serve(config))
    print(json.dumps(counters.as_dict()), file=sys.stderr, flush=True)
    return 0


__all__ = [
    "SEND_METHODS",
    "Delivery",
    "FakeBotApi",
    "FakeBotApiConfig",
    "FakeCounters",
    "FakeFaults",
    "FakeLimits",
    "count_duplicates",
    "read_chat_ids",
    "read_records",
]

if __name__ == "__main__":
    sys.exit(main())
