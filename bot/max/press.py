"""A button press's answer and the edit of the pressed message, as one MAX call.

MAX's `POST /answers` takes, beside the notification, a message body that replaces the message
the pressed button is on. A press the bot handles usually redraws that message (a dialog's next
window) and then answers (CallbackAnswers, after the handler): two calls, where MAX takes one,
against its limits of about 30 requests a second a bot and two answers a second a dialog.

`MaxFeeder` opens a `Press` for each callback update. `MaxSession` keeps the pressed message's
edit back while the press is open and sends it with the answer, which comes when the handler
is done (CallbackAnswers, or the feeder for a menu press). Messages sent meanwhile go at once:
they are new messages below, and the chat ends the same. A call that changes the pressed message
again sends the kept edit first; the feeder sends a kept edit on its own if nothing answered the
press.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from bot.max.bodies import NewMessageBody


@dataclass(slots=True)
class Press:
    callback_id: str
    mid: str | None  # the pressed message's
    edit: NewMessageBody | None = None  # the pressed message's edit, kept back
    edit_method: Any = None  # the Bot API method that asked for it (its errors are named by it)
    open: bool = True

    def keeps(self, mid: str) -> bool:
        """Whether an edit of message `mid` now waits for the answer."""
        return self.open and self.edit is None and mid == self.mid

    def answers(self, callback_id: str) -> bool:
        return self.open and callback_id == self.callback_id


PRESS: ContextVar[Press | None] = ContextVar("max_press", default=None)


def press_of(data: dict[str, Any]) -> Press | None:
    """The press a MAX update is, if it is one."""
    if data.get("update_type") != "message_callback":
        return None
    callback = data.get("callback")
    callback_id = callback.get("callback_id") if isinstance(callback, dict) else None
    if not isinstance(callback_id, str):
        return None
    message = data.get("message")
    body = message.get("body") if isinstance(message, dict) else None
    mid = body.get("mid") if isinstance(body, dict) else None
    return Press(callback_id, mid if isinstance(mid, str) else None)
