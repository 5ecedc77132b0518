"""One job's timeout kills its whole pool; the other jobs that pool held (bystanders) are resubmitted once to the
fresh pool, while a job that kills its own worker is still not retried. Real spawn processes running light jobs
(tests.workers_light_jobs); no timing assertions: ``asyncio.wait_for`` limits and ``_until`` only guard hangs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from bot.config import AnalysisSettings
from bot.errors import AnalysisFailed, AnalysisTimedOut, BusyError, ShuttingDown
from bot.workers import AnalysisService
from tests.test_workers import _gone
from tests.workers_light_jobs import die_counted, gated, join_generation, square, stuck


def pool_service(timeout: float, queue_size: int, workers: int = 2) -> AnalysisService:
    """A service on spawn pools numbered from 1: each worker knows its pool's number (a job's result says it)."""
    import multiprocessing

    built = 0

    def factory() -> ProcessPoolExecutor:
        nonlocal built
        built += 1
        return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=join_generation, initargs=(built,))

    return AnalysisService(AnalysisSettings(workers=workers, job_timeout_seconds=timeout), queue_size=queue_size,
                           executor_factory=factory)


@contextlib.asynccontextmanager
async def running_pool(timeout: float, queue_size: int, workers: int = 2, *,
                       gates: tuple[Path, ...] = ()) -> AsyncIterator[AnalysisService]:
    """A started ``pool_service``; on the way out its gates are opened, so no gated job holds the close, and it is
    closed."""
    for gate in gates:
        gate.mkdir()
    service = pool_service(timeout, queue_size, workers)
    await service.start(warm=False)
    try:
        yield service
    finally:
        _open(*gates)
        await service.close(timeout=0.5)


def _starts(folder: Path) -> list[tuple[int, int]]:
    """The (generation, pid) of each start of the gated job waiting on ``folder``."""
    path = folder / "starts"
    if not path.exists():
        return []
    return [(int(g), int(p)) for g, p in (line.split() for line in path.read_text(encoding="utf-8").splitlines())]


async def _until(condition, what: str) -> None:
    """Poll (bounded) until ``condition()``; a hang guard, not a timing check."""
    for _ in range(3000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


async def _start_stuck(service: AnalysisService, marker: Path) -> asyncio.Task:
    job = asyncio.create_task(service._submit(stuck, str(marker)))
    await _until(marker.exists, "the stuck job started")
    return job


async def _settled(service: AnalysisService, *, bookkeeping: bool = True) -> None:
    """Every slot freed exactly once (a second release would go below 0); with ``bookkeeping``, no job left over in
    the service's resubmission sets."""
    await _until(lambda: service.in_flight <= 0, "every slot freed")
    assert service.in_flight == 0
    if bookkeeping:
        assert not (service._resubmittable or service._bystanders or service._handed_over or service._unstarted)


def _open(*gates: Path) -> None:
    for gate in gates:
        (gate / "release").write_text("go", encoding="utf-8")


async def test_jobs_held_by_a_pool_killed_for_another_jobs_timeout_get_their_results(tmp_path, caplog):
    """workers=2: a job that never returns runs on one worker, an ordinary job on the other and a third waits in the
    queue. Past the limit the stuck job's caller gets AnalysisTimedOut, and both others, whose pool was killed
    under them, are resubmitted once and their callers get the real results, from the fresh pool."""
    caplog.set_level(logging.WARNING, logger="bot.workers")
    gate = tmp_path / "gate"
    async with running_pool(timeout=2, queue_size=1, gates=(gate,)) as service:
        stuck_job = await _start_stuck(service, tmp_path / "stuck")
        running = asyncio.create_task(service._submit(gated, str(gate)))
        queued = asyncio.create_task(service._submit(square, 7))
        with pytest.raises(AnalysisTimedOut):
            await asyncio.wait_for(stuck_job, 60)
        _open(gate)
        generation, pid = await asyncio.wait_for(running, 60)
        assert await asyncio.wait_for(queued, 60) == (2, 49)
        assert generation == 2 and _starts(gate)[-1] == (2, pid)
        assert [g for g, _ in _starts(gate)] in ([1, 2], [2])  # run again once, on the fresh pool
        resubmitted = [r for r in caplog.records if "resubmitting" in r.getMessage()]
        assert len(resubmitted) == 2 and all(r.levelno == logging.WARNING for r in resubmitted)
        await _settled(service)
        assert service.completed == 3
        assert await asyncio.wait_for(service._submit(square, 3), 60) == (2, 9)  # later jobs still run
        await _settled(service)


async def test_a_job_that_kills_its_own_worker_is_not_resubmitted(tmp_path):
    """A real worker crash (not a timeout kill) is not retried: the input may be what kills workers. (A guard: it
    holds before and after bystanders were resubmitted, so it only reads what any version of the service has.)"""
    starts = tmp_path / "poison"
    async with running_pool(timeout=30, queue_size=1) as service:
        with pytest.raises(AnalysisFailed) as info:
            await asyncio.wait_for(service._submit(die_counted, str(starts)), 60)
        assert not isinstance(info.value, AnalysisTimedOut)
        assert len(starts.read_text(encoding="utf-8").splitlines()) == 1  # ran once, never resubmitted
        await _settled(service, bookkeeping=False)
        assert await asyncio.wait_for(service._submit(square, 3), 60) == (2, 9)
        assert len(starts.read_text(encoding="utf-8").splitlines()) == 1
        await _settled(service, bookkeeping=False)


async def test_a_resubmitted_job_that_breaks_its_new_pool_is_not_resubmitted_again(tmp_path):
    """At most one resubmission: a poison input queued behind a stuck job is resubmitted when the stuck job's pool is
    killed, kills a worker of the fresh pool (a real crash), and then fails as any crash does."""
    starts = tmp_path / "poison"
    async with running_pool(timeout=2, queue_size=1, workers=1) as service:
        stuck_job = await _start_stuck(service, tmp_path / "stuck")
        poison = asyncio.create_task(service._submit(die_counted, str(starts)))  # queued: the one worker is stuck
        with pytest.raises(AnalysisTimedOut):
            await asyncio.wait_for(stuck_job, 60)
        with pytest.raises(AnalysisFailed) as info:
            await asyncio.wait_for(poison, 60)
        assert not isinstance(info.value, AnalysisTimedOut)
        assert len(starts.read_text(encoding="utf-8").splitlines()) == 1  # ran on the fresh pool only, once
        await _settled(service)
        assert service.completed == 2
        assert await asyncio.wait_for(service._submit(square, 3), 60) == (3, 9)  # on a third pool


async def test_a_resubmitted_job_keeps_its_one_slot_and_its_caller_can_still_cancel_it(tmp_path):
    """The resubmitted bystander holds exactly the slot it had (not freed, not counted twice), so capacity still
    holds during the retry; its caller cancelled meanwhile keeps the slot taken until the worker ends, once."""
    gate, other = tmp_path / "gate", tmp_path / "other"
    async with running_pool(timeout=2, queue_size=0, gates=(gate, other)) as service:  # capacity 2
        stuck_job = await _start_stuck(service, tmp_path / "stuck")
        bystander = asyncio.create_task(service._submit(gated, str(gate)))
        with pytest.raises(AnalysisTimedOut):
            await asyncio.wait_for(stuck_job, 60)
        await _until(lambda: any(g == 2 for g, _ in _starts(gate)), "the bystander ran on the fresh pool")
        await _until(lambda: service.in_flight <= 1, "the stuck job's slot freed")
        assert service.in_flight == 1 and service.completed == 1  # the bystander's one slot, still taken
        newcomer = asyncio.create_task(service._submit(gated, str(other)))
        await _until(lambda: _starts(other), "the newcomer started")
        assert service.is_busy()
        with pytest.raises(BusyError):
            await service._submit(square, 3)
        bystander.cancel()
        with pytest.raises(asyncio.CancelledError):
            await bystander
        assert service.in_flight == 2  # its worker still runs it
        _open(gate, other)
        assert (await asyncio.wait_for(newcomer, 60))[0] == 2
        await _settled(service)
        assert service.completed == 3
        assert len(_starts(gate)) <= 2


async def test_close_during_a_resubmission_still_says_shutting_down(tmp_path):
    gate = tmp_path / "gate"
    async with running_pool(timeout=2, queue_size=0, gates=(gate,)) as service:
        stuck_job = await _start_stuck(service, tmp_path / "stuck")
        bystander = asyncio.create_task(service._submit(gated, str(gate)))
        with pytest.raises(AnalysisTimedOut):
            await asyncio.wait_for(stuck_job, 60)
        await _until(lambda: any(g == 2 for g, _ in _starts(gate)), "the bystander ran on the fresh pool")
        pid = _starts(gate)[-1][1]
        await asyncio.wait_for(service.close(timeout=0.2), 60)
        with pytest.raises(ShuttingDown):
            await asyncio.wait_for(bystander, 60)
        await _until(lambda: _gone(pid), "the resubmitted job's worker stopped")
        assert service.in_flight == 0


async def test_a_job_that_only_waited_in_the_queue_keeps_its_retry_for_a_second_slow_job(tmp_path):
    """workers=1: a stuck job runs, a second stuck job and an ordinary one wait behind it. Each stuck job times out
    in turn, killing its pool; the ordinary job never ran on either (it cannot be what is slow), so it is resubmitted
    each time and its caller gets the answer rather than a "try again"."""
    async with running_pool(timeout=2, queue_size=2, workers=1) as service:
        first = await _start_stuck(service, tmp_path / "first")
        second = asyncio.create_task(service._submit(stuck, str(tmp_path / "second")))
        ordinary = asyncio.create_task(service._submit(square, 5))
        with pytest.raises(AnalysisTimedOut):
            await asyncio.wait_for(first, 60)
        with pytest.raises(AnalysisTimedOut):
            await asyncio.wait_for(second, 60)
        generation, answer = await asyncio.wait_for(ordinary, 60)
        assert answer == 25 and generation in (2, 3)
        assert (tmp_path / "second").exists()  # the second stuck job really ran (and timed out) on the fresh pool
        await _settled(service)
        assert await asyncio.wait_for(service._submit(square, 3), 60) == (3, 9)
        await _settled(service)
