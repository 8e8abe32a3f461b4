"""The webhook's request body, read within a time and a size, parsed within bounds.

A client that sends its body slowly is cut off after `read_timeout` (408), one that sends too
much after `max_bytes` (413). The JSON must be an object with an update_id; every integer in
it must fit a signed 64-bit column (Telegram's ids do; a bigger one would overflow
PostgreSQL's BIGINT further on), no NaN or infinities, and nesting at most `max_depth` deep
(Telegram's updates are about ten levels; the parser's own recursion limit is met first for
a 100,000-deep body, and is refused the same way). Anything else is a 400: nothing handled.
"""

from __future__ import annotations

import asyncio
import json
import math
from dataclasses import dataclass
from typing import Any

from aiohttp import web

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True, slots=True)
class BodyLimits:
    max_bytes: int = 1024 * 1024  # Telegram's updates are a few kilobytes
    read_timeout: float = 10.0  # from the handler's start to the body's last byte
    # A connection that sends no complete request (nothing, or headers a byte at a time) or
    # sits idle between requests is closed after this (aiohttp's keep-alive timeout).
    idle_timeout: float = 15.0
    # After a refusal, how long the rest of an unread body is taken and dropped before the
    # connection closes (aiohttp's lingering time, 10 s by default).
    linger: float = 1.0
    max_depth: int = 64


class BadBody(Exception):
    """The request is refused with `status`; `reason` is the answer's text."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def read_update(request: web.Request, limits: BodyLimits) -> dict[str, Any]:
    """The update as a JSON object with a valid update_id, or BadBody."""
    return with_update_id(await read_object(request, limits))


async def read_object(request: web.Request, limits: BodyLimits) -> dict[str, Any]:
    """The body as a JSON object within bounds (MAX's updates have no update_id), or BadBody."""
    declared = request.content_length
    if declared is not None and declared > limits.max_bytes:
        raise BadBody(413, f"an update is at most {limits.max_bytes} bytes")
    try:
        async with asyncio.timeout(limits.read_timeout):
            body = await _read(request, limits.max_bytes)
    except TimeoutError:
        raise BadBody(408, "the body did not arrive in time") from None
    return parse_object(body, limits.max_depth)


async def _read(request: web.Request, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.content.readany():
        size += len(chunk)
        if size > max_bytes:
            raise BadBody(413, f"an update is at most {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_object(body: bytes, max_depth: int) -> dict[str, Any]:
    try:
        payload = json.loads(
            body, parse_int=_int64, parse_float=_finite, parse_constant=_no_constant
        )
    except RecursionError:
        raise BadBody(400, "JSON nested too deep") from None
    except ValueError:  # UnicodeDecodeError, JSONDecodeError and the bounds above
        raise BadBody(400, "expected a JSON update within bounds") from None
    if not isinstance(payload, dict):
        raise BadBody(400, "expected a JSON object")
    if depth(payload, max_depth) > max_depth:
        raise BadBody(400, f"JSON nested deeper than {max_depth}")
    return payload


def with_update_id(payload: dict[str, Any]) -> dict[str, Any]:
    update_id = payload.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool) or update_id < 0:
        raise BadBody(400, "expected a JSON update with an update_id")
    return payload


def _int64(text: str) -> int:
    if len(text) > 20:  # before int(): a 4,000-digit number costs time to convert
        raise ValueError("integer out of range")
    value = int(text)
    if not INT64_MIN <= value <= INT64_MAX:
        raise ValueError("integer out of range")
    return value


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def depth(value: Any, limit: int) -> int:
    """How deep objects and arrays nest (iteratively; stops counting past `limit`)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest
