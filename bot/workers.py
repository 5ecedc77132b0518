"""Run analyses off the event loop, in worker processes that each load the model once.

spaCy parsing is CPU-bound and holds the GIL, so a thread would still stall the gateway heartbeat;
separate processes keep the bot's loop free. The pool is fed through a bounded queue: when every
worker is busy and ``queue_size`` jobs already wait, new requests get ``BusyError`` ("try again
shortly") at once instead of piling up behind a 3-second interaction deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import logging
import multiprocessing
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from bot.analysis.result import Result
from bot.config import AnalysisSettings
from bot.errors import AnalysisFailed, AnalysisTimedOut, BusyError, InputError, NotAnArticle, ShuttingDown

log = logging.getLogger(__name__)

T = TypeVar("T")
# The pool is replaced after this many jobs, so spaCy's ever-growing string store can't creep up forever. Not
# ProcessPoolExecutor's max_tasks_per_child: on Python 3.11 a worker that retires with jobs queued is never
# replaced (CPython gh-115634), and those jobs, and the shutdown waiting for them, hang for good.
JOBS_PER_POOL = 500
# How often a queued job looks whether a worker has taken it, which starts its clock (``job_timeout_seconds``).
TURN_POLL_SECONDS = 0.2

WARM_UP_TEXT = "Warm-up Headline\nThe council met on Monday, officials said. \"It went well,\" the mayor said.\n"
_engine: Any = None  # the worker process's Engine, built by _init_worker
_model_loads = 0  # how many times this worker loaded the model (should stay 1)


def _init_worker(settings: AnalysisSettings) -> None:
    """Load the model once per worker process. Stop signals are the parent's business: Ctrl-C reaches the whole
    process group and systemd sends SIGTERM to every process of the service, and a worker dying then would fail
    the very analyses the graceful shutdown is waiting for. The parent ends its workers itself (SIGKILL if stuck).
    """
    global _engine, _model_loads
    _ignore_stop_signals()
    from bot.analysis import Engine

    _engine = Engine(settings)
    _ = _engine.nlp
    _model_loads += 1
    # The first analysis in a fresh process pays for lazy imports and allocator warm-up (about 0.4 s);
    # pay it here, before any member is waiting.
    _engine.analyze(WARM_UP_TEXT)


def _ignore_stop_signals() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)


def _ready() -> bool:
    """A no-op job: submitting it makes the pool start a worker (and load the model) ahead of demand."""
    return _engine is not None


def worker_info_job() -> dict[str, int]:
    """Diagnostics from inside a worker: its pid and how often it loaded the model."""
    import os

    return {"pid": os.getpid(), "model_loads": _model_loads}


def analyze_job(text: str, sentences: int | None) -> dict[str, Any]:
    """Analyse in the worker; the result crosses the process boundary as contract JSON."""
    if _engine is None:  # pragma: no cover - the initializer always runs first in a pool
        raise AnalysisFailed("The analysis worker is not ready.")
    return dict(_engine.analyze(text, sentences=sentences).to_dict())


def extract_html_job(data: bytes, min_chars: int) -> tuple[str | None, str]:
    """Turn an uploaded HTML file into (title, text) with the fetcher's own extraction rules."""
    from bot.extract import Page, build_article

    page = Page(url="https://upload.invalid/", body=data, kind="html", charset=None)
    try:
        article = build_article(page, page.url, min_chars)
    except NotAnArticle:
        raise InputError("Byline found too little article text in that HTML file.") from None
    return article.title, article.text


def extract_page_job(page: Any, url: str, min_chars: int) -> Any:
    """Extract a fetched page's article in the worker: trafilatura holds the interpreter lock for seconds on a
    big page, which in the bot's process would stall the event loop (and Discord's heartbeats) meanwhile."""
    from bot.extract import build_article

    return build_article(page, url, min_chars)


def default_executor(settings: AnalysisSettings) -> Executor:
    """A spawn-based process pool: forking a process that runs an event loop and threads is unsafe."""
    return ProcessPoolExecutor(
        max_workers=settings.workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(settings,),
    )


class AnalysisService:
    """The bot's door to the engine: ``await analyze(text)`` never blocks the loop and may raise BusyError.

    ``executor_factory`` and ``job`` are injectable so tests can run the same queueing logic on a
    thread pool with a job they control.
    """

    def __init__(
        self,
        settings: AnalysisSettings,
        *,
        queue_size: int = 8,
        executor_factory: Callable[[], Executor] | None = None,
        job: Callable[[str, int | None], dict[str, Any]] = analyze_job,
        extract_job: Callable[[bytes, int], tuple[str | None, str]] = extract_html_job,
        jobs_per_pool: int = JOBS_PER_POOL,
    ) -> None:
        self.settings = settings
        self.workers = settings.workers
        self.queue_size = queue_size
        self.capacity = settings.workers + queue_size
        self._factory = executor_factory or (lambda: default_executor(settings))
        self._job = job
        self._extract_job = extract_job
        self._executor: Executor | None = None
        self._closed = False  # set by close(): no new pool may be built after it
        self._in_flight = 0
        self._jobs_per_pool = jobs_per_pool
        self._submitted = 0  # jobs given to the current pool
        self._retiring: set[Executor] = set()  # replaced pools still finishing the jobs they were given
        # The jobs each pool still holds, oldest first: a pool's workers take them in this order.
        self._pending: dict[Executor, dict[Future[Any], None]] = {}
        # One job's timeout kills its whole pool (see _wait); the other jobs it held are bystanders and get one more try
        # on the fresh pool. Each set only ever holds jobs still in flight.
        self._resubmittable: set[Future[Any]] = set()  # first tries whose callers still wait for them
        self._bystanders: set[Future[Any]] = set()  # those held by a pool killed for another job's timeout
        self._handed_over: set[Future[Any]] = set()  # bystanders that ended broken or cancelled, slot kept (_settle)
        self._unstarted: set[Future[Any]] = set()  # bystanders still queued at the kill: they never ran, so no poison
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()  # done-callbacks run on the pool's management thread
        self.completed = 0
        self.rejected = 0

    @property
    def engine_version(self) -> str:
        """The version stored with results; computed without importing spaCy into the bot's process."""
        from bot.analysis.version import engine_version

        return engine_version(self.settings)

    @property
    def in_flight(self) -> int:
        """Jobs running or waiting right now."""
        return self._in_flight

    def is_busy(self) -> bool:
        """True when a new job would be refused; lets callers refuse before deferring an interaction."""
        return self._in_flight >= self.capacity

    async def start(self, *, warm: bool = True) -> None:
        """Create the pool; with ``warm``, start the workers now so the first user doesn't wait for the model.

        Refused with ShuttingDown after close(): a start-up still running when the shutdown closed the service must
        not bring the workers back. A cleared client that starts over calls reopen() first.
        """
        executor = self._ensure_executor()
        if warm:
            loop = asyncio.get_running_loop()
            for _ in range(self.workers):
                loop.run_in_executor(executor, _ready).add_done_callback(_log_warm_failure)

    def reopen(self) -> None:
        """Allow start() again after close() (a cleared client running setup_hook again)."""
        self._closed = False

    async def close(self, timeout: float | None = None) -> None:
        """Stop the workers without running queued jobs; their callers get ShuttingDown.

        Running jobs are waited for, at most ``timeout`` seconds: then the worker processes are killed, so a huge
        article cannot hold a shutdown past the process manager's patience. Takes at most twice ``timeout``.
        """
        self._closed = True
        executor, self._executor = self._executor, None
        with self._lock:
            pools = [p for p in (executor, *self._retiring) if p is not None]
            self._retiring.clear()
        if not pools:
            return
        stopping = asyncio.ensure_future(asyncio.gather(
            *(asyncio.to_thread(p.shutdown, wait=True, cancel_futures=True) for p in pools)))
        try:
            await asyncio.wait_for(asyncio.shield(stopping), timeout)
        except TimeoutError:
            log.warning("analysis workers still busy %.1f s after close; killing them", timeout)
            for pool in pools:
                _terminate_workers(pool)
            try:
                await asyncio.wait_for(asyncio.shield(stopping), timeout)
            except TimeoutError:
                log.error("analysis workers did not stop; leaving them behind")

    async def analyze(self, text: str, sentences: int | None = None) -> Result:
        """Analyse ``text`` in a worker; raise BusyError when the queue is full."""
        data = await self._submit(self._job, text, sentences)
        return Result.from_dict(data)

    async def extract_html(self, data: bytes, min_chars: int = 200) -> tuple[str | None, str]:
        """Extract an uploaded HTML file's article off the loop; returns (title, text)."""
        return await self._submit(self._extract_job, data, min_chars)

    async def extract_page(self, page: Any, url: str, min_chars: int) -> Any:
        """Extract a fetched page's article off the loop (the fetcher's extractor in the bot); may raise BusyError."""
        return await self._submit(extract_page_job, page, url, min_chars)

    async def worker_info(self) -> dict[str, int]:
        """Ask one worker for its pid and model-load count (diagnostics and tests)."""
        return await self._submit(worker_info_job)

    async def _submit(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` in a worker. The job holds one slot of ``capacity`` from here until its worker is done
        with it, through its one resubmission if it was a bystander of another job's timeout (see ``_wait``)."""
        if self._closed:
            raise ShuttingDown()
        with self._lock:
            if self._in_flight >= self.capacity:
                self.rejected += 1
                raise BusyError()
            self._in_flight += 1
        first_try = True
        while True:
            try:
                executor, future = await self._start_job(fn, *args)
            except BaseException:
                self._release(None)
                raise
            if first_try:
                with self._lock:
                    self._resubmittable.add(future)
            # Count the job until the worker really finishes, even if the awaiting task is cancelled (_settle).
            future.add_done_callback(self._settle)
            try:
                return await self._wait(executor, future)
            except BaseException as error:
                kept, unstarted = self._reclaim(future)  # first: nothing below may skip it
                task = asyncio.current_task()
                cancelling = task is not None and task.cancelling() > 0
                if kept:  # a bystander of another job's timeout: its slot is still ours
                    broken = isinstance(error, BrokenProcessPool | asyncio.CancelledError)
                    if broken and not (self._closed or cancelling):
                        log.warning("resubmitting an analysis job whose pool was stopped for another job's timeout")
                        # Once for a job that was running (it may be what is slow); one that only waited in the
                        # queue never ran, so it keeps its one retry for a kill that finds it running.
                        first_try = unstarted and first_try
                        continue
                    self._release(None)
                if isinstance(error, asyncio.CancelledError) and future.cancelled() and not cancelling:
                    if self._closed:
                        raise ShuttingDown() from None  # close() dropped the queued job; the caller is not cancelled
                    raise AnalysisFailed() from None  # a replaced pool dropped the queued job (a retry's second pool)
                if isinstance(error, BrokenProcessPool):
                    if self._closed:
                        raise ShuttingDown() from None  # close() terminated a job that outlived its timeout
                    if self._executor is not executor and executor not in self._retiring:
                        # Its pool was replaced while it ran (another job's timeout, or a crash another caller saw
                        # first): the pool is new already, and this is its second try or the crash was its own.
                        log.warning("an analysis job ended with a pool that was replaced meanwhile; not retried")
                        raise AnalysisFailed() from None
                    # Not retried: the job itself may be what killed the worker (a poison input would break the new
                    # pool too). Only a pool killed for another job's timeout (_wait) gives its jobs a second try.
                    log.error("an analysis worker died during a job; restarting the pool")
                    await self._restart(executor)
                    raise AnalysisFailed() from None
                raise

    async def _wait(self, executor: Executor, future: Future[T]) -> T:
        """The job's result, or AnalysisTimedOut once it has run ``job_timeout_seconds`` in a worker.

        A job that never returns (a wedged worker, an input no limit foresaw) would otherwise hold its worker, and
        every job queued behind it, until a restart. The clock starts when a worker takes the job, not while it
        waits its turn, so a burst of ordinary jobs never runs out of time. Past it the pool's workers are killed
        and the pool replaced, and later jobs run on the fresh pool. The other jobs the killed pool held, running or
        queued, are bystanders: marked here before the kill, each ends in BrokenProcessPool (or is cancelled) and
        ``_submit`` gives it once to the fresh pool, where its own clock starts again when a worker takes it; one
        whose own limit passes before that end arrives waits for it rather than kill again. A caller cancelled
        while its job waits takes the job out of the queue, as before.
        """
        waiting = asyncio.wrap_future(future)
        limit = self.settings.job_timeout_seconds
        try:
            while not waiting.done() and not self._taken(executor, future):
                await asyncio.wait({waiting}, timeout=TURN_POLL_SECONDS)
            if not waiting.done():
                await asyncio.wait({waiting}, timeout=limit)
            if not waiting.done() and self._is_bystander(future):
                await asyncio.wait({waiting}, timeout=limit)  # its workers are dead: the pool is about to say so
        except asyncio.CancelledError:
            waiting.cancel()  # cancels the pool's future too, unless a worker already runs it
            raise
        if waiting.done():
            return waiting.result()
        waiting.add_done_callback(_consume)  # the killed job's BrokenProcessPool is expected, not news
        log.error("an analysis job ran past %.0f s; stopping its worker", limit)
        self._mark_bystanders(executor, future)
        _terminate_workers(executor)
        await self._restart(executor)
        raise AnalysisTimedOut()

    def _taken(self, executor: Executor, future: Future[Any]) -> bool:
        """Whether a worker runs the job now: the pool's workers take its jobs oldest first, so a job is running
        once fewer than ``workers`` older ones are left."""
        with self._lock:
            jobs = self._pending.get(executor) or {}
            return future not in jobs or future in itertools.islice(jobs, self.workers)

    def _mark_bystanders(self, executor: Executor, culprit: Future[Any]) -> None:
        """Before ``culprit``'s pool is killed: the other jobs it still holds may be resubmitted (_settle): each
        first try, and each job still waiting in the queue, which never ran (see ``_taken`` for which run)."""
        with self._lock:
            self._resubmittable.discard(culprit)
            self._bystanders.discard(culprit)
            held = [f for f in self._pending.get(executor) or {} if f is not culprit]
            running = set(itertools.islice(held, self.workers - 1))  # the culprit holds the other worker
            queued = {f for f in held if f not in running}
            self._bystanders.update(f for f in held if f in self._resubmittable or f in queued)
            self._unstarted.update(queued)

    def _is_bystander(self, future: Future[Any]) -> bool:
        with self._lock:
            return future in self._bystanders or future in self._handed_over

    def _settle(self, future: Future[Any]) -> None:
        """Done-callback, on the pool's thread: free the job's slot, unless the job is a bystander of another job's
        timeout that ended broken or cancelled; then its caller keeps the slot to resubmit the job (``_submit``)."""
        with self._lock:
            self._resubmittable.discard(future)
            if future in self._bystanders:
                self._bystanders.discard(future)
                if future.cancelled() or isinstance(future.exception(), BrokenProcessPool):
                    self._handed_over.add(future)
                    return
            self._unstarted.discard(future)
            self._in_flight -= 1
            self.completed += 1

    def _reclaim(self, future: Future[Any]) -> tuple[bool, bool]:
        """Once its caller stops waiting for ``future``: whether the future left its slot to the caller (``_settle``),
        who must now resubmit the job or free the slot, and whether the job never ran. Afterwards the future frees its
        own slot when it ends."""
        with self._lock:
            self._resubmittable.discard(future)
            self._bystanders.discard(future)
            kept = future in self._handed_over
            self._handed_over.discard(future)
            unstarted = future in self._unstarted
            self._unstarted.discard(future)
            return kept, unstarted

    async def _start_job(self, fn: Callable[..., T], *args: Any) -> tuple[Executor, Future[T]]:
        """Submit to the pool; a pool that broke while idle (worker OOM-killed) is replaced and the job tried once more.

        The retry is safe because a refused submit never ran the job.
        """
        for _attempt in range(2):
            executor = self._ensure_executor()
            try:
                future = executor.submit(fn, *args)
            except BrokenProcessPool:
                log.error("the analysis pool broke while idle; restarting it")
                await self._restart(executor)
                continue
            self._submitted += 1
            self._loop = asyncio.get_running_loop()
            with self._lock:
                self._pending.setdefault(executor, {})[future] = None
            future.add_done_callback(functools.partial(self._job_done, executor))
            if self._submitted >= self._jobs_per_pool:
                self._retire(executor)
            return executor, future
        raise AnalysisFailed()

    def _retire(self, executor: Executor) -> None:
        """Give new jobs to a fresh pool; the old one finishes every job it holds, then is shut down (``_job_done``).

        Not shut down at once: on 3.11 that forgets the pool's processes, and close() could then neither wait for
        nor kill a job still running there.
        """
        log.info("analysis pool replaced after %d jobs", self._submitted)
        self._executor = None
        with self._lock:
            self._retiring.add(executor)
        with contextlib.suppress(RuntimeError):  # warm the next pool now, so no member waits for the model
            loop = asyncio.get_running_loop()
            fresh = self._ensure_executor()
            for _ in range(self.workers):
                loop.run_in_executor(fresh, _ready).add_done_callback(_log_warm_failure)

    def _job_done(self, executor: Executor, future: Future[Any]) -> None:
        """Called on the pool's own thread: a retired pool whose last job ended is shut down, from the loop."""
        with self._lock:
            jobs = self._pending.get(executor)
            if jobs is not None:
                jobs.pop(future, None)
            idle = not jobs
            if idle:
                self._pending.pop(executor, None)
            finished = idle and executor in self._retiring
            if finished:
                self._retiring.discard(executor)
        if finished and self._loop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: close() has shut every pool
                self._loop.call_soon_threadsafe(functools.partial(executor.shutdown, wait=False))

    def _release(self, _future: Future[Any] | None) -> None:
        with self._lock:
            self._in_flight -= 1
            self.completed += 1

    def _ensure_executor(self) -> Executor:
        if self._closed:
            raise ShuttingDown()
        if self._executor is None:
            self._executor = self._factory()
            self._submitted = 0
        return self._executor

    async def _restart(self, broken: Executor) -> None:
        """Replace ``broken`` with a fresh pool, unless another failed job already did.

        Every job in flight fails at once when a worker dies; comparing identity makes them build one pool
        between them, and swapping before the first ``await`` keeps the check and the swap atomic on the loop.
        """
        if self._executor is not broken:
            return
        self._executor = self._factory()
        self._submitted = 0
        await asyncio.to_thread(broken.shutdown, wait=False, cancel_futures=True)


def _terminate_workers(executor: Executor) -> None:
    """Kill a process pool's workers mid-job, with SIGKILL because they ignore SIGTERM (see _init_worker).

    Python 3.14 has ``kill_workers``; before it the pool's own worker table is the only handle. A thread pool
    cannot be stopped, so it is left to finish."""
    stop = getattr(executor, "kill_workers", None)
    if callable(stop):
        stop()
        return
    processes: dict[int, Any] = getattr(executor, "_processes", None) or {}
    with contextlib.suppress(Exception):  # the pool's manager thread may change the table meanwhile
        for process in list(processes.values()):
            process.kill()


def _consume(future: asyncio.Future[Any]) -> None:
    """Read a future's outcome so asyncio does not report an exception nobody was waiting for."""
    if not future.cancelled():
        future.exception()


def _log_warm_failure(future: asyncio.Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("an analysis worker failed to start: %s", future.exception())
