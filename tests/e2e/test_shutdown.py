"""Scenario 8: stopping the bot while members wait. Accepted analyses are answered before the HTTP session closes,
requests that arrive meanwhile are told Byline is restarting, and work the grace period cannot cover is told so.

Each test runs its own bot generation whose analysis queue (the real AnalysisService, on a thread) runs a job the
test releases, so a job is provably running or queued when the shutdown begins. A normal bot is started again at
the end for any scenario that comes after.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.config import AnalysisSettings
from bot.errors import CutShortByRestart, ShuttingDown
from tests.botkit import GatedJob, thread_service
from tests.e2e import builders
from tests.e2e.articles import clean_article
from tests.e2e.flows import invoke, wait_ack, wait_answer
from tests.e2e.harness import Harness, analysis_id_from, embed_text

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def restored(byline: Harness) -> Iterator[Harness]:
    """Hand the scenarios the shared harness, and leave a normal bot connected after them."""
    yield byline
    if not byline.closed:  # the suite closes the harness right after its last e2e test
        byline.stop_bot()
        byline.start_bot()


@pytest.fixture
def gated(restored: Harness) -> Iterator[GatedJob]:
    """A bot generation whose analyses wait for ``job.release``; released (whatever happened) at the end."""
    job = GatedJob()
    restored.stop_bot()
    try:
        yield job
    finally:
        job.release.set()
        restored.stop_bot()


def start_gated(byline: Harness, job: GatedJob, grace: float | None = None) -> Any:
    extra = f"shutdown_grace_seconds = {grace}\n" if grace is not None else ""
    return byline.start_bot(discord_extra=extra,
                            analyzer=thread_service(AnalysisSettings(workers=1), job, queue_size=4))


def deferred(byline: Harness, name: str, n: int) -> tuple[dict[str, Any], float]:
    """A member's /analyse, acknowledged with a deferral (type 5): accepted, its answer still owed."""
    fake = byline.fake
    inter = builders.slash(fake, fake.world.add_member(name), "general", "analyse", text=clean_article(n))
    sent = fake.interact(inter)
    assert wait_ack(fake, inter["token"], sent).json["type"] == 5
    return inter, sent


def test_queued_analysis_is_answered_during_shutdown_and_late_requests_are_refused(restored: Harness,
                                                                                   gated: GatedJob) -> None:
    """One analysis running and one queued when the shutdown begins: a /analyse and a 📰 arriving meanwhile are told
    Byline is restarting; the shutdown waits; once the jobs finish both follow-ups are delivered; then it ends."""
    byline, fake = restored, restored.fake
    bot = start_gated(byline, gated)
    running, running_sent = deferred(byline, "sd-running", 700)
    assert gated.started.acquire(timeout=10)
    queued, queued_sent = deferred(byline, "sd-queued", 701)
    fake.wait_for(lambda: bot.analyzer.in_flight == 2, 10, "the second analysis to wait in the queue")
    closing = byline.runner.begin_close()
    fake.wait_for(lambda: bot.drain.closing, 10, "the shutdown to begin")

    late = invoke(fake, builders.slash(fake, fake.world.add_member("sd-late"), "general", "analyse",
                                       text=clean_article(702)))
    assert late.ack.json["type"] == 4 and late.ephemeral
    assert ShuttingDown.user_message in embed_text(late.message)
    post = fake.world.user_message(fake.world.add_member("sd-author"), "general", clean_article(703))
    fake.inject("MESSAGE_CREATE", post)
    reacted = fake.inject("MESSAGE_REACTION_ADD", fake.world.reaction_add(fake.world.add_member("sd-reactor"), post,
                                                                           "📰"))
    reply = fake.wait_call("POST", f"/channels/{post['channel_id']}/messages", after=reacted, timeout=20)
    assert reply.status == 200 and reply.json["content"] == f"📰 {ShuttingDown.user_message}"
    assert not closing.done()  # still waiting for the two accepted analyses

    gated.release.set()
    for inter, sent in ((running, running_sent), (queued, queued_sent)):
        answer = wait_answer(fake, inter["token"], sent, timeout=30)
        assert answer.via.status == 200 and analysis_id_from(answer.message)
        assert not answer.ephemeral
    try:
        closing.result(timeout=60)
    except TimeoutError:  # say what the shutdown still waits on, so a rare stall can be traced
        pytest.fail(f"shutdown still running after 60 s; held work: {bot.drain.pending()!r}")
    assert byline.runner.join(30) and byline.runner.error is None
    fake.wait_for(lambda: not fake.is_connected(), 10, "the bot to disconnect")


def test_analysis_still_running_at_the_deadline_is_told_it_was_cut_short(restored: Harness, gated: GatedJob) -> None:
    """With a short grace period and a job that does not finish, the member gets a private "restarted before it
    could finish" follow-up (the public placeholder removed), and the shutdown completes instead of hanging."""
    byline, fake = restored, restored.fake
    start_gated(byline, gated, grace=0.5)
    inter, sent = deferred(byline, "sd-stuck", 710)
    assert gated.started.acquire(timeout=10)
    closing = byline.runner.begin_close()
    answer = wait_answer(fake, inter["token"], sent, timeout=30)
    assert answer.ephemeral and CutShortByRestart.user_message in embed_text(answer.message)
    assert any(c.method == "DELETE" and c.path.endswith("/messages/@original") and c.status == 204
               for c in fake.calls_for_token(inter["token"]))
    gated.release.set()  # the worker thread cannot be killed; let it end so the pool closes without waiting
    closing.result(timeout=60)
    assert byline.runner.join(30) and byline.runner.error is None
