"""Groups and channels: the bot serves private chats; commands there get a short pointer."""

from __future__ import annotations

from aiogram.types import Message

from bot.telegram.i18n import Translator
from handlers.filters import PrivateChat, SlashText
from handlers.routes import Routes

router = Routes("groups")
router.filter("message", PrivateChat(False))


@router.message(SlashText())
async def command_in_group(message: Message, t: Translator) -> None:
    await message.reply(t("group-private-only"))


@router.message()
async def ignore_group_chatter(message: Message) -> None:
    """Everything else said in a group is not for us."""
