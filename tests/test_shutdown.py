"""The shutdown drain on its own: which tasks are held, what is refused, how the bounded wait ends."""

from __future__ import annotations

import asyncio
import logging

from bot.errors import ShuttingDown
from bot.shutdown import Drain


class Request:
    """A held handler in its own task, blocked until released, recording what it was told."""

    def __init__(self, drain: Drain, what: str) -> None:
        self.release = asyncio.Event()
        self.told: list[str] = []
        self.outcome: str | None = None
        self.task = asyncio.create_task(self._run(drain, what))

    async def _run(self, drain: Drain, what: str) -> None:
        try:
            drain.hold(what, cut_short=self._cut_short)
        except ShuttingDown as exc:
            self.outcome = exc.user_message
            return
        await self.release.wait()
        self.outcome = "finished"

    async def _cut_short(self) -> None:
        self.told.append("cut short")


async def settled(*tasks: asyncio.Task[object]) -> None:
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 10)


async def test_accepted_requests_are_waited_for_and_new_ones_refused():
    """finish() returns once the held requests end (not before); a request after begin() is refused with the
    restarting message; nothing is cut short."""
    drain = Drain()
    first, second = Request(drain, "first"), Request(drain, "second")
    await asyncio.sleep(0)
    assert sorted(drain.pending()) == ["first", "second"]
    drain.begin()
    finishing = asyncio.create_task(drain.finish(600))
    late = Request(drain, "late")
    await asyncio.sleep(0.05)
    assert late.outcome == ShuttingDown.user_message
    assert not finishing.done()
    first.release.set()
    await asyncio.sleep(0.05)
    assert not finishing.done()  # the second is still running
    second.release.set()
    await settled(finishing)
    assert (first.outcome, second.outcome) == ("finished", "finished")
    assert first.told == second.told == late.told == []
    assert drain.pending() == []


async def test_a_request_accepted_before_shutdown_is_never_refused_later():
    """A handler held before begin() may hold again (a nested step) after it without being refused."""
    drain = Drain()
    step = asyncio.Event()
    outcome: list[str] = []

    async def handler() -> None:
        drain.hold("outer")
        await step.wait()
        drain.hold("inner")  # raises ShuttingDown if the drain forgot this task was accepted
        outcome.append("done")

    task = asyncio.create_task(handler())
    await asyncio.sleep(0)
    drain.begin()
    step.set()
    await drain.finish(10)
    await settled(task)
    assert outcome == ["done"]


async def test_grace_deadline_cancels_and_tells_each_accepted_request(caplog):
    """At the deadline, what still runs is cancelled and each accepted request's cut-short answer is sent and
    logged; a refused request (it already had its answer) is not told again."""
    drain = Drain()
    stuck = Request(drain, "stuck job")
    await asyncio.sleep(0)
    drain.begin()
    refused = Request(drain, "late")
    with caplog.at_level(logging.INFO, logger="bot.shutdown"):
        await asyncio.wait_for(drain.finish(0.05), 10)
    assert stuck.task.cancelled() and stuck.told == ["cut short"]
    assert refused.told == [] and refused.outcome == ShuttingDown.user_message
    assert "stuck job did not finish in time" in caplog.text
    assert "told stuck job that it was cut short" in caplog.text


async def test_hurry_ends_the_wait_at_once():
    """A second stop signal (hurry) ends a long grace period: the request is cut short now, not in ten minutes."""
    drain = Drain()
    stuck = Request(drain, "stuck")
    await asyncio.sleep(0)
    drain.begin()
    finishing = asyncio.create_task(drain.finish(600))
    await asyncio.sleep(0.05)
    assert not finishing.done()
    drain.hurry()
    await settled(finishing)
    assert stuck.told == ["cut short"]


async def test_a_failing_or_hanging_answer_does_not_stop_the_others(monkeypatch):
    """One cut-short answer that raises and one that never returns: the third member is still told, and finish()
    returns (the hanging answer is abandoned after its bound)."""
    monkeypatch.setattr("bot.shutdown.CANCEL_WAIT_SECONDS", 0.2)
    drain = Drain()
    told: list[str] = []
    forever = asyncio.Event()

    async def broken() -> None:
        raise RuntimeError("Discord said no")

    async def hangs() -> None:
        await forever.wait()

    async def fine() -> None:
        told.append("fine")

    async def handler(answer) -> None:
        drain.hold("request", cut_short=answer)
        await forever.wait()

    tasks = [asyncio.create_task(handler(a)) for a in (broken, hangs, fine)]
    await asyncio.sleep(0)
    drain.begin()
    await asyncio.wait_for(drain.finish(0), 10)
    assert told == ["fine"] and all(t.cancelled() for t in tasks)


async def test_follow_on_events_of_a_held_request_are_held_too():
    """A task started by a held request (the 'analysis stored' event) is waited for like the request; one started
    by an unheld task is not."""
    drain = Drain()
    posted = asyncio.Event()
    follow_on: list[asyncio.Task[None]] = []

    async def post_flags() -> None:
        await posted.wait()

    async def request() -> None:
        drain.hold("analysis")
        task = asyncio.create_task(post_flags())
        drain.follow(task)
        follow_on.append(task)

    await asyncio.create_task(request())
    stray = asyncio.create_task(post_flags())
    drain.follow(stray)  # the test task is not held: nothing to follow
    assert drain.pending() == ["analysis (follow-on " + follow_on[0].get_name() + ")"]
    drain.begin()
    finishing = asyncio.create_task(drain.finish(600))
    await asyncio.sleep(0.05)
    assert not finishing.done()
    posted.set()
    await settled(finishing, stray)


async def test_a_held_task_that_waits_for_the_shutdown_is_released():
    """release(): the caller of close() is not waited for, or it would wait on itself until the deadline."""
    drain = Drain()
    drain.hold("me")
    drain.release(asyncio.current_task())
    drain.begin()
    await asyncio.wait_for(drain.finish(600), 10)
    assert drain.pending() == []


async def test_reopen_accepts_requests_again():
    """A cleared client that starts over accepts requests again."""
    drain = Drain()
    drain.begin()
    refused = Request(drain, "while closing")
    await settled(refused.task)
    drain.reopen()
    accepted = Request(drain, "after reopen")
    await asyncio.sleep(0)
    assert refused.outcome == ShuttingDown.user_message and drain.pending() == ["after reopen"]
    accepted.release.set()
    await settled(accepted.task)
    assert accepted.outcome == "finished"


async def test_requests_whose_token_expired_are_not_answered(monkeypatch):
    """An interaction older than its token's life cannot be answered: logged, not attempted."""
    monkeypatch.setattr("bot.shutdown.TOKEN_LIFETIME_SECONDS", 0.0)
    drain = Drain()
    stuck = Request(drain, "old request")
    await asyncio.sleep(0.01)
    drain.begin()
    await asyncio.wait_for(drain.finish(0), 10)
    assert stuck.task.cancelled() and stuck.told == []


async def test_an_answer_on_its_way_is_finished_and_never_replaced_by_a_cut_short_notice():
    """The grace period ends while the member's answer is being sent: the handler is cancelled, but the send
    completes (cut-short waits for it) and the member is not also told the request was cut short."""
    drain = Drain()
    told: list[str] = []
    sending, delivered = asyncio.Event(), asyncio.Event()
    slow_network = asyncio.Event()

    async def send_answer() -> str:
        sending.set()
        await slow_network.wait()
        delivered.set()
        return "message 1"

    async def cut_short() -> None:
        told.append("cut short")

    async def handler() -> None:
        drain.hold("analysis", cut_short=cut_short)
        await drain.deliver(send_answer())

    task = asyncio.create_task(handler())
    await sending.wait()
    drain.begin()
    finishing = asyncio.create_task(drain.finish(0.01))  # the grace period ends while the send is in flight
    for _ in range(2000):  # the send cannot end before the network is released, so only a cancel ends the task
        if task.done():
            break
        await asyncio.sleep(0.005)
    slow_network.set()
    await settled(finishing)
    assert task.cancelled()  # the handler itself was cut short ...
    assert delivered.is_set()  # ... but its answer went out,
    assert told == []  # and nobody was told otherwise


async def test_a_request_cut_short_before_its_answer_is_still_told():
    drain = Drain()
    told: list[str] = []

    async def cut_short() -> None:
        told.append("cut short")

    async def handler() -> None:
        drain.hold("analysis", cut_short=cut_short)
        await asyncio.Event().wait()  # still analysing when the grace period ends

    task = asyncio.create_task(handler())
    await asyncio.sleep(0)
    drain.begin()
    await settled(asyncio.create_task(drain.finish(0.01)))
    assert task.cancelled() and told == ["cut short"]
