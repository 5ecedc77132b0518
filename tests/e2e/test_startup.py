"""Scenario 1: the real bot logs in, syncs its commands and reaches READY against the fake Discord."""

from __future__ import annotations

import discord
import pytest

from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e

EXPECTED_SLASH = {"analyse", "lookup", "search", "recent", "stats", "forget", "optout", "optin", "review",
                  "export", "settings"}
MESSAGE_MENU = "Analyse with Byline"


def _options(cmd: dict) -> dict[str, tuple[int, bool]]:
    return {o["name"]: (o["type"], bool(o.get("required", False))) for o in cmd.get("options", [])}


def test_login_then_sync_before_gateway(byline: Harness) -> None:
    """Login, application info and the global command sync happen in that order, before IDENTIFY."""
    fake = byline.fake
    first = fake.snapshot()[:3]
    assert [(c.method, c.path) for c in first] == [("GET", "/users/@me"), ("GET", "/oauth2/applications/@me"),
                                                   ("PUT", f"/applications/{fake.world.app_id}/commands")]
    assert first[2].status == 200 and first[2].at < fake.gateway.identified_at[0]
    assert byline.bot.failed_extensions == {}
    assert byline.bot.is_ready() and byline.bot.get_guild(int(fake.world.guild_id)) is not None


def test_registered_commands_and_options(byline: Harness) -> None:
    """Every cog's commands reach Discord with the options members will see."""
    commands = byline.fake.commands[None]
    slash = {c["name"]: c for c in commands if c.get("type", 1) == 1}
    menus = {c["name"] for c in commands if c.get("type") == 3}
    assert set(slash) == EXPECTED_SLASH
    assert MESSAGE_MENU in menus
    analyse = _options(slash["analyse"])
    assert {"text", "url", "file"} <= set(analyse)
    assert analyse["text"] == (3, False) and analyse["url"] == (3, False) and analyse["file"] == (11, False)
    assert _options(slash["lookup"]) == {"id": (3, True)}
    assert _options(slash["search"]) == {"query": (3, True)}
    assert set(_options(slash["review"])) == {"queue", "stats", "repost"}
    settings_set = next(o for o in slash["settings"]["options"] if o["name"] == "set")
    assert {o["name"] for o in settings_set["options"]} >= {"review-channel", "mod-role", "autoreply-add",
                                                           "autoreply-remove", "flag-threshold"}
    for cmd in commands:  # Discord's own limits: names <= 32, descriptions <= 100
        assert len(cmd["name"]) <= 32 and len(cmd.get("description", "")) <= 100


def test_only_needed_intents_and_no_pings(byline: Harness) -> None:
    """IDENTIFY asks for guilds, guild messages (+content) and reactions; never the members intent."""
    intents = discord.Intents._from_value(byline.fake.gateway.intents[-1])
    assert intents.guilds and intents.guild_messages and intents.message_content and intents.guild_reactions
    assert not intents.members and not intents.presences
    mentions = byline.bot.allowed_mentions
    assert mentions is not None and mentions.to_dict()["parse"] == []
