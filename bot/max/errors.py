"""MAX's errors as the Telegram errors the bot already handles: a person who blocked the bot is
`TelegramForbiddenError`, too many requests `TelegramRetryAfter`, a message that is gone (or a
mid MAX does not know) the "not found" `TelegramBadRequest` aiogram-dialog expects, a file MAX
is still processing after the session's waits `TelegramServerError` (try again later, as a
5xx), anything else `TelegramBadRequest`."""

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
# A message id MAX does not know, whatever the status.
NOT_FOUND_CODES = frozenset({"not.found", "message.not.found"})


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
    if failure.code == NOT_READY:
        return TelegramServerError(method=method, message=f"File not processed yet ({text})")
    if failure.status == 404 or failure.code in NOT_FOUND_CODES:
        what = "delete" if isinstance(method, DeleteMessage) else "edit"
        return TelegramBadRequest(
            method=method, message=f"Bad Request: message to {what} not found ({text})"
        )
    if failure.status >= 500:
        return TelegramServerError(method=method, message=f"Server error ({text})")
    return TelegramBadRequest(method=method, message=f"Bad Request: {text}")
