"""A clock that jumps back (a VM restored from a snapshot, a board without a clock before NTP) must not leave an
article unsearchable, with its review flags gone, after retention.

Only a document's latest analysis (by ``seq``) is in the search index, and saving it supersedes the older ones'
pending flags. Retention goes by each analysis's wall-clock ``created_at``. When the clock went back between two
analyses of one article, the newer one carries the older time, so retention deletes it first and keeps the older
one: the article stays in /recent and /lookup, but its search row went with the newer analysis (the older one's was
dropped when the newer was saved), and the flags left are the superseded ones, out of the review queue for good.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import bot.store_analyses as analyses_module
from tests.store_factory import ARTICLE, ARTICLE_FLAGS, make_result

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


async def test_retention_after_a_clock_jump_keeps_the_article_searchable_and_under_review(store, monkeypatch):
    await store.update_settings(1, retention_days=30)
    monkeypatch.setattr(analyses_module, "utcnow", lambda: NOW)
    old = await store.save_analysis(1, ARTICLE, make_result(ARTICLE, ARTICLE_FLAGS), engine_version="e/1")
    # the clock is set back 40 days (a restored snapshot); a new engine version analyses the article again
    monkeypatch.setattr(analyses_module, "utcnow", lambda: NOW - timedelta(days=40))
    new = await store.save_analysis(1, ARTICLE, make_result(ARTICLE, ARTICLE_FLAGS), engine_version="e/2")
    assert [h.analysis_id for h in await store.search(1, "bridge")] == [new.id]
    assert await store.count_pending(1, min_severity="low") == 2

    await store.prune(now=NOW + timedelta(days=1))  # the clock is right again; the hourly retention pass runs

    kept = [item.id for item in await store.recent(1)]
    searchable = [h.analysis_id for h in await store.search(1, "bridge")]
    pending = await store.count_pending(1, min_severity="low")
    assert not kept or (searchable and set(searchable) <= set(kept) and pending == 2), (
        f"kept {kept} (the older analysis {old.id}), found by search: {searchable}, flags in the queue: {pending}")
