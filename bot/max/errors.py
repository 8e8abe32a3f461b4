"""MAX's errors as the Telegram errors the bot already handles: a person who blocked the bot is
`TelegramForbiddenError`, too many requests `TelegramRetryAfter`, a message that is gone the
"not found" `TelegramBadRequest` aiogram-dialog expects, anything else `TelegramBadRequest`."""

from __future__ import annotations

from typing import Any

from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import DeleteMessage, TelegramMethod

from bot.max.api import MaxApiFailure

NOT_READY = "attachment.not.ready"
# MAX's codes for a dialog the person stopped or blocked, whatever the HTTP status.
BLOCKED_CODES = frozenset({"chat.denied", "dialog.suspended", "user.blocked", "access.denied"})
RETRY_AFTER_DEFAULT = 1


def telegram_error(method: TelegramMethod[Any], failure: MaxApiFailure) -> Exception:
    text = f"{failure.code}: {failure.message}"
    if failure.status == 429 or failure.code == "too.many.requests":
        retry_after = failure.retry_after or RETRY_AFTER_DEFAULT
        return TelegramRetryAfter(
            method=method,
            message=f"Too Many Requests: retry after {retry_after} ({text})",
            retry_after=retry_after,
        )
    if failure.status == 401:
        return TelegramUnauthorizedError(method=method, message=f"Unauthorized ({text})")
    if failure.status == 403 or failure.code in BLOCKED_CODES:
        return TelegramForbiddenError(method=method, message=f"Forbidden: bot was blocked ({text})")
    if failure.status == 404:
        what = "delete" if isinstance(method, DeleteMessage) else "edit"
        return TelegramBadRequest(
            method=method, message=f"Bad Request: message to {what} not found ({text})"
        )
    if failure.status >= 500:
        return TelegramServerError(method=method, message=f"Server error ({text})")
    return TelegramBadRequest(method=method, message=f"Bad Request: {text}")
