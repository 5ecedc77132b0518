"""close(timeout) waits for, then kills, a job still running in a pool retired after its share of jobs."""
from __future__ import annotations

import asyncio
import os
import signal

import pytest

from bot.config import AnalysisSettings
from bot.errors import ShuttingDown
from bot.workers import AnalysisService
from tests.test_workers import _gone, _stop_proof_pool, _stuck_job


async def test_close_kills_a_stuck_job_of_a_retired_pool(tmp_path):
    service = AnalysisService(AnalysisSettings(workers=1), queue_size=1, executor_factory=_stop_proof_pool,
                              job=_stuck_job, jobs_per_pool=2)
    await service.start(warm=False)
    marker = tmp_path / "started"
    pid = await service._submit(os.getpid)          # job 1 of the pool
    caller = asyncio.create_task(service.analyze(str(marker)))  # job 2: the pool is retired right after submit
    try:
        for _ in range(2000):
            if marker.exists():
                break
            await asyncio.sleep(0.01)
        assert marker.exists()
        await asyncio.wait_for(service.close(timeout=0.5), 60)
        # close()'s contract: running jobs waited for at most `timeout`, then the workers are killed and the
        # caller is told Byline is restarting.
        for _ in range(300):
            if _gone(pid):
                break
            await asyncio.sleep(0.01)
        assert _gone(pid), f"worker {pid} of the retired pool is still running after close(timeout=0.5)"
        with pytest.raises(ShuttingDown):
            await asyncio.wait_for(caller, 5)
    finally:
        if not _gone(pid):
            os.kill(pid, signal.SIGKILL)
        caller.cancel()
        await asyncio.gather(caller, return_exceptions=True)
