"""The answer to a button press goes back in the webhook's HTTP reply, not as its own call.

Telegram executes a Bot API method put in the reply to a webhook request ("method" plus its
fields as JSON). The bot answers every button press (answerCallbackQuery, after its handler,
as aiogram's CallbackAnswerMiddleware does); in webhook mode that answer now rides on the reply
the bot sends anyway, which saves a Bot API request for more than half of all updates.

Telegram gives no result for such a method, which suits this one: nothing depends on it. The
press is answered when handling ends, as before; if the reply never reaches Telegram (the
connection dropped), the spinner on the button stops by itself after a few seconds.

Outside webhook handling (polling, tests, the shell) no slot is open and answers go as calls.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from aiogram.methods import AnswerCallbackQuery, TelegramMethod
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer, CallbackAnswerMiddleware


class ReplySlot:
    """Room for one method in the reply to the webhook request being handled."""

    __slots__ = ("method",)

    def __init__(self) -> None:
        self.method: TelegramMethod[Any] | None = None


REPLY_SLOT: ContextVar[ReplySlot | None] = ContextVar("webhook_reply_slot", default=None)


async def _answered_in_reply() -> bool:
    return True  # what answerCallbackQuery returns


class CallbackAnswers(CallbackAnswerMiddleware):
    """aiogram's middleware that answers every press; in webhook handling, via the reply."""

    def answer(self, event: CallbackQuery, callback_answer: CallbackAnswer) -> Any:
        method: AnswerCallbackQuery = super().answer(event, callback_answer)
        slot = REPLY_SLOT.get()
        if slot is None or slot.method is not None:
            return method
        slot.method = method
        return _answered_in_reply()
