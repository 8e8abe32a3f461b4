"""A fake MAX Bot API server for tests (and, later, benches), beside the fake Telegram one.

The bot reaches it as it reaches platform-api2.max.ru: the token in the `Authorization` header,
JSON bodies. Every request body is validated with maxapi's models (bot/max/bodies.py builds
the envelopes from them, with unknown fields refused) and MAX's limits; answers are maxapi's
models dumped as JSON, so the transport reads them as it reads MAX's. It records what each
chat was sent, runs MAX's two-step upload (a fresh file is `attachment.not.ready` the first
time it is attached), refuses blocked users with 403 and answers 429 while `rate_limited`.
MAX's request limit, faults, counters and the standalone process: bot/testing/fake_max_limits.py.

`message_created`, `message_callback` and `bot_started` updates, in MAX's shapes, come from
`text_update`, `press_update`, `start_update` (a press on a button of the message shown);
`feed.push(update)` queues one for `GET /updates` (long polling), and `feed.subscriptions`
holds what `POST /subscriptions` set.

    async with FakeMaxApi(token="max-token") as server:
        session = MaxSession("max-token", ids, api_url=server.url)
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from maxapi.enums.chat_type import ChatType
from maxapi.enums.update import UpdateType
from maxapi.enums.upload_type import UploadType
from maxapi.types.attachments import (
    AttachmentButton,
    AttachmentUpload,
    ButtonsPayload,
    CallbackButton,
    File,
    Image,
    LinkButton,
    OtherAttachmentPayload,
    PhotoAttachmentPayload,
    RequestContactButton,
    RequestGeoLocationButton,
)
from maxapi.types.callback import Callback
from maxapi.types.message import MarkupElement, Message, MessageBody, Recipient
from maxapi.types.subscription import Subscription
from maxapi.types.updates.bot_started import BotStarted
from maxapi.types.updates.message_callback import MessageCallback
from maxapi.types.updates.message_created import MessageCreated
from maxapi.types.users import User
from pydantic import BaseModel, ValidationError

from bot.max.bodies import CallbackAnswerBody, NewMessageBody
from bot.max.html import KEPT
from bot.max.markup import max_markup
from bot.telegram.html import TelegramHtmlError, parse_html
from bot.testing.fake_max_limits import FakeMaxFaults, FakeMaxLimits, LimitsAndCounters, main

BOT_ID = 200000001
DIALOG_OFFSET = 7_000_000_000  # a dialog's chat id differs from its person's user id, as in MAX
MAX_BUTTONS, MAX_ROWS, MAX_IN_ROW, MAX_SPECIAL_IN_ROW = 210, 30, 7, 3
SPECIAL = (LinkButton, RequestGeoLocationButton, RequestContactButton)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")


@dataclass
class Shown:
    """A message the bot sent, as the chat shows it now."""

    mid: str
    user_id: int
    text: str | None
    format: str | None
    keyboard: ButtonsPayload | None = None
    files: list[str] = field(default_factory=list)  # file names (or "image")
    deleted: bool = False
    edits: int = 0
    markup: list[MarkupElement] = field(default_factory=list)  # the text's formatting

    def labels(self) -> list[str]:
        if self.keyboard is None:
            return []
        return [button.text for row in self.keyboard.buttons for button in row]


class Failure(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class FakeMaxApi(LimitsAndCounters):
    def __init__(
        self,
        token: str = "max-token",
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        limits: FakeMaxLimits | None = None,
        faults: FakeMaxFaults | None = None,
        record_path: Path | None = None,
    ) -> None:
        self.token = token
        self.host, self.port = host, port
        self.url = ""
        self.requests: list[tuple[str, str, dict[str, str], Any]] = []  # method, path, query, body
        self.messages: dict[str, Shown] = {}
        self.answers: dict[str, CallbackAnswerBody] = {}
        self.pressed: dict[str, str] = {}  # callback id -> the mid of the pressed message
        self.blocked: set[int] = set()
        self.rate_limited = 0  # the next this many API calls are answered 429
        self.uploads: dict[str, bytes] = {}  # token -> the bytes uploaded
        self.not_ready: set[str] = set()  # tokens still "processing"
        self._mids = itertools.count(1)
        self._slots = itertools.count(1)
        self._callbacks = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.app = web.Application(client_max_size=20 * 1024 * 1024)
        self._add_update_routes()
        self.app.router.add_route("*", "/{path:.*}", self._handle)
        self._bench_setup(limits, faults, record_path)

    async def __aenter__(self) -> FakeMaxApi:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._record is not None:
            self._record.close()

    # ---------------------------------------------------------------- what chats show

    def chat(self, user_id: int) -> list[Shown]:
        return [m for m in self.messages.values() if m.user_id == user_id and not m.deleted]

    def texts(self, user_id: int) -> list[str]:
        return [m.text or "" for m in self.chat(user_id)]

    def last(self, user_id: int) -> Shown:
        return self.chat(user_id)[-1]

    def with_button(self, user_id: int, label: str) -> Shown:
        for shown in reversed(self.chat(user_id)):
            if label in shown.labels():
                return shown
        raise LookupError(f"no button {label!r} in chat {user_id}: {self.texts(user_id)}")

    # ---------------------------------------------------------------- updates, as MAX sends them

    def user(self, user_id: int, first_name: str = "Анна") -> User:
        return User(user_id=user_id, first_name=first_name, is_bot=False)

    def text_update(self, user_id: int, text: str, locale: str = "ru") -> dict[str, Any]:
        message = Message(
            sender=self.user(user_id),
            recipient=Recipient(
                chat_id=DIALOG_OFFSET + user_id, chat_type=ChatType.DIALOG, user_id=BOT_ID
            ),
            timestamp=_now(),
            body=MessageBody(mid=self._mid(), seq=0, text=text),
        )
        return _dump(MessageCreated(timestamp=_now(), message=message, user_locale=locale))

    def press_update(self, user_id: int, label: str, locale: str = "ru") -> dict[str, Any]:
        shown = self.with_button(user_id, label)
        button = next(b for row in shown.keyboard.buttons for b in row if b.text == label)
        if not isinstance(button, CallbackButton):
            raise LookupError(f"{label!r} is not a callback button")
        return self.callback_update(user_id, shown, button.payload, locale)

    def callback_update(
        self, user_id: int, shown: Shown, payload: str | None, locale: str = "ru"
    ) -> dict[str, Any]:
        """A press with this payload on a button of `shown` (a stale or forged one too)."""
        callback = Callback(
            timestamp=_now(),
            callback_id=f"cb{next(self._callbacks)}",
            payload=payload,
            user=self.user(user_id),
        )
        update = MessageCallback(
            timestamp=_now(), message=self._as_message(shown), callback=callback, user_locale=locale
        )
        self.pressed[callback.callback_id] = shown.mid
        return _dump(update)

    def message_update(
        self,
        user_id: int,
        text: str | None,
        attachments: list[Any],
        locale: str = "ru",
        markup: list[MarkupElement] | None = None,
    ) -> dict[str, Any]:
        """A message the person sends with attachments (location, contact, file, image) and
        the text's formatting."""
        message = Message(
            sender=self.user(user_id),
            recipient=Recipient(
                chat_id=DIALOG_OFFSET + user_id, chat_type=ChatType.DIALOG, user_id=BOT_ID
            ),
            timestamp=_now(),
            body=MessageBody(
                mid=self._mid(), seq=0, text=text, markup=markup or [], attachments=attachments
            ),
        )
        return _dump(MessageCreated(timestamp=_now(), message=message, user_locale=locale))

    def user_file(self, data: bytes) -> tuple[str, str]:
        """A file a person sends: its token and the URL MAX serves it at."""
        token = f"user-file-{next(self._slots)}"
        self.uploads[token] = data
        return token, f"{self.url}/_files/{token}"

    def start_update(
        self, user_id: int, payload: str | None = None, locale: str = "ru"
    ) -> dict[str, Any]:
        update = BotStarted(
            timestamp=_now(),
            chat_id=DIALOG_OFFSET + user_id,
            user=self.user(user_id),
            payload=payload,
            user_locale=locale,
        )
        return _dump(update)

    # ---------------------------------------------------------------- polling and webhooks

    def _add_update_routes(self) -> None:
        self.feed = UpdateFeed()
        self.app.router.add_get("/updates", self._updates_route)
        self.app.router.add_route("*", "/subscriptions", self._updates_route)

    async def _updates_route(self, request: web.Request) -> web.Response:
        try:
            if request.headers.get("Authorization") != self.token:
                raise Failure(401, "verify.token", "Invalid access_token")
            body = await request.json() if request.can_read_body else None
            self.requests.append((request.method, request.path, dict(request.query), body))
            if self.rate_limited > 0:
                self.rate_limited -= 1
                raise Failure(429, "too.many.requests", "Too many requests")
            if request.path == "/updates":
                answer = await self.feed.poll(request.query)
            elif request.method == "POST":
                answer = self.feed.subscribe(body)
            elif request.method == "GET":
                listed = self.feed.subscriptions.values()
                answer = {"subscriptions": [_dump(subscription) for subscription in listed]}
            elif request.method == "DELETE":
                self.feed.subscriptions.pop(_required(request.query, "url"), None)
                answer = {"success": True}
            else:
                raise Failure(405, "method.not.allowed", request.method)
        except Failure as failure:
            return web.json_response(
                {"code": failure.code, "message": failure.message}, status=failure.status
            )
        return web.json_response(answer)

    # ---------------------------------------------------------------- the API

    async def _handle(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        body: Any = None
        try:
            if path.startswith("/_upload/"):
                return web.json_response(await self._upload(request, path))
            if path.startswith("/_files/") and path[8:] in self.uploads:
                return web.Response(body=self.uploads[path[8:]])
            if request.headers.get("Authorization") != self.token:
                raise Failure(401, "verify.token", "Invalid access_token")
            if request.can_read_body:
                body = await request.json()
            self.requests.append((request.method, path, dict(request.query), body))
            if self.rate_limited > 0:
                self.rate_limited -= 1
                raise Failure(429, "too.many.requests", "Too many requests")
            answer = self._route(request.method, path, request.query, body)
        except Failure as failure:
            return web.json_response(
                {"code": failure.code, "message": failure.message}, status=failure.status
            )
        except ValidationError as error:
            return web.json_response(
                {"code": "proto.payload", "message": str(error)[:2000]}, status=400
            )
        return web.json_response(answer)

    def _route(self, method: str, path: str, query: Any, body: Any) -> dict[str, Any]:
        if (method, path) == ("GET", "/me"):
            return User(
                user_id=BOT_ID, first_name="Навигатор", username="edu_navigator_bot", is_bot=True
            ).model_dump(mode="json", exclude_none=True)
        if (method, path) == ("POST", "/messages"):
            return self._send(query, NewMessageBody.model_validate(body or {}))
        if (method, path) == ("PUT", "/messages"):
            return self._edit(query, NewMessageBody.model_validate(body or {}))
        if (method, path) == ("DELETE", "/messages"):
            self._existing(query).deleted = True
            return {"success": True}
        if (method, path) == ("POST", "/answers"):
            return self._answer(_required(query, "callback_id"), body)
        if (method, path) == ("POST", "/uploads"):
            kind = UploadType(_required(query, "type"))
            return {"url": f"{self.url}/_upload/{kind.value}/{next(self._slots)}"}
        raise Failure(404, "not.found", f"Path {path} is not recognized")

    def _send(self, query: Any, body: NewMessageBody) -> dict[str, Any]:
        if "chat_id" in query:
            raise Failure(400, "proto.payload", "the fake has dialogs only: address user_id")
        user_id = int(_required(query, "user_id"))
        if user_id in self.blocked:
            # MAX's own answer to a person who stopped the bot
            raise Failure(403, "chat.denied", f"Key: error.dialog.suspended, args: [{user_id},].")
        shown = Shown(mid=self._mid(), user_id=user_id, text=None, format=None)
        self._apply(shown, body)
        self.messages[shown.mid] = shown
        return {"message": _dump(self._as_message(shown))}

    def _edit(self, query: Any, body: NewMessageBody) -> dict[str, Any]:
        shown = self._existing(query)
        self._apply(shown, body)
        shown.edits += 1
        return {"success": True}

    def _answer(self, callback_id: str, body: Any) -> dict[str, Any]:
        """A press's answer; its message, if any, replaces the pressed message as an edit."""
        answer = CallbackAnswerBody.model_validate(body or {})
        if answer.message is not None:
            mid = self.pressed.get(callback_id)
            if mid is None or mid not in self.messages:
                raise Failure(404, "not.found", f"no message for callback {callback_id}")
            edit = NewMessageBody.model_validate(
                answer.message.model_dump(mode="json", exclude_none=True)
            )
            return self._edit({"message_id": mid}, edit) | self._answered(callback_id, answer)
        return self._answered(callback_id, answer)

    def _answered(self, callback_id: str, answer: CallbackAnswerBody) -> dict[str, Any]:
        self.answers[callback_id] = answer
        return {"success": True}

    def _apply(self, shown: Shown, body: NewMessageBody) -> None:
        if body.text is not None:
            shown.text, shown.markup = body.text, []
            if body.format == "html":
                _check_html(body.text)
                shown.text, shown.markup = _formatted(body.text)
            shown.format = body.format
        if body.attachments is None:
            return
        keyboards = [a for a in body.attachments if isinstance(a, AttachmentButton)]
        uploads = [a for a in body.attachments if isinstance(a, AttachmentUpload)]
        for upload in uploads:
            token = upload.payload.token
            if token not in self.uploads:
                raise Failure(400, "attachment.invalid", f"unknown token {token}")
            if token in self.not_ready:
                self.not_ready.discard(token)
                raise Failure(
                    400, "attachment.not.ready", "Key: errors.process.attachment.file.not.processed"
                )
        if len(keyboards) > 1:
            raise Failure(400, "proto.payload", "one inline keyboard a message")
        shown.keyboard = keyboards[0].payload if keyboards else None
        if shown.keyboard is not None:
            _check_keyboard(shown.keyboard)
        shown.files = [f"{u.type}:{u.payload.token}" for u in uploads]

    async def _upload(self, request: web.Request, path: str) -> dict[str, Any]:
        kind = path.split("/")[2]
        form = await request.post()
        data = form.get("data")
        if data is None or not hasattr(data, "file"):
            raise Failure(400, "upload.failed", "multipart field `data` with a file expected")
        token = f"{kind}-token-{next(self._slots)}"
        self.uploads[token] = data.file.read()
        self.not_ready.add(token)
        if kind == UploadType.IMAGE.value:
            return {"photos": {"p1": {"token": token}}}
        return {"token": token}

    def _existing(self, query: Any) -> Shown:
        shown = self.messages.get(_required(query, "message_id"))
        if shown is None or shown.deleted:
            raise Failure(404, "not.found", "Message not found")
        return shown

    def _as_message(self, shown: Shown) -> Message:
        attachments: list[Any] = []
        for name in shown.files:
            kind, token = name.split(":", 1)
            url = f"{self.url}/_files/{token}"
            if kind == UploadType.IMAGE.value:
                payload = PhotoAttachmentPayload(photo_id=1, token=token, url=url)
                attachments.append(Image(type="image", payload=payload))
            else:
                payload = OtherAttachmentPayload(url=url, token=token)
                attachments.append(
                    File(type="file", payload=payload, size=len(self.uploads.get(token, b"")))
                )
        if shown.keyboard is not None:
            attachments.append(AttachmentButton(type="inline_keyboard", payload=shown.keyboard))
        return Message(
            sender=User(user_id=BOT_ID, first_name="Навигатор", is_bot=True),
            recipient=Recipient(
                chat_id=DIALOG_OFFSET + shown.user_id,
                chat_type=ChatType.DIALOG,
                user_id=shown.user_id,
            ),
            timestamp=_now(),
            body=MessageBody(
                mid=shown.mid,
                seq=0,
                text=shown.text,
                markup=shown.markup,
                attachments=attachments,
            ),
        )

    def _mid(self) -> str:
        return f"mid.{next(self._mids):016x}"


class UpdateFeed:
    """`GET /updates` (long polling with a marker) and `/subscriptions` (the webhook), as MAX
    serves them: updates pushed by a test wait in order; a marker is the index of the next."""

    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []
        self.arrived = asyncio.Condition()
        self.subscriptions: dict[str, Subscription] = {}
        self.secrets: dict[str, str] = {}  # url -> the secret given with it
        self.polls: list[dict[str, str]] = []  # the query of each GET /updates
        self.failures = 0  # the next this many GET /updates are answered 500

    async def push(self, *updates: dict[str, Any]) -> None:
        async with self.arrived:
            self.updates.extend(updates)
            self.arrived.notify_all()

    async def poll(self, query: Any) -> dict[str, Any]:
        self.polls.append(dict(query))
        if self.failures > 0:
            self.failures -= 1
            raise Failure(500, "internal.error", "Internal error")
        marker = int(query.get("marker") or 0)
        limit = int(query.get("limit") or 100)
        timeout = int(query.get("timeout") or 30)
        if not 1 <= limit <= 1000 or not 0 <= timeout <= 90 or marker < 0:
            raise Failure(400, "proto.payload", "limit 1..1000, timeout 0..90")
        wanted = set(query.get("types", "").split(",")) - {""}
        async with self.arrived:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self.arrived.wait_for(lambda: len(self.updates) > marker), timeout
                )
        batch = self.updates[marker : marker + limit]
        shown = [u for u in batch if not wanted or u.get("update_type") in wanted]
        return {"updates": shown, "marker": marker + len(batch)}

    def subscribe(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict) or not str(body.get("url", "")).startswith("https://"):
            raise Failure(400, "proto.payload", "url: an https:// address")
        secret = body.get("secret")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9-]{5,256}", str(secret)):
            raise Failure(400, "proto.payload", "secret: 5-256 characters A-Z, a-z, 0-9, -")
        types = body.get("update_types")
        if types is not None and not set(types) <= {t.value for t in UpdateType}:
            raise Failure(400, "proto.payload", f"unknown update types {types}")
        url = body["url"]
        self.subscriptions[url] = Subscription(url=url, time=_now(), update_types=types)
        self.secrets[url] = secret or ""
        return {"success": True}


def _check_keyboard(keyboard: ButtonsPayload) -> None:
    rows = keyboard.buttons
    if len(rows) > MAX_ROWS or sum(len(row) for row in rows) > MAX_BUTTONS:
        raise Failure(400, "proto.payload", "too many buttons")
    for row in rows:
        if len(row) > MAX_IN_ROW or sum(isinstance(b, SPECIAL) for b in row) > MAX_SPECIAL_IN_ROW:
            raise Failure(400, "proto.payload", "too many buttons in a row")
        for button in row:
            if not 1 <= len(button.text) <= 64:
                raise Failure(400, "proto.payload", "button text must be 1..64 characters")
            if isinstance(button, CallbackButton) and len(button.payload or "") > 256:
                raise Failure(400, "proto.payload", "callback payload is at most 256 characters")
            if isinstance(button, LinkButton) and not (button.url or "").startswith(
                ("http://", "https://")
            ):
                raise Failure(400, "proto.payload", "link buttons need http(s) URLs")


def _check_html(text: str) -> None:
    for match in _TAG.finditer(text):
        if match.group(2).lower() not in KEPT:
            raise Failure(400, "proto.payload", f"unsupported tag <{match.group(2)}>")


def _plain(text: str) -> str:
    return html.unescape(_TAG.sub("", text))


def _formatted(text: str) -> tuple[str, list[MarkupElement]]:
    """The text MAX shows for HTML, and its markup."""
    try:
        plain, entities = parse_html(text)
    except TelegramHtmlError:  # MAX's own tags (<mark>) Telegram's parser does not know
        return _plain(text), []
    return plain, max_markup(entities)


def _required(query: Any, name: str) -> str:
    value = query.get(name)
    if not value:
        raise Failure(400, "proto.payload", f"query parameter {name} is required")
    return value


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def _now() -> int:
    return int(time.time() * 1000)


if __name__ == "__main__":
    sys.exit(main())
