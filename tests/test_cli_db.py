"""``byline db ...`` and ``analyze --save`` against a real database file."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import bot.analysis
from bot import cli, config
from bot.analysis import Engine
from bot.cli_db import save_result
from bot.errors import StoreError
from tests.store_factory import ARTICLE, ARTICLE_FLAGS, make_result


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv("BYLINE_CONFIG", raising=False)
    monkeypatch.setenv("BYLINE_LOGGING_LEVEL", "WARNING")
    return str(tmp_path / "cli.db")


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def saved_id(db, text=ARTICLE, title="Bridge news"):
    args = argparse.Namespace(db=db)
    return save_result(args, config.load(None, {}), text, make_result(text, ARTICLE_FLAGS),
                       {"title": title, "url": "https://news.example/bridge"})


def test_save_result_prints_nothing_but_returns_a_reusable_id(db):
    first = saved_id(db)
    assert len(first) == 6 and saved_id(db) == first  # same text: the cached analysis


def test_show_renders_the_stored_report_and_json(db, capsys):
    short_id = saved_id(db)
    code, out, _ = run(capsys, "db", "show", short_id.upper(), "--db", db)
    assert code == 0 and out.startswith(short_id) and "https://news.example/bridge" in out
    assert "Sources familiar with the talks" in out
    code, out, _ = run(capsys, "db", "show", short_id, "--json", "--db", db)
    record = json.loads(out)
    assert code == 0 and record["id"] == short_id and len(record["result"]["flags"]) == 2


def test_show_unknown_or_other_guild_is_a_one_line_error(db, capsys):
    short_id = saved_id(db)
    for argv in (("db", "show", "zzzzzz", "--db", db), ("db", "show", short_id, "--guild", "5", "--db", db)):
        code, out, err = run(capsys, *argv)
        assert code == 1 and out == "" and err.startswith("byline: No analysis") and err.count("\n") == 1


def test_search_lists_hits_and_survives_hostile_queries(db, capsys):
    short_id = saved_id(db)
    code, out, _ = run(capsys, "db", "search", "bridge", "--db", db)
    assert code == 0 and short_id in out and "**bridge**" in out and "1 of 1 matches" in out
    for query in ("NEAR(", '"', "text:bridge OR", "((", "*"):
        code, out, err = run(capsys, "db", "search", query, "--db", db)
        assert code == 0 and err == "", query
    code, out, _ = run(capsys, "db", "search", "NEAR(", "--db", db)
    assert out == "No matches.\n"
    code, _, err = run(capsys, "db", "search", "bridge", "--limit", "0", "--db", db)
    assert code == 1 and "--limit" in err
    code, out, err = run(capsys, "db", "search", "bridge", "b*", "--db", db)  # not silently a search for "bridge"
    assert code == 1 and out == "" and "at least 3 letters" in err and err.count("\n") == 1


def test_search_and_show_print_no_control_characters_from_stored_text(db, capsys):
    """Members' titles, links and article text may hold ESC sequences; the terminal must never receive them."""
    text = ARTICLE + " Ferry \x1b[2J\x1b]0;owned\x07 news \u202egnirts."
    args = argparse.Namespace(db=db)
    short_id = save_result(args, config.load(None, {}), text, make_result(text, ARTICLE_FLAGS),
                           {"title": "Harbour \x1b[31mbudget\x9b", "url": "https://news.example/\x1b[1mferry"})
    for argv in (("db", "search", "ferry", "--db", db), ("db", "search", "harbour", "--db", db),
                 ("db", "show", short_id, "--db", db)):
        code, out, _ = run(capsys, *argv)
        assert code == 0 and short_id in out, argv
        assert not any(ch in out for ch in "\x1b\x07\x9b\u202e"), argv
    code, out, _ = run(capsys, "db", "search", "ferry", "--db", db)
    assert "Harbour \ufffd[31mbudget\ufffd" in out and "**Ferry** \ufffd[2J" in out  # one for one, the rest kept


def test_stats_reports_counts(db, capsys):
    saved_id(db)
    code, out, _ = run(capsys, "db", "stats", "--db", db)
    assert code == 0 and "Documents: 1" in out and "pending (in review queue) 2" in out and "anonymous_source 1" in out


def test_export_to_a_file_with_filters(db, capsys, tmp_path):
    saved_id(db)
    target = tmp_path / "flags.csv"
    code, _, err = run(capsys, "db", "export", "--format", "csv", "--output", str(target), "--db", db)
    assert code == 0 and "exported 2 flags" in err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["category"] for r in rows] == ["anonymous_source", "vague_source"]
    code, out, _ = run(capsys, "db", "export", "--format", "jsonl", "--category", "vague_source", "--db", db)
    assert code == 0 and [json.loads(line)["category"] for line in out.splitlines()] == ["vague_source"]
    code, out, _ = run(capsys, "db", "export", "--format", "jsonl", "--status", "confirmed", "--db", db)
    assert code == 0 and out == ""
    code, out, _ = run(capsys, "db", "export", "--format", "jsonl", "--since", "2999-01-01", "--db", db)
    assert code == 0 and out == ""


def test_export_of_pending_flags_lists_the_review_queue_only(db, capsys):
    """The CLI's --status pending is the bot's: flags below the guild's threshold are not waiting for review."""
    saved_id(db)  # a high and a medium flag; the CLI guild's default threshold is medium
    conn = sqlite3.connect(db)
    with conn:  # what /settings set flag-threshold high stores
        conn.execute("INSERT INTO guild_settings (guild_id, flag_threshold) VALUES (0, 'high')")
    conn.close()
    code, out, _ = run(capsys, "db", "export", "--format", "jsonl", "--status", "pending", "--db", db)
    assert code == 0 and [json.loads(line)["category"] for line in out.splitlines()] == ["anonymous_source"]
    code, out, _ = run(capsys, "db", "export", "--format", "jsonl", "--db", db)
    assert [(r["category"], r["in_queue"]) for r in map(json.loads, out.splitlines())] == [
        ("anonymous_source", True), ("vague_source", False)]


def test_failed_export_leaves_no_file(db, capsys, tmp_path):
    saved_id(db)
    code, _, err = run(capsys, "db", "export", "--format", "csv", "--category", "rumour",
                       "--output", str(tmp_path / "out.csv"), "--db", db)
    assert code == 1 and "Category must be one of" in err
    assert [p.name for p in tmp_path.iterdir() if "out.csv" in p.name] == []
    code, _, err = run(capsys, "db", "export", "--format", "csv", "--output", str(tmp_path / "no" / "x.csv"),
                       "--db", db)
    assert code == 1 and err.startswith("byline: Cannot write")


def test_prune_with_retention_and_bad_values(db, capsys):
    saved_id(db)
    code, out, _ = run(capsys, "db", "prune", "--retention-days", "30", "--db", db)
    assert code == 0 and out == "pruned 0 analyses and 0 documents\n"
    code, _, err = run(capsys, "db", "prune", "--retention-days", "0", "--db", db)
    assert code == 1 and err == "byline: --retention-days must be between 1 and 3650.\n"


def test_prune_retention_has_the_bots_bounds(db, capsys):
    """/settings set retention takes 1 to 3650 days; the CLI takes the same, and a refused value changes nothing."""
    import asyncio

    from bot.config import MAX_RETENTION_DAYS
    from bot.store import Store

    assert MAX_RETENTION_DAYS == 3650
    saved_id(db)
    code, out, _ = run(capsys, "db", "prune", "--retention-days", "3650", "--db", db)
    assert code == 0 and out == "pruned 0 analyses and 0 documents\n"
    for days in ("3651", "36500"):
        code, out, err = run(capsys, "db", "prune", "--retention-days", days, "--db", db)
        assert code == 1 and out == "" and err == "byline: --retention-days must be between 1 and 3650.\n"

    async def retention() -> int | None:
        async with Store.open(db) as store:
            return (await store.get_settings(0)).retention_days

    assert asyncio.run(retention()) == 3650


def test_a_newer_database_is_a_one_line_error(db, capsys):
    saved_id(db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    code, out, err = run(capsys, "db", "stats", "--db", db)
    assert code == 1 and out == "" and "newer than this Byline" in err and err.count("\n") == 1


class CannedEngine(Engine):
    """The real Engine class with analysis swapped for a canned result, so this test needs no spaCy model."""

    def analyze(self, text, sentences=None, method=None):
        return make_result(text, ARTICLE_FLAGS)


def test_analyze_save_stores_and_prints_the_id(db, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(bot.analysis, "Engine", CannedEngine)
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    code, out, _ = run(capsys, "analyze", "--save", "--db", db, str(article))
    short_id = out.strip()
    assert code == 0 and len(short_id) == 6
    code, out, _ = run(capsys, "db", "show", short_id, "--db", db)
    assert code == 0 and "Critics" in out


def test_a_folder_given_as_the_database_is_one_clear_line(tmp_path):
    sample = Path(__file__).resolve().parents[1] / "examples" / "sample-article.txt"
    proc = subprocess.run([sys.executable, "-m", "bot", "analyze", "--save", "--db", str(tmp_path), str(sample)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 1
    expected = f"byline: Cannot open the database {tmp_path}: it is a folder, not a file."
    assert proc.stderr.strip().splitlines() == [expected]  # one line, no thread traceback after it


@pytest.mark.parametrize("command", [["show", "abc123"], ["search", "bridge"], ["stats"],
                                     ["export", "--format", "csv"], ["prune"]])
def test_a_mistyped_database_path_is_an_error_and_creates_nothing(tmp_path, capsys, monkeypatch, command):
    monkeypatch.setenv("BYLINE_LOGGING_LEVEL", "WARNING")
    missing = tmp_path / "typo" / "sub" / "byline.db"
    code, out, err = run(capsys, "db", *command, "--db", str(missing))
    assert code == 1 and out == "" and "No database at" in err and err.count("\n") == 1
    assert not (tmp_path / "typo").exists()


def test_a_refused_newer_database_is_left_exactly_as_it_was(db, capsys):
    saved_id(db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    code, _, err = run(capsys, "db", "stats", "--db", db)
    assert code == 1 and "newer than this Byline" in err
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL on the way
    conn.close()


def test_a_server_id_too_large_for_sqlite_is_one_line(db, capsys):
    saved_id(db)
    code, _, err = run(capsys, "db", "stats", "--guild", "99999999999999999999", "--db", db)
    assert code == 1 and "Invalid server id" in err and err.count("\n") == 1


def test_export_follows_a_symlink_keeps_the_mode_and_never_replaces_a_device(db, capsys, tmp_path):
    saved_id(db)
    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o644)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    code, _, err = run(capsys, "db", "export", "--format", "csv", "-o", str(link), "--db", db)
    assert code == 0, err
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("id,")
    assert real.stat().st_mode & 0o777 == 0o644
    code, _, err = run(capsys, "db", "export", "--format", "csv", "-o", "/dev/null", "--db", db)
    assert code == 0 and Path("/dev/null").is_char_device()
    code, _, err = run(capsys, "db", "export", "--format", "csv", "-o", str(tmp_path), "--db", db)
    assert code == 1 and "folder" in err


def test_output_that_cannot_be_written_is_one_line(db, capsys, monkeypatch):
    saved_id(db)

    class Full(io.StringIO):
        def write(self, s):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(sys, "stdout", Full())
    code = cli.main(["db", "stats", "--db", db])
    err = capsys.readouterr().err
    assert code == 1 and err == "byline: cannot write the output: No space left on device\n"


# Every `byline db` command: none of them may create a database (prune writes, but only to a Byline one).
READ_COMMANDS = [["show", "abc123"], ["search", "bridge"], ["stats"], ["export", "--format", "csv"], ["prune"]]


def _files_beside(path: Path) -> dict[str, bytes]:
    """The database and any side file SQLite made for it (-wal, -shm, -journal), byte for byte."""
    return {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}


@pytest.mark.parametrize("command", READ_COMMANDS)
def test_a_read_command_never_turns_another_programs_database_into_a_byline_one(tmp_path, capsys, monkeypatch,
                                                                                  command):
    """A --db naming some other SQLite file must be refused, not given Byline's tables, schema version and WAL."""
    monkeypatch.setenv("BYLINE_LOGGING_LEVEL", "WARNING")
    notes = tmp_path / "notes.db"
    conn = sqlite3.connect(notes)
    with conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('buy milk')")
    conn.close()
    before = _files_beside(notes)
    code, out, err = run(capsys, "db", *command, "--db", str(notes))
    assert code == 1 and out == "" and err == f"byline: {notes} is not a Byline database (it was left unchanged).\n"
    assert _files_beside(notes) == before


def test_save_never_adds_byline_tables_to_another_programs_database(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BYLINE_LOGGING_LEVEL", "WARNING")
    notes = tmp_path / "notes.db"
    conn = sqlite3.connect(notes)
    with conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.close()
    before = _files_beside(notes)
    with pytest.raises(StoreError, match="is not a Byline database"):
        saved_id(str(notes))
    assert _files_beside(notes) == before
    empty = tmp_path / "empty.db"
    empty.touch()
    assert len(saved_id(str(empty))) == 6  # an empty file is a new database, as a missing one is


@pytest.mark.parametrize("command", READ_COMMANDS)
def test_a_read_command_given_an_empty_file_says_there_is_no_database_and_leaves_it_empty(tmp_path, capsys,
                                                                                         monkeypatch, command):
    monkeypatch.setenv("BYLINE_LOGGING_LEVEL", "WARNING")
    empty = tmp_path / "empty.db"
    empty.touch()
    code, out, err = run(capsys, "db", *command, "--db", str(empty))
    assert code == 1 and out == "" and err == f"byline: No Byline database at {empty}: the file is empty.\n"
    assert _files_beside(empty) == {"empty.db": b""}


def _corrupt_tables(path: str, *tables: str) -> None:
    """Overwrite the root page of each table with junk, as a failing disk or a stray write would."""
    conn = sqlite3.connect(path)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = [conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (t,)).fetchone()[0] for t in tables]
    finally:
        conn.close()
    assert not Path(f"{path}-wal").exists()  # every page is in the main file
    with open(path, "r+b") as fh:
        for root in roots:
            fh.seek((root - 1) * page_size)
            fh.write(b"\xa5" * page_size)


@pytest.mark.parametrize("command", [["stats"], ["export", "--format", "jsonl"], ["show", "ID"]])
def test_a_corrupt_database_is_one_line_not_a_traceback(db, capsys, command):
    short_id = saved_id(db)
    _corrupt_tables(db, "analyses", "flags")
    argv = [short_id if part == "ID" else part for part in command]
    code, _, err = run(capsys, "db", *argv, "--db", db)
    assert code == 1
    assert err == f"byline: {db} is not a usable Byline database: database disk image is malformed\n"


def test_a_corrupt_database_leaves_no_export_file(db, capsys, tmp_path):
    saved_id(db)
    _corrupt_tables(db, "flags")
    code, _, err = run(capsys, "db", "export", "--format", "csv", "-o", str(tmp_path / "out.csv"), "--db", db)
    assert code == 1 and "malformed" in err and not (tmp_path / "out.csv").exists()


def test_export_dates_work_for_any_year_and_refuse_one_out_of_range(db, capsys):
    """Stored times are fixed-width text: a year before 1000 must be padded or it sorts after every real time."""
    saved_id(db)
    code, out, _ = run(capsys, "db", "export", "--format", "jsonl", "--since", "0999-01-01", "--db", db)
    assert code == 0 and len(out.splitlines()) == 2
    code, out, _ = run(capsys, "db", "export", "--format", "jsonl", "--until", "0999-01-01", "--db", db)
    assert code == 0 and out == ""
    with pytest.raises(SystemExit) as refused:  # 10000-01-01 in UTC: a bad argument, told as a malformed date is
        cli.main(["db", "export", "--format", "jsonl", "--until", "9999-12-31T23:00-05:00", "--db", db])
    out, err = capsys.readouterr()
    assert refused.value.code == 2 and out == ""
    assert err.splitlines()[-1] == ("byline db export: error: argument --until: out of range: "
                                    "'9999-12-31T23:00-05:00' is not within the years 1 to 9999 in UTC")


def test_a_database_in_a_read_only_folder_says_so(db, tmp_path, monkeypatch):
    """SQLite's real refusal to write (a read-only connection here: root may write in any folder), with the folder
    reported as read-only, names the folder and the -wal/-shm files, not "not a usable Byline database"."""
    from bot import store_db

    saved_id(db)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as refused:
            conn.execute("CREATE TABLE t (x)")
    finally:
        conn.close()
    folder = str(tmp_path)
    monkeypatch.setattr(store_db.os, "access", lambda p, mode: str(p) != folder)
    message = str(store_db._unusable(db, refused.value))
    assert message.startswith(f"Cannot use the database {db}: its folder is read-only") and "-wal" in message
    monkeypatch.setattr(store_db.os, "access", lambda p, mode: True)
    assert "is not a usable Byline database" in str(store_db._unusable(db, refused.value))
