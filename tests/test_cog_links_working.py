"""📰 from several members at once: one answer per message, but a reactor refused for their own reasons (rate limit,
opt-out) never blocks another member who is entitled to an answer."""
from __future__ import annotations

import asyncio
from unittest import mock

import pytest

from cogs.links import LinksCog
from tests.botkit import ARTICLE, running_bot
from tests.helpers import make_guild, make_member, make_message
from tests.test_cog_links import fetchable, reaction


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
