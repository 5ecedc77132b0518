"""Scenario 8: 50 /analyse interactions in one burst; every one is acknowledged in time and answered.

The loop lag is measured inside the bot (``bot.loop_monitor``, on the bot's own loop and thread) and written to
``bench/out/e2e_loop_lag.json`` for the benchmark report. Its p99 is printed, and asserted against the issue's
100 ms only when ``BYLINE_E2E_STRICT_LAG=1``: on a shared 2-core runner the analysis worker, the fake Discord and
the test process all compete for the same cores, and a timing assertion there would fail for reasons that are
not the bot's. A loose bound (1 s) always applies: it catches analysis or I/O running on the loop itself.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests.e2e import builders
from tests.e2e.articles import article
from tests.e2e.flows import ACK_DEADLINE_S, Answer, wait_answer
from tests.e2e.harness import FOOTER_ID, Harness, embed_text
from tests.e2e.runner import BotThread

pytestmark = pytest.mark.e2e
BURST = 50
OUT = Path(__file__).resolve().parents[2] / "bench" / "out" / "e2e_loop_lag.json"
LOOSE_P99_MS = 1000.0
STRICT_P99_MS = 100.0


def classify(answer: Answer) -> str:
    """result (an analysis embed), busy, rate-limited, or error: what the member was told."""
    message = answer.message or {}
    text = embed_text(message).lower()
    if any(FOOTER_ID.search((e.get("footer") or {}).get("text", "")) for e in message.get("embeds") or []):
        return "result"
    if "busy" in text:
        return "busy"
    if "going a bit fast" in text:
        return "rate_limited"
    return "error"


async def _reset(monitor) -> None:
    monitor.reset()


async def _snapshot(monitor) -> dict:
    return dict(monitor.snapshot())


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def test_burst_of_fifty_analyses(byline: Harness) -> None:
    """Each interaction is acked < 3 s (deferred, or answered "busy" at once); none is lost."""
    fake, bot = byline.fake, byline.bot
    runner: BotThread = byline.runner
    payloads = [builders.slash(fake, fake.world.add_member(f"load-{i}"), "general", "analyse", text=article(500 + i))
                for i in range(BURST)]
    runner.call(lambda: _reset(bot.loop_monitor))
    started = time.monotonic()
    sent = [(p["token"], fake.interact(p)) for p in payloads]
    answers = [wait_answer(fake, token, at, timeout=240) for token, at in sent]
    elapsed = time.monotonic() - started
    lag = runner.call(lambda: _snapshot(bot.loop_monitor))
    kinds = [classify(a) for a in answers]
    acks = [a.ack_seconds for a in answers]
    report = {"burst": BURST, "elapsed_s": round(elapsed, 2), "loop_lag": lag,
              "ack_p50_s": round(_pct(acks, 50), 3), "ack_max_s": round(max(acks), 3),
              "answers": {k: kinds.count(k) for k in sorted(set(kinds))},
              "workers": bot.settings.analysis.workers, "queue_size": bot.settings.discord.queue_size,
              "cpus": os.cpu_count()}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\ne2e load: {json.dumps(report)}")

    assert len(answers) == BURST and all(a.ack.status == 200 for a in answers)
    late = [(a.token, round(a.ack_seconds, 2)) for a in answers if a.ack_seconds >= ACK_DEADLINE_S]
    assert not late, f"acknowledged after Discord's 3 s deadline: {late}"
    assert "error" not in kinds and "rate_limited" not in kinds, report["answers"]
    assert kinds.count("result") >= bot.settings.analysis.workers  # the queue really worked through some
    for answer, kind in zip(answers, kinds, strict=True):
        if kind == "busy":
            assert answer.ephemeral  # refusals are private
    assert lag["samples"] >= 5  # the monitor really sampled during the burst
    assert lag["p99_ms"] < LOOSE_P99_MS, report
    if os.environ.get("BYLINE_E2E_STRICT_LAG") == "1":
        assert lag["p99_ms"] < STRICT_P99_MS, report
