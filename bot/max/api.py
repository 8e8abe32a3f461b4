"""MAX's Bot API over HTTP: the token in the `Authorization` header, JSON in and out, and a
non-2xx answer raised as `MaxApiFailure` with MAX's own error code."""

from __future__ import annotations

import json
import ssl
from typing import Any

import aiohttp
from maxapi.client.ssl import create_default_ssl_context

# The host whose certificate is signed by the Минцифры root maxapi ships (the old
# botapi.max.ru's expires in 2026).
from bot.config import MAX_API_URL

__all__ = ["MAX_API_URL", "MaxApi", "MaxApiFailure"]


class MaxApiFailure(Exception):
    """MAX answered with an error: HTTP status, MAX's code (`attachment.not.ready`, …), text."""

    def __init__(self, status: int, code: str, message: str, retry_after: int | None = None):
        super().__init__(f"MAX {status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after


class MaxApi:
    def __init__(self, token: str, api_url: str = MAX_API_URL, timeout: float = 30.0) -> None:
        self.token = token
        self.api_url = api_url.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.session: aiohttp.ClientSession | None = None

    def ssl_context(self) -> ssl.SSLContext | bool:
        if self.api_url.startswith("https://"):
            return create_default_ssl_context()
        return False

    async def client(self) -> aiohttp.ClientSession:
        if self.session is None or self.session.closed:
            self.session = aiohttp.ClientSession(
                timeout=self.timeout,
                connector=aiohttp.TCPConnector(ssl=self.ssl_context()),
                headers={"Authorization": self.token},
            )
        return self.session

    async def close(self) -> None:
        if self.session is not None and not self.session.closed:
            await self.session.close()

    async def call(
        self,
        http_method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        client = await self.client()
        query = {k: _query_value(v) for k, v in (params or {}).items() if v is not None}
        async with client.request(
            http_method, self.api_url + path, params=query, json=body
        ) as response:
            text = await response.text()
            return _answer(response.status, response.headers.get("Retry-After"), text)

    async def upload(self, url: str, data: bytes, filename: str, content_type: str) -> dict:
        """The second step of an upload: the bytes to the URL `POST /uploads` gave."""
        client = await self.client()
        form = aiohttp.FormData(quote_fields=False)
        form.add_field("data", data, filename=filename, content_type=content_type)
        async with client.post(url, data=form) as response:
            text = await response.text()
            return _answer(response.status, response.headers.get("Retry-After"), text)


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _answer(status: int, retry_after: str | None, text: str) -> dict[str, Any]:
    try:
        parsed = json.loads(text) if text else {}
    except ValueError:
        parsed = None
    if 200 <= status < 300 and isinstance(parsed, dict):
        return parsed
    code, message = "", text[:500]
    if isinstance(parsed, dict):
        code = str(parsed.get("code") or "")
        message = str(parsed.get("message") or message)
    seconds = int(retry_after) if retry_after and retry_after.isdigit() else None
    raise MaxApiFailure(status, code or f"http.{status}", message, seconds)
