"""Buttons of Byline's short-lived views are answered after a restart ("this prompt has expired"), not left to fail.

The bug this guards against:

/forget asks to confirm with two buttons (a 60 s view), /search pages with Previous/Next (180 s) and /review queue
too. Those views live only in the process's memory and their custom_ids are random, so after a restart (a deploy, a
crash) a click on them reaches no handler: discord.py drops it, Discord shows "This interaction failed" after 3 s,
and a member who pressed "Delete my data" is left not knowing whether their data went (it did not). The README's
promise that buttons keep working after a restart holds for review cards and Full report only; the others should at
least be answered ("this prompt expired, run the command again").
"""

from __future__ import annotations

import pytest

from tests.e2e import builders
from tests.e2e.flows import invoke, wait_ack
from tests.e2e.harness import Harness
from tests.e2e.payloads import find_custom_ids

pytestmark = pytest.mark.e2e


def test_a_forget_confirmation_clicked_after_a_restart_is_answered(byline: Harness) -> None:
    fake = byline.fake
    member = fake.world.add_member("stale-forget")
    prompt = invoke(fake, builders.slash(fake, member, "general", "forget"))
    assert prompt.ack.json["type"] == 4 and prompt.message is not None
    message = fake.messages[prompt.ack.response["resource"]["message"]["id"]]
    confirm = find_custom_ids(message)[0]  # "Delete my data"

    byline.stop_bot()
    byline.start_bot()

    click = builders.component(fake, member, message, confirm)
    sent = fake.interact(click)
    try:
        ack = wait_ack(fake, click["token"], sent, timeout=8)
    except TimeoutError:
        pytest.fail(f"the click on {confirm!r} (Delete my data) after a restart got no answer at all within 8 s: "
                    "Discord shows 'This interaction failed' and the member cannot tell whether anything was deleted")
    assert ack.status == 200


def test_a_live_forget_confirmation_is_still_handled_by_its_own_view(byline: Harness) -> None:
    """Control: without a restart the prompt's own view answers the click (a deferred update, then the outcome)."""
    fake = byline.fake
    member = fake.world.add_member("live-forget")
    prompt = invoke(fake, builders.slash(fake, member, "general", "forget"))
    message = fake.messages[prompt.ack.response["resource"]["message"]["id"]]
    click = builders.component(fake, member, message, find_custom_ids(message)[0])
    answer = invoke(fake, click)
    assert answer.ack.json["type"] == 6
    assert "Deleted 0 article(s)" in (answer.message or {}).get("content", "")
