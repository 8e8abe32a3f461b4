"""MAX's errors arrive as the Telegram errors whose handling the bot already has."""

from __future__ import annotations

import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import DeleteMessage, EditMessageText, SendMessage

from bot.max.api import MaxApiFailure
from bot.max.errors import telegram_error

SEND = SendMessage(chat_id=1, text="x")
EDIT = EditMessageText(chat_id=1, message_id=5, text="x")


@pytest.mark.parametrize(
    ("failure", "twin"),
    [
        (MaxApiFailure(403, "chat.denied", "dialog suspended"), TelegramForbiddenError),
        (MaxApiFailure(400, "chat.denied", "blocked"), TelegramForbiddenError),
        (MaxApiFailure(400, "dialog.suspended", "stopped"), TelegramForbiddenError),
        (MaxApiFailure(429, "too.many.requests", "slow down"), TelegramRetryAfter),
        (MaxApiFailure(400, "attachment.not.ready", "processing"), TelegramServerError),
        (MaxApiFailure(502, "http.502", "<html>"), TelegramServerError),
        (MaxApiFailure(400, "proto.payload", "bad"), TelegramBadRequest),
    ],
)
def test_each_max_error_has_its_telegram_twin(failure, twin):
    assert type(telegram_error(SEND, failure)) is twin


def test_a_rate_limit_keeps_maxs_wait_or_takes_a_second():
    assert telegram_error(SEND, MaxApiFailure(429, "too.many.requests", "", 7)).retry_after == 7
    assert telegram_error(SEND, MaxApiFailure(429, "too.many.requests", "")).retry_after == 1


@pytest.mark.parametrize(
    "failure",
    [
        MaxApiFailure(404, "not.found", "Message not found"),
        MaxApiFailure(400, "not.found", "Unknown mid"),
        MaxApiFailure(400, "message.not.found", "Unknown mid"),
    ],
)
def test_an_unknown_mid_is_the_not_found_aiogram_dialog_expects(failure):
    edit = telegram_error(EDIT, failure)
    delete = telegram_error(DeleteMessage(chat_id=1, message_id=5), failure)
    assert type(edit) is type(delete) is TelegramBadRequest
    assert "message to edit not found" in edit.message
    assert "message to delete not found" in delete.message
