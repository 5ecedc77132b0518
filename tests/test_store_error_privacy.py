"""A database Byline cannot use, met while answering a member: the member is told the database is having trouble,
never where its file is or what SQLite said (a 📰's answer is public); the log keeps the whole message for the
operator, as the command line does (tests/test_cli_db.py). A real file, corrupted on disk as a failing disk would."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from pathlib import Path
from unittest import mock

import discord
import pytest

from bot.errors import StoreError
from bot.store import Store
from bot.views_report import ReportButton
from cogs.library import Library
from cogs.links import LinksCog
from tests.botkit import ARTICLE, running_bot
from tests.helpers import make_guild, make_interaction, make_member, make_message
from tests.test_cli_db import _corrupt_tables
from tests.test_cog_links import fetchable, reaction

TROUBLE = "Byline's database is having trouble; try again shortly."


@pytest.fixture
async def broken(tmp_path) -> Path:
    """The database file ``running_bot(tmp_path)`` opens, migrated, with its documents and analyses (and their
    indexes) corrupted: it opens, settings and opt-outs still read, and the first article read fails."""
    path = tmp_path / "byline.db"
    async with Store.open(path):
        pass
    with contextlib.closing(sqlite3.connect(path)) as conn:
        names = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE rootpage > 0 AND tbl_name "
                                                  "IN ('documents', 'analyses')")]
    _corrupt_tables(str(path), *names)  # each table and index: every way to an article meets a broken page
    return path


def _shows_no_path(text: str, path: Path) -> None:
    assert str(path) not in text and path.parent.name not in text and "malformed" not in text


async def test_a_reaction_on_a_broken_database_is_answered_without_its_path(tmp_path, broken, caplog):
    async with running_bot(tmp_path) as bot:
        message = fetchable(make_message(content=ARTICLE))
        with (caplog.at_level(logging.INFO),
              mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel)):
            await LinksCog(bot).on_raw_reaction_add(reaction(message))
    text = message.reply.await_args.args[0]
    assert text == f"📰 {TROUBLE}"
    _shows_no_path(text, broken)
    assert f"{broken} is not a usable Byline database: database disk image is malformed" in caplog.text


async def test_a_slash_command_on_a_broken_database_is_answered_without_its_path(tmp_path, broken, caplog):
    """Through the tree, as Discord's interaction arrives: the one error handler picks the text."""
    async with running_bot(tmp_path) as bot:
        await bot.add_cog(Library(bot))
        guild = make_guild()
        inter = make_interaction(client=bot, guild=guild, user=make_member(guild=guild))
        inter.type = discord.InteractionType.application_command
        inter.data = {"type": 1, "id": "1", "name": "lookup",
                      "options": [{"type": 3, "name": "id", "value": "b7k2m9"}]}
        inter.command_failed = False
        with caplog.at_level(logging.INFO):
            await bot.tree._call(inter)
    args, kwargs = inter.response.send_message.await_args
    assert args[0] == TROUBLE and kwargs["ephemeral"] is True
    _shows_no_path(args[0], broken)
    assert f"{broken} is not a usable Byline database" in caplog.text


async def test_a_button_on_a_broken_database_is_answered_without_its_path(tmp_path, broken, caplog):
    async with running_bot(tmp_path) as bot:
        inter = make_interaction(client=bot, guild=make_guild())
        with caplog.at_level(logging.INFO):
            await ReportButton("b7k2m9").callback(inter)
    text = inter.followup.send.await_args.args[0]
    assert text == TROUBLE
    _shows_no_path(text, broken)
    assert f"{broken} is not a usable Byline database" in caplog.text


def test_every_store_error_shows_members_one_sentence_and_keeps_its_detail():
    error = StoreError("Cannot use the database /srv/byline/byline.db: the file is read-only.")
    assert error.user_message == StoreError.user_message == TROUBLE and error.transient
    assert error.detail == str(error) == "Cannot use the database /srv/byline/byline.db: the file is read-only."
    assert StoreError().detail == TROUBLE
