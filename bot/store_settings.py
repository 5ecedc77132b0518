"""Per-guild settings and members' opt-outs."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from bot.store_db import StoreBase
from bot.store_types import (
    SETTING_KEYS,
    GuildSettings,
    check_guild,
    to_db_time,
    utcnow,
    validate_settings,
)


class SettingsStore(StoreBase):
    """What a guild chose and who asked not to be read."""

    async def get_settings(self, guild_id: int) -> GuildSettings:
        """This guild's settings, or the defaults when it never changed any."""
        check_guild(guild_id)
        row = await self._row(
            f"SELECT {', '.join(SETTING_KEYS)} FROM guild_settings WHERE guild_id = ?", (guild_id,))  # noqa: S608
        if row is None:
            return GuildSettings(guild_id)
        values = dict(zip(SETTING_KEYS, row, strict=True))
        values["autoreply_channel_ids"] = frozenset(json.loads(values["autoreply_channel_ids"] or "[]"))
        return GuildSettings(guild_id, **values)

    async def update_settings(self, guild_id: int, **changes: Any) -> GuildSettings:
        """Validate and save some settings; the others keep their values."""
        check_guild(guild_id)
        values = validate_settings(changes)
        if "autoreply_channel_ids" in values:
            values["autoreply_channel_ids"] = json.dumps(values["autoreply_channel_ids"])
        if values:
            cols = list(values)  # validated names from SETTING_KEYS only, never user text
            async with self._write() as db:
                await db.execute(
                    f"INSERT INTO guild_settings (guild_id, updated_at, {', '.join(cols)}) "  # noqa: S608
                    f"VALUES (?, ?, {', '.join('?' for _ in cols)}) ON CONFLICT (guild_id) DO UPDATE SET "
                    f"updated_at = excluded.updated_at, {', '.join(f'{c} = excluded.{c}' for c in cols)}",
                    (guild_id, to_db_time(utcnow()), *values.values()))
        return await self.get_settings(guild_id)

    async def set_autoreply_channel(self, guild_id: int, channel_id: int, enabled: bool) -> tuple[GuildSettings, bool]:
        """Turn link auto-replies on or off in one channel; return the settings and whether anything changed.

        The read and the write share one write transaction, so two managers changing different channels at
        the same moment (even from two processes) both land; a read-modify-write in the caller loses one.
        """
        check_guild(guild_id)
        async with self._write() as db:
            rows = list(await db.execute_fetchall(
                "SELECT autoreply_channel_ids FROM guild_settings WHERE guild_id = ?", (guild_id,)))
            current = set(json.loads(rows[0][0] or "[]")) if rows else set()
            wanted = current | {channel_id} if enabled else current - {channel_id}
            changed = wanted != current
            if changed:
                ids = json.dumps(validate_settings({"autoreply_channel_ids": wanted})["autoreply_channel_ids"])
                await db.execute(
                    "INSERT INTO guild_settings (guild_id, updated_at, autoreply_channel_ids) VALUES (?, ?, ?) "
                    "ON CONFLICT (guild_id) DO UPDATE SET updated_at = excluded.updated_at, "
                    "autoreply_channel_ids = excluded.autoreply_channel_ids",
                    (guild_id, to_db_time(utcnow()), ids))
        return await self.get_settings(guild_id), changed

    async def forget_channels(self, guild_id: int, channel_ids: Collection[int], *,
                              review_channel: bool = True) -> tuple[frozenset[int], bool]:
        """Take channels the guild no longer has out of its settings: off the auto-reply list and, with
        ``review_channel``, out of the review channel setting when it is one of them. Returns the auto-reply ids
        removed and whether the review channel was cleared.

        One write transaction, like ``set_autoreply_channel``: a manager adding a channel at the same moment is not
        lost, and a review channel changed to another channel meanwhile stays set.
        """
        check_guild(guild_id)
        gone = {int(i) for i in channel_ids}
        removed: frozenset[int] = frozenset()
        cleared = False
        async with self._write() as db:
            rows = list(await db.execute_fetchall(
                "SELECT autoreply_channel_ids, review_channel_id FROM guild_settings WHERE guild_id = ?", (guild_id,)))
            if rows:
                current = set(json.loads(rows[0][0] or "[]"))
                removed = frozenset(current & gone)
                cleared = review_channel and rows[0][1] in gone
                now = to_db_time(utcnow())
                if removed:
                    await db.execute(
                        "UPDATE guild_settings SET autoreply_channel_ids = ?, updated_at = ? WHERE guild_id = ?",
                        (json.dumps(sorted(current - removed)), now, guild_id))
                if cleared:
                    await db.execute("UPDATE guild_settings SET review_channel_id = NULL, updated_at = ? "
                                     "WHERE guild_id = ?", (now, guild_id))
        return removed, cleared

    async def set_opt_out(self, guild_id: int, user_id: int, opted_out: bool) -> None:
        """Record (or lift) a member's wish that Byline does not analyse or keep their messages."""
        check_guild(guild_id)
        async with self._write() as db:
            if opted_out:
                await db.execute("INSERT OR IGNORE INTO opt_outs (guild_id, user_id, created_at) VALUES (?, ?, ?)",
                                 (guild_id, int(user_id), to_db_time(utcnow())))
            else:
                await db.execute("DELETE FROM opt_outs WHERE guild_id = ? AND user_id = ?", (guild_id, int(user_id)))

    async def is_opted_out(self, guild_id: int, user_id: int) -> bool:
        """Whether a member opted out in this guild."""
        check_guild(guild_id)
        row = await self._row("SELECT 1 FROM opt_outs WHERE guild_id = ? AND user_id = ?", (guild_id, int(user_id)))
        return row is not None

