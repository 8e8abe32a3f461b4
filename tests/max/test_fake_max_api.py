"""The fake MAX server refuses what MAX's models and limits refuse, so the transport's tests
cannot pass on bodies MAX would reject."""

from __future__ import annotations

import aiohttp
import pytest

from bot.max.html import to_max_html
from bot.testing.fake_max_api import FakeMaxApi

TOKEN = "fake-max-token"


@pytest.fixture
async def server():
    async with FakeMaxApi(token=TOKEN) as server:
        yield server


async def post(server: FakeMaxApi, body: dict, token: str = TOKEN) -> tuple[int, dict]:
    async with (
        aiohttp.ClientSession(headers={"Authorization": token}) as client,
        client.post(f"{server.url}/messages", params={"user_id": "5"}, json=body) as answer,
    ):
        return answer.status, await answer.json()


def keyboard(rows: list[list[dict]]) -> dict:
    return {"type": "inline_keyboard", "payload": {"buttons": rows}}


@pytest.mark.parametrize(
    "body",
    [
        {"text": "x", "parse_mode": "html"},  # not a field of MAX's message body
        {"text": "x", "attachments": [{"type": "sticker", "payload": {"code": "1"}}]},
        {"text": "<b>x</b> <tg-spoiler>y</tg-spoiler>", "format": "html"},
        {"attachments": [keyboard([[{"type": "callback", "text": "", "payload": "p"}]])]},
        {"attachments": [keyboard([[{"type": "callback", "text": "a", "payload": "p"}] * 8])]},
        {"attachments": [keyboard([[{"type": "link", "text": "a", "url": "https://x"}] * 4])]},
        {"attachments": [keyboard([[{"type": "link", "text": "a", "url": "ftp://x"}]])]},
        {"attachments": [{"type": "file", "payload": {"token": "never-uploaded"}}]},
        {"text": "я" * 4001},
    ],
)
async def test_bodies_max_would_refuse_are_refused(server, body):
    status, answer = await post(server, body)
    assert status == 400 and answer["code"], answer
    assert server.chat(5) == []


async def test_a_good_body_is_shown_and_a_wrong_token_is_401(server):
    status, answer = await post(server, {"text": "<b>Да</b>", "format": "html"})
    assert status == 200 and answer["message"]["body"]["text"] == "Да"
    assert answer["message"]["recipient"]["user_id"] == 5
    status, answer = await post(server, {"text": "x"}, token="other")
    assert (status, answer["code"]) == (401, "verify.token")


def test_telegram_html_is_cut_to_max_subset():
    html = (
        '<b>a</b><strike>b</strike><tg-spoiler>c</tg-spoiler><span class="tg-spoiler">d</span>'
        '<blockquote expandable>e</blockquote><pre><code class="language-py">f</code></pre>'
        '<a href="tg://user?id=42">g</a><a href="https://x.ru/?a=1&amp;b=2">h</a>'
    )
    assert to_max_html(html) == (
        "<b>a</b><s>b</s>cd<blockquote>e</blockquote><pre><code>f</code></pre>"
        '<a href="max://user/42">g</a><a href="https://x.ru/?a=1&amp;b=2">h</a>'
    )
