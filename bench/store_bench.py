"""Store benchmark (a script, not a test): fill a database with synthetic analyses, then time look-ups and search.

    python3 -m bench.store_bench                       # 100k analyses over 10 guilds, temp database
    python3 -m bench.store_bench --rows 20000 --guilds 1 --db /tmp/b.db --keep

It reports insert throughput (one ``save_analysis`` transaction per analysis, as the bot does), and p50/p95
for ``get_analysis`` (by short id) and ``search`` (FTS5, bm25, snippets, limit 5). Texts are ~200 words drawn
from a Zipf-distributed vocabulary, so common words match many documents, as real news words do.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.analysis.result import Attribution, Flag, Result, Span, Stats, SummarySentence
from bot.store import Store

KINDS = ("named", "anonymous", "vague", "pronoun", "none")
CATEGORIES = (("anonymous_source", "high"), ("vague_source", "medium"), ("no_source", "low"))


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """Pronounceable fake words, so the index behaves like a real language's long tail."""
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "bra", "cor", "den", "fal", "gri", "hul"]
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def make_article(rng: random.Random, words: list[str], weights: list[float], n_words: int) -> tuple[str, Result]:
    """A synthetic article of 10 sentences with a summary, attributions and two flags."""
    picked = rng.choices(words, weights=weights, k=n_words)
    per = n_words // 10
    sentences = [" ".join(picked[i * per:(i + 1) * per]).capitalize() + "." for i in range(10)]
    text = " ".join(sentences)
    bounds, pos = [], 0
    for s in sentences:
        bounds.append((pos, pos + len(s)))
        pos += len(s) + 1
    summary = [SummarySentence(i, *bounds[i], sentences[i]) for i in (0, 3, 6)]
    attributions = [Attribution(Span.of(text, *bounds[i]), None, None, rng.choice(KINDS), False, i) for i in range(4)]
    flags = []
    for i, (category, severity) in zip((2, 5), rng.sample(CATEGORIES, 2), strict=True):
        start, end = bounds[i]
        flags.append(Flag(category, severity, start, end, Span.of(text, start, start + 12), "Synthetic flag."))
    return text, Result(10, summary, attributions, flags, Stats.count(attributions), engine="bench/1")


def pct(values: list[float], q: float) -> float:
    """The q-quantile in milliseconds."""
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1] * 1000


async def fill(store: Store, args: argparse.Namespace, rng: random.Random) -> tuple[list[tuple[int, str]], float]:
    words = vocabulary(args.vocab, rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    ids: list[tuple[int, str]] = []
    started = time.perf_counter()
    for n in range(args.rows):
        text, result = make_article(rng, words, weights, args.words)
        guild = 1000 + n % args.guilds
        saved = await store.save_analysis(guild, text, result, engine_version="bench/1", title=f"Story {n}",
                                          url=f"https://site{n % 50}.example/{n}", author_id=n % 997)
        ids.append((guild, saved.id))
        if (n + 1) % 10_000 == 0:
            print(f"  {n + 1} rows, {(n + 1) / (time.perf_counter() - started):.0f}/s", flush=True)
    return ids, time.perf_counter() - started


async def timed(calls: list[tuple[Any, ...]], fn: Callable[..., Awaitable[Any]]) -> list[float]:
    out = []
    for call in calls:
        t0 = time.perf_counter()
        await fn(*call)
        out.append(time.perf_counter() - t0)
    return out


async def main(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    tmp = None if args.db else tempfile.TemporaryDirectory(prefix="byline-bench-")
    path = Path(args.db or Path(tmp.name) / "bench.db")
    async with Store.open(path) as store:
        print(f"filling {path} with {args.rows} analyses over {args.guilds} guild(s)...", flush=True)
        ids, seconds = await fill(store, args, rng)
        lookups = [rng.choice(ids) for _ in range(args.lookups)]
        look = await timed(lookups, lambda g, i: store.get_analysis(g, i))
        found_ids = [await store.get_analysis(g, i) for g, i in lookups[:50]]
        assert all(found_ids), "look-ups must find what was saved"
        words = vocabulary(args.vocab, random.Random(args.seed))
        queries: dict[str, list[tuple[int, str]]] = {"article words": [], "50 most common words": []}
        for k in range(args.searches):
            guild, short_id = rng.choice(ids)
            if k % 2:  # words of a stored article: always at least one hit
                text = await store.get_text(guild, short_id) or ""
                own = text.replace(".", "").lower().split()
                queries["article words"].append((guild, " ".join(rng.sample(own, rng.choice((1, 2, 3))))))
            else:  # the most matches, so the most bm25 work (real text would have stop words here)
                picked = rng.sample(words[:50], rng.choice((1, 1, 2)))
                queries["50 most common words"].append((guild, " ".join(picked)))
        hits: list[int] = []

        async def search(guild: int, query: str) -> None:
            hits.append(len(await store.search(guild, query, limit=5)))

        found = {name: await timed(qs, search) for name, qs in queries.items()}
    size = sum(f.stat().st_size for f in path.parent.glob(path.name + "*")) / 2**20
    print(f"\ninsert: {args.rows} analyses in {seconds:.1f} s = {args.rows / seconds:.0f} analyses/s "
          f"(one transaction each, synchronous=FULL); database {size:.0f} MiB")
    print(f"get_analysis by id: p50 {pct(look, .5):.2f} ms, p95 {pct(look, .95):.2f} ms ({len(look)} look-ups)")
    every = [t for times in found.values() for t in times]
    print(f"search (limit 5):   p50 {pct(every, .5):.2f} ms, p95 {pct(every, .95):.2f} ms ({len(every)} queries, "
          f"{sum(1 for h in hits if h) / len(hits):.0%} with hits)")
    for name, times in found.items():
        print(f"  {name + ':':22s}p50 {pct(times, .5):.2f} ms, p95 {pct(times, .95):.2f} ms ({len(times)} queries)")
    if tmp and not args.keep:
        tmp.cleanup()


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--guilds", type=int, default=10)
    p.add_argument("--words", type=int, default=200, help="words per synthetic article")
    p.add_argument("--vocab", type=int, default=20_000)
    p.add_argument("--lookups", type=int, default=2000)
    p.add_argument("--searches", type=int, default=500)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--db", help="database file (default: a temporary one)")
    p.add_argument("--keep", action="store_true", help="keep the temporary database")
    return p.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse()))
