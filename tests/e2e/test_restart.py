"""Scenario 6: stop the bot and start it again on the same database; old review buttons still work."""

from __future__ import annotations

import time

import pytest

from tests.e2e import builders
from tests.e2e.flows import EPHEMERAL, followups, invoke
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


def test_a_note_box_opened_before_a_restart_is_saved_after_it(byline: Harness) -> None:
    """A moderator opens a card's note box, Byline restarts while they type, and the note is still saved."""
    fake = byline.fake
    message, ids, _aid = post_flagged_analysis(byline, 301)
    mod = fake.world.people["mod"]
    opened = invoke(fake, builders.component(fake, mod, message, f"byline:review:note:{ids[0]}"))
    assert opened.ack.json["type"] == 9 and opened.message["custom_id"] == f"byline:note:{ids[0]}"
    byline.stop_bot()
    byline.start_bot()
    submit = builders.modal_submit(fake, mod, "review", opened.message, "Asked the desk: the source is on record.")
    fake.interact(submit)
    answer = fake.wait_for(lambda: followups(fake, submit["token"]), 20, "the note's confirmation")[0]
    assert answer["flags"] & EPHEMERAL and f"Note saved on flag #{ids[0]}" in answer["content"]
    row = flag(byline, ids[0])
    assert row.note == "Asked the desk: the source is on record." and row.status == "pending"
