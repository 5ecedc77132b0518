"""/settings set autoreply-add says so when Byline cannot read or answer in the channel, as review-channel does.

Auto-replies in a channel where Byline lacks View Channel, Read Message History, Send Messages or Embed Links are
skipped quietly (cogs/links.py, ``missing_reply_rights``; without View Channel Discord does not even deliver the
messages). The manager who turned them on is told "Links in #news now get an automatic analysis." and nothing else,
so the feature silently never works; /settings set review-channel names the missing rights in the same situation.
"""

from __future__ import annotations

import pytest

from cogs.settings import Settings as SettingsCog
from tests.helpers import make_channel, make_guild, make_interaction, make_member, make_permissions, make_store_bot

ALL = {"view_channel": True, "send_messages": True, "embed_links": True, "read_message_history": True}


@pytest.mark.parametrize(("lacking", "named"), [
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
    ("read_message_history", "Read Message History"),
])
async def test_enabling_auto_replies_where_byline_cannot_answer_names_the_missing_right(store, lacking, named):
    guild = make_guild()
    guild.me = make_member(guild=guild, name="Byline", bot=True)
    channel = make_channel(guild=guild, name="news")
    channel.permissions_for.return_value = make_permissions(**{**ALL, lacking: False})
    bot = make_store_bot(store)
    cog = SettingsCog(bot)
    inter = make_interaction(client=bot, guild=guild, user=make_member(guild=guild))
    inter.permissions = make_permissions(manage_guild=True)
    await cog.autoreply_add.callback(cog, inter, channel)
    said = inter.followup.send.await_args.args[0]
    assert channel.id in (await store.get_settings(guild.id)).autoreply_channel_ids  # still turned on, as asked
    assert named in said, f"the manager was told only: {said!r}"


async def test_no_note_when_byline_has_every_right(store):
    guild = make_guild()
    guild.me = make_member(guild=guild, name="Byline", bot=True)
    channel = make_channel(guild=guild, name="news")
    channel.permissions_for.return_value = make_permissions(**ALL)
    bot = make_store_bot(store)
    cog = SettingsCog(bot)
    inter = make_interaction(client=bot, guild=guild, user=make_member(guild=guild))
    inter.permissions = make_permissions(manage_guild=True)
    await cog.autoreply_add.callback(cog, inter, channel)
    assert "lacks" not in inter.followup.send.await_args.args[0]
