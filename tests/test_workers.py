"""AnalysisService: the bounded queue (busy), slot accounting, and the real process pool."""

from __future__ import annotations

import asyncio
import os
import signal
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

import pytest

from bot.config import AnalysisSettings
from bot.errors import AnalysisFailed, AnalysisTimedOut, BusyError, InputError, ShuttingDown
from bot.workers import AnalysisService, _ignore_stop_signals
from tests.botkit import ARTICLE, GatedJob, rule_job, thread_service

PAGES = Path(__file__).parent / "fixtures" / "pages"


async def wait_started(job: GatedJob, n: int = 1) -> None:
    for _ in range(n):
        assert await asyncio.to_thread(job.started.acquire, True, 10)


async def test_full_queue_answers_busy_at_once_and_recovers():
    """workers + queue_size jobs are accepted; the next is refused with BusyError; after they finish, room again."""
    job = GatedJob()
    service = thread_service(AnalysisSettings(workers=1), job, queue_size=2)
    await service.start(warm=False)
    try:
        tasks = [asyncio.create_task(service.analyze(ARTICLE)) for _ in range(3)]
        await wait_started(job)
        assert service.in_flight == 3 and service.is_busy()
        with pytest.raises(BusyError) as info:
            await service.analyze(ARTICLE)
        assert "try again" in info.value.user_message
        assert service.rejected == 1
        job.release.set()
        results = await asyncio.gather(*tasks)
        assert all(r.summary for r in results)
        while service.in_flight:  # done-callbacks run on the pool thread
            await asyncio.sleep(0.01)
        assert not service.is_busy()
        assert (await service.analyze(ARTICLE)).flags
    finally:
        job.release.set()
        await service.close()


async def test_cancelled_caller_keeps_the_slot_until_the_worker_finishes():
    """A caller that gives up doesn't free capacity the worker is still using."""
    job = GatedJob()
    service = thread_service(AnalysisSettings(workers=1), job, queue_size=0)
    await service.start(warm=False)
    try:
        task = asyncio.create_task(service.analyze(ARTICLE))
        await wait_started(job)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        with pytest.raises(BusyError):
            await service.analyze(ARTICLE)
        job.release.set()
        while service.in_flight:
            await asyncio.sleep(0.01)
        assert (await service.analyze(ARTICLE)).summary
    finally:
        job.release.set()
        await service.close()


async def test_real_process_pool_loads_the_model_once_and_returns_results():
    """The spawn pool: real Engine in a worker, one model load for many jobs, errors cross back typed."""
    service = AnalysisService(AnalysisSettings(workers=1), queue_size=2)
    await service.start()
    try:
        first = await service.analyze(ARTICLE)
        second = await service.analyze(ARTICLE + "\nA second paragraph follows here.")
        assert first.sentences >= 5 and second.sentences > first.sentences
        assert first.engine == service.engine_version
        info = await service.worker_info()
        assert info["model_loads"] == 1 and info["pid"] != os.getpid()
        with pytest.raises(InputError) as err:
            await service.analyze("\x00\x01\x02 binary junk here")
        assert "control character" in err.value.user_message
        title, text = await service.extract_html((PAGES / "article.html").read_bytes(), 50)
        assert len(text) > 200 and title
    finally:
        await service.close()


def _die(text: str, sentences: int | None) -> dict:
    os._exit(3)


async def test_crashed_worker_gives_a_retryable_error_and_a_fresh_pool():
    """A worker killed mid-job becomes AnalysisFailed, and the next job runs on a new pool."""
    import multiprocessing

    def factory() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))

    service = AnalysisService(AnalysisSettings(workers=1), queue_size=1, executor_factory=factory, job=_die)
    await service.start(warm=False)
    try:
        with pytest.raises(AnalysisFailed):
            await service.analyze(ARTICLE)
        assert service.in_flight == 0
        info = await service._submit(os.getpid)
        assert info != os.getpid()
    finally:
        await service.close()


def _spawn_pool() -> ProcessPoolExecutor:
    import multiprocessing

    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))


async def _until_broken(pool: Executor) -> None:
    """Wait (bounded) until the pool's manager thread has noticed the dead worker and marked the pool broken."""
    for _ in range(1000):
        if getattr(pool, "_broken", False):
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the pool never noticed its dead worker")


async def test_idle_worker_killed_by_the_os_is_replaced_and_the_next_analysis_succeeds():
    """An idle worker SIGKILLed (as the OOM killer would) breaks the pool before any job is running; the next
    analysis restarts the pool once, runs there, and the broken pool is shut down."""
    service = AnalysisService(AnalysisSettings(workers=1), queue_size=1)
    await service.start()
    try:
        old_pid = (await service.worker_info())["pid"]
        broken = service._executor
        assert broken is not None
        os.kill(old_pid, signal.SIGKILL)
        await _until_broken(broken)
        result = await service.analyze(ARTICLE)
        assert result.summary and result.flags
        assert service._executor is not broken and (await service.worker_info())["pid"] != old_pid
        assert broken._shutdown_thread  # type: ignore[attr-defined]
        assert service.in_flight == 0
    finally:
        await service.close()


async def test_concurrent_failures_build_exactly_one_new_pool():
    """Every job in flight fails when the worker dies; they all restart the same broken pool, so only one new pool
    is built and the old one is shut down (none is left running unowned)."""
    pools: list[ProcessPoolExecutor] = []

    def factory() -> ProcessPoolExecutor:
        pools.append(_spawn_pool())
        return pools[-1]

    service = AnalysisService(AnalysisSettings(workers=1), queue_size=3, executor_factory=factory, job=_die)
    await service.start(warm=False)
    try:
        outcomes = await asyncio.gather(*(service.analyze(ARTICLE) for _ in range(3)), return_exceptions=True)
        assert all(isinstance(o, AnalysisFailed) for o in outcomes), outcomes
        assert len(pools) == 2 and service._executor is pools[1]
        assert pools[0]._shutdown_thread  # type: ignore[attr-defined]
        assert await service._submit(os.getpid) != os.getpid()
        assert len(pools) == 2 and service.in_flight == 0
    finally:
        await service.close()
    for pool in pools:
        pool.shutdown(wait=True)


async def test_after_close_jobs_are_refused_and_queued_callers_are_told_why():
    """close(): a job waiting in the queue ends in ShuttingDown (a BusyError), not a bare CancelledError the
    interaction handler would never answer; the running job still finishes; analyze() afterwards is refused at once
    and builds no new pool that nothing would shut down."""
    job = GatedJob()
    service = thread_service(AnalysisSettings(workers=1), job, queue_size=2)
    await service.start(warm=False)
    running = asyncio.create_task(service.analyze(ARTICLE))
    await wait_started(job)
    queued = asyncio.create_task(service.analyze(ARTICLE))
    closing = asyncio.create_task(service.close())
    try:
        with pytest.raises(ShuttingDown) as info:
            await asyncio.wait_for(queued, 10)
        assert "restarting" in info.value.user_message
    finally:
        job.release.set()
    await closing
    assert (await running).summary
    for call in (lambda: service.analyze(ARTICLE), service.worker_info):
        with pytest.raises(ShuttingDown) as info:
            await call()
        assert "restarting" in info.value.user_message
    assert service._executor is None and service.in_flight == 0


async def test_a_closed_process_service_spawns_nothing():
    """The real process pool: analyze() after close() is refused without starting a worker."""
    service = AnalysisService(AnalysisSettings(workers=1), queue_size=1)
    await service.start(warm=False)
    await service.close()
    with pytest.raises(BusyError):
        await service.analyze(ARTICLE)
    assert service._executor is None
    await service.close()  # closing twice is harmless


def _stuck_job(marker: str, sentences: int | None) -> dict:
    """Say it started (the marker file), then run far longer than any shutdown may wait."""
    import time

    Path(marker).write_text("started", encoding="utf-8")
    time.sleep(600)
    return {}


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")  # exited (a zombie until the pool reaps it)


def _stop_proof_pool() -> ProcessPoolExecutor:
    """A spawn pool whose workers ignore SIGINT and SIGTERM as the real ones do, without loading the model."""
    import multiprocessing

    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_ignore_stop_signals)


async def test_close_with_a_timeout_kills_a_worker_stuck_in_a_job(tmp_path):
    """close(timeout): a job that would run for minutes no longer holds the shutdown: the worker process, which
    ignores SIGTERM, is killed after the timeout and its caller is told Byline is restarting."""
    service = AnalysisService(AnalysisSettings(workers=1), queue_size=1, executor_factory=_stop_proof_pool,
                              job=_stuck_job)
    await service.start(warm=False)
    marker = tmp_path / "started"
    try:
        pid = await service._submit(os.getpid)
        caller = asyncio.create_task(service.analyze(str(marker)))
        for _ in range(2000):
            if marker.exists():
                break
            await asyncio.sleep(0.01)
        assert marker.exists(), "the stuck job never started"
        await asyncio.wait_for(service.close(timeout=0.5), 60)
        with pytest.raises(ShuttingDown):
            await asyncio.wait_for(caller, 30)
        for _ in range(500):
            if _gone(pid):
                break
            await asyncio.sleep(0.01)
        assert _gone(pid)
    finally:
        await service.close(timeout=0.5)


def _half_second_job(text: str, sentences: int | None) -> dict:
    import time

    time.sleep(0.5)
    return rule_job(text, sentences)


async def test_the_time_limit_counts_from_when_a_worker_takes_the_job_not_from_the_queue():
    """Five ordinary jobs of half a second each, one worker, a 2 s limit: the last waits 2 s in the queue and must
    still get its result (counted from submission, the last two ran out of time and killed the pool)."""
    service = thread_service(AnalysisSettings(workers=1, job_timeout_seconds=2), _half_second_job, queue_size=4)
    await service.start(warm=False)
    try:
        results = await asyncio.wait_for(asyncio.gather(*(service.analyze(ARTICLE) for _ in range(5))), 60)
        assert all(r.summary for r in results)
    finally:
        await service.close()


async def test_a_caller_cancelled_while_queued_takes_its_job_out_of_the_queue():
    calls = []
    job = GatedJob()

    def counted(text: str, sentences: int | None) -> dict:
        calls.append(text)
        return job(text, sentences)

    service = thread_service(AnalysisSettings(workers=1), counted, queue_size=2)
    await service.start(warm=False)
    try:
        running = asyncio.create_task(service.analyze(ARTICLE))
        await wait_started(job)
        queued = asyncio.create_task(service.analyze("Second text, which must never run."))
        while service.in_flight < 2:
            await asyncio.sleep(0.01)
        queued.cancel()
        with pytest.raises(asyncio.CancelledError):
            await queued
        assert service.in_flight == 1 and not service.is_busy()
        job.release.set()
        assert (await running).summary
        while service.in_flight:
            await asyncio.sleep(0.01)
        assert calls == [ARTICLE]
    finally:
        job.release.set()
        await service.close()


async def test_a_job_past_its_time_limit_is_stopped_and_the_pool_serves_the_next(tmp_path):
    """A job that never returns no longer holds the only worker until a restart: past job_timeout_seconds its
    caller is told, the worker is killed, a job queued behind it is resubmitted to the fresh pool (its caller did
    nothing wrong), and the next job runs there too."""
    service = AnalysisService(AnalysisSettings(workers=1, job_timeout_seconds=1), queue_size=2,
                              executor_factory=_stop_proof_pool, job=_stuck_job)
    await service.start(warm=False)
    marker = tmp_path / "started"
    try:
        pid = await service._submit(os.getpid)
        stuck = asyncio.create_task(service.analyze(str(marker)))
        behind = asyncio.create_task(service._submit(os.getpid))
        with pytest.raises(AnalysisTimedOut):
            await asyncio.wait_for(stuck, 60)
        assert await asyncio.wait_for(behind, 60) != pid  # it ran, on the fresh pool
        for _ in range(500):
            if _gone(pid):
                break
            await asyncio.sleep(0.01)
        assert _gone(pid)
        fresh = await asyncio.wait_for(service._submit(os.getpid), 60)
        assert fresh != pid and service.in_flight == 0
    finally:
        await service.close(timeout=0.5)


def _gated_job(folder: str) -> int:
    """Say it started (with its pid), then wait for the test's release file; return the pid that did the work."""
    import time

    gate = Path(folder)
    (gate / "started").write_text(str(os.getpid()), encoding="utf-8")
    for _ in range(6000):
        if (gate / "release").exists():
            return os.getpid()
        time.sleep(0.01)
    raise TimeoutError("never released")


async def test_a_stop_signal_sent_to_a_busy_worker_does_not_fail_its_job(tmp_path):
    """systemd's stop sends SIGTERM to every process of the service (and Ctrl-C SIGINT to the process group): the
    real worker (its own initializer) ignores both, so the analysis running during the grace period completes, in
    the same process, instead of failing."""
    service = AnalysisService(AnalysisSettings(workers=1), queue_size=1)
    await service.start(warm=False)
    try:
        job = asyncio.create_task(service._submit(_gated_job, str(tmp_path)))
        started = tmp_path / "started"
        for _ in range(6000):  # the first job waits for the model to load
            if started.exists() and started.read_text(encoding="utf-8"):
                break
            await asyncio.sleep(0.01)
        pid = int(started.read_text(encoding="utf-8"))
        os.kill(pid, signal.SIGTERM)
        os.kill(pid, signal.SIGINT)
        (tmp_path / "release").write_text("go", encoding="utf-8")
        assert await asyncio.wait_for(job, 60) == pid
        assert (await service.worker_info())["pid"] == pid and not _gone(pid)
    finally:
        await service.close(timeout=5)


async def test_a_pool_is_replaced_after_its_share_of_jobs_and_still_finishes_the_ones_it_holds():
    """Recycling must not strand queued jobs (as max_tasks_per_child does on Python 3.11, gh-115634)."""
    from concurrent.futures import ThreadPoolExecutor

    job = GatedJob()
    pools: list[ThreadPoolExecutor] = []

    def factory() -> ThreadPoolExecutor:
        pools.append(ThreadPoolExecutor(max_workers=1))
        return pools[-1]

    service = AnalysisService(AnalysisSettings(workers=1), queue_size=8, executor_factory=factory, job=job,
                              jobs_per_pool=2)
    await service.start(warm=False)
    try:
        tasks = [asyncio.create_task(service.analyze(ARTICLE)) for _ in range(5)]
        await wait_started(job)
        assert len(pools) >= 3  # five jobs, two a pool: a third pool took the fifth
        job.release.set()
        results = await asyncio.wait_for(asyncio.gather(*tasks), 30)
        assert len(results) == 5 and all(r.summary for r in results)
        assert (await asyncio.wait_for(service.analyze(ARTICLE), 30)).summary  # and new work still runs
    finally:
        job.release.set()
        await service.close(timeout=5)
    assert all(p._shutdown for p in pools)  # every pool, retired or current, was shut down
