"""Run a discord.py client on its own thread and event loop.

The bot gets a loop of its own so that nothing the tests or the fake do runs on it: the loop lag the bot measures
is its own. Tests stay synchronous and reach into the bot only through ``call()``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import discord

log = logging.getLogger(__name__)
C = TypeVar("C", bound=discord.Client)
T = TypeVar("T")


class BotThread(Generic[C]):
    """Own one client: build it on its loop, start it, wait for READY, stop it cleanly."""

    def __init__(self, factory: Callable[[], C], token: str = "fake-token", name: str = "bot") -> None:
        self._factory = factory
        self._token = token
        self._name = name
        self.loop = asyncio.new_event_loop()
        self.client: C | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, name=f"e2e-{name}", daemon=True)
        self._built = threading.Event()
        self._done = threading.Event()

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._run())
        except BaseException as exc:  # recorded for the test to assert on
            self.error = exc
            log.exception("bot thread %s ended with an error", self._name)
        finally:
            self._built.set()
            self._done.set()
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.close()

    async def _run(self) -> None:
        self.client = self._factory()
        self._built.set()
        async with self.client:
            await self.client.start(self._token)

    def start(self, timeout: float = 60.0) -> C:
        """Start the client and block until it is ready (or failed)."""
        self._thread.start()
        self._built.wait(timeout)
        if self.client is None:
            raise RuntimeError(f"bot {self._name} failed to build: {self.error!r}")
        self.call(self.client.wait_until_ready, timeout=timeout)
        return self.client

    def call(self, fn: Callable[[], Awaitable[T]], timeout: float = 30.0) -> T:
        """Run ``fn()`` on the bot's loop and return its result."""
        if self._done.is_set():
            raise RuntimeError(f"bot {self._name} is not running: {self.error!r}")
        return asyncio.run_coroutine_threadsafe(_invoke(fn), self.loop).result(timeout)

    def alive(self) -> bool:
        """The thread still runs and the client has not closed: the bot did not crash."""
        return self._thread.is_alive() and self.client is not None and not self.client.is_closed()

    def begin_close(self) -> concurrent.futures.Future[None]:
        """Start closing the client without waiting (the test acts while the shutdown is under way)."""
        assert self.client is not None
        return asyncio.run_coroutine_threadsafe(self.client.close(), self.loop)

    def join(self, timeout: float = 30.0) -> bool:
        """Wait for the thread to end; True when it did."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def stop(self, timeout: float = 30.0) -> None:
        """Close the client (which ends ``start``) and join the thread."""
        if self.client is not None and not self._done.is_set():
            fut = asyncio.run_coroutine_threadsafe(self.client.close(), self.loop)
            try:
                fut.result(timeout)
            except Exception:
                log.exception("closing bot %s failed", self._name)
        self._thread.join(timeout)


async def _invoke(fn: Callable[[], Awaitable[Any]]) -> Any:
    return await fn()
