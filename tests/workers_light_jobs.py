"""Worker-side jobs for test_workers_timeout_bystanders.

Standard library only: a spawned worker imports this module when it unpickles its initializer or first job, and
with the bot's or the test kit's imports that took seconds, all of it counted against the job's time limit (a job's
clock starts when it is handed to a worker, before the worker process is even up).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

_generation = 0  # in a worker: which of a test's pools it belongs to (1 = the first, 2 = the one built after a kill)


def join_generation(generation: int) -> None:
    """Worker initializer: ignore stop signals as the real workers do (bot.workers._init_worker), note the pool."""
    global _generation
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    _generation = generation


def stuck(marker: str) -> None:
    """Say it started (the marker file), then run far longer than any limit a test sets."""
    Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(600)


def gated(folder: str) -> tuple[int, int]:
    """Note each start (generation and pid) in ``starts``, wait for the test's ``release`` file, say where it ran."""
    gate = Path(folder)
    with (gate / "starts").open("a", encoding="utf-8") as starts:
        starts.write(f"{_generation} {os.getpid()}\n")
    for _ in range(6000):
        if (gate / "release").exists():
            return _generation, os.getpid()
        time.sleep(0.01)
    raise TimeoutError("never released")


def square(n: int) -> tuple[int, int]:
    """An ordinary job: its answer, and the pool that computed it."""
    return _generation, n * n


def die_counted(path: str) -> None:
    """A poison input: note the start, then take the worker down with it."""
    with Path(path).open("a", encoding="utf-8") as starts:
        starts.write(f"{os.getpid()}\n")
    os._exit(3)
