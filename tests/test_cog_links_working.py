"""📰 from several members at once: one answer per message, but a reactor refused for their own reasons (rate limit,
opt-out) never blocks another member who is entitled to an answer."""
from __future__ import annotations

import asyncio
from unittest import mock

import pytest

from bot.errors import BusyError
from cogs import links
from cogs.links import LinksCog
from tests.botkit import ARTICLE, running_bot
from tests.helpers import make_guild, make_member, make_message
from tests.pageserver import serve
from tests.test_cog_links import enabled_channel, fetchable, reaction


@pytest.mark.parametrize("refusal", ["rate limit", "opt-out"])
async def test_a_refused_reactor_does_not_block_a_concurrent_entitled_one(tmp_path, refusal):
    async with running_bot(tmp_path, user_rate_per_minute=1, channel_rate_per_minute=100) as bot:
        cog = LinksCog(bot)
        guild = make_guild()
        refused, member = make_member(guild=guild), make_member(guild=guild)
        if refusal == "rate limit":
            bot.user_limiter.hit(refused.id)  # used up their own allowance elsewhere
        else:
            await bot.store.set_opt_out(guild.id, refused.id, True)
        message = fetchable(make_message(content=ARTICLE, guild=guild))
        with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel):
            # two gateway events, each in its own task, arriving together
            await asyncio.gather(cog.on_raw_reaction_add(reaction(message, user=refused)),
                                 cog.on_raw_reaction_add(reaction(message, user=member)))
        assert message.reply.await_count == 1, "the entitled member's 📰 was silently dropped"


async def test_reactions_one_after_the_other_are_answered_once(tmp_path):
    """Control: the same two reactions one after the other -> the member is answered."""
    async with running_bot(tmp_path, user_rate_per_minute=1, channel_rate_per_minute=100) as bot:
        cog = LinksCog(bot)
        guild = make_guild()
        spammer, member = make_member(guild=guild), make_member(guild=guild)
        bot.user_limiter.hit(spammer.id)
        message = fetchable(make_message(content=ARTICLE, guild=guild))
        with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel):
            await cog.on_raw_reaction_add(reaction(message, user=spammer))
            await cog.on_raw_reaction_add(reaction(message, user=member))
        assert message.reply.await_count == 1


# --- an auto-reply and a 📰 on the same message, in flight together ----------------------------------------------
# The 📰 listener's early "already answered" check cannot see a message that is answered while the 📰 is already past
# it; the checks at the sending end (``_reply``, ``_short_reply``) are what keep that message at one reply.


# Patched on the module object LinksCog was imported from, not by name: a test that loads the extension (test_client)
# re-imports cogs.links, and a patch by dotted name would reach that new module while this LinksCog kept the old one.


def _gated(real, entered: asyncio.Event, go: asyncio.Event, *, fail: BaseException | None = None):
    async def held(*args, **kwargs):
        entered.set()
        await go.wait()
        if fail is not None:
            raise fail
        return await real(*args, **kwargs)
    return held


async def test_a_reaction_answered_while_an_auto_reply_is_on_its_way_adds_no_second_reply(tmp_path):
    """The auto-reply has passed every check and is analysing; a 📰 meanwhile gets its answer out first. When the
    auto-reply's analysis then lands, the message is already answered: no second embed."""
    async with serve() as pages, running_bot(tmp_path) as bot:
        cog = LinksCog(bot)
        channel = await enabled_channel(bot)
        message = fetchable(make_message(content=f"look {pages.url('/article')}", channel=channel))
        entered, go = asyncio.Event(), asyncio.Event()
        with mock.patch.object(links, "analyse_url", _gated(links.analyse_url, entered, go)):
            auto = asyncio.create_task(cog.on_message(message))
            async with asyncio.timeout(10):  # a gate never reached fails the test instead of hanging the suite
                await entered.wait()  # the auto-reply is past its checks, in its analysis
            with mock.patch.object(bot, "get_channel", autospec=True, return_value=channel):
                await cog.on_raw_reaction_add(reaction(message))
            assert message.reply.await_count == 1  # the 📰's answer
            go.set()
            await auto
        assert message.reply.await_count == 1


async def test_a_reaction_failing_for_a_passing_reason_after_the_message_was_answered_stays_quiet(tmp_path):
    """A 📰 is analysing when the auto-reply answers the message; its analysis then fails for a passing reason. The
    message has its answer: no 'try again' reply under it."""
    async with serve() as pages, running_bot(tmp_path) as bot:
        cog = LinksCog(bot)
        channel = await enabled_channel(bot)
        message = fetchable(make_message(content=f"look {pages.url('/article')}", channel=channel))
        entered, go = asyncio.Event(), asyncio.Event()
        with mock.patch.object(links, "analyse_input",
                               _gated(links.analyse_input, entered, go, fail=BusyError())), \
                mock.patch.object(bot, "get_channel", autospec=True, return_value=channel):
            asked = asyncio.create_task(cog.on_raw_reaction_add(reaction(message)))
            async with asyncio.timeout(10):
                await entered.wait()  # the 📰 is past its checks, in its analysis
            await cog.on_message(message)
            assert message.reply.await_count == 1 and "embeds" in message.reply.await_args.kwargs  # the auto-reply
            go.set()
            await asked
        assert message.reply.await_count == 1
