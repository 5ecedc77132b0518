"""Shared helpers for the benchmarks: test texts, interleaved timing, machine facts, result files.

Every timing in this suite is a ratio against a baseline measured in the same process and run, with
subject and baseline interleaved, because the machine is shared and noisy: a slow minute hits both.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import json
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
ARTICLES = BENCH / "articles"
OUT = BENCH / "out"
CNNDM = ROOT.parent / "shared" / "data" / "cnndm" / "dev.jsonl"
# Long enough for the 50k-word texts (about 300k characters); the shipped default is 200k.
BENCH_MAX_CHARS = 2_000_000
SIZES = (1_000, 5_000, 20_000, 50_000)


def own_articles() -> list[str]:
    """The news-like articles written for this suite (headline, then paragraphs)."""
    return [p.read_text(encoding="utf-8").strip() for p in sorted(ARTICLES.glob("*.txt"))]


def cnndm_articles(limit: int | None = None) -> list[str]:
    """CNN/DM dev texts when the shared data is present (read in place, never copied); else []."""
    if not CNNDM.is_file():
        return []
    texts: list[str] = []
    with CNNDM.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                texts.append(json.loads(line)["text"].strip())
            if limit is not None and len(texts) >= limit:
                break
    return texts


def words(text: str) -> int:
    """White-space word count, the unit of every per-word figure."""
    return len(text.split())


def text_of_words(articles: Sequence[str], n_words: int) -> str:
    """Join whole paragraphs of ``articles`` (cycling if needed) until the text has ``n_words`` words.

    Articles are separated by a blank line, as a pasted digest would be; a paragraph is never cut.
    """
    if not articles:
        raise ValueError("no articles to build a text from")
    parts: list[str] = []
    total = 0
    i = 0
    while total < n_words:
        for para in articles[i % len(articles)].split("\n\n"):
            parts.append(para)
            total += words(para)
            if total >= n_words:
                break
        i += 1
    return "\n\n".join(parts)


def sized_texts(source: str, sizes: Sequence[int] = SIZES) -> dict[int, str]:
    """Texts of about each size from ``source`` ("own" or "cnndm"); {} if the source is missing."""
    articles = own_articles() if source == "own" else cnndm_articles()
    if not articles:
        return {}
    return {n: text_of_words(articles, n) for n in sizes}


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """Run ``fn`` once after a garbage collection; return (wall seconds, process CPU seconds)."""
    gc.collect()
    c0, w0 = time.process_time(), time.perf_counter()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


@dataclass
class Paired:
    """Interleaved wall/CPU timings of a subject and its baseline."""

    subject_wall: list[float] = field(default_factory=list)
    base_wall: list[float] = field(default_factory=list)
    subject_cpu: list[float] = field(default_factory=list)
    base_cpu: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        """Medians, the ratio of medians, and the median of per-pair ratios (robust to load drift)."""
        med = statistics.median
        pair = [s / b for s, b in zip(self.subject_wall, self.base_wall, strict=True)]
        pair_cpu = [s / b for s, b in zip(self.subject_cpu, self.base_cpu, strict=True)]
        return {
            "repeats": len(pair),
            "subject_ms": med(self.subject_wall) * 1000,
            "base_ms": med(self.base_wall) * 1000,
            "ratio": med(self.subject_wall) / med(self.base_wall),
            "ratio_pairs": med(pair),
            "ratio_cpu": med(pair_cpu),
            "ratio_pairs_min": min(pair),
            "ratio_pairs_max": max(pair),
        }


def interleave(subject: Callable[[], Any], base: Callable[[], Any], repeats: int) -> Paired:
    """Time ``subject`` and ``base`` alternately, flipping which goes first every repeat."""
    out = Paired()
    for r in range(repeats):
        order = ("s", "b") if r % 2 == 0 else ("b", "s")
        for who in order:
            wall, cpu = timed(subject if who == "s" else base)
            if who == "s":
                out.subject_wall.append(wall)
                out.subject_cpu.append(cpu)
            else:
                out.base_wall.append(wall)
                out.base_cpu.append(cpu)
    return out


def bench_settings(**changes: Any) -> Any:
    """The shipped analysis settings with ``max_chars`` raised for the long texts."""
    from bot.config import AnalysisSettings

    settings = dataclasses.replace(AnalysisSettings(), max_chars=BENCH_MAX_CHARS, **changes)
    settings.validate()
    return settings


def machine() -> dict[str, Any]:
    """The facts a reader needs to compare these figures with their own."""
    import spacy

    cpu = "unknown"
    mem_gib = 0.0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gib = int(line.split()[1]) / 1024 / 1024
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_gib, 1),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "load_avg_1m": round(load[0], 2),
        "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
        "git": _git_head(),
    }


def _git_head() -> str:
    try:
        cmd = ["git", "rev-parse", "--short", "HEAD"]
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def save(name: str, data: dict[str, Any]) -> Path:
    """Write one benchmark's figures to ``bench/out/<name>.json`` (git-ignored)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


def load(name: str) -> dict[str, Any] | None:
    """Read ``bench/out/<name>.json`` if a run produced it."""
    path = OUT / f"{name}.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def run_from_command_line(name: str, run: Callable[[bool], dict[str, Any]], doc: str | None) -> None:
    """The entry point every benchmark module shares: ``--quick``, run, save, and print where it went."""
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--quick", action="store_true")
    print(save(name, run(parser.parse_args().quick)))
