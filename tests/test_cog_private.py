"""Private analyses end to end through the cogs: ephemeral /analyse and messages from channels @everyone cannot
read are stored privately, and /lookup, /recent, /search and the Full report button show them to their author
only. Real Store and bot services; spec'd Discord objects."""

from __future__ import annotations

import re
from unittest import mock

import discord
import pytest

from bot.errors import NotFoundError
from bot.store import STAFF
from bot.views_report import REPORT_TEMPLATE, ReportButton
from cogs._inputs import is_private_channel
from cogs.analyse import AnalyseCog
from cogs.library import Library
from cogs.links import REACTION_EMOJI, LinksCog
from tests.botkit import ARTICLE, running_bot
from tests.helpers import make_channel, make_guild, make_interaction, make_member, make_message


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as bot:
        yield bot


def private_channel(guild):
    """A channel whose overwrites deny @everyone View Channel (real Permissions, as discord.py resolves them)."""
    channel = make_channel(guild=guild)
    channel.permissions_for.return_value = discord.Permissions(view_channel=False)
    return channel


def public_channel(guild):
    channel = make_channel(guild=guild)
    channel.permissions_for.return_value = discord.Permissions(view_channel=True, send_messages=True)
    return channel


async def _analyse(bot, guild, user, *, channel=None, ephemeral=False) -> str:
    cog = AnalyseCog(bot)
    inter = make_interaction(client=bot, guild=guild, user=user, channel=channel or public_channel(guild))
    await cog.analyse.callback(cog, inter, text=ARTICLE, ephemeral=ephemeral)
    return inter.followup.send.await_args.kwargs["embeds"][0].footer.text.split()[1]


async def _library_sees(bot, guild, user, analysis_id: str) -> dict[str, bool]:
    """What one member gets from /lookup, /recent and /search for ``analysis_id``."""
    lib = Library(bot)
    seen = {}
    inter = make_interaction(client=bot, guild=guild, user=user)
    try:
        await lib.lookup.callback(lib, inter, analysis_id)
        seen["lookup"] = True
    except NotFoundError:
        seen["lookup"] = False
    inter = make_interaction(client=bot, guild=guild, user=user)
    await lib.recent.callback(lib, inter)
    seen["recent"] = analysis_id in str(inter.followup.send.await_args.kwargs["embed"].to_dict())
    inter = make_interaction(client=bot, guild=guild, user=user)
    await lib.search.callback(lib, inter, "bridge")
    seen["search"] = analysis_id in str(inter.followup.send.await_args.kwargs["embed"].to_dict())
    return seen


async def test_ephemeral_analysis_is_listed_for_its_author_only(bot):
    guild = make_guild()
    author, other = make_member(guild=guild), make_member(guild=guild)
    analysis_id = await _analyse(bot, guild, author, ephemeral=True)
    assert (await bot.store.get_analysis(guild.id, analysis_id, viewer_id=STAFF)).private
    assert await _library_sees(bot, guild, other, analysis_id) == {"lookup": False, "recent": False, "search": False}
    assert await _library_sees(bot, guild, author, analysis_id) == {"lookup": True, "recent": True, "search": True}


async def test_public_analysis_in_a_public_channel_is_listed_for_everyone(bot):
    guild = make_guild()
    analysis_id = await _analyse(bot, guild, make_member(guild=guild))
    assert not (await bot.store.get_analysis(guild.id, analysis_id, viewer_id=STAFF)).private
    seen = await _library_sees(bot, guild, make_member(guild=guild), analysis_id)
    assert seen == {"lookup": True, "recent": True, "search": True}


async def test_analysis_in_a_channel_everyone_cannot_read_is_private(bot):
    guild = make_guild()
    author, other = make_member(guild=guild), make_member(guild=guild)
    analysis_id = await _analyse(bot, guild, author, channel=private_channel(guild))
    assert (await bot.store.get_analysis(guild.id, analysis_id, viewer_id=STAFF)).private
    assert await _library_sees(bot, guild, other, analysis_id) == {"lookup": False, "recent": False, "search": False}


async def react(bot, links: LinksCog, guild, channel, message) -> None:
    """A member (not the author) adds 📰 to ``message`` in ``channel``, as the gateway would deliver it."""
    channel.fetch_message.return_value = message
    data = {"message_id": message.id, "channel_id": channel.id, "guild_id": guild.id,
            "user_id": make_member(guild=guild).id, "burst": False, "type": 0}
    event = discord.RawReactionActionEvent(data, discord.PartialEmoji(name=REACTION_EMOJI), "REACTION_ADD")
    event.member = make_member(guild=guild)
    with mock.patch.object(bot, "get_channel", autospec=True, return_value=channel):
        await links.on_raw_reaction_add(event)


async def test_reaction_in_a_private_channel_stores_privately_and_the_report_opens_only_there(bot):
    guild = make_guild()
    channel = private_channel(guild)
    message = make_message(content=ARTICLE, channel=channel)
    await react(bot, LinksCog(bot), guild, channel, message)
    stored = (await bot.store.recent(guild.id, viewer_id=STAFF))[0]
    assert stored.private and stored.author_id == message.author.id
    custom_id = f"byline:report:{stored.id}"
    match = re.fullmatch(REPORT_TEMPLATE, custom_id)
    outsider = make_interaction(client=bot, guild=guild, channel=public_channel(guild))
    button = await ReportButton.from_custom_id(outsider, discord.ui.Button(custom_id=custom_id), match)
    await button.callback(outsider)
    assert "no longer stored here" in outsider.followup.send.await_args.args[0]
    assert "embeds" not in outsider.followup.send.await_args.kwargs
    in_channel = make_interaction(client=bot, guild=guild, channel=channel)
    await button.callback(in_channel)
    assert stored.id in in_channel.followup.send.await_args.kwargs["embeds"][0].footer.text


def test_private_channel_detection():
    guild = make_guild()
    assert is_private_channel(private_channel(guild))
    assert not is_private_channel(public_channel(guild))
    broken = make_channel(guild=guild)
    broken.permissions_for.side_effect = discord.ClientException("parent channel not found")
    assert is_private_channel(broken)  # cannot tell: keep it out of the shared library



async def test_the_authors_own_private_analysis_is_shown_to_them_privately_never_to_the_channel(bot):
    """/lookup, /recent and /search reply ephemerally when they show the member's private analysis."""
    guild = make_guild()
    author, other = make_member(guild=guild), make_member(guild=guild)
    analysis_id = await _analyse(bot, guild, author, ephemeral=True)
    lib = Library(bot)
    for run in (lambda i: lib.lookup.callback(lib, i, analysis_id), lambda i: lib.recent.callback(lib, i),
                lambda i: lib.search.callback(lib, i, "bridge")):
        mine = make_interaction(client=bot, guild=guild, user=author)
        await run(mine)
        mine.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
        assert mine.followup.send.await_args.kwargs["ephemeral"] is True
    await _analyse(bot, guild, other)  # a public analysis: the public listing stays public
    theirs = make_interaction(client=bot, guild=guild, user=other)
    await lib.recent.callback(lib, theirs)
    theirs.response.defer.assert_awaited_once_with(thinking=True)
    assert analysis_id not in str(theirs.followup.send.await_args.kwargs["embed"].to_dict())


async def test_full_report_opens_in_every_private_room_where_the_reply_showed_it(bot):
    """One member shares the same article in two private rooms: the second reply reuses the first room's private
    analysis, and its Full report button must open for that room's members too, and still nowhere else."""
    guild = make_guild()
    author = make_member(guild=guild)
    links = LinksCog(bot)
    rooms = [private_channel(guild), private_channel(guild)]
    replies = []
    for room in rooms:
        message = make_message(content=ARTICLE, channel=room, author=author)
        message.reply.return_value = make_message(channel=room, author=bot.user)  # what Discord returns
        await react(bot, links, guild, room, message)
        replies.append(message.reply.await_args.kwargs["view"].children[0].custom_id)
    assert replies[0] == replies[1]  # the second room was answered from the first room's stored analysis
    match = re.fullmatch(REPORT_TEMPLATE, replies[1])
    for room, opens in ((rooms[1], True), (private_channel(guild), False)):
        click = make_interaction(client=bot, guild=guild, channel=room)
        button = await ReportButton.from_custom_id(click, discord.ui.Button(custom_id=replies[1]), match)
        await button.callback(click)
        assert ("embeds" in click.followup.send.await_args.kwargs) is opens
