"""Discord payloads for the fake: one small guild, its people, and builders for every event the tests inject.

The shapes follow what discord.py 2.7.1's parsers read (see ../shared/docs/discord-testing.md): members carry
``flags``, interactions carry ``attachment_size_limit``, guild commands carry ``data.guild_id``. A payload the real
Discord would never send makes a test prove nothing, so the builders fill every field the parsers touch.
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from dataclasses import dataclass, field
from typing import Any

import discord

_SNOWFLAKES = itertools.count(1_300_000_000_000_000_000)
ATTACHMENT_LIMIT = 10 * 1024 * 1024


def snowflake() -> str:
    """Return a fresh id, unique for the whole test process (strings, as Discord sends them)."""
    return str(next(_SNOWFLAKES))


def now_iso() -> str:
    """Discord's timestamp format."""
    return dt.datetime.now(dt.UTC).isoformat()


def _perms(**flags: bool) -> str:
    return str(discord.Permissions(**flags).value)


MEMBER_PERMS = _perms(view_channel=True, send_messages=True, read_message_history=True, add_reactions=True,
                      embed_links=True, attach_files=True, use_application_commands=True)
MOD_PERMS = _perms(manage_messages=True)
ADMIN_PERMS = _perms(manage_guild=True, manage_messages=True)
BOT_PERMS = _perms(view_channel=True, send_messages=True, read_message_history=True, add_reactions=True,
                   embed_links=True, attach_files=True, send_messages_in_threads=True, use_external_emojis=True)


@dataclass
class Person:
    """A user plus the role ids they hold in the guild."""

    user: dict[str, Any]
    role_ids: list[str] = field(default_factory=list)

    @property
    def id(self) -> int:
        return int(self.user["id"])


def user(name: str, *, bot: bool = False) -> dict[str, Any]:
    """A full user object."""
    return {"id": snowflake(), "username": name, "discriminator": "0", "global_name": name.title(),
            "avatar": None, "bot": bot, "public_flags": 0, "flags": 0, "verified": True, "mfa_enabled": False}


@dataclass
class World:
    """The one guild the fake serves, with an owner, an admin, a moderator, a plain member and the bot."""

    app_id: str = field(default_factory=snowflake)
    bot: Person = field(default_factory=lambda: Person(user("byline", bot=True)))
    guild_id: str = field(default_factory=snowflake)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    roles: dict[str, dict[str, Any]] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.roles["everyone"] = _role(self.guild_id, "@everyone", MEMBER_PERMS, 0)
        self.roles["moderators"] = _role(snowflake(), "Moderators", MOD_PERMS, 2)
        self.roles["admins"] = _role(snowflake(), "Admins", ADMIN_PERMS, 3)
        self.roles["reviewers"] = _role(snowflake(), "Reviewers", "0", 1)  # a mod role by configuration only
        self.roles["bot"] = _role(snowflake(), "Byline", BOT_PERMS, 4)
        self.bot.role_ids = [self.roles["bot"]["id"]]
        for pos, name in enumerate(("general", "news", "review", "quiet")):
            self.channels[name] = {"id": snowflake(), "type": 0, "name": name, "position": pos, "guild_id":
                                   self.guild_id, "permission_overwrites": [], "nsfw": False, "parent_id": None,
                                   "topic": None, "last_message_id": None, "rate_limit_per_user": 0, "flags": 0}
        self.people["owner"] = Person(user("olivia"))
        self.people["admin"] = Person(user("adam"), [self.roles["admins"]["id"]])
        self.people["mod"] = Person(user("maya"), [self.roles["moderators"]["id"]])
        self.people["reviewer"] = Person(user("rita"), [self.roles["reviewers"]["id"]])
        self.people["member"] = Person(user("mel"))
        self.people["member2"] = Person(user("nick"))

    def channel_id(self, name: str) -> int:
        return int(self.channels[name]["id"])

    def add_member(self, name: str) -> Person:
        """Create another plain member (the load test wants many distinct users)."""
        person = Person(user(name))
        self.people[name] = person
        return person

    def permissions_of(self, person: Person) -> str:
        """Compute the guild permissions Discord would put in an interaction's member.permissions."""
        if person.user["id"] == self.people["owner"].user["id"]:
            return str(discord.Permissions.all().value)
        value = int(self.roles["everyone"]["permissions"])
        for role in self.roles.values():
            if role["id"] in person.role_ids:
                value |= int(role["permissions"])
        return str(value)

    def member(self, person: Person, *, with_user: bool = True) -> dict[str, Any]:
        """A guild member object; ``flags`` is required by discord.py's parser."""
        data: dict[str, Any] = {"roles": list(person.role_ids), "joined_at": "2024-01-01T00:00:00+00:00",
                                "deaf": False, "mute": False, "flags": 0, "nick": None, "avatar": None,
                                "pending": False, "premium_since": None, "communication_disabled_until": None,
                                "permissions": self.permissions_of(person)}
        if with_user:
            data["user"] = person.user
        return data

    # --- gateway payloads -------------------------------------------------------------------------------------

    def ready(self, session_id: str, resume_url: str) -> dict[str, Any]:
        return {"v": 10, "user": self.bot.user, "guilds": [{"id": self.guild_id, "unavailable": True}],
                "session_id": session_id, "resume_gateway_url": resume_url, "private_channels": [],
                "relationships": [], "user_settings": {}, "application": {"id": self.app_id, "flags": 0}}

    def guild_create(self) -> dict[str, Any]:
        return {"id": self.guild_id, "name": "Byline Test Guild", "icon": None, "owner_id":
                self.people["owner"].user["id"], "unavailable": False, "member_count": len(self.people) + 1,
                "large": False, "features": [], "emojis": [], "stickers": [], "roles": list(self.roles.values()),
                "channels": list(self.channels.values()), "threads": [], "members": [self.member(self.bot)],
                "voice_states": [], "presences": [], "stage_instances": [], "guild_scheduled_events": [],
                "soundboard_sounds": [], "joined_at": "2024-01-01T00:00:00+00:00", "preferred_locale": "en-US",
                "premium_tier": 0, "verification_level": 0, "default_message_notifications": 0,
                "explicit_content_filter": 0, "mfa_level": 0, "nsfw_level": 0, "system_channel_flags": 0,
                "afk_timeout": 300, "premium_progress_bar_enabled": False}

    def application(self) -> dict[str, Any]:
        return {"id": self.app_id, "name": "Byline", "icon": None, "description": "", "bot_public": True,
                "bot_require_code_grant": False, "owner": self.people["owner"].user, "verify_key": "00" * 16,
                "flags": 0, "team": None, "summary": "", "rpc_origins": [], "bot": self.bot.user,
                "interactions_endpoint_url": None, "tags": []}

    def user_message(self, author: Person, channel: str, content: str, **extra: Any) -> dict[str, Any]:
        """A MESSAGE_CREATE payload written by a person."""
        data = {"id": snowflake(), "channel_id": self.channels[channel]["id"], "guild_id": self.guild_id,
                "author": author.user, "member": self.member(author, with_user=False), "content": content,
                "timestamp": now_iso(), "edited_timestamp": None, "tts": False, "mention_everyone": False,
                "mentions": [], "mention_roles": [], "attachments": [], "embeds": [], "pinned": False, "type": 0,
                "flags": 0, "components": []}
        data.update(extra)
        return data

    def reaction_add(self, person: Person, message: dict[str, Any], emoji: str) -> dict[str, Any]:
        """A MESSAGE_REACTION_ADD payload."""
        return {"user_id": person.user["id"], "channel_id": message["channel_id"], "message_id": message["id"],
                "guild_id": self.guild_id, "member": self.member(person), "emoji": {"id": None, "name": emoji},
                "burst": False, "type": 0, "message_author_id": message["author"]["id"]}

    # --- interactions -------------------------------------------------------------------------------------------

    def interaction(self, kind: int, person: Person, channel: str, data: dict[str, Any],
                    **extra: Any) -> dict[str, Any]:
        """An INTERACTION_CREATE payload; every key discord.py reads is present."""
        ch = self.channels[channel]
        payload = {"id": snowflake(), "application_id": self.app_id, "type": kind, "data": data,
                   "token": "itok-" + secrets.token_hex(12), "version": 1, "guild_id": self.guild_id,
                   "guild": {"id": self.guild_id, "locale": "en-US", "features": []},
                   "channel_id": ch["id"], "channel": {**ch, "permissions": self.permissions_of(person)},
                   "member": self.member(person), "app_permissions": BOT_PERMS, "locale": "en-US",
                   "guild_locale": "en-US", "entitlements": [], "authorizing_integration_owners":
                   {"0": self.guild_id}, "context": 0, "attachment_size_limit": ATTACHMENT_LIMIT}
        payload.update(extra)
        return payload

    def resolved_channel(self, name: str) -> dict[str, Any]:
        return {**self.channels[name], "permissions": BOT_PERMS}

    def resolved_role(self, name: str) -> dict[str, Any]:
        return dict(self.roles[name])


def _role(role_id: str, name: str, permissions: str, position: int) -> dict[str, Any]:
    return {"id": role_id, "name": name, "permissions": permissions, "position": position, "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None}, "hoist": False,
            "managed": False, "mentionable": False, "icon": None, "unicode_emoji": None, "flags": 0}


def modal_values(modal: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """Fill every text input of a modal the bot opened (callback type 9) with ``text``, as a user would."""
    rows: list[dict[str, Any]] = []
    for comp in modal.get("components", []):
        if comp.get("type") == 18:  # label wrapping one component
            inner = comp["component"]
            rows.append({"type": 18, "id": comp.get("id", 0), "component": _filled(inner, text)})
        elif comp.get("type") == 1:
            rows.append({"type": 1, "components": [_filled(c, text) for c in comp.get("components", [])]})
    return rows


def _filled(component: dict[str, Any], text: str) -> dict[str, Any]:
    if component.get("type") == 4:
        return {"type": 4, "custom_id": component["custom_id"], "value": text}
    return {k: v for k, v in component.items() if k in ("type", "custom_id")}


def find_custom_ids(message: dict[str, Any]) -> list[str]:
    """Every button custom_id in a message the bot sent, in order."""
    found: list[str] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item.get("custom_id") and item.get("type") == 2:
                found.append(item["custom_id"])
            walk(item.get("components", []))
            if "component" in item:
                walk([item["component"]])
            if "accessory" in item:
                walk([item["accessory"]])

    walk(message.get("components", []))
    return found
