"""A user blocking or unblocking the bot in their private chat."""

from __future__ import annotations

from aiogram.filters import KICKED, MEMBER, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated

from handlers.filters import PrivateChat
from handlers.routes import Routes
from services.people.profiles import ProfileService

router = Routes("membership")
router.filter("my_chat_member", PrivateChat())


@router.my_chat_member(ChatMemberUpdatedFilter(member_status_changed=KICKED))
async def blocked(event: ChatMemberUpdated, profiles: ProfileService) -> None:
    await profiles.mark_blocked(event.from_user.id, blocked=True)


@router.my_chat_member(ChatMemberUpdatedFilter(member_status_changed=MEMBER))
async def unblocked(event: ChatMemberUpdated, profiles: ProfileService) -> None:
    await profiles.mark_blocked(event.from_user.id, blocked=False)
