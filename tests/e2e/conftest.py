"""Fixtures for the end-to-end suite: the fake Discord and the redirect of discord.py onto it.

The fake's self-test runs first: it drives a plain discord.py client against its own fake while no Byline bot is
connected, because ``Route.BASE`` is process-wide and two fakes cannot be served to two live clients at once.
"""

from __future__ import annotations

from collections.abc import Iterator

import discord
import pytest

from tests.e2e.fake_discord import FakeDiscord

FIRST = "test_fake_selftest.py"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the fake's self-test before any test that uses the shared Byline bot."""
    e2e = [i for i in items if "/tests/e2e/" in str(i.path).replace("\\", "/")]
    if not e2e:
        return
    first = [i for i in e2e if i.path.name == FIRST]
    rest = [i for i in e2e if i.path.name != FIRST]
    start = items.index(e2e[0])
    others = [i for i in items if i not in set(e2e)]
    items[:] = others[:start] + first + rest + others[start:]


@pytest.fixture
def endpoints() -> Iterator[None]:
    """Save and restore the two module attributes that point discord.py somewhere else."""
    base = discord.http.Route.BASE
    gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        yield
    finally:
        discord.http.Route.BASE = base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


@pytest.fixture
def fake(endpoints: None) -> Iterator[FakeDiscord]:
    """A fresh fake Discord that discord.py is pointed at for this test only."""
    server = FakeDiscord().start()
    discord.http.Route.BASE = server.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = server.gateway_yarl
    try:
        yield server
    finally:
        server.stop()
