"""A pool replaced for any reason (broken, or closed and reopened) starts its own count of jobs towards recycling."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.config import AnalysisSettings
from bot.workers import AnalysisService
from tests.botkit import ARTICLE, rule_job


class BreakablePool(ThreadPoolExecutor):
    broken = False

    def submit(self, fn, /, *args, **kwargs):
        if self.broken:
            raise BrokenProcessPool("worker died while idle")
        return super().submit(fn, *args, **kwargs)


def recycling_service(pools: list[ThreadPoolExecutor], pool_class: type = ThreadPoolExecutor) -> AnalysisService:
    """A one-worker service on thread pools it records in ``pools``, replaced after three jobs each."""
    def factory() -> ThreadPoolExecutor:
        pools.append(pool_class(max_workers=1))
        return pools[-1]

    return AnalysisService(AnalysisSettings(workers=1), queue_size=2, executor_factory=factory, job=rule_job,
                           jobs_per_pool=3)


async def test_a_pool_built_by_restart_gets_its_full_share_of_jobs():
    pools: list[ThreadPoolExecutor] = []
    service = recycling_service(pools, BreakablePool)
    await service.start(warm=False)
    try:
        await service.analyze(ARTICLE)
        await service.analyze(ARTICLE)  # pool 1 has done 2 of its 3 jobs
        pools[0].broken = True  # type: ignore[attr-defined]  # its worker is OOM-killed while idle
        await service.analyze(ARTICLE)  # restarted on pool 2: this is pool 2's FIRST job
        assert len(pools) == 2, (f"pool 2 was retired after 1 job (a 3rd pool was built): "
                                 f"_submitted carried over from the broken pool; pools={len(pools)}")
    finally:
        await service.close(timeout=2)


async def test_a_reopened_service_gets_its_full_share_of_jobs():
    pools: list[ThreadPoolExecutor] = []
    service = recycling_service(pools)
    await service.start(warm=False)
    await service.analyze(ARTICLE)
    await service.analyze(ARTICLE)
    await service.close(timeout=2)
    service.reopen()                   # BylineBot.clear() then setup_hook again
    await service.start(warm=False)
    try:
        await service.analyze(ARTICLE)  # the new pool's first job
        assert len(pools) == 2, f"the fresh pool was retired after its first job; pools built: {len(pools)}"
    finally:
        await service.close(timeout=2)
