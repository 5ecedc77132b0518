"""Scenario 4: links pasted in an auto-reply channel get a compact reply; elsewhere nothing happens."""

from __future__ import annotations

import pytest

from tests.e2e import builders
from tests.e2e.articles import link_page
from tests.e2e.flows import invoke
from tests.e2e.harness import Harness, analysis_id_from, embed_text
from tests.e2e.payloads import find_custom_ids

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def news_enabled(byline: Harness) -> str:
    """An admin turns auto-replies on in #news through /settings, as a server would."""
    fake = byline.fake
    answer = invoke(fake, builders.slash(fake, fake.world.people["admin"], "general", "settings set autoreply-add",
                                         channel="news"))
    assert answer.ack.json["type"] in (4, 5) and answer.ephemeral, answer.message
    settings = byline.store("get_settings", int(fake.world.guild_id))
    assert fake.world.channel_id("news") in settings.autoreply_channel_ids
    return fake.world.channels["news"]["id"]


def _post(byline: Harness, channel: str, content: str, *, author=None) -> tuple[dict, float]:
    fake = byline.fake
    message = fake.world.user_message(author or fake.world.add_member(f"poster-{channel}"), channel, content)
    return message, fake.inject("MESSAGE_CREATE", message)


def test_member_cannot_enable_auto_replies(byline: Harness) -> None:
    """/settings needs Manage Server, checked at run time: a member is refused and nothing changes."""
    fake = byline.fake
    before = byline.store("get_settings", int(fake.world.guild_id)).autoreply_channel_ids
    answer = invoke(fake, builders.slash(fake, fake.world.people["member"], "general", "settings set autoreply-add",
                                         channel="quiet"))
    assert answer.ephemeral
    assert byline.store("get_settings", int(fake.world.guild_id)).autoreply_channel_ids == before


def test_link_in_enabled_channel_gets_a_reply(byline: Harness, news_enabled: str) -> None:
    """The reply quotes the page's article, replies to the member's message and carries a Full report button."""
    fake = byline.fake
    title, html = link_page(1)
    url = byline.pages.add("/news/water-prices-1", html)
    message, sent = _post(byline, "news", f"Have you seen this? {url}")
    reply = fake.wait_call("POST", f"/channels/{news_enabled}/messages", after=sent, timeout=90)
    assert reply.status == 200
    assert str(reply.json["message_reference"]["message_id"]) == message["id"]
    assert reply.json["allowed_mentions"]["parse"] == [] and not reply.json["allowed_mentions"].get("replied_user")
    assert title in embed_text(reply.json)
    aid = analysis_id_from(reply.response)
    stored = byline.store("get_analysis", int(fake.world.guild_id), aid)
    assert stored is not None and stored.url == url
    report_ids = [c for c in find_custom_ids(reply.response) if c.startswith("byline:report:")]
    assert report_ids == [f"byline:report:{aid}"]
    full = invoke(fake, builders.component(fake, fake.world.add_member("clicker"), reply.response, report_ids[0]))
    assert full.ephemeral and analysis_id_from(full.message) == aid


def test_forwarded_link_in_enabled_channel_gets_a_reply(byline: Harness, news_enabled: str) -> None:
    """A forward's own content is empty and the link travels in its snapshot, as Discord's gateway sends it; the
    original is fetched to learn who wrote it, and the analysis is theirs (for their opt-out and forget-me)."""
    fake = byline.fake
    title, html = link_page(6)
    url = byline.pages.add("/news/water-prices-6", html)
    writer = fake.world.add_member("writer")
    original, _ = _post(byline, "quiet", f"Read this {url}", author=writer)  # no auto-reply in #quiet
    forwarded = {"message": {"type": 0, "content": original["content"], "embeds": [], "attachments": [], "flags": 0,
                             "timestamp": "2025-01-01T00:00:00+00:00", "edited_timestamp": None}}
    message = fake.world.user_message(fake.world.add_member("forwarder"), "news", "", message_snapshots=[forwarded],
                                      message_reference={"type": 1, "channel_id": original["channel_id"],
                                                         "guild_id": fake.world.guild_id,
                                                         "message_id": original["id"]})
    sent = fake.inject("MESSAGE_CREATE", message)
    reply = fake.wait_call("POST", f"/channels/{news_enabled}/messages", after=sent, timeout=90)
    assert reply.status == 200 and str(reply.json["message_reference"]["message_id"]) == message["id"]
    assert title in embed_text(reply.json)
    stored = byline.store("get_analysis", int(fake.world.guild_id), analysis_id_from(reply.json))
    assert stored is not None and stored.author_id == int(writer.user["id"])


def test_same_link_again_uses_the_cache(byline: Harness, news_enabled: str) -> None:
    """A link pasted twice is fetched once; the second reply names the same analysis."""
    fake = byline.fake
    _title, html = link_page(2)
    url = byline.pages.add("/news/water-prices-2", html)
    _msg, sent = _post(byline, "news", url)
    first = fake.wait_call("POST", f"/channels/{news_enabled}/messages", after=sent, timeout=90)
    _msg2, sent2 = _post(byline, "news", f"again: {url}")
    second = fake.wait_call("POST", f"/channels/{news_enabled}/messages", after=sent2, timeout=60)
    assert analysis_id_from(second.response) == analysis_id_from(first.response)
    assert byline.pages.hits.count("/news/water-prices-2") == 1


def test_link_in_other_channel_or_from_a_bot_is_ignored(byline: Harness, news_enabled: str) -> None:
    """No reply (and no fetch) in a channel that is not enabled, nor for a bot's message in an enabled one."""
    fake = byline.fake
    _title, html = link_page(3)
    url = byline.pages.add("/news/water-prices-3", html)
    quiet_id = fake.world.channels["quiet"]["id"]
    _msg, _sent = _post(byline, "quiet", f"look {url}")
    other_bot = fake.world.add_member("otherbot")
    other_bot.user["bot"] = True
    _msg2, sent2 = _post(byline, "news", f"bot says {url}", author=other_bot)
    # A member's link posted after both is answered. The gateway hands the bot its events in order, so by the time
    # that reply is out the two messages before it have had their turn: "nothing happened" needs no clock waited out.
    _title, control_html = link_page(4)
    control_url = byline.pages.add("/news/water-prices-4", control_html)
    control, sent3 = _post(byline, "news", f"a member says {control_url}")
    fake.wait_call("POST", f"/channels/{news_enabled}/messages", after=sent3, timeout=90)
    replied_to = [str(c.json["message_reference"]["message_id"])
                  for c in fake.calls_matching("POST", f"/channels/{news_enabled}/messages") if c.at >= sent2]
    assert replied_to == [control["id"]]
    assert fake.calls_matching("POST", f"/channels/{quiet_id}/messages") == []
    assert "/news/water-prices-3" not in byline.pages.hits and "/news/water-prices-4" in byline.pages.hits


def test_newspaper_reaction_asks_for_an_analysis_anywhere(byline: Harness) -> None:
    """📰 on a member's message in a channel without auto-replies: the bot fetches it and replies once."""
    fake = byline.fake
    quiet_id = fake.world.channels["quiet"]["id"]
    _title, html = link_page(5)
    url = byline.pages.add("/news/water-prices-5", html)
    message, _sent = _post(byline, "quiet", f"worth checking {url}")
    reactor = fake.world.add_member("reactor")
    first = fake.inject("MESSAGE_REACTION_ADD", fake.world.reaction_add(reactor, message, "📰"))
    reply = fake.wait_call("POST", f"/channels/{quiet_id}/messages", after=first, timeout=90)
    assert reply.status == 200 and str(reply.json["message_reference"]["message_id"]) == message["id"]
    assert analysis_id_from(reply.response)
    fake.inject("MESSAGE_REACTION_ADD", fake.world.reaction_add(fake.world.add_member("reactor2"), message, "📰"))
    # A 📰 on another message after it is answered; events arrive in order, so once that reply is out the second 📰
    # above has had its turn, and "no second reply" needs no clock waited out.
    _title, html = link_page(7)
    other, _sent = _post(byline, "quiet", f"and this one {byline.pages.add('/news/water-prices-7', html)}")
    sent = fake.inject("MESSAGE_REACTION_ADD", fake.world.reaction_add(fake.world.add_member("reactor3"), other, "📰"))
    fake.wait_call("POST", f"/channels/{quiet_id}/messages", after=sent, timeout=90)
    replied_to = [str(c.json["message_reference"]["message_id"])
                  for c in fake.calls_matching("POST", f"/channels/{quiet_id}/messages") if c.at >= first]
    assert replied_to == [message["id"], other["id"]]
