"""The Full report button: a click counts against the member's allowance of library reads, and the result is
decoded and the report rendered off the event loop."""

from __future__ import annotations

import threading

from bot import config
from bot.analysis.result import Result
from bot.views_report import ReportButton
from cogs.library import Library
from tests.helpers import flagged_result, make_guild, make_interaction, make_member, make_store_bot

TEXT = "The harbour authority said the pier will close. Sources inside the port said costs doubled."
FLAGS = [("anonymous_source", "high", "Sources inside the port")]


async def _save(store, guild_id):
    return await store.save_analysis(guild_id, TEXT, flagged_result(TEXT, FLAGS, title="Pier"),
                                     engine_version="test-1", title="Pier", url="https://port.example/pier")


async def test_report_clicks_share_the_library_allowance_with_the_commands(store):
    """With 3 reads a minute: /recent, then two clicks; the third click is refused privately and reads nothing."""
    guild = make_guild()
    stored = await _save(store, guild.id)
    bot = make_store_bot(store, config.load(None, {"BYLINE_DISCORD_LIBRARY_RATE_PER_MINUTE": "3"}))
    member = make_member(guild=guild)
    cog = Library(bot)
    await cog.recent.callback(cog, make_interaction(client=bot, guild=guild, user=member))
    for _ in range(2):
        click = make_interaction(client=bot, guild=guild, user=member)
        await ReportButton(stored.id).callback(click)
        assert click.followup.send.await_args.kwargs["files"][0].filename == f"byline-{stored.id}.md"
    refused = make_interaction(client=bot, guild=guild, user=member)
    await ReportButton(stored.id).callback(refused)
    refused.response.defer.assert_not_awaited()
    refused.followup.send.assert_not_awaited()
    assert "going a bit fast" in refused.response.send_message.await_args.args[0]
    assert refused.response.send_message.await_args.kwargs["ephemeral"] is True
    other = make_interaction(client=bot, guild=guild)  # another member's allowance is their own
    await ReportButton(stored.id).callback(other)
    assert other.followup.send.await_args.kwargs["files"]


async def test_report_decodes_and_renders_off_the_event_loop(store, monkeypatch):
    import bot.views_report as views_report

    guild = make_guild()
    stored = await _save(store, guild.id)
    threads = []
    real_decode, real_render = Result.from_dict.__func__, views_report.render_analysis

    def decode(cls, data):
        threads.append(("decode", threading.get_ident()))
        return real_decode(cls, data)

    def draw(*args, **kwargs):
        threads.append(("render", threading.get_ident()))
        return real_render(*args, **kwargs)

    monkeypatch.setattr(Result, "from_dict", classmethod(decode))
    monkeypatch.setattr(views_report, "render_analysis", draw)
    click = make_interaction(client=make_store_bot(store), guild=guild)
    await ReportButton(stored.id).callback(click)
    assert click.followup.send.await_args.kwargs["files"][0].filename == f"byline-{stored.id}.md"
    assert [what for what, _ in threads] == ["decode", "render"]
    assert threading.get_ident() not in {thread for _, thread in threads}
