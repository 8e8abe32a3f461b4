"""`python -m bot.healthcheck` (Docker's HEALTHCHECK) asks the /healthz the settings point at."""

from __future__ import annotations

import asyncio
import socket

import pytest
from aiohttp import web

from bot.config import Settings, WebhookSettings
from bot.healthcheck import EXIT_OK, EXIT_UNHEALTHY, check, health_url


def webhook_settings(port: int, host: str = "0.0.0.0") -> Settings:
    hook = WebhookSettings(
        public_url="https://bot.example.org", secret="ok", listen_host=host, listen_port=port
    )
    return Settings(_env_file=None, bot_mode="webhook", webhook=hook)


@pytest.fixture
async def health_server():
    """A /healthz whose answer the test sets; yields (port, state)."""
    state = {"status": 200}

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "x"}, status=state["status"])

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield port, state
    await runner.cleanup()


async def test_webhook_mode_asks_the_webhook_listener(health_server):
    port, state = health_server
    settings = webhook_settings(port)
    assert health_url(settings) == f"http://127.0.0.1:{port}/healthz"
    code, line = await asyncio.to_thread(check, settings)
    assert code == EXIT_OK, line
    state["status"] = 503
    code, line = await asyncio.to_thread(check, settings)
    assert code == EXIT_UNHEALTHY and "503" in line


async def test_polling_mode_asks_the_metrics_port_or_nothing(health_server):
    port, _ = health_server
    settings = Settings(_env_file=None, metrics_port=port)
    assert health_url(settings) == f"http://127.0.0.1:{port}/healthz"
    assert (await asyncio.to_thread(check, settings))[0] == EXIT_OK
    quiet = Settings(_env_file=None, metrics_port=0)
    assert health_url(quiet) is None
    assert check(quiet)[0] == EXIT_OK


def test_nobody_listening_is_unhealthy():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: nobody listens
    code, line = check(webhook_settings(port, host="127.0.0.1"), timeout=2)
    assert code == EXIT_UNHEALTHY and "no answer" in line
