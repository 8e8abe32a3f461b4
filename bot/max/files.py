"""Where a file a person sent in MAX can be downloaded. A received file's aiogram `file_id` is
MAX's token (so the bot can send it on, as broadcasts do with an admin's photo), and MAX has no
call that turns a token back into a URL: the converter notes each file's URL here and the
session's `getFile` looks it up. The same process converts an update and handles it, so a
bounded memory of the latest files is enough."""

from __future__ import annotations

from collections import OrderedDict

KEPT = 10_000


class FileUrls:
    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self.urls: OrderedDict[str, str] = OrderedDict()

    def note(self, file_id: str, url: str) -> None:
        self.urls[file_id] = url
        self.urls.move_to_end(file_id)
        while len(self.urls) > self.kept:
            self.urls.popitem(last=False)

    def url(self, file_id: str) -> str | None:
        if file_id.startswith(("https://", "http://")):
            return file_id  # a file MAX gave no token for is known by its URL
        return self.urls.get(file_id)
