"""Restart while a member pastes: the /analyse paste box opened by one process is answered by the next."""

from __future__ import annotations

import pytest

from tests.e2e import builders
from tests.e2e.articles import article
from tests.e2e.flows import invoke, wait_answer
from tests.e2e.harness import Harness, analysis_id_from

pytestmark = pytest.mark.e2e


def test_a_paste_box_opened_before_a_restart_is_analysed_after_it(byline: Harness) -> None:
    """A member opens the paste box privately, Byline restarts while they paste, and their article is still
    analysed, privately, as they asked."""
    fake = byline.fake
    person = fake.world.add_member("paste-restart")
    opened = invoke(fake, builders.slash(fake, person, "general", "analyse", ephemeral=True))
    assert opened.ack.json["type"] == 9
    byline.stop_bot()
    byline.start_bot()
    text = article(106)[:3900]
    submit = builders.modal_submit(fake, person, "general", opened.message, text)
    answer = wait_answer(fake, submit["token"], fake.interact(submit))
    assert answer.ack.json["type"] == 5 and answer.ephemeral
    guild_id = int(fake.world.guild_id)
    stored = byline.store("get_analysis", guild_id, analysis_id_from(answer.message), viewer_id=person.id)
    assert stored is not None and stored.author_id == person.id and stored.private
    assert byline.store("get_text", guild_id, stored.id).strip() == text.strip()
