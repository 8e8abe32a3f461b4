"""The JSON bodies the MAX transport sends, built from maxapi's models (which describe the
parts but not these envelopes). The fake MAX server validates requests with the same models."""

from __future__ import annotations

from maxapi.enums.parse_mode import TextFormat
from maxapi.types.attachments import AttachmentButton, AttachmentUpload
from maxapi.types.message import NewMessageLink
from maxapi.types.updates.message_callback import MessageForCallback
from pydantic import BaseModel, ConfigDict, Field

MAX_TEXT = 4000  # characters, as maxapi checks before sending


class NewMessageBody(BaseModel):
    """`POST /messages` and `PUT /messages`: attachments None leaves an edited message's as they
    are, [] removes them."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, max_length=MAX_TEXT)
    attachments: list[AttachmentButton | AttachmentUpload] | None = None
    link: NewMessageLink | None = None
    notify: bool | None = None
    format: TextFormat | None = None


class CallbackAnswerBody(BaseModel):
    """`POST /answers`: a notification shown to the person who pressed, or a new message."""

    model_config = ConfigDict(extra="forbid")

    message: MessageForCallback | None = None
    notification: str | None = None


def as_json(body: BaseModel) -> dict:
    return body.model_dump(mode="json", exclude_none=True, by_alias=True)
