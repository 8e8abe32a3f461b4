"""/mydata's block of notices to the person that the other messenger's process queued
(services/notices): what kind, when, sent or not. Nothing is shown when there are none."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.telegram.dates import when_text
from bot.telegram.i18n import Html, Translator
from services.notices.queue import KINDS, StoredNotice

WAITING = ("pending", "claimed", "sending")


def notice_blocks(t: Translator, notices: list[StoredNotice], zone: ZoneInfo) -> list[str]:
    if not notices:
        return []
    lines = []
    for notice in notices:
        kind = notice.kind if notice.kind in KINDS else "other"
        state = "waiting" if notice.state in WAITING else "done"
        lines.append(
            t(
                "privacy-notice-line",
                kind=Html(t(f"privacy-notice-{kind}")),
                when=Html(when_text(t, notice.due_at, zone)),
                state=Html(t(f"privacy-notice-{state}")),
            )
        )
    return [t("privacy-notices-title", count=len(notices)), "\n".join(lines)]
