"""Forget-me on a real SQLite file: the member's documents and their identity as a reviewer are gone, nothing else."""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

import pytest

from bot.errors import InputError
from bot.store_types import FORGOTTEN_ID, FORGOTTEN_NAME
from tests.store_factory import ARTICLE, ARTICLE_FLAGS, ENGINE, make_result

USER = 987_654_321_012_345_678
NAME = "Quillon Zedfeather"
OTHER, OTHER_NAME = 123_456_789_000_111_222, "Mo Other"
OWN_TEXT = ("Quillon Zedfeather wrote that the xylofjord ferry was late again. "
            "Sources familiar with the talks said the cost had doubled. Critics say it is unsafe.")


async def save(store, guild, text, author):
    return await store.save_analysis(guild, text, make_result(text, ARTICLE_FLAGS), engine_version=ENGINE,
                                     author_id=author, title=f"shared by {author}")


async def populate(store, guild=1):
    """USER shares one text and reviews, notes and is raced on OTHER's flags; OTHER reviews USER's flag too."""
    own = await save(store, guild, OWN_TEXT, USER)
    theirs = await save(store, guild, ARTICLE, OTHER)
    await store.review_flag(guild, theirs.flag_ids[0], status="confirmed", reviewer_id=USER, reviewer_name=NAME,
                            note="checked with the desk")
    await store.add_note(guild, theirs.flag_ids[1], reviewer_id=USER, reviewer_name=NAME, note="looks vague")
    await store.review_flag(guild, theirs.flag_ids[1], status="dismissed", reviewer_id=OTHER,
                            reviewer_name=OTHER_NAME)
    await store.review_flag(guild, own.flag_ids[0], status="confirmed", reviewer_id=OTHER,
                            reviewer_name=OTHER_NAME)
    await store.set_review_message(guild, theirs.flag_ids[0], 555, 666)
    return own, theirs


def every_value(path: Path):
    """Each (table, value) of every table in the file: ordinary tables, the FTS table and its shadow tables."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):  # names come from sqlite_master
                for value in row:
                    yield table, value
    finally:
        conn.close()


def traces(path: Path) -> list[tuple[str, object]]:
    """Values that still identify USER: the id as a number or text, the name, or the name's words in any case."""
    words = [w.lower().encode() for w in NAME.split()] + [str(USER).encode()]
    found = []
    for table, value in every_value(path):
        if isinstance(value, int) and value == USER:
            found.append((table, value))
        elif isinstance(value, str | bytes):
            blob = value.lower().encode() if isinstance(value, str) else value.lower()
            if any(w in blob for w in words) or struct.pack(">q", USER) in blob:
                found.append((table, value if isinstance(value, str) else "<blob>"))
    return found


def file_bytes(path: Path) -> bytes:
    """The database file and its WAL, as they sit on disk."""
    wal = Path(str(path) + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def test_forget_leaves_no_trace_of_the_user_in_any_table_or_the_search_index(store):
    """At once, nothing finds or shows the text; its words leave the search index's old segments (all FTS5 delete
    leaves behind) in the next retention round's compaction, and then the file holds no trace at all."""
    path = Path(store.path)
    own, _ = await populate(store)
    assert len(traces(path)) > 8  # the scan sees documents, flags, audit rows and the FTS index before
    assert await store.count_search(1, "xylofjord") == 1

    assert (await store.forget_user(1, USER)).documents == 1
    assert {table for table, _ in traces(path)} <= {"analyses_fts_data"}  # old index segments only
    assert await store.get_analysis(1, own.id) is None and await store.count_search(1, "xylofjord") == 0
    assert await store.count_search(1, "zedfeather") == 0 and await store.recent(1, viewer_id="staff") != []

    await store.prune()  # the hourly retention round, which compacts the indexes after a deletion
    assert traces(path) == []
    raw = file_bytes(path).lower()
    for needle in (b"zedfeather", b"xylofjord", str(USER).encode(), struct.pack(">q", USER)):
        assert needle not in raw, needle


async def test_forget_keeps_verdicts_and_other_members_data(store):
    own, theirs = await populate(store)
    before_other = [e for e in await store.review_events(1, theirs.flag_ids[1]) if e.actor_id == OTHER]
    await store.forget_user(1, USER)

    confirmed = await store.get_flag(1, theirs.flag_ids[0])
    assert (confirmed.status, confirmed.reviewer_id, confirmed.reviewer_name) == ("confirmed", FORGOTTEN_ID,
                                                                                  FORGOTTEN_NAME)
    assert confirmed.note == "checked with the desk" and confirmed.reviewed_at is not None
    assert (confirmed.review_channel_id, confirmed.review_message_id) == (555, 666)
    events = await store.review_events(1, confirmed.id)
    assert [(e.action, e.actor_id, e.actor_name, e.note) for e in events] == [
        ("confirmed", FORGOTTEN_ID, FORGOTTEN_NAME, "checked with the desk"), ("posted", None, None, None)]

    dismissed = await store.get_flag(1, theirs.flag_ids[1])
    assert (dismissed.status, dismissed.reviewer_id, dismissed.reviewer_name) == ("dismissed", OTHER, OTHER_NAME)
    events = await store.review_events(1, dismissed.id)
    assert [(e.action, e.actor_id) for e in events] == [("note", FORGOTTEN_ID), ("dismissed", OTHER)]
    assert [e for e in events if e.actor_id == OTHER] == before_other

    assert await store.get_flag(1, own.flag_ids[0]) is None  # OTHER's verdict on USER's text went with it
    kept = await store.get_analysis(1, theirs.id)
    assert kept is not None and kept.author_id == OTHER and await store.count_search(1, "bridge") == 1
    assert (await store.review_stats(1))["confirmed"] == 1 and (await store.review_stats(1))["dismissed"] == 1
    assert await store.check_integrity() == []


async def test_forget_in_one_guild_leaves_other_guilds_untouched(store):
    await populate(store, guild=1)
    own2, theirs2 = await populate(store, guild=2)
    before = [await store.review_events(2, i) for i in (*own2.flag_ids, *theirs2.flag_ids)]
    flags_before = [await store.get_flag(2, i) for i in (*own2.flag_ids, *theirs2.flag_ids)]
    await store.forget_user(1, USER)
    kept = await store.get_analysis(2, own2.id)
    assert kept is not None and kept.author_id == USER and kept.flag_ids == own2.flag_ids
    assert [await store.review_events(2, i) for i in (*own2.flag_ids, *theirs2.flag_ids)] == before
    assert [await store.get_flag(2, i) for i in (*own2.flag_ids, *theirs2.flag_ids)] == flags_before
    assert (await store.get_flag(2, theirs2.flag_ids[0])).reviewer_name == NAME
    assert await store.count_search(2, "xylofjord") == 1


async def test_forget_keeps_the_opt_out_that_honours_the_wish(store):
    await populate(store)
    await store.set_opt_out(1, USER, True)
    await store.forget_user(1, USER)
    await store.prune()
    assert await store.is_opted_out(1, USER)
    assert {table for table, _ in traces(Path(store.path))} == {"opt_outs"}


async def test_forgetting_twice_or_a_stranger_changes_nothing_more(store):
    await populate(store)
    assert (await store.forget_user(1, USER)).documents == 1
    snapshot = sorted(map(repr, every_value(Path(store.path))))
    assert (await store.forget_user(1, USER)).documents == 0
    assert (await store.forget_user(1, 42)).documents == 0
    assert sorted(map(repr, every_value(Path(store.path)))) == snapshot
    assert (await store.forget_user(1, FORGOTTEN_ID)).documents == 0  # the placeholder itself: nothing left to erase
    assert sorted(map(repr, every_value(Path(store.path)))) == snapshot
    with pytest.raises(InputError):
        await store.forget_user(1, -5)


async def test_only_the_placeholder_edit_gets_past_the_audit_trigger(store):
    await populate(store)
    conn = sqlite3.connect(store.path)
    try:
        for sql in (f"UPDATE review_events SET actor_id = 0, actor_name = 'someone else' WHERE actor_id = {USER}",
                    f"UPDATE review_events SET actor_id = 7, actor_name = 'forgotten user' WHERE actor_id = {USER}",
                    f"UPDATE review_events SET actor_id = 0, actor_name = 'forgotten user', note = 'x' "
                    f"WHERE actor_id = {USER}",
                    f"UPDATE review_events SET actor_id = 0, actor_name = 'forgotten user', action = 'dismissed' "
                    f"WHERE actor_id = {USER}"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)
        with conn:
            conn.execute("UPDATE review_events SET actor_id = 0, actor_name = 'forgotten user' WHERE actor_id = ?",
                         (USER,))
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # a placeholder is never edited again
            conn.execute("UPDATE review_events SET actor_name = 'forgotten user' WHERE actor_id = 0")
    finally:
        conn.close()


async def test_an_open_reader_delays_emptying_the_log_and_says_so(store, caplog, monkeypatch):
    """SQLite answers "busy" (it does not raise) while a reader holds the log; that must be noticed, then caught up."""
    import bot.store_db as store_db

    monkeypatch.setattr(store_db, "CHECKPOINT_WAIT_MS", 50)
    path = Path(store.path)
    await populate(store)
    await store.prune()  # the compaction due since the store opened
    reader = sqlite3.connect(path)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM documents").fetchone()  # holds a read snapshot of the log
        assert (await store.forget_user(1, USER)).documents == 1
        await store.prune()  # its compaction rewrites the index, but the old pages stay in the file behind the reader
        assert "could not empty the write-ahead log" in caplog.text
        assert b"xylofjord" in file_bytes(path).lower()  # still in the log while the reader holds it
    finally:
        reader.close()
    assert await store._checkpoint() is True
    assert b"xylofjord" not in file_bytes(path).lower()


async def test_forget_reports_the_posted_cards_that_still_show_the_member(store):
    """Cards of the member's own flags are listed as removed; cards they decided, as anonymised (a card never
    shows who wrote a note, so a card they only noted is left alone)."""
    own, theirs = await populate(store)
    await store.set_review_messages(1, own.flag_ids, 555, 700)  # the member's own article's card
    await store.set_review_message(1, theirs.flag_ids[1], 555, 667)  # noted by USER, decided by OTHER
    other_guild = await save(store, 2, OWN_TEXT, USER)
    await store.review_flag(2, other_guild.flag_ids[0], status="confirmed", reviewer_id=USER, reviewer_name=NAME)
    await store.set_review_messages(2, other_guild.flag_ids, 888, 999)

    report = await store.forget_user(1, USER)

    assert report.documents == 1
    assert [(c.channel_id, c.message_id) for c in report.removed_cards] == [(555, 700)]
    assert [(c.channel_id, c.message_id) for c in report.anonymised_cards] == [(555, 666)]
    assert await store.flags_on_card(1, 700) == []
    card = await store.flags_on_card(1, 666)
    assert [f.id for f in card] == [theirs.flag_ids[0]] and card[0].reviewer_name == FORGOTTEN_NAME
    assert await store.flags_on_card(1, 999) == []  # another guild's card is never visible from this one
    assert (await store.flags_on_card(2, 999))[0].reviewer_name == NAME  # nor touched


async def test_forgetting_someone_with_no_cards_reports_none(store):
    await save(store, 1, OWN_TEXT, USER)
    report = await store.forget_user(1, USER)
    assert (report.documents, report.removed_cards, report.anonymised_cards) == (1, (), ())


async def test_the_clean_up_list_survives_until_each_card_is_cleaned(store):
    """Cards go on the list in the forget's own transaction; a removal outranks a re-draw; cleaning is per reason."""
    from bot.store_cards import StaleCard

    own, _ = await populate(store)  # USER decided OTHER's flag on card 666
    await store.set_review_messages(1, own.flag_ids, 555, 700)
    await store.forget_user(1, USER)
    listed = await store.stale_cards()
    assert sorted(listed, key=lambda c: c.message_id) == [StaleCard(1, 555, 666, "redraw"),
                                                          StaleCard(1, 555, 700, "forget")]
    await store.forget_user(1, OTHER)  # OTHER shared card 666's article: its pending re-draw becomes a removal
    assert {(c.message_id, c.reason) for c in await store.stale_cards()} == {(700, "forget"), (666, "forget")}
    await store.card_cleaned(StaleCard(1, 555, 666, "redraw"))  # a re-draw that started earlier: the row stays
    assert len(await store.stale_cards()) == 2
    await store.card_cleaned(StaleCard(1, 555, 666, "forget"))
    await store.card_cleaned(StaleCard(2, 555, 700, "forget"))  # another guild's clean-up never touches this one
    assert [c.message_id for c in await store.stale_cards()] == [700]


async def test_a_card_put_off_after_a_refusal_is_left_out_of_passes_until_its_time(store):
    """The count and the next try live on the row, so back-off survives a restart; a new reason keeps the count."""
    from datetime import timedelta

    from bot.store_types import utcnow

    own, _ = await populate(store)
    await store.set_review_messages(1, own.flag_ids, 555, 700)
    await store.forget_user(1, USER)  # lists 700 (removal) and 666 (re-draw)
    now = utcnow()
    (card,) = [c for c in await store.stale_cards() if c.message_id == 700]
    await store.retry_card_later(card, attempts=3, next_try_at=now + timedelta(hours=2))

    assert [c.message_id for c in await store.stale_cards(due_by=now)] == [666]
    assert [c.message_id for c in await store.stale_cards(due_by=now + timedelta(hours=2))] == [666, 700]
    await store.forget_user(1, OTHER)  # 666 becomes a removal too; 700's count and wait are untouched
    assert {(c.message_id, c.attempts) for c in await store.stale_cards()} == {(666, 0), (700, 3)}
    await store.card_cleaned(card)
    assert [c.message_id for c in await store.stale_cards()] == [666]


async def test_public_replies_of_a_forgotten_members_articles_are_listed_for_deletion(store):
    """Byline's replies showing the member's articles go on the clean-up list; others' replies and guilds stay."""
    from bot.store_cards import CardRef, StaleCard

    own, theirs = await populate(store)
    assert await store.record_reply(1, own.id, 31, 3001)
    assert await store.record_reply(1, own.id, 32, 3002)  # the same article answered again (a cached reply)
    assert await store.record_reply(1, own.id, 32, 3002)  # recording twice is harmless
    assert await store.record_reply(1, theirs.id, 31, 3003)
    elsewhere = await save(store, 2, OWN_TEXT, USER)
    assert await store.record_reply(2, elsewhere.id, 41, 4001)
    assert not await store.record_reply(2, own.id, 41, 4002)  # guild 1's analysis is unknown in guild 2

    report = await store.forget_user(1, USER)

    assert report.replies == (CardRef(31, 3001), CardRef(32, 3002))
    assert {c for c in await store.stale_cards() if c.reason == "reply"} == {
        StaleCard(1, 31, 3001, "reply"), StaleCard(1, 32, 3002, "reply")}
    assert not await store.record_reply(1, own.id, 33, 3004)  # too late: the caller must take that reply down
    await store.forget_user(2, USER)
    assert StaleCard(2, 41, 4001, "reply") in await store.stale_cards()


async def test_a_message_listing_several_members_articles_is_listed_once_for_whoever_forgets_first(store):
    """/recent or a /search page shows many articles in one message: any of their authors' forget-me deletes it."""
    from bot.store_cards import CardRef

    own, theirs = await populate(store)
    assert await store.record_shown(1, [own.id, theirs.id], 31, 5001)
    assert await store.record_shown(1, [theirs.id], 31, 5002)
    assert await store.record_shown(1, [own.id, own.id.upper()], 31, 5003)  # the same article twice counts once
    assert not await store.record_shown(1, [theirs.id, "zzzzzz"], 31, 5004)  # one is gone: nothing is recorded
    assert not await store.record_shown(1, [theirs.id, "not an id"], 31, 5004)

    assert (await store.forget_user(1, USER)).replies == (CardRef(31, 5001), CardRef(31, 5003))
    # 5001 is on its way out whole, so OTHER's forget-me later lists only the message that still stands.
    assert (await store.forget_user(1, OTHER)).replies == (CardRef(31, 5002),)


async def test_a_save_begun_before_the_authors_forget_me_is_refused(store):
    """The generation read when a request begins must still hold when its result is saved; nothing else changes."""
    from bot.errors import ForgottenMeanwhile

    before = store.forget_generation(1, USER)
    other_before = store.forget_generation(1, OTHER)
    elsewhere = store.forget_generation(2, USER)
    await store.forget_user(1, USER)
    with pytest.raises(ForgottenMeanwhile):
        await store.save_analysis(1, OWN_TEXT, make_result(OWN_TEXT, ARTICLE_FLAGS), engine_version=ENGINE,
                                  author_id=USER, forget_generation=before)
    assert await store.recent(1, viewer_id="staff") == []
    saved = await store.save_analysis(1, OWN_TEXT, make_result(OWN_TEXT, ARTICLE_FLAGS), engine_version=ENGINE,
                                      author_id=USER, forget_generation=store.forget_generation(1, USER))
    assert saved.author_id == USER
    for guild, author, generation in ((1, OTHER, other_before), (2, USER, elsewhere)):  # not theirs to void
        await store.save_analysis(guild, ARTICLE, make_result(ARTICLE, ARTICLE_FLAGS), engine_version=ENGINE,
                                  author_id=author, forget_generation=generation)


async def test_an_opted_out_author_is_never_stored(store):
    """An /optout that lands during an analysis voids its save, however the request began; others are unaffected."""
    from bot.errors import ForgottenMeanwhile, OptedOutMeanwhile

    generation = store.forget_generation(1, USER)
    await store.set_opt_out(1, USER, True)
    for kwargs in ({"forget_generation": generation}, {}, {"private": True}):
        with pytest.raises(OptedOutMeanwhile) as refused:
            await store.save_analysis(1, OWN_TEXT, make_result(OWN_TEXT, ARTICLE_FLAGS), engine_version=ENGINE,
                                      author_id=USER, **kwargs)
        assert isinstance(refused.value, ForgottenMeanwhile)  # a joined request of someone else still goes ahead
    assert await store.recent(1, viewer_id="staff") == []
    assert (await store.save_analysis(2, OWN_TEXT, make_result(OWN_TEXT), engine_version=ENGINE,
                                      author_id=USER)).author_id == USER  # opted out in guild 1 only
    assert (await store.save_analysis(1, OWN_TEXT, make_result(OWN_TEXT), engine_version=ENGINE,
                                      author_id=OTHER)).author_id == OTHER


async def _traced(store) -> list[str]:
    """The statements the store's writer runs from now on (SQLite's own trace, on the writer's thread)."""
    statements: list[str] = []
    await store._w.set_trace_callback(statements.append)
    return statements


def _compacting(statements: list[str]) -> list[str]:
    return [s for s in statements if "'optimize'" in s or "'merge'" in s]


async def test_forget_leaves_the_search_compaction_to_the_hourly_round_which_runs_it_once(store):
    """A forget-me rewrites no index: that rewrites every guild's whole index under the write lock, as often as a
    member asks. The retention round compacts once after any number of deletions, and not again until the next."""
    await populate(store)
    await save(store, 1, "Another member shared this. Sources familiar with the talks said so. Critics agree.",
               OTHER)
    await store.prune()  # due once since the store opened
    statements = await _traced(store)
    assert (await store.forget_user(1, USER)).documents == 1
    assert (await store.forget_user(1, OTHER)).documents == 2
    assert _compacting(statements) == []
    await store.prune()
    assert _compacting(statements) != []
    statements.clear()
    await store.prune()  # nothing deleted since
    assert _compacting(statements) == []


async def test_a_restart_before_the_round_still_compacts_in_the_first_round_after_it(tmp_path):
    """Whether a deletion awaits compaction is kept in memory only, so a store that opens assumes one does."""
    from bot.store import Store

    path = tmp_path / "byline.db"
    async with Store.open(path) as first:
        await populate(first)
        await first.forget_user(1, USER)
    assert {table for table, _ in traces(path)} <= {"analyses_fts_data"}
    async with Store.open(path) as second:
        statements = await _traced(second)
        await second.prune()
        assert _compacting(statements) != []
    assert traces(path) == []
    assert b"xylofjord" not in file_bytes(path).lower()
