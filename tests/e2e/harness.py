"""The real Byline bot wired to the fake Discord, a local page server and a temporary SQLite file.

The bot is built from a TOML file through ``bot.config.load`` exactly as ``byline run`` would, with
``[discord] api_base``/``gateway_url`` pointing at the fake. It runs on its own thread and loop (see runner.py).
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import discord
from aiohttp import web

from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.runner import BotThread

T = TypeVar("T")
FOOTER_ID = re.compile(r"Analysis ([0-9a-z]+)")


class PageServer:
    """Serves the articles the link tests paste, on 127.0.0.1, from its own thread."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, str]] = {}  # path -> (content type, body)
        self.hits: list[str] = []
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name="e2e-pages", daemon=True)
        self._started = threading.Event()
        self._runner: web.AppRunner | None = None

    def add(self, path: str, body: str, content_type: str = "text/html") -> str:
        """Publish ``body`` at ``path`` and return its full URL."""
        self.pages[path] = (content_type, body)
        return self.url(path)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _page(self, request: web.Request) -> web.Response:
        self.hits.append(request.path)
        found = self.pages.get(request.path)
        if found is None:
            return web.Response(status=404, text="not found")
        ctype, body = found
        return web.Response(body=body.encode(), headers={"Content-Type": f"{ctype}; charset=utf-8"})

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._page)
        self._runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = self._runner.addresses[0][1]
        self._started.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._runner.cleanup())
        self._loop.close()

    def start(self) -> PageServer:
        self._thread.start()
        self._started.wait(10)
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


def write_config(path: Path, fake: FakeDiscord, pages: PageServer, db: Path, *, dev_guild: bool = False,
                 discord_extra: str = "") -> Path:
    """The TOML a self-hoster would write to run Byline against a Discord-compatible server."""
    guild_line = f"dev_guild_id = {fake.world.guild_id}\n" if dev_guild else ""
    guild_line += discord_extra
    path.write_text(
        "[analysis]\nworkers = 1\n\n"
        f'[store]\npath = "{db}"\n\n'
        f"[fetch]\nallow_private_addresses = true\nallowed_ports = [80, 443, {pages.port}]\n"
        "timeout_seconds = 10.0\n\n"
        f'[discord]\ntoken = "fake-token"\napi_base = "{fake.api_base}"\ngateway_url = "{fake.gateway_url}"\n'
        f"{guild_line}\n"
        '[logging]\nlevel = "INFO"\n',
        encoding="utf-8",
    )
    return path


def _endpoints() -> tuple[Any, Any]:
    return discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


@dataclass
class Harness:
    """One fake Discord + page server + database, and the Byline bot currently connected to them."""

    fake: FakeDiscord
    pages: PageServer
    tmp: Path
    db: Path
    config: Path
    runner: BotThread[Any] | None = None
    generations: list[BotThread[Any]] = field(default_factory=list)
    closed: bool = False
    _saved: tuple[Any, Any] = field(default_factory=_endpoints)

    @property
    def bot(self) -> Any:
        assert self.runner is not None and self.runner.client is not None
        return self.runner.client

    def start_bot(self, *, dev_guild: bool = False, discord_extra: str = "", **bot_options: Any) -> Any:
        """Build BylineBot from the config file (as ``byline run`` does) and wait for READY.

        ``discord_extra`` adds lines to the ``[discord]`` table; ``bot_options`` go to BylineBot (an injected
        analyzer, for a scenario that must hold a job in flight)."""
        from bot import config
        from bot.client import BylineBot

        write_config(self.config, self.fake, self.pages, self.db, dev_guild=dev_guild, discord_extra=discord_extra)
        settings = config.load(self.config, environ={})
        self.runner = BotThread(lambda: BylineBot(settings, guild_ready_timeout=0.2, **bot_options),
                                name=f"byline-{len(self.generations)}")
        self.generations.append(self.runner)
        self.runner.start(timeout=120)
        self.fake.wait_for(self.fake.is_connected, 30, "the bot's gateway session")
        return self.bot

    def close(self) -> None:
        """Stop every bot generation, the fake and the page server; put discord.py's endpoints back."""
        if self.closed:
            return
        self.closed = True
        for runner in self.generations:
            runner.stop()
        self.fake.stop()
        self.pages.stop()
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = self._saved

    def stop_bot(self) -> None:
        if self.runner is not None:
            self.runner.stop()
            self.fake.wait_for(lambda: not self.fake.is_connected(), 10, "the bot to disconnect")

    def call(self, fn: Callable[[], Awaitable[T]], timeout: float = 30.0) -> T:
        """Run a coroutine on the bot's loop (store queries, loop-monitor reads)."""
        assert self.runner is not None
        return self.runner.call(fn, timeout)

    def store(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call ``bot.store.<method>(...)`` on the bot's own loop (aiosqlite is bound to it)."""
        return self.call(lambda: getattr(self.bot.store, method)(*args, **kwargs))


def analysis_id_from(message: dict[str, Any]) -> str:
    """The analysis id the bot printed in an embed footer (what a member would type into /lookup)."""
    for embed in message.get("embeds") or []:
        match = FOOTER_ID.search((embed.get("footer") or {}).get("text", ""))
        if match:
            return match.group(1)
    raise AssertionError(f"no analysis id in the footers of {message.get('embeds')!r}")


def embed_text(message: dict[str, Any]) -> str:
    """Everything a reader sees in a message: content, titles, descriptions, fields and footers."""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        for fld in embed.get("fields") or []:
            parts += [fld.get("name", ""), fld.get("value", "")]
        parts.append((embed.get("footer") or {}).get("text", ""))
    return "\n".join(parts)
