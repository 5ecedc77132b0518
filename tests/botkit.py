"""Build a real BylineBot for cog tests: real Store on a temporary SQLite file, real AnalysisService
queueing on a thread pool, real Fetcher; only the analysis *job* is swappable (a rule-based stand-in,
or the real Engine loaded once per test session).
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.analysis.result import Attribution, Flag, Result, Span, Stats, SummarySentence
from bot.client import BylineBot
from bot.config import AnalysisSettings, DiscordSettings, FetchSettings, Settings, StoreSettings
from bot.store import Store, StoredAnalysis
from bot.workers import AnalysisService

Job = Callable[[str, "int | None"], dict[str, Any]]

ARTICLE = (
    "Council approves the river bridge\n"
    "The city council approved the new river bridge on Monday after a long debate. "
    "Sources familiar with the talks said the cost had doubled since the spring. "
    "Critics say the design is unsafe for cyclists. "
    "The bridge will reportedly open next year. "
    "Mayor Ana Ruiz said the project would create two hundred jobs."
)

_SENTENCE = re.compile(r"[^.\n]+[.\n]?")
_RULES = (
    ("Sources familiar with the talks", "anonymous_source", "high", "anonymous"),
    ("Critics", "vague_source", "medium", "vague"),
    ("reportedly", "no_source", "low", "none"),
)


def rule_job(text: str, sentences: int | None) -> dict[str, Any]:
    """A stand-in for the engine: deterministic summary, flags and attributions from fixed phrases.

    It runs through the real AnalysisService (queue, executor, busy logic); only the NLP is skipped.
    """
    spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]
    n = 2 if sentences is None else sentences
    summary = [SummarySentence(i, s, e, text[s:e]) for i, (s, e) in enumerate(spans[:n])]
    flags: list[Flag] = []
    attributions: list[Attribution] = []
    for phrase, category, severity, kind in _RULES:
        at = text.find(phrase)
        if at < 0:
            continue
        start, end = next(((s, e) for s, e in spans if s <= at < e), (at, at + len(phrase)))
        evidence = Span.of(text, at, at + len(phrase))
        flags.append(Flag(category, severity, start, end, evidence, f"Check this source: '{phrase}'."))
        attributions.append(Attribution(evidence, evidence, None, kind, False))
    named = text.find("Mayor Ana Ruiz")
    if named >= 0:
        span = Span.of(text, named, named + len("Mayor Ana Ruiz"))
        attributions.append(Attribution(span, span, None, "named", False))
    result = Result(sentences=len(spans), summary=summary, attributions=attributions, flags=flags,
                    stats=Stats.count(attributions), title=None, engine="rule-job")
    return result.to_dict()


class GatedJob:
    """A job that blocks until released: lets a test fill the queue deterministically (no sleeps)."""

    def __init__(self, inner: Job = rule_job) -> None:
        self.inner = inner
        self.release = threading.Event()
        self.started = threading.Semaphore(0)

    def __call__(self, text: str, sentences: int | None) -> dict[str, Any]:
        self.started.release()
        self.release.wait(timeout=30)
        return self.inner(text, sentences)


def thread_service(settings: AnalysisSettings, job: Job = rule_job, *, queue_size: int = 4) -> AnalysisService:
    """The real AnalysisService on a thread pool (no process spawn), with ``job`` as the analysis."""
    return AnalysisService(settings, queue_size=queue_size,
                           executor_factory=lambda: ThreadPoolExecutor(max_workers=settings.workers), job=job)


def bot_settings(tmp_path: Path, **discord_changes: Any) -> Settings:
    """Settings for one test: its own database file, private addresses allowed (the local page server)."""
    discord_cfg = dataclasses.replace(DiscordSettings(), **discord_changes)
    fetch = FetchSettings(allow_private_addresses=True, allowed_ports=tuple(range(1024, 65536)), timeout_seconds=10)
    return Settings(store=StoreSettings(path=str(tmp_path / "byline.db")), fetch=fetch, discord=discord_cfg)


@asynccontextmanager
async def running_bot(tmp_path: Path, *, job: Job = rule_job, queue_size: int = 4,
                      **discord_changes: Any) -> AsyncIterator[BylineBot]:
    """A BylineBot that was never logged in, with services opened as ``setup_hook`` would open them."""
    settings = bot_settings(tmp_path, **discord_changes)
    bot = BylineBot(settings, analyzer=thread_service(settings.analysis, job, queue_size=queue_size),
                    extensions=(), sync_commands=False)
    async with bot:  # binds the client to the running loop, as start() would; closes it on exit
        bot.store = await Store.open(settings.store.path)
        await bot.analyzer.start(warm=False)
        try:
            yield bot
        finally:
            await bot.analyzer.close()
            await bot.fetcher.close()
            await bot.store.close()


def stored_analysis(result: Result, *, analysis_id: str = "abc234", url: str | None = "https://news.example/a",
                    title: str | None = "A headline", cached: bool = False) -> StoredAnalysis:
    """A StoredAnalysis built by hand, for pure render tests."""
    return StoredAnalysis(
        id=analysis_id, guild_id=1, document_id=1, title=title, url=url, author_id=2, channel_id=3,
        message_link=None, engine_version="test/1", created_at=datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
        result=result, flag_ids=tuple(range(len(result.flags))), cached=cached,
    )
