"""Requests Byline has accepted and still owes an answer, so shutdown can let them finish before REST closes.

A handler calls ``drain.hold(...)`` once it takes a request. The *task* is held, not a block of code, so the
answer sent by the error handler after the command body raised is waited for as well. Once shutdown begins,
``hold`` refuses with ``ShuttingDown`` (the caller renders it as usual) but still holds the task, so that
refusal is sent before the HTTP session closes too. Events dispatched from a held task (the review cog's
"analysis stored") are held along with it. When the grace period ends, what still runs is cancelled and each
request is told it was cut short, unless its answer was already on its way (``drain.deliver``): an answer
being sent is finished, never replaced by a cut-short notice.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.errors import CutShortByRestart, ShuttingDown
from bot.interaction_errors import handle_interaction_error

log = logging.getLogger(__name__)

Answer = Callable[[], Awaitable[Any]]
T = TypeVar("T")
CANCEL_WAIT_SECONDS = 5.0  # how long cancelled handlers and their cut-short answers may take, each
TOKEN_LIFETIME_SECONDS = 15 * 60 - 30  # an interaction token lives 15 min; keep a margin for the request itself


@dataclass
class Held:
    """One accepted request: what it is (for the log) and how to tell its member it was cut short."""

    what: str
    cut_short: Answer | None = None
    refused: bool = False  # arrived after shutdown began: its only answer is the "restarting" refusal
    since: float = field(default_factory=lambda: asyncio.get_running_loop().time())


class Drain:
    """The set of held tasks, and the shutdown steps over them: refuse, wait (bounded), cut short."""

    def __init__(self) -> None:
        self._held: dict[asyncio.Task[Any], Held] = {}
        self._delivering: set[asyncio.Future[Any]] = set()
        self._closing = False
        self._hurry: asyncio.Event | None = None

    @property
    def closing(self) -> bool:
        """True once shutdown began: new requests are refused."""
        return self._closing

    def pending(self) -> list[str]:
        """What is still being worked on (for logs and tests)."""
        return [h.what for t, h in self._held.items() if not t.done()]

    def hold(self, what: str, cut_short: Answer | None = None) -> None:
        """Hold the calling task until it ends; raise ShuttingDown for a new request once shutdown began.

        A task held before shutdown stays accepted: holding it again (a nested handler) never refuses it.
        """
        task = asyncio.current_task()
        if task is None:
            return
        if task in self._held:
            return
        self._held[task] = Held(what, None if self._closing else cut_short, refused=self._closing)
        task.add_done_callback(self._forget)
        if self._closing:
            log.info("shutdown: refused %s (Byline is restarting)", what)
            raise ShuttingDown()

    def on_cut_short(self, answer: Answer) -> None:
        """Say, once the handler knows how (a 📰 knows its message only after fetching it), how to tell the member
        that the calling task's accepted request was cut short."""
        task = asyncio.current_task()
        held = self._held.get(task) if task is not None else None
        if held is not None and not held.refused:
            held.cut_short = answer

    async def deliver(self, answer: Awaitable[T]) -> T:
        """Send (or record) the calling request's answer so a shutdown cannot split it.

        From here on the request counts as answered, so it is never also told it was cut short; the send runs to
        its end even if the handler is cancelled meanwhile, and the cut-short step waits (bounded) for it.
        """
        task = asyncio.current_task()
        held = self._held.get(task) if task is not None else None
        if held is not None:
            held.cut_short = None
        inner = asyncio.ensure_future(answer)
        self._delivering.add(inner)
        inner.add_done_callback(self._delivered)
        return await asyncio.shield(inner)

    def _delivered(self, inner: asyncio.Future[Any]) -> None:
        self._delivering.discard(inner)
        if not inner.cancelled() and inner.exception() is not None:  # its handler may be gone: log it here
            log.warning("shutdown: an answer could not be delivered: %r", inner.exception())

    def follow(self, task: asyncio.Task[Any]) -> None:
        """Hold ``task`` too when a held task started it (an event it dispatched)."""
        current = asyncio.current_task()
        parent = self._held.get(current) if current is not None else None
        if parent is not None and task not in self._held:
            self._held[task] = Held(f"{parent.what} (follow-on {task.get_name()})")
            task.add_done_callback(self._forget)

    def release(self, task: asyncio.Task[Any] | None) -> None:
        """Stop holding ``task``: a held task that itself waits for the shutdown must not be waited for."""
        if task is not None:
            self._held.pop(task, None)

    def begin(self) -> None:
        """Refuse new requests from now on."""
        self._closing = True

    def reopen(self) -> None:
        """Accept requests again (a cleared client starting over)."""
        self._closing = False
        self._hurry = None

    def hurry(self) -> None:
        """End the shutdown's waits now (a second Ctrl-C): what still runs is cut short at once."""
        self._hurry_event().set()

    async def finish(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for held tasks (new ones included), then cut short what is left."""
        if not await self._settle(timeout):
            await self._cut_short()

    async def _settle(self, timeout: float) -> bool:
        """True when every held task ended within ``timeout``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        hurry = self._hurry_event()
        if self._running():
            log.info("shutdown: waiting up to %.1f s for %d request(s) in flight", timeout, len(self._running()))
        while True:
            running = self._running()
            if not running:
                return True
            left = deadline - loop.time()
            if left <= 0 or hurry.is_set():
                return False
            hurried = asyncio.ensure_future(hurry.wait())
            try:
                await asyncio.wait([*running, hurried], timeout=left, return_when=asyncio.FIRST_COMPLETED)
            finally:
                hurried.cancel()

    async def _cut_short(self) -> None:
        """Cancel what still runs, then tell each member whose request was accepted that it was cut short."""
        running = {t: self._held[t] for t in self._running()}
        if not running:
            return
        loop = asyncio.get_running_loop()
        for task, held in running.items():
            log.warning("shutdown: %s did not finish in time; cancelling it", held.what)
            task.cancel()
        await asyncio.wait(running, timeout=CANCEL_WAIT_SECONDS)
        if self._delivering:  # answers already on their way go out before REST closes
            await asyncio.wait(set(self._delivering), timeout=CANCEL_WAIT_SECONDS)
        answers = []
        for held in running.values():
            if held.cut_short is None:
                continue
            if loop.time() - held.since > TOKEN_LIFETIME_SECONDS:
                log.info("shutdown: %s is too old to be answered (its token expired)", held.what)
                continue
            answers.append(asyncio.ensure_future(self._answer(held)))
        if answers:
            _done, late = await asyncio.wait(answers, timeout=CANCEL_WAIT_SECONDS)
            for task in late:
                task.cancel()

    @staticmethod
    async def _answer(held: Held) -> None:
        assert held.cut_short is not None
        try:
            await held.cut_short()
        except Exception:  # one failed answer must not stop the others, nor the shutdown
            log.exception("shutdown: could not tell %s that it was cut short", held.what)
        else:
            log.info("shutdown: told %s that it was cut short", held.what)

    def _running(self) -> list[asyncio.Task[Any]]:
        current = asyncio.current_task()
        return [t for t in self._held if not t.done() and t is not current]

    def _hurry_event(self) -> asyncio.Event:
        if self._hurry is None:
            self._hurry = asyncio.Event()
        return self._hurry

    def _forget(self, task: asyncio.Task[Any]) -> None:
        with contextlib.suppress(KeyError):
            del self._held[task]


def drain_of(interaction: Any) -> Drain | None:
    """The client's shutdown drain, or None for a client without one (a bare discord.py client in tests)."""
    drain = getattr(interaction.client, "drain", None)
    return drain if isinstance(drain, Drain) else None


def hold_interaction(interaction: Any, what: str, *, answer_cut_short: bool = False) -> None:
    """Hold an interaction's task until it is answered: a command, a modal, a button.

    Raises ``ShuttingDown`` once shutdown began, which the caller's error path turns into the usual private
    "restarting" answer. With ``answer_cut_short``, a request the grace period cuts short is told so privately.
    A client without a drain (a bare discord.py client in tests) holds nothing.
    """
    drain = drain_of(interaction)
    if drain is not None:
        answer = functools.partial(handle_interaction_error, interaction, CutShortByRestart())
        drain.hold(what, cut_short=answer if answer_cut_short else None)
