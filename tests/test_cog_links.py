"""Link auto-replies, 📰 reactions and the Full report button: real Store, real Fetcher against a local
page server, spec'd messages and channels."""

from __future__ import annotations

import asyncio
import logging
import re
from unittest import mock
from urllib.parse import quote

import discord
import pytest
from discord.state import ConnectionState

from bot.errors import BusyError, CutShortByRestart, ShuttingDown
from bot.store_types import STAFF
from bot.views_report import REPORT_TEMPLATE, ReportButton
from cogs._authors import ForwardUnresolved
from cogs.analyse import AnalyseCog
from cogs.links import REACTION_EMOJI, LinksCog
from tests.botkit import ARTICLE, running_bot
from tests.helpers import (
    bot_sees,
    http_error,
    make_channel,
    make_forward,
    make_guild,
    make_interaction,
    make_member,
    make_message,
    next_id,
)
from tests.pageserver import serve


@pytest.fixture
async def pages():
    async with serve() as state:
        yield state


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path, channel_rate_per_minute=3) as bot:
        yield bot


@pytest.fixture
def cog(bot):
    return LinksCog(bot)


async def enabled_channel(bot, guild=None):
    guild = guild or make_guild()
    channel = make_channel(guild=guild)
    await bot.store.update_settings(guild.id, autoreply_channel_ids=[channel.id])
    return channel


def reply_kwargs(message) -> dict:
    message.reply.assert_awaited_once()
    kwargs = message.reply.await_args.kwargs
    assert kwargs["mention_author"] is False
    mentions = kwargs["allowed_mentions"]
    assert not (mentions.everyone or mentions.users or mentions.roles or mentions.replied_user)
    return kwargs


async def test_link_in_enabled_channel_gets_compact_reply_with_report_button(bot, cog, pages):
    """A link in an enabled channel: a compact embed replying to the message, with a persistent Full report button."""
    channel = await enabled_channel(bot)
    message = make_message(content=f"look {pages.url('/article')} !", channel=channel)
    await cog.on_message(message)
    kwargs = reply_kwargs(message)
    (embed,) = kwargs["embeds"]
    analysis_id = embed.footer.text.split()[1]
    (button,) = kwargs["view"].children
    assert button.custom_id == f"byline:report:{analysis_id}"
    assert kwargs["view"].timeout is None
    stored = await bot.store.get_analysis(channel.guild.id, analysis_id)
    assert stored.author_id == message.author.id and stored.message_link == message.jump_url
    assert not embed.fields and len(embed) < 2000


async def test_both_replies_to_a_shared_article_are_recorded_for_its_authors_forget_me(bot, cog, pages):
    """The first reply and the cached repeat both show the article; a forget-me of its author lists both."""
    channel = await enabled_channel(bot)
    author = make_member(guild=channel.guild)
    first = make_message(content=pages.url("/article"), channel=channel, author=author)
    first.reply.return_value = make_message(channel=channel, message_id=8001)
    await cog.on_message(first)
    again = make_message(content=pages.url("/article?utm_source=x"), channel=channel, author=author)
    again.reply.return_value = make_message(channel=channel, message_id=8002)
    await cog.on_message(again)
    report = await bot.store.forget_user(channel.guild.id, author.id)
    assert sorted(r.message_id for r in report.replies) == [8001, 8002]


async def test_ignores_disabled_channels_bots_webhooks_and_opted_out(bot, cog, pages):
    """Nothing happens (no fetch, no reply) for a disabled channel, a bot, a webhook or an opted-out author."""
    channel = await enabled_channel(bot)
    link = pages.url("/article")
    opted_out = make_member(guild=channel.guild)
    await bot.store.set_opt_out(channel.guild.id, opted_out.id, True)
    messages = [
        make_message(content=link, channel=make_channel(guild=channel.guild)),
        make_message(content=link, channel=channel, author=make_member(guild=channel.guild, bot=True)),
        make_message(content=link, channel=channel, webhook_id=next_id()),
        make_message(content=link, channel=channel, author=opted_out),
        make_message(content="no links here", channel=channel),
        make_message(content="`https://example.com/in-code`", channel=channel),
    ]
    with mock.patch.object(bot.fetcher, "fetch", autospec=True, side_effect=bot.fetcher.fetch) as fetch:
        for message in messages:
            await cog.on_message(message)
            message.reply.assert_not_awaited()
    fetch.assert_not_awaited()
    assert pages.hits["/article"] == 0


async def test_repeat_link_uses_the_store_cache(bot, cog, pages):
    """The same link posted again (with tracking junk) is answered from the store, without fetching."""
    channel = await enabled_channel(bot)
    with mock.patch.object(bot.fetcher, "fetch", autospec=True, side_effect=bot.fetcher.fetch) as fetch:
        first = make_message(content=pages.url("/article"), channel=channel)
        await cog.on_message(first)
        second = make_message(content=pages.url("/article?fbclid=abc"), channel=channel)
        await cog.on_message(second)
    assert fetch.await_count == 1
    e1 = reply_kwargs(first)["embeds"][0]
    e2 = reply_kwargs(second)["embeds"][0]
    assert e1.footer.text.split()[1] == e2.footer.text.split()[1] and "from cache" in e2.footer.text


async def test_a_channel_turned_off_while_its_link_is_read_gets_no_reply(bot, cog, pages):
    """A moderator's /settings that turns auto-replies off takes effect for the link already being fetched."""
    channel = await enabled_channel(bot)
    real_fetch = bot.fetcher.fetch

    async def fetch_then_turn_off(url):
        article = await real_fetch(url)
        await bot.store.update_settings(channel.guild.id, autoreply_channel_ids=[])
        return article

    message = make_message(content=pages.url("/article"), channel=channel)
    with mock.patch.object(bot.fetcher, "fetch", side_effect=fetch_then_turn_off) as fetched:
        await cog.on_message(message)
    fetched.assert_awaited_once()
    message.reply.assert_not_awaited()


async def test_a_link_in_double_backtick_code_gets_no_auto_reply(bot, cog, pages):
    message = make_message(content=f"``{pages.url('/article')}``", channel=await enabled_channel(bot))
    await cog.on_message(message)
    message.reply.assert_not_awaited()


async def test_channel_rate_limit_skips_quietly(bot, cog, pages):
    """Past the channel's limit, links are skipped without any message (never spam)."""
    channel = await enabled_channel(bot)
    replies = 0
    for i in range(5):
        message = make_message(content=pages.url(f"/article?n={i}"), channel=channel)
        await cog.on_message(message)
        replies += message.reply.await_count
    assert replies == 3  # channel_rate_per_minute=3
    other = await enabled_channel(bot, guild=channel.guild)
    message = make_message(content=pages.url("/article"), channel=other)
    await cog.on_message(message)
    assert message.reply.await_count == 1  # another channel has its own budget


def thread_in(parent) -> discord.Thread:
    """A spec'd public thread of ``parent``."""
    thread = mock.create_autospec(discord.Thread, instance=True, spec_set=True)
    thread.id = next_id()
    thread.parent_id = parent.id
    thread.guild = parent.guild
    thread.is_private.return_value = False
    return thread


async def test_threads_spend_their_channels_auto_reply_allowance(bot, cog, pages):
    """Auto-replies are turned on for a channel and cover its threads: new threads are no way round its limit."""
    channel = await enabled_channel(bot)
    replies = 0
    for t in range(3):
        thread = thread_in(channel)
        for i in range(2):  # each message from its own member, so only the channel's allowance counts
            message = make_message(content=pages.url(f"/article?n={t}-{i}"), channel=thread)
            await cog.on_message(message)
            replies += message.reply.await_count
    message = make_message(content=pages.url("/article?n=parent"), channel=channel)
    await cog.on_message(message)
    assert replies == 3 and message.reply.await_count == 0  # channel_rate_per_minute=3, for the channel as a whole


async def test_one_member_is_held_to_their_own_allowance_across_auto_reply_channels(tmp_path, pages):
    """Every channel has its own allowance, so without the member's own limit one member could take them all."""
    async with running_bot(tmp_path, user_rate_per_minute=2, channel_rate_per_minute=100) as bot:
        cog = LinksCog(bot)
        guild = make_guild()
        poster = make_member(guild=guild)
        channels = [make_channel(guild=guild) for _ in range(4)]
        await bot.store.update_settings(guild.id, autoreply_channel_ids=[c.id for c in channels])
        replies = []
        for i, channel in enumerate(channels):
            message = make_message(content=pages.url(f"/article?n={i}"), channel=channel, author=poster)
            await cog.on_message(message)
            replies.append(message.reply.await_count)
        assert replies == [1, 1, 0, 0]  # user_rate_per_minute=2
        other = make_message(content=pages.url("/article?n=other"), channel=channels[-1])
        await cog.on_message(other)
        assert other.reply.await_count == 1  # the channel itself still had room


async def test_fetch_failure_is_logged_not_replied(bot, cog, pages, caplog):
    """An auto-reply whose page can't be read says nothing in the channel; the log says why."""
    channel = await enabled_channel(bot)
    message = make_message(content=pages.url("/status/500"), channel=channel)
    with caplog.at_level(logging.INFO, logger="cogs.links"):
        await cog.on_message(message)
    message.reply.assert_not_awaited()
    assert "no auto-reply" in caplog.text and "HTTPStatusError" in caplog.text


async def test_auto_reply_fetches_the_whole_link_discord_shows(bot, cog, pages):
    """An apostrophe inside a link is part of the page asked for, as in the link Discord shows."""
    channel = await enabled_channel(bot)
    message = make_message(content="great read " + pages.url("/wiki/Ender's_Game"), channel=channel)
    await cog.on_message(message)
    assert pages.hits["/wiki/Ender's_Game"] == 1 and pages.hits["/wiki/Ender"] == 0


async def test_a_link_behind_a_spoiler_gets_no_auto_reply(bot, cog, pages):
    """A spoilered link is not fetched or answered in public; a plain link beside it still is."""
    channel = await enabled_channel(bot)
    hidden = make_message(content=f"no spoilers please: ||{pages.url('/article')}||", channel=channel)
    await cog.on_message(hidden)
    hidden.reply.assert_not_awaited()
    assert pages.hits["/article"] == 0
    mixed = make_message(content=f"||{pages.url('/plain')}|| and {pages.url('/article')}", channel=channel)
    await cog.on_message(mixed)
    assert reply_kwargs(mixed)["embeds"][0].url == pages.url("/article") and pages.hits["/plain"] == 0


def forward_of(bot, message, content: str, original=None):
    """``message`` made a forward (of ``original`` when given), as discord.py builds it from the gateway."""
    return make_forward(bot._connection, message, content, original)


def original_in(guild, content: str = "", *, author=None):
    """A member's message in another channel of ``guild``, fetchable there, for a forward to point at."""
    origin = make_channel(guild=guild, name="origin")
    original = make_message(content=content, channel=origin, author=author)
    origin.fetch_message.return_value = original
    return original


async def test_a_forwarded_link_gets_the_auto_reply_a_pasted_one_would(bot, cog, pages):
    """A forward carries its link in the snapshot, not in its own (empty) content; it is answered all the same,
    and stored under the member who wrote the original."""
    channel = await enabled_channel(bot)
    content = f"worth a read {pages.url('/article')}"
    original = original_in(channel.guild, content)
    message = forward_of(bot, make_message(channel=channel), content, original)
    with bot_sees(bot, channel, original.channel):
        await cog.on_message(message)
    (embed,) = reply_kwargs(message)["embeds"]
    assert embed.url == pages.url("/article") and pages.hits["/article"] == 1
    stored = await bot.store.get_analysis(channel.guild.id, embed.footer.text.split()[1])
    assert stored.author_id == original.author.id != message.author.id


async def test_a_forwarded_link_behind_a_spoiler_gets_no_auto_reply(bot, cog, pages):
    channel = await enabled_channel(bot)
    message = forward_of(bot, make_message(channel=channel), f"||{pages.url('/article')}||")
    await cog.on_message(message)
    message.reply.assert_not_awaited()
    assert pages.hits["/article"] == 0


async def test_a_forward_of_an_opted_out_members_link_gets_no_auto_reply(bot, cog, pages):
    channel = await enabled_channel(bot)
    content = f"worth a read {pages.url('/article')}"
    original = original_in(channel.guild, content)
    await bot.store.set_opt_out(channel.guild.id, original.author.id, True)
    message = forward_of(bot, make_message(channel=channel), content, original)
    with bot_sees(bot, channel, original.channel):
        await cog.on_message(message)
    message.reply.assert_not_awaited()
    assert pages.hits["/article"] == 0 and await bot.store.recent(channel.guild.id) == []


async def test_a_forward_whose_original_is_out_of_reach_gets_no_auto_reply(bot, cog, pages, caplog):
    """A deleted original, or one from a server Byline is not in: its author's wishes are unknown, so no guess."""
    channel = await enabled_channel(bot)
    content = f"worth a read {pages.url('/article')}"
    deleted = original_in(channel.guild, content)
    deleted.channel.fetch_message.side_effect = http_error(discord.NotFound, 404, 10008, "Unknown Message")
    elsewhere = original_in(make_guild(), content)
    caplog.set_level(logging.INFO, logger="cogs.links")
    for original in (deleted, elsewhere):
        message = forward_of(bot, make_message(channel=channel), content, original)
        with bot_sees(bot, channel, deleted.channel):  # Byline is not in ``elsewhere``'s server
            await cog.on_message(message)
        message.reply.assert_not_awaited()
    elsewhere.channel.fetch_message.assert_not_awaited()  # no request Discord would only refuse
    assert pages.hits["/article"] == 0 and "forwarded original is out of reach" in caplog.text


async def test_forwards_do_not_get_around_the_channel_limit_with_look_ups(bot, cog, pages):
    """Each forward's original is a REST look-up, and Discord counts refused ones (403) against the whole bot: past
    the channel's limit (3 a minute here), a forward is skipped without one."""
    channel = await enabled_channel(bot)
    content = f"worth a read {pages.url('/article')}"
    hidden = [original_in(channel.guild, content) for _ in range(10)]
    for original in hidden:  # each in a channel Byline may not read
        original.channel.fetch_message.side_effect = http_error(discord.Forbidden, 403, 50001, "Missing Access")
    with bot_sees(bot, channel, *(original.channel for original in hidden)):
        for original in hidden:
            await cog.on_message(forward_of(bot, make_message(channel=channel), content, original))
    assert sum(original.channel.fetch_message.await_count for original in hidden) == 3
    assert pages.hits["/article"] == 0


async def test_a_forward_just_found_out_of_reach_is_not_looked_up_again(tmp_path, pages):
    """The same unreadable original forwarded again and again, in two channels: one look-up, then quiet refusals."""
    async with running_bot(tmp_path, channel_rate_per_minute=100) as bot:
        cog = LinksCog(bot)
        first = await enabled_channel(bot)
        second = await enabled_channel(bot, guild=first.guild)
        content = f"worth a read {pages.url('/article')}"
        hidden = original_in(first.guild, content)
        hidden.channel.fetch_message.side_effect = http_error(discord.NotFound, 404, 10008, "Unknown Message")
        with bot_sees(bot, first, second, hidden.channel):
            for i in range(20):
                message = forward_of(bot, make_message(channel=(first, second)[i % 2]), content, hidden)
                await cog.on_message(message)
                message.reply.assert_not_awaited()
        hidden.channel.fetch_message.assert_awaited_once_with(hidden.id)
        assert pages.hits["/article"] == 0


async def test_an_opted_out_members_links_spend_none_of_the_channels_auto_replies(bot, cog, pages):
    """Links from a member who opted out are never answered, so they leave the channel's allowance (3 a minute
    here) to everyone else: pasted, or forwarded, whatever the original."""
    channel = await enabled_channel(bot)
    opted = make_member(guild=channel.guild)
    await bot.store.set_opt_out(channel.guild.id, opted.id, True)
    content = f"worth a read {pages.url('/article')}"
    hidden = original_in(channel.guild, content)
    hidden.channel.fetch_message.side_effect = http_error(discord.Forbidden, 403, 50001, "Missing Access")
    with bot_sees(bot, channel, hidden.channel):
        for i in range(3):
            pasted = make_message(content=pages.url(f"/article?n={i}"), channel=channel, author=opted)
            forwarded = forward_of(bot, make_message(channel=channel, author=opted), content, hidden)
            for message in (pasted, forwarded):
                await cog.on_message(message)
                message.reply.assert_not_awaited()
        hidden.channel.fetch_message.assert_not_awaited()  # the forwarder's own opt-out needs no look-up
        others = [make_message(content=pages.url(f"/article?m={i}"), channel=channel) for i in range(3)]
        for message in others:
            await cog.on_message(message)
    assert [message.reply.await_count for message in others] == [1, 1, 1]


async def test_a_forward_of_an_opted_out_author_known_without_a_look_up_spends_nothing(bot, cog, pages):
    """An original in Byline's cache needs no request to Discord: its author's opt-out is checked before the
    channel's allowance is spent, as for a pasted link."""
    channel = await enabled_channel(bot)
    content = f"worth a read {pages.url('/article')}"
    original = original_in(channel.guild, content)
    await bot.store.set_opt_out(channel.guild.id, original.author.id, True)
    with bot_sees(bot, channel, original.channel):
        for _ in range(3):
            forward = forward_of(bot, make_message(channel=channel), content, original)
            forward.reference._state = mock.create_autospec(ConnectionState, instance=True)
            forward.reference._state._get_message.return_value = original  # in Byline's cache
            await cog.on_message(forward)
            forward.reply.assert_not_awaited()
    original.channel.fetch_message.assert_not_awaited()
    other = make_message(content=pages.url("/article?other"), channel=channel)
    await cog.on_message(other)
    assert other.reply.await_count == 1


async def test_the_analyse_menu_and_a_reaction_share_the_memory_of_an_unreachable_original(tmp_path):
    """One memory of refused look-ups per bot: the menu found the original out of reach, so a 📰 on the same
    forward is refused without asking Discord again (each refusal counts against the whole bot)."""
    async with running_bot(tmp_path) as bot:
        menu, links = AnalyseCog(bot), LinksCog(bot)
        asked = make_interaction(client=bot)
        original = original_in(asked.guild, ARTICLE)
        original.channel.fetch_message.side_effect = http_error(discord.Forbidden, 403, 50001, "Missing Access")
        message = fetchable(forward_of(bot, make_message(guild=asked.guild), ARTICLE, original))
        with bot_sees(bot, message.channel, original.channel):
            try:
                await menu.context_menu.callback(asked, message)
            except ForwardUnresolved as exc:  # what the command tree's error handler answers privately
                assert "forwarded" in exc.user_message
            else:
                raise AssertionError("the menu analysed a forward whose original it could not see")
            await links.on_raw_reaction_add(reaction(message))
        assert original.channel.fetch_message.await_count == 1
        assert "forwarded" in message.reply.await_args.args[0]


async def test_a_reaction_on_a_forward_whose_look_up_timed_out_can_be_retried(bot, cog):
    """Discord slow to hand over the original: the 📰 is told to try again, and the next one looks it up afresh."""
    guild = make_guild()
    original = original_in(guild, ARTICLE)
    original.channel.fetch_message.side_effect = TimeoutError()  # as asyncio.timeout raises it
    forward = fetchable(forward_of(bot, make_message(guild=guild), ARTICLE, original))
    with bot_sees(bot, forward.channel, original.channel):
        await cog.on_raw_reaction_add(reaction(forward))
        assert "try again" in forward.reply.await_args.args[0]
        original.channel.fetch_message.side_effect = None
        await cog.on_raw_reaction_add(reaction(forward))
    assert original.channel.fetch_message.await_count == 2 and forward.reply.await_count == 2
    (embed,) = forward.reply.await_args.kwargs["embeds"]
    stored = await bot.store.get_analysis(guild.id, embed.footer.text.split()[1], viewer_id=STAFF)
    assert stored.author_id == original.author.id


# --- 📰 reactions ---------------------------------------------------------------------------------


def reaction(message, *, user=None, emoji: str = REACTION_EMOJI) -> discord.RawReactionActionEvent:
    """A real RawReactionActionEvent as discord.py builds it from MESSAGE_REACTION_ADD."""
    user = user or make_member(guild=message.guild)
    data = {"message_id": message.id, "channel_id": message.channel.id, "guild_id": message.guild.id,
            "user_id": user.id, "burst": False, "type": 0}
    event = discord.RawReactionActionEvent(data, discord.PartialEmoji(name=emoji), "REACTION_ADD")
    event.member = user
    return event


def fetchable(message):
    message.channel.fetch_message.return_value = message
    return message


async def test_reaction_analyses_on_demand_even_outside_enabled_channels(bot, cog):
    """📰 on a text message in a normal channel: one reply with the compact embed; a second 📰 adds nothing."""
    message = fetchable(make_message(content=ARTICLE))
    with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel):
        await cog.on_raw_reaction_add(reaction(message))
        await cog.on_raw_reaction_add(reaction(message))
    kwargs = reply_kwargs(message)
    assert "⚠️ 3 flags" in kwargs["embeds"][0].description


async def test_reactions_in_cached_threads_spend_their_channels_allowance(bot, cog):
    """As for auto-replies: a 📰 in a thread Byline has in its cache spends the parent channel's allowance, so new
    threads are no way round the channel's limit. A thread it does not have keeps its own allowance: finding its
    parent would cost the REST call the limit guards."""
    channel = make_channel()
    threads = [thread_in(channel) for _ in range(4)]
    channel.guild.get_channel_or_thread.side_effect = {c.id: c for c in (channel, *threads)}.get
    messages = [fetchable(make_message(content=ARTICLE, channel=thread)) for thread in threads]
    with bot_sees(bot, channel, *threads):
        for message in messages:  # each from its own member, so only the channel's allowance counts
            await cog.on_raw_reaction_add(reaction(message))
    assert [m.channel.fetch_message.await_count for m in messages] == [1, 1, 1, 0]  # channel_rate_per_minute=3
    assert [m.reply.await_count for m in messages] == [1, 1, 1, 0]
    uncached = thread_in(channel)
    message = fetchable(make_message(content=ARTICLE, channel=uncached))
    with bot_sees(bot, channel), mock.patch.object(bot, "fetch_channel", autospec=True, return_value=uncached):
        await cog.on_raw_reaction_add(reaction(message))
    assert message.reply.await_count == 1


async def test_a_reaction_on_an_answered_message_is_not_looked_at(tmp_path):
    """Another member's 📰 on a message Byline already answered stops at once: the message is not fetched again and
    none of that member's allowance is spent, so their own 📰 on another message is still answered. (``_reply`` would
    refuse a second reply anyway, so the reply count alone cannot tell whether this early check is there.)"""
    async with running_bot(tmp_path, user_rate_per_minute=1) as bot:
        cog = LinksCog(bot)
        guild = make_guild()
        here, there = make_channel(guild=guild), make_channel(guild=guild)
        answered = fetchable(make_message(content=f"{ARTICLE} One.", channel=here))
        latecomer = make_member(guild=guild)
        with mock.patch.object(bot, "get_channel", autospec=True, return_value=here):
            await cog.on_raw_reaction_add(reaction(answered))
            assert answered.reply.await_count == 1
            await cog.on_raw_reaction_add(reaction(answered, user=latecomer))
        assert answered.reply.await_count == 1 and here.fetch_message.await_count == 1
        other = fetchable(make_message(content=f"{ARTICLE} Two.", channel=there))
        with mock.patch.object(bot, "get_channel", autospec=True, return_value=there):
            await cog.on_raw_reaction_add(reaction(other, user=latecomer))
        assert other.reply.await_count == 1  # the latecomer's one 📰 a minute was not spent on the answered message


async def test_reaction_fetch_failure_gets_one_short_reply(bot, cog, pages):
    """📰 on a link that can't be read: a short reply with the reason, no embed."""
    message = fetchable(make_message(content=pages.url("/status/404")))
    with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel):
        await cog.on_raw_reaction_add(reaction(message))
    text = message.reply.await_args.args[0]
    assert text.startswith("📰 ") and "404" in text and len(text) < 300
    assert "embeds" not in message.reply.await_args.kwargs


async def test_reaction_reply_never_echoes_a_hostile_content_type(bot, cog, pages):
    """A site's Content-Type header is its own text: a masked link in it must not reach Byline's reply."""
    hostile = quote("[Verify your Discord account](https://evil.example/login)", safe="")
    message = fetchable(make_message(content=f"is this legit? {pages.url('/typed?type=' + hostile)}"))
    with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel):
        await cog.on_raw_reaction_add(reaction(message))
    text = message.reply.await_args.args[0]
    assert text == "📰 That link is not a web page, so Byline can't read it."


async def test_reaction_on_a_spoilered_link_answers_behind_spoilers(bot, cog, pages):
    """📰 asks for the spoilered article explicitly: it is analysed, but the reply shows no headline or link."""
    message = fetchable(make_message(content=f"no spoilers please: ||{pages.url('/article')}||"))
    with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel):
        await cog.on_raw_reaction_add(reaction(message))
    (embed,) = reply_kwargs(message)["embeds"]
    assert "ferry" not in (embed.title or "").lower() and embed.url is None
    bullets = [line for line in embed.description.splitlines() if line.startswith("• ")]
    assert bullets and all(line.startswith("• ||") and line.endswith("||") for line in bullets)


async def test_reaction_on_a_spoilered_link_keeps_it_out_of_the_shared_library(bot, cog, pages):
    """The hidden story is stored private: /recent and /search show it to the poster only, never to other members."""
    message = fetchable(make_message(content=f"no spoilers please: ||{pages.url('/article')}||"))
    with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel):
        await cog.on_raw_reaction_add(reaction(message))
    analysis_id = reply_kwargs(message)["embeds"][0].footer.text.split()[1]
    guild_id, other = message.guild.id, next_id()

    assert await bot.store.recent(guild_id, viewer_id=other) == []
    assert await bot.store.search(guild_id, "ferry", viewer_id=other) == []
    assert await bot.store.get_analysis(guild_id, analysis_id, viewer_id=other) is None
    assert [a.id for a in await bot.store.recent(guild_id, viewer_id=message.author.id)] == [analysis_id]


async def test_reaction_on_a_plain_link_stays_in_the_shared_library(bot, cog, pages):
    message = fetchable(make_message(content=f"worth a read: {pages.url('/article')}"))
    with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel):
        await cog.on_raw_reaction_add(reaction(message))
    assert len(await bot.store.recent(message.guild.id, viewer_id=next_id())) == 1
    assert len(await bot.store.search(message.guild.id, "ferry", viewer_id=next_id())) == 1


async def test_reaction_on_a_forward_of_an_opted_out_members_message_is_not_analysed(bot, cog):
    """The forwarder did not write the forwarded text: its author opted out, so nothing is analysed or stored."""
    guild = make_guild()
    original = original_in(guild, ARTICLE)
    await bot.store.set_opt_out(guild.id, original.author.id, True)
    forward = fetchable(forward_of(bot, make_message(guild=guild), ARTICLE, original))
    with bot_sees(bot, forward.channel, original.channel):
        await cog.on_raw_reaction_add(reaction(forward))
    original.channel.fetch_message.assert_awaited_once_with(original.id)
    forward.reply.assert_not_awaited()
    assert await bot.store.recent(guild.id, viewer_id=STAFF) == []


async def test_reaction_on_a_forward_stores_it_under_the_original_author_for_their_forget_me(bot, cog):
    guild = make_guild()
    original = original_in(guild, ARTICLE)
    forward = fetchable(forward_of(bot, make_message(guild=guild), ARTICLE, original))
    with bot_sees(bot, forward.channel, original.channel):
        await cog.on_raw_reaction_add(reaction(forward))
    (stored,) = await bot.store.recent(guild.id, viewer_id=STAFF)
    assert stored.author_id == original.author.id
    await bot.store.forget_user(guild.id, original.author.id)
    assert await bot.store.recent(guild.id, viewer_id=STAFF) == []


async def test_reaction_on_a_forward_honours_an_opt_out_in_the_server_it_came_from(bot, cog):
    here, there = make_guild(), make_guild()
    original = original_in(there, ARTICLE)
    await bot.store.set_opt_out(there.id, original.author.id, True)
    forward = fetchable(forward_of(bot, make_message(guild=here), ARTICLE, original))
    with bot_sees(bot, forward.channel, original.channel):
        await cog.on_raw_reaction_add(reaction(forward))
    forward.reply.assert_not_awaited()
    assert await bot.store.recent(here.id, viewer_id=STAFF) == []


async def test_reaction_on_a_forward_whose_original_is_gone_is_refused_politely(bot, cog):
    guild = make_guild()
    original = original_in(guild, ARTICLE)
    original.channel.fetch_message.side_effect = http_error(discord.NotFound, 404, 10008, "Unknown Message")
    forward = fetchable(forward_of(bot, make_message(guild=guild), ARTICLE, original))
    with bot_sees(bot, forward.channel, original.channel):
        await cog.on_raw_reaction_add(reaction(forward))
        await cog.on_raw_reaction_add(reaction(forward))  # one answer per message, as for any final refusal
    forward.reply.assert_awaited_once()
    assert "forwarded" in forward.reply.await_args.args[0]
    assert await bot.store.recent(guild.id, viewer_id=STAFF) == []


async def test_reaction_after_a_busy_failure_can_be_retried(bot, cog):
    """A 📰 that met a full queue is answered with the reason but not marked done: the next 📰 analyses."""
    message = fetchable(make_message(content=ARTICLE))
    with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel):
        with mock.patch.object(bot.analyzer, "analyze", autospec=True, side_effect=BusyError()):
            await cog.on_raw_reaction_add(reaction(message))
        assert "busy" in message.reply.await_args.args[0]
        await cog.on_raw_reaction_add(reaction(message))
        await cog.on_raw_reaction_add(reaction(message))
    assert message.reply.await_count == 2  # the busy note, then one analysis; the third 📰 adds nothing
    assert "⚠️ 3 flags" in message.reply.await_args.kwargs["embeds"][0].description


async def test_reaction_respects_opt_out_emoji_bots_and_rate_limits(bot, cog):
    """Other emoji, bot reactors, opted-out authors or reactors, and rate-limited users get nothing."""
    guild = make_guild()
    author_out = make_member(guild=guild)
    await bot.store.set_opt_out(guild.id, author_out.id, True)
    reactor_out = make_member(guild=guild)
    await bot.store.set_opt_out(guild.id, reactor_out.id, True)
    cases = [
        (fetchable(make_message(content=ARTICLE, guild=guild)), {"emoji": "👍"}),
        (fetchable(make_message(content=ARTICLE, guild=guild)), {"user": make_member(guild=guild, bot=True)}),
        (fetchable(make_message(content=ARTICLE, guild=guild, author=author_out)), {}),
        (fetchable(make_message(content=ARTICLE, guild=guild)), {"user": reactor_out}),
    ]
    for message, opts in cases:
        with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel):
            await cog.on_raw_reaction_add(reaction(message, **opts))
        message.reply.assert_not_awaited()
    spammer = make_member(guild=guild)
    bot.user_limiter.limit = 1
    replies = 0
    for i in range(3):
        message = fetchable(make_message(content=f"{ARTICLE} Edition {i}.", guild=guild))
        with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel):
            await cog.on_raw_reaction_add(reaction(message, user=spammer))
        replies += message.reply.await_count
    assert replies == 1


async def test_while_restarting_a_reaction_is_told_to_retry_and_a_link_is_skipped(bot, cog, pages):
    """After shutdown began: a 📰 gets one short "restarting" reply and stays open to a later 📰 (which analyses once
    the bot is back); a link in an enabled channel is skipped quietly, without fetching the page."""
    message = fetchable(make_message(content=ARTICLE))
    channel = await enabled_channel(bot)
    link = make_message(content=f"see {pages.url('/article')}", channel=channel)
    bot.drain.begin()
    with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel):
        await asyncio.create_task(cog.on_raw_reaction_add(reaction(message)))  # each event has its own task
        await asyncio.create_task(cog.on_message(link))
        assert message.reply.await_args.args[0] == f"📰 {ShuttingDown.user_message}"
        link.reply.assert_not_awaited()
        assert "/article" not in pages.hits
        bot.drain.reopen()
        await asyncio.create_task(cog.on_raw_reaction_add(reaction(message)))
    assert message.reply.await_count == 2
    assert "⚠️ 3 flags" in message.reply.await_args.kwargs["embeds"][0].description


async def test_a_reaction_cut_short_by_the_restart_is_told_so(bot, cog):
    """A 📰 accepted before shutdown whose analysis outlives the grace period: cancelled, then one short reply saying
    Byline restarted before finishing; the message stays open to a retry."""
    message = fetchable(make_message(content=ARTICLE))
    started, forever = asyncio.Event(), asyncio.Event()

    async def stuck(*_args, **_kwargs):
        started.set()
        await forever.wait()

    with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel), \
            mock.patch.object(bot.analyzer, "analyze", autospec=True, side_effect=stuck):
        task = asyncio.create_task(cog.on_raw_reaction_add(reaction(message)))
        await asyncio.wait_for(started.wait(), 10)
        bot.drain.begin()
        await asyncio.wait_for(bot.drain.finish(0), 10)
    assert task.cancelled()
    assert message.reply.await_args.args[0] == f"📰 {CutShortByRestart.user_message}"
    assert message.id not in cog._replied


# --- the Full report button -----------------------------------------------------------------------


async def test_report_button_survives_restart_and_answers_privately(bot):
    """The custom_id alone rebuilds the button; its click sends the full embed and the .md report, ephemerally."""
    guild = make_guild()
    from bot.pipeline import analyse_and_store

    stored = await analyse_and_store(bot, guild.id, ARTICLE)
    custom_id = f"byline:report:{stored.id}"
    match = re.fullmatch(REPORT_TEMPLATE, custom_id)
    assert match is not None
    inter = make_interaction(client=bot, guild=guild)
    item = await ReportButton.from_custom_id(inter, discord.ui.Button(custom_id=custom_id), match)
    await item.callback(inter)
    inter.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
    kwargs = inter.followup.send.await_args.kwargs
    assert kwargs["ephemeral"] is True and kwargs["allowed_mentions"].everyone is False
    assert stored.id in kwargs["embeds"][0].footer.text
    assert kwargs["files"][0].filename == f"byline-{stored.id}.md"


async def test_report_button_does_not_leak_across_guilds(bot):
    """A button for guild A's analysis clicked in guild B says 'not stored here' and shows nothing."""
    from bot.pipeline import analyse_and_store

    stored = await analyse_and_store(bot, make_guild().id, ARTICLE)
    inter = make_interaction(client=bot, guild=make_guild())
    await ReportButton(stored.id).callback(inter)
    kwargs = inter.followup.send.await_args.kwargs
    assert kwargs["ephemeral"] is True and "embeds" not in kwargs
    assert "no longer stored here" in inter.followup.send.await_args.args[0]


class CountingJob:
    """The rule analysis, counted, and slow enough (a blocking wait) that concurrent reactions overlap."""

    def __init__(self) -> None:
        import threading

        self.calls = 0
        self.lock = threading.Lock()
        self.gate = threading.Event()

    def __call__(self, text, sentences):
        from tests.botkit import rule_job

        with self.lock:
            self.calls += 1
        self.gate.wait(0.2)
        return rule_job(text, sentences)


async def test_ten_reactions_on_one_message_get_one_fetch_one_analysis_and_one_reply(tmp_path):
    job = CountingJob()
    async with running_bot(tmp_path, job=job, queue_size=4, channel_rate_per_minute=100) as bot:
        cog = LinksCog(bot)
        guild = make_guild()
        message = fetchable(make_message(content=ARTICLE, guild=guild))
        with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel):
            await asyncio.gather(*(cog.on_raw_reaction_add(reaction(message, user=make_member(guild=guild)))
                                   for _ in range(10)))
        assert message.channel.fetch_message.await_count == 1
        assert job.calls == 1 and message.reply.await_count == 1


async def test_rate_limits_are_checked_before_the_message_is_fetched(tmp_path):
    """A member over the limit costs no REST call per 📰."""
    async with running_bot(tmp_path, user_rate_per_minute=1) as bot:
        cog = LinksCog(bot)
        guild = make_guild()
        spammer = make_member(guild=guild)
        channel = make_channel(guild=guild)
        for i in range(20):
            message = fetchable(make_message(content=f"{ARTICLE} Edition {i}.", channel=channel))
            with mock.patch.object(bot, "get_channel", autospec=True, return_value=channel):
                await cog.on_raw_reaction_add(reaction(message, user=spammer))
        assert channel.fetch_message.await_count == 1


async def test_a_full_channel_does_not_spend_the_members_own_allowance(tmp_path):
    async with running_bot(tmp_path, user_rate_per_minute=2, channel_rate_per_minute=1) as bot:
        cog = LinksCog(bot)
        guild = make_guild()
        busy, quiet = make_channel(guild=guild), make_channel(guild=guild)
        bot.channel_limiter.hit(busy.id)  # someone else used the busy channel's allowance
        member = make_member(guild=guild)
        first = fetchable(make_message(content=f"{ARTICLE} One.", channel=busy))
        with mock.patch.object(bot, "get_channel", autospec=True, return_value=busy):
            await cog.on_raw_reaction_add(reaction(first, user=member))
            await cog.on_raw_reaction_add(reaction(first, user=member))
        second = fetchable(make_message(content=f"{ARTICLE} Two.", channel=quiet))
        with mock.patch.object(bot, "get_channel", autospec=True, return_value=quiet):
            await cog.on_raw_reaction_add(reaction(second, user=member))
        assert first.reply.await_count == 0 and second.reply.await_count == 1
