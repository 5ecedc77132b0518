"""`byline analyze`: the report, --json, --jsonl, and clear one-line errors for bad input."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli, config
from bot.analysis.validate import check_text
from bot.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample-article.txt"

ARTICLE = (
    "Town Approves New Bridge\n"
    "The town council approved a new footbridge over the river on Monday.\n"
    "\"It will connect two neighbourhoods that have been cut off for years,\" said Mayor Ruth Adeyemi.\n"
    "Officials familiar with the budget said the cost could double.\n"
    "Construction is expected to start in the spring.\n"
)


def run_cli(args, capsys, stdin: str | bytes | None = None, monkeypatch=None):
    if stdin is not None:
        data = stdin if isinstance(stdin, bytes) else stdin.encode("utf-8")
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def assert_offsets(text: str, result: dict) -> None:
    for s in result["summary"]:
        assert text[s["start"] : s["end"]] == s["text"]
    for a in result["attributions"]:
        for part in ("cue", "source", "content"):
            if a[part] is not None:
                assert text[a[part]["start"] : a[part]["end"]] == a[part]["text"]
    for f in result["flags"]:
        ev = f["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["text"]
        assert f["start"] <= ev["start"] <= ev["end"] <= f["end"]


def test_report_has_every_section(capsys):
    code, out, err = run_cli(["analyze", str(SAMPLE)], capsys)
    assert code == 0, err
    for heading in ("Summary (", "Flags (", "Who said what", "Sourcing scorecard"):
        assert heading in out
    assert "  • " in out
    assert "\033[" not in out, "piped output must be plain text"


def test_who_said_what_puts_the_person_before_the_words_that_point_to_them(capsys):
    """The table cell is clipped at 28 characters, so the name goes first: it is what a reader looks for."""
    code, out, err = run_cli(["analyze", str(SAMPLE)], capsys)
    assert code == 0, err
    table = out.split("Who said what", 1)[1].split("Sourcing scorecard", 1)[0]
    rows = [line.strip() for line in table.splitlines()]
    assert any(r.startswith("Paul Okafor (Meridian's") and " named " in r for r in rows), table
    assert any(r.startswith("Councillor Amara Diallo (") and " pronoun " in r for r in rows), table
    according = next(r for r in rows if "According to" in r)
    assert according.endswith("the project would add about 1,200 jobs during construction.")


def test_sample_article_shows_every_kind_of_flag_and_spares_the_named(capsys):
    """The demo is a newcomer's first look: each weak-sourcing pattern it contains is flagged, with the right
    category, and none of its named sources is."""
    code, out, err = run_cli(["analyze", "--json", str(SAMPLE)], capsys)
    assert code == 0, err
    flags = {(f["category"], f["evidence"]["text"]) for f in json.loads(out)["flags"]}
    expected = {
        ("anonymous_source", "Officials familiar with the negotiations"),
        ("anonymous_source", "A senior city official"),
        ("vague_source", "Critics"),
        ("vague_source", "Many residents"),
        ("no_source", "reportedly"),
        ("no_source", "believed"),  # "it is widely believed", not the unions that back the tower
    }
    assert expected <= flags, sorted(flags)
    assert any(c == "unattributed_quote" and "best thing to happen" in e for c, e in flags), sorted(flags)
    named = ("Diallo", "Okafor", "Park", "Planning Institute", "unions")
    assert not [e for _, e in flags if any(n in e for n in named)], sorted(flags)


def test_report_uses_colour_when_forced(capsys):
    code, out, _ = run_cli(["analyze", "--color", "always", str(SAMPLE)], capsys)
    assert code == 0
    assert "\033[1m" in out


def test_json_result_follows_the_contract(capsys, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8", newline="")
    code, out, err = run_cli(["analyze", "--json", str(path)], capsys)
    assert code == 0, err
    result = json.loads(out)
    assert {"version", "sentences", "summary", "attributions", "flags", "stats"} <= result.keys()
    assert result["version"] == 1
    assert result["sentences"] == 5
    assert_offsets(ARTICLE, result)


def test_crlf_offsets_index_the_exact_file(capsys, tmp_path):
    text = ARTICLE.replace("\n", "\r\n")
    path = tmp_path / "crlf.txt"
    path.write_bytes(text.encode("utf-8"))
    code, out, _ = run_cli(["analyze", "--json", "--sentences", "2", str(path)], capsys)
    assert code == 0
    result = json.loads(out)
    assert len(result["summary"]) == 2
    assert_offsets(text, result)
    assert all("\r" not in s["text"] for s in result["summary"])


def test_sentences_option_sets_summary_length(capsys, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    for n in (1, 3):
        _, out, _ = run_cli(["analyze", "--json", "--sentences", str(n), str(path)], capsys)
        assert len(json.loads(out)["summary"]) == n


def test_stdin_dash_is_read(capsys, monkeypatch):
    code, out, _ = run_cli(["analyze", "--json", "-"], capsys, stdin=ARTICLE, monkeypatch=monkeypatch)
    assert code == 0
    assert json.loads(out)["sentences"] == 5


def test_jsonl_reports_bad_lines_and_goes_on(capsys, monkeypatch):
    lines = "\n".join(
        [
            json.dumps({"id": "ok1", "text": ARTICLE}),
            "this is not json",
            json.dumps({"id": "empty", "text": "   "}),
            json.dumps({"id": 7, "text": ARTICLE, "sentences": 1}),
            json.dumps(["not", "an", "object"]),
            json.dumps({"id": "notext"}),
            json.dumps({"id": "badn", "text": ARTICLE, "sentences": -4}),
            json.dumps({"id": "ok2", "text": "Officials said the plan works."}),
        ]
    )
    code, out, _ = run_cli(["analyze", "--jsonl", "-"], capsys, stdin=lines + "\n", monkeypatch=monkeypatch)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r.get("id") for r in rows] == ["ok1", None, "empty", 7, None, "notext", "badn", "ok2"]
    errors = {i for i, r in enumerate(rows) if "error" in r}
    assert errors == {1, 2, 4, 5, 6}
    assert all(isinstance(rows[i]["error"], str) and rows[i]["error"] for i in errors)
    assert len(rows[3]["summary"]) == 1
    assert_offsets(ARTICLE, rows[0])


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n", "empty"),
        ("binary.bin", bytes(range(256)) * 8, "binary"),
        ("latin1.txt", "caf\xe9 au lait said the waiter".encode("latin-1"), "UTF-8"),
        ("controls.txt", b"\x01\x02\x1b[31m said the source", "control"),
    ],
)
def test_bad_files_exit_non_zero_with_one_line(capsys, tmp_path, name, data, needle):
    path = tmp_path / name
    path.write_bytes(data)
    code, out, err = run_cli(["analyze", "--json", str(path)], capsys)
    assert code != 0
    assert out == ""
    assert needle in err
    assert err.count("\n") == 1 and err.startswith("byline: ")


def test_missing_file_and_directory(capsys, tmp_path):
    code, _, err = run_cli(["analyze", str(tmp_path / "missing.txt")], capsys)
    assert code == 1 and "No such file" in err
    code, _, err = run_cli(["analyze", str(tmp_path)], capsys)
    assert code == 1 and "directory" in err


def test_input_over_max_chars_is_refused(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("BYLINE_ANALYSIS_MAX_CHARS", "500")
    path = tmp_path / "long.txt"
    path.write_text("The council met again. " * 100, encoding="utf-8")
    code, _, err = run_cli(["analyze", str(path)], capsys)
    assert code == 1
    assert "too long" in err and "500" in err


def test_bad_config_is_one_line(capsys, monkeypatch):
    monkeypatch.setenv("BYLINE_ANALYSIS_SUMMARY_METHOD", "nonsense")
    code, _, err = run_cli(["analyze", str(SAMPLE)], capsys)
    assert code == 1
    assert "analysis.summary_method" in err and err.count("\n") == 1


def test_real_process_prints_no_traceback(tmp_path):
    """The installed entry point turns bad input into one line, not a traceback."""
    path = tmp_path / "bin.dat"
    path.write_bytes(b"\x00\xff" * 100)
    proc = subprocess.run([sys.executable, "-m", "bot", "analyze", str(path)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("byline: ")


@pytest.mark.parametrize(
    ("replacement", "copies"),
    [
        ("foot\x83bridge", 1),  # one stray C1 control: mis-decoded cp1252 punctuation
        ("Bas\u00c3\u0083\u00c2\u00a1\u00c3\u0083\u00c2\u00b1ez", 3),  # UTF-8 read as Latin-1: one per accent
    ],
)
def test_an_article_with_c1_controls_is_still_analysed(capsys, tmp_path, replacement, copies):
    """Mis-decoded text in real articles must not make the whole article unusable."""
    text = ARTICLE.replace("footbridge", replacement) * copies
    assert any("\x80" <= ch <= "\x9f" for ch in text)
    path = tmp_path / "c1.txt"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli(["analyze", "--json", str(path)], capsys)
    assert code == 0, err
    assert_offsets(text, json.loads(out))


def test_text_mostly_made_of_c1_controls_is_refused(capsys, tmp_path):
    text = "Officials said the vote was delayed. " + "\x85\x86\x87 word " * 200
    path = tmp_path / "junk.txt"
    path.write_text(text, encoding="utf-8")
    code, _, err = run_cli(["analyze", str(path)], capsys)
    assert code == 1
    assert "control character" in err


@pytest.mark.parametrize(("c1_count", "refused"), [(95, False), (110, True)])
def test_the_c1_budget_is_two_percent_of_the_text(c1_count, refused):
    prose = ("The ferry council said the harbour works were late. " * 100)[:5000]
    text = prose[: 5000 - c1_count] + "\x85" * c1_count  # 5,000 characters: the budget is 2 + 100
    assert len(text) == 5000
    if refused:
        with pytest.raises(InputError, match="control character"):
            check_text(text, 100_000)
    else:
        check_text(text, 100_000)


PUNCTUATION_RUNS = [
    "(" * 999, "'" * 999, "’" * 999, "!" * 999, "*" * 999, '"' * 999, "_" * 999, "(“'!*" * 199,
]


@pytest.mark.parametrize("run", PUNCTUATION_RUNS)
def test_a_text_of_punctuation_runs_is_refused_before_the_parse(run):
    """Each mark of such a run is a token of its own, and the parse costs by the token: 200,000 characters of them
    took five times as long as the longest article (apostrophes took seconds more just to tokenize)."""
    text = (("The plan said " + run + " so. ") * 200)[:200_000]
    with pytest.raises(InputError, match=r"breaks into [\d,]+ words and punctuation marks \(the limit is 80,000\)"):
        check_text(text, 200_000)


def test_the_limit_on_words_and_marks_follows_max_chars():
    text = ("The plan said " + "(" * 900 + " so. ") * 20  # 18,380 characters, 18,100 words and marks
    check_text(text, 100_000)  # the limit is 40,000
    with pytest.raises(InputError, match="the limit is 16,000"):
        check_text(text, 40_000)


@pytest.mark.parametrize("path", [SAMPLE, *sorted((ROOT / "bench" / "articles").glob("*.txt"))], ids=lambda p: p.name)
def test_articles_as_long_as_allowed_are_not_refused_for_their_punctuation(path):
    """Prose has about one word or mark per 5 characters, so even 200,000 characters of it stay far under 80,000
    (every article of the CNN/DM, BBC and PolNeAR sets, repeated to that length, does too)."""
    article = path.read_text(encoding="utf-8")
    check_text((article * (200_000 // len(article) + 1))[:200_000], 200_000)


def test_a_paste_of_punctuation_runs_is_one_line_from_the_cli(capsys, tmp_path):
    path = tmp_path / "brackets.txt"
    path.write_text(("The plan said " + "(" * 999 + " so. ") * 190, encoding="utf-8")  # 193,420 characters
    code, out, err = run_cli(["analyze", "--json", str(path)], capsys)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "words and punctuation marks" in err and "do not look like prose" in err


def test_nul_characters_are_always_refused(capsys, tmp_path, monkeypatch):
    line = json.dumps({"id": 1, "text": ARTICLE + "\x00"})
    code, out, _ = run_cli(["analyze", "--jsonl", "-"], capsys, stdin=line, monkeypatch=monkeypatch)
    assert code == 0
    assert "error" in json.loads(out)


def test_jsonl_lines_that_break_the_json_reader_or_unicode_cost_only_themselves(capsys, monkeypatch):
    lines = [
        json.dumps({"id": "good-1", "text": ARTICLE}),
        json.dumps({"id": "surrogate", "text": "The mayor said \ud800 the pier was closed."}),
        "[" * 100_000,
        '{"id": ' + "9" * 5000 + ', "text": "x"}',
        json.dumps({"id": "good-2", "text": ARTICLE}),
    ]
    code, out, _ = run_cli(["analyze", "--jsonl", "-"], capsys, stdin="\n".join(lines) + "\n", monkeypatch=monkeypatch)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r.get("id") for r in rows] == ["good-1", "surrogate", None, None, "good-2"]
    assert "summary" in rows[0] and "summary" in rows[4]
    assert "surrogate" in rows[1]["error"] and "line 3" in rows[2]["error"] and "line 4" in rows[3]["error"]


def test_a_jsonl_file_with_a_byte_order_mark_keeps_its_first_id(capsys, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "first", "text": ARTICLE}).encode() + b"\n")
    code, out, _ = run_cli(["analyze", "--jsonl", str(path)], capsys)
    assert code == 0
    assert json.loads(out)["id"] == "first" and "error" not in json.loads(out)


def test_offsets_count_a_byte_order_mark_as_part_of_the_input(capsys, tmp_path):
    """The contract indexes the input as decoded: U+FEFF is character 0, and nothing is shifted by it."""
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"))
    text = path.read_bytes().decode("utf-8")
    assert text[0] == "\ufeff"
    code, out, err = run_cli(["analyze", "--json", str(path)], capsys)
    assert code == 0, err
    result = json.loads(out)
    assert_offsets(text, result)
    assert result["attributions"] and all(a["cue"]["start"] >= 1 for a in result["attributions"])
    without = tmp_path / "plain.txt"
    without.write_text(ARTICLE, encoding="utf-8")
    plain = json.loads(run_cli(["analyze", "--json", str(without)], capsys)[1])
    assert [a["cue"]["start"] + 1 for a in plain["attributions"]] == [a["cue"]["start"] for a in result["attributions"]]


def test_invalid_utf8_on_stdin_is_refused_and_the_run_goes_on(tmp_path):
    good = json.dumps({"id": "ok", "text": ARTICLE}).encode()
    bad = b'{"id": "bad", "text": "The mayor said \xff\xfe the pier was closed."}'
    proc = subprocess.run([sys.executable, "-m", "bot", "analyze", "--jsonl", "-"], input=bad + b"\n" + good + b"\n",
                          capture_output=True, timeout=120, check=False, env={**os.environ, "LC_ALL": "C"})
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["id"] for r in rows] == ["bad", "ok"]
    assert "UTF-8" in rows[0]["error"] and "summary" in rows[1]
    assert "Traceback" not in proc.stderr.decode()


def test_actions_stay_in_the_json_but_not_in_who_said_what(capsys, tmp_path):
    """The JSON keeps every claim the finder reports (marked "speech": false); the reader's table shows speech."""
    article = tmp_path / "a.txt"
    article.write_text(
        "A county judge barred the company from the auction on Monday.\n"
        "Mayor Ruth Adeyemi said the town would appeal the ruling.\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(["analyze", "--json", str(article)], capsys)
    assert code == 0, err
    rows = {a["cue"]["text"]: a["speech"] for a in json.loads(out)["attributions"]}
    assert rows.get("said") is True
    assert rows.get("barred") is False, rows
    code, out, err = run_cli(["analyze", str(article)], capsys)
    table = out.split("Who said what", 1)[1].split("Sourcing scorecard", 1)[0]
    assert "Mayor Ruth Adeyemi" in table and "barred" not in table
    assert "1 reported claim: 1 named" in out


def _strict_json(line: str) -> dict:
    """Parse as a strict reader would: NaN and Infinity are not JSON."""
    def refuse(name):
        raise ValueError(name)
    return json.loads(line, parse_constant=refuse)


def test_a_byte_order_mark_and_leading_spaces_stay_out_of_the_spans(capsys, tmp_path):
    """The parser reads a BOM as a space; every span must still be the input's own characters, trimmed."""
    for name, data in (("bom.txt", "\ufeffThe port will close, officials said.\n"),
                       ("spaces.txt", "  The port will close, officials said.\n")):
        path = tmp_path / name
        path.write_text(data, encoding="utf-8")
        code, out, err = run_cli(["analyze", "--json", str(path)], capsys)
        assert code == 0, err
        result = json.loads(out)
        text = path.read_text(encoding="utf-8")
        assert_offsets(text, result)
        (said,) = [a for a in result["attributions"] if a["cue"]["text"] == "said"]
        assert said["content"]["text"] == "The port will close"


def test_jsonl_refuses_nan_and_infinite_ids_so_every_output_line_is_strict_json(capsys, monkeypatch):
    lines = ('{"id": NaN, "text": "Officials said it was fine."}\n{"id": 1e400, "text": "x y z"}\n'
             '{"id": -Infinity, "text": "x"}\n{"id": 4, "text": "Officials said it was fine."}\n')
    code, out, _ = run_cli(["analyze", "--jsonl", "-"], capsys, stdin=lines, monkeypatch=monkeypatch)
    assert code == 0  # bad lines are reported in the output; the run goes on
    rows = [_strict_json(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == [None, None, None, 4]
    assert all("error" in r for r in rows[:3]) and "error" not in rows[3]


def test_report_never_passes_terminal_control_sequences_from_the_article(capsys, tmp_path):
    path = tmp_path / "esc.txt"
    path.write_text("Port Strike Ends \x1b[2J\nOfficials said the \x1b]0;owned port was closed, and it is "
                    "reportedly \u202ebacked by the unions.\n", encoding="utf-8")
    code, out, err = run_cli(["analyze", str(path)], capsys)
    assert code == 0, err
    assert "\x1b" not in out and "\u202e" not in out
    assert "Officials" in out and "reportedly" in out


def test_lsa_on_a_text_it_cannot_rank_still_gives_a_summary_and_no_warning(capsys, monkeypatch):
    code, out, err = run_cli(["analyze", "--json", "--method", "lsa", "--sentences", "1", "-"], capsys,
                             stdin="He said.\n", monkeypatch=monkeypatch)
    assert code == 0 and err == ""
    assert [s["text"] for s in json.loads(out)["summary"]] == ["He said."]


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\u2028", "\u2029"])
def test_every_kind_of_line_ending_reads_like_a_plain_one(capsys, monkeypatch, newline):
    """A headline, an unclosed quote ended by its line, and the analysis itself do not depend on the line ending."""
    lines = ["Port Strike Ends", '"We will fight this decision in every court in the land',
             "Officials said the port would close.", "Some parents worry that the school will shut, a poll found."]
    results = {}
    for nl in ("\n", newline):
        text = nl.join(lines) + nl
        code, out, err = run_cli(["analyze", "--json", "-"], capsys, stdin=text, monkeypatch=monkeypatch)
        assert code == 0, err
        result = json.loads(out)
        assert_offsets(text, result)
        results[nl] = result
    plain, other = results["\n"], results[newline]
    assert other["title"] == plain["title"] == "Port Strike Ends"
    assert [s["index"] for s in other["summary"]] == [s["index"] for s in plain["summary"]]
    assert [(f["category"], f["evidence"]["text"]) for f in other["flags"]] == [
        (f["category"], f["evidence"]["text"]) for f in plain["flags"]]
    assert "unattributed_quote" in {f["category"] for f in plain["flags"]}


@pytest.mark.parametrize(
    "argv",
    [
        ["--config", "{missing}", "analyze", "{sample}"],
        ["analyze", "--config", "{missing}", "{sample}"],
        ["analyze", "{sample}", "--config", "{missing}"],
        ["--config", "{example}", "analyze", "--config", "{missing}", "{sample}"],  # the later one wins
        ["run", "--config", "{missing}"],
        ["db", "--config", "{missing}", "stats"],
        ["db", "stats", "--config", "{missing}"],
    ],
)
def test_config_is_read_before_or_after_the_subcommand(capsys, tmp_path, monkeypatch, argv):
    """The file named is the one loaded wherever --config stands (a missing file proves it was looked for)."""
    monkeypatch.delenv("BYLINE_CONFIG", raising=False)
    missing = tmp_path / "nowhere.toml"
    filled = [a.format(missing=missing, sample=SAMPLE, example=ROOT / "config.example.toml") for a in argv]
    code, out, err = run_cli(filled, capsys)
    assert code == 1 and out == ""
    assert err == f"byline: config: file not found: {missing}\n"


def test_config_after_the_subcommand_is_applied(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("BYLINE_CONFIG", raising=False)
    small = tmp_path / "small.toml"
    small.write_text("[analysis]\nmax_chars = 500\n", encoding="utf-8")
    code, _, err = run_cli(["analyze", "--config", str(small), str(SAMPLE)], capsys)
    assert code == 1 and "too long" in err and "500" in err
    code, _, err = run_cli(["analyze", str(SAMPLE), "--config", str(ROOT / "config.example.toml")], capsys)
    assert code == 0, err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["analyze", "--jsonl", "--save", "--db", "{db}"], "--save cannot be combined with --jsonl"),
        (["analyze", "--jsonl", "--save"], "--save cannot be combined with --jsonl"),
        (["analyze", "--jsonl", "--url", "http://127.0.0.1/a"], "--url cannot be combined with --jsonl"),
        (["analyze", "--jsonl", "-", "--url", "http://127.0.0.1/a"], "--url cannot be combined with --jsonl"),
        (["analyze", "--url", "http://127.0.0.1/a", "{sample}"], "either --url or a file"),
        (["analyze", "--db", "{db}", "{sample}"], "--db is only used with --save"),
        # --save prints the id alone: the JSON would be dropped, and colour only ever applies to the report
        (["analyze", "--json", "--save", "--db", "{db}", "{sample}"], "--json cannot be combined with --save"),
        (["analyze", "--json", "--color", "always", "{sample}"], "--color always is only used by the report"),
        (["analyze", "--json", "--color", "never", "{sample}"], "--color never is only used by the report"),
        (["analyze", "--jsonl", "--color", "always", "-"], "--color always is only used by the report"),
        (["analyze", "--save", "--db", "{db}", "--color", "never", "{sample}"], "--color never is only used"),
    ],
)
def test_options_that_would_be_ignored_are_refused(capsys, tmp_path, monkeypatch, argv, needle):
    """Nothing is read, fetched or saved: one line on stderr and the usage exit status instead."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # where a --save without --db would write
    db = tmp_path / "batch.db"
    stdin = json.dumps({"id": "a", "text": ARTICLE}) + "\n"
    filled = [a.format(db=db, sample=SAMPLE) for a in argv]
    code, out, err = run_cli(filled, capsys, stdin=stdin, monkeypatch=monkeypatch)
    assert code == 2 and out == ""
    assert err.startswith("byline: ") and needle in err and err.count("\n") == 1
    assert not db.exists() and not (tmp_path / "data").exists()


def test_color_auto_the_default_goes_with_every_mode(capsys, tmp_path, monkeypatch):
    """Only a --color that would be ignored is refused: auto (the default, spelt out in scripts) is accepted."""
    code, out, err = run_cli(["analyze", "--json", "--color", "auto", str(SAMPLE)], capsys)
    assert code == 0 and json.loads(out)["summary"], err
    stdin = json.dumps({"id": "a", "text": ARTICLE}) + "\n"
    code, out, err = run_cli(["analyze", "--jsonl", "--color", "auto", "-"], capsys, stdin=stdin,
                             monkeypatch=monkeypatch)
    assert code == 0 and json.loads(out)["id"] == "a", err
    code, out, err = run_cli(["analyze", "--save", "--db", str(tmp_path / "s.db"), "--color", "auto", str(SAMPLE)],
                             capsys)
    assert code == 0 and len(out.split()) == 1, err


def test_a_jsonl_line_that_is_not_json_gets_a_whole_sentence(capsys, monkeypatch):
    stdin = '{"id": "b", "text": "broken\n{"id": "c" "text": "x"}\n'
    code, out, _ = run_cli(["analyze", "--jsonl", "-"], capsys, stdin=stdin, monkeypatch=monkeypatch)
    assert code == 0
    assert [json.loads(line)["error"] for line in out.splitlines()] == [
        "line 1 is not JSON: Invalid control character at column 28",
        "line 2 is not JSON: Expecting ',' delimiter at column 12",
    ]


def test_a_misspelled_environment_setting_is_a_one_line_error(capsys, monkeypatch):
    monkeypatch.setenv("BYLINE_ANALYSIS_MAXCHARS", "10")
    code, out, err = run_cli(["analyze", str(SAMPLE)], capsys)
    assert code == 1 and out == ""
    assert err == ("byline: config: unknown variable $BYLINE_ANALYSIS_MAXCHARS: [analysis] has no such key; "
                   "did you mean $BYLINE_ANALYSIS_MAX_CHARS?\n")


def run_jsonl(data: bytes, source: str, capsys, monkeypatch, tmp_path):
    """Run a batch from stdin or from a file holding the same bytes: the two must read alike."""
    if source == "stdin":
        return run_cli(["analyze", "--jsonl", "-"], capsys, stdin=data, monkeypatch=monkeypatch)
    path = tmp_path / "in.jsonl"
    path.write_bytes(data)
    return run_cli(["analyze", "--jsonl", str(path)], capsys)


@pytest.mark.parametrize("source", ["stdin", "file"])
def test_a_carriage_return_inside_a_jsonl_line_does_not_split_it(capsys, monkeypatch, tmp_path, source):
    """CR is JSON whitespace: only "\\n" ends a line, so one line in is one line out, CRLF endings included."""
    data = (b'{"id": 1,\r"text": "Critics say the plan will fail."}\r\n'
            + json.dumps({"id": 2, "text": ARTICLE}).encode() + b"\n")
    code, out, err = run_jsonl(data, source, capsys, monkeypatch, tmp_path)
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == [1, 2]
    assert not any("error" in r for r in rows), rows
    assert rows[0]["summary"][0]["text"] == "Critics say the plan will fail."


@pytest.mark.parametrize("source", ["stdin", "file"])
def test_a_jsonl_line_that_is_not_utf8_is_refused_alone(capsys, monkeypatch, tmp_path, source):
    """Refused, as a file that is not UTF-8 is, never analysed with U+FFFD in it; the id is kept when it is readable,
    and a byte-order mark at the very start is still allowed."""
    bad = [b'{"id": "b", "text": "Critics say \xff it fails."}', b'{"id": "c\xff", "text": "Critics say it fails."}',
           b"not json \xfe"]
    data = b"\xef\xbb\xbf" + b"\n".join([*bad, json.dumps({"id": "ok", "text": ARTICLE}).encode()]) + b"\n"
    code, out, err = run_jsonl(data, source, capsys, monkeypatch, tmp_path)
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["b", None, None, "ok"]
    positions = [line.index(b"\xff" if b"\xff" in line else b"\xfe") for line in bad]  # as in the line, mark aside
    assert [r["error"] for r in rows[:3]] == [f"line {n} is not valid UTF-8 (bad byte at position {at})"
                                              for n, at in enumerate(positions, 1)]
    assert "error" not in rows[3] and rows[3]["summary"]


@pytest.mark.parametrize(
    "command",
    [
        "analyze --json - <&-",
        "analyze --jsonl <&-",
        'analyze --json "$1" >&-',
    ],
)
def test_a_closed_stdin_or_stdout_is_one_line_not_a_traceback(command):
    """Started with the stream closed, Python leaves sys.stdin or sys.stdout None."""
    proc = subprocess.run(["sh", "-c", f'exec "$0" -m bot {command}', sys.executable, str(SAMPLE)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 1
    assert proc.stderr.startswith("byline: Standard ") and "is closed" in proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--sentences", "101"], "0 to 100"),
        (["--sentences", "-1"], "0 to 100"),
        (["--sentences", "x"], "0 to 100"),
        (["--method", "nope"], "invalid choice: 'nope'"),
    ],
)
@pytest.mark.parametrize("mode", [["--json", "{missing}"], ["--jsonl", "-"]])
def test_sentences_and_method_are_checked_before_any_input_is_read(capsys, monkeypatch, tmp_path, argv, needle, mode):
    """A usage error (status 2) from the parser, rather than status 1 after a long input was analysed or some
    batch results were printed; a missing file proves that nothing was opened."""
    stdin = json.dumps({"id": "a", "text": ARTICLE}) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8"))
    filled = [a.format(missing=tmp_path / "missing.txt") for a in mode]
    with pytest.raises(SystemExit) as exited:
        cli.main(["analyze", *argv, *filled])
    out, err = capsys.readouterr()
    assert exited.value.code == 2 and out == ""
    last = err.splitlines()[-1]
    assert f"argument {argv[0]}: " in last and needle in last
    if argv[0] == "--method":  # the choices come from the one list the config checks too
        assert all(repr(name) in last for name in config.SUMMARY_METHODS)


class _Recorder(io.StringIO):
    """A stdout that keeps the size of each write, or takes one character less than it is given."""

    def __init__(self, short: bool = False) -> None:
        super().__init__()
        self.sizes: list[int] = []
        self.short = short

    def write(self, s: str) -> int:
        self.sizes.append(len(s))
        taken = s[:-1] if self.short else s
        return super().write(taken)


def test_json_output_is_written_in_bounded_pieces(capsys, monkeypatch):
    """One write of over 2 GiB is cut short without an error in Python 3.11; pieces keep every write small."""
    monkeypatch.setattr(cli, "WRITE_CHUNK", 256)
    stream = _Recorder()
    monkeypatch.setattr(sys, "stdout", stream)
    code = cli.main(["analyze", "--json", str(SAMPLE)])
    assert code == 0, capsys.readouterr().err
    assert len(stream.sizes) > 1 and max(stream.sizes) <= 256
    assert json.loads(stream.getvalue())["summary"]


def test_a_short_write_is_an_error_not_a_truncated_result(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdout", _Recorder(short=True))
    code = cli.main(["analyze", "--json", str(SAMPLE)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("byline: Cannot write the output") and err.count("\n") == 1
