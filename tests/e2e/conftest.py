"""Fixtures for the end-to-end suite: the fake Discord and the redirect of discord.py onto it.

The fake's self-test runs first: it drives a plain discord.py client against its own fake while no Byline bot is
connected, because ``Route.BASE`` is process-wide and two fakes cannot be served to two live clients at once.
"""

from __future__ import annotations

from collections.abc import Iterator

import discord
import pytest

from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.harness import Harness, PageServer

ORDER = ("test_fake_selftest.py", "test_startup.py", "test_analyse.py", "test_links.py", "test_review.py",
         "test_faults.py", "test_load.py", "test_restart.py")


def _rank(item: pytest.Item) -> int:
    name = item.path.name
    return ORDER.index(name) if name in ORDER else len(ORDER)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Self-test first (no Byline bot may be connected yet), start-up next, the disruptive scenarios last."""
    positions = [i for i, item in enumerate(items) if "/tests/e2e/" in str(item.path).replace("\\", "/")]
    if not positions:
        return
    e2e = sorted((items[i] for i in positions), key=_rank)  # sorted() is stable: order within a file is kept
    for pos, item in zip(positions, e2e, strict=True):
        items[pos] = item


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


_ACTIVE: list[Harness] = []


def _is_e2e(item: pytest.Item | None) -> bool:
    return item is not None and "/tests/e2e/" in str(item.path).replace("\\", "/")


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Shut the shared bot down as soon as the last e2e test is done, so no other test runs while discord.py
    still points at the fake (Route.BASE is process-wide) or while its worker process holds a core."""
    if _is_e2e(item) and not _is_e2e(nextitem):
        while _ACTIVE:
            _ACTIVE.pop().close()


@pytest.fixture(scope="session")
def byline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    """The real Byline bot, shared by the scenario tests so the spaCy worker loads once per bot generation."""
    tmp = tmp_path_factory.mktemp("byline-e2e")
    harness = Harness(fake=FakeDiscord().start(), pages=PageServer().start(), tmp=tmp, db=tmp / "byline.db",
                      config=tmp / "byline.toml")
    _ACTIVE.append(harness)
    try:
        harness.start_bot()
        yield harness
    finally:
        harness.close()
