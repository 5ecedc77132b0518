"""Batch throughput: ``Engine.analyze_many`` (``nlp.pipe``, the ``--jsonl`` path) against one at a time.

Both run in this process on the same articles, interleaved. A second figure runs the real command,
``python -m bot analyze --jsonl -``, in a fresh process (model load included) on the same lines.

    python -m bench.batch [--quick]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

from bench import common


def articles(quick: bool) -> list[str]:
    """Single articles: ours plus CNN/DM dev texts, or ours repeated when the shared data is absent."""
    own = common.own_articles()
    extra = common.cnndm_articles(limit=16 if quick else 56)
    texts = own + extra
    while len(texts) < (24 if quick else 64):
        texts += own
    return texts


def run(quick: bool = False) -> dict[str, Any]:
    """Articles per second, batched vs one at a time, and through the CLI."""
    from bot.analysis import Engine, Failure

    engine = Engine(common.bench_settings())
    texts = articles(quick)
    engine.analyze(texts[0])

    def batched() -> None:
        bad = [r for r in engine.analyze_many(texts) if isinstance(r, Failure)]
        if bad:
            raise RuntimeError(f"batch failures: {bad[:3]}")

    def single() -> None:
        for text in texts:
            engine.analyze(text)

    paired = common.interleave(batched, single, 2 if quick else 3)
    summary = paired.summary()
    n = len(texts)
    out = {
        "articles": n,
        "words": sum(common.words(t) for t in texts),
        "batched_per_s": n / (summary["subject_ms"] / 1000),
        "single_per_s": n / (summary["base_ms"] / 1000),
        "speedup": 1 / summary["ratio_pairs"],
        **summary,
        "cli": cli_throughput(texts),
    }
    print(f"  batch {n} articles: analyze_many {out['batched_per_s']:.2f}/s  one-by-one {out['single_per_s']:.2f}/s  "
          f"speedup {out['speedup']:.2f}x; CLI {out['cli']['per_s']:.2f}/s incl. start-up")
    return out


def cli_throughput(texts: list[str]) -> dict[str, Any]:
    """Run ``python -m bot analyze --jsonl -`` once on the texts; count result lines per second."""
    lines = "".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(texts))
    cmd = [sys.executable, "-m", "bot", "analyze", "--jsonl", "-"]
    env_cmd = {"BYLINE_ANALYSIS_MAX_CHARS": str(common.BENCH_MAX_CHARS)}
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, input=lines, capture_output=True, text=True, cwd=common.ROOT,
                          env={**os.environ, **env_cmd}, timeout=900, check=False)
    wall = time.perf_counter() - t0
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    errors = sum(1 for r in results if "error" in r)
    return {"command": "python -m bot analyze --jsonl - < N lines", "rc": proc.returncode, "wall_s": wall,
            "results": len(results), "errors": errors, "per_s": len(results) / wall if wall else 0.0,
            "stderr_tail": proc.stderr[-300:]}


def main() -> None:
    """Command line entry: run and save."""
    common.run_from_command_line("batch", run, __doc__)


if __name__ == "__main__":
    main()
