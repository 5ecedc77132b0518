"""A retired pool stays known (so close() can wait for it or kill it) until every job it holds has ended, not just
the last one submitted: with 2 workers an earlier, longer job may still be running."""
from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from bot.config import AnalysisSettings
from bot.workers import AnalysisService


def slow(gate: threading.Event) -> str:
    gate.wait(30)
    return "slow"


def quick() -> str:
    return "quick"


async def test_a_retired_pool_is_known_until_its_last_running_job_ends():
    pools: list[ThreadPoolExecutor] = []

    def factory():
        pools.append(ThreadPoolExecutor(max_workers=2))
        return pools[-1]

    service = AnalysisService(AnalysisSettings(workers=2), queue_size=4, executor_factory=factory, jobs_per_pool=2)
    await service.start(warm=False)
    gate = threading.Event()
    long_job = asyncio.create_task(service._submit(slow, gate))
    await asyncio.sleep(0.05)
    assert await service._submit(quick) == "quick"   # 2nd job: pool 1 retired, and this job is its "last"
    await asyncio.sleep(0.05)
    assert not long_job.done()
    assert pools[0] in service._retiring  # still running a job: close() must still see this pool
    gate.set()
    assert await long_job == "slow"
    for _ in range(500):  # the pool leaves the list once its last job has ended
        if pools[0] not in service._retiring:
            break
        await asyncio.sleep(0.01)
    assert pools[0] not in service._retiring
    await service.close(timeout=5)
