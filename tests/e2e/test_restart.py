"""Scenario 6: stop the bot and start it again on the same database; old review buttons still work."""

from __future__ import annotations

import time

import pytest

from tests.e2e import builders
from tests.e2e.flows import followups, invoke
from tests.e2e.harness import Harness, analysis_id_from
from tests.e2e.test_review import flag, post_flagged_analysis

pytestmark = pytest.mark.e2e


def test_old_buttons_and_data_survive_a_restart(byline: Harness) -> None:
    """Buttons posted by the first process are handled by the second; /lookup still finds old analyses."""
    fake = byline.fake
    message, ids, aid = post_flagged_analysis(byline, 300)
    old = byline.runner
    byline.stop_bot()
    assert old is not None and old.error is None and not old.alive()
    restarted_at = time.monotonic()
    byline.start_bot(dev_guild=True)  # also covers the dev-guild sync path
    assert byline.runner is not old
    sync = fake.wait_call("PUT", f"/applications/{fake.world.app_id}/guilds/{fake.world.guild_id}/commands",
                          after=restarted_at, timeout=5)
    assert {c["name"] for c in sync.json} >= {"analyse", "lookup", "review"}
    mod = fake.world.people["mod"]
    click = builders.component(fake, mod, message, f"byline:review:confirm:{ids[0]}")
    fake.interact(click)
    note = fake.wait_for(lambda: followups(fake, click["token"]), 20, "the confirmation after restart")[0]
    assert "confirmed" in note["content"]
    row = flag(byline, ids[0])
    assert row.status == "confirmed" and row.reviewer_id == mod.id
    found = invoke(fake, builders.slash(fake, fake.world.add_member("after-restart"), "general", "lookup", id=aid))
    assert analysis_id_from(found.message) == aid
