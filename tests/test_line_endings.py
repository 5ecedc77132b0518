"""A text with Windows line endings is analysed exactly as the same text with plain ones, over its own offsets.

Files written on Windows, and pastes from some tools, end lines with "\\r\\n". The parser once saw " \\n" there, and
the space before each line break moved a few tags: another summary sentence, a source cut short.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.analysis.line_endings import LineEndings
from bot.analysis.result import Span

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = [*sorted((ROOT / "bench" / "articles").glob("*.txt")), ROOT / "examples" / "sample-article.txt"]


def _what_it_says(result: dict) -> tuple:
    """Everything a reader sees, with line endings made plain: the texts, kinds and severities, not the offsets."""
    def plain(span: dict | None) -> str | None:
        return None if span is None else span["text"].replace("\r\n", "\n")

    return (
        result["title"] and result["title"].replace("\r\n", "\n"),
        [plain(s) for s in result["summary"]],
        [(plain(a["cue"]), plain(a["source"]), plain(a["content"]), a["source_kind"], a["speech"])
         for a in result["attributions"]],
        [(f["category"], f["severity"], plain(f["evidence"]), f["reason"]) for f in result["flags"]],
    )


def _assert_exact(text: str, result: dict) -> None:
    for s in result["summary"]:
        assert text[s["start"]:s["end"]] == s["text"] and not s["text"].endswith("\r")
    for a in result["attributions"]:
        for span in (a["cue"], a["source"], a["content"]):
            assert span is None or text[span["start"]:span["end"]] == span["text"]
    for f in result["flags"]:
        ev = f["evidence"]
        assert text[ev["start"]:ev["end"]] == ev["text"] and f["start"] <= ev["start"] <= ev["end"] <= f["end"]


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_crlf_reads_as_lf(engine, path: Path) -> None:
    plain = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    windows = plain.replace("\n", "\r\n")
    expected = engine.analyze(plain).to_dict()
    got = engine.analyze(windows).to_dict()
    _assert_exact(windows, got)
    assert _what_it_says(got) == _what_it_says(expected)


def test_a_batch_with_crlf_and_lf_texts_matches_single_analyses(engine) -> None:
    plain = ARTICLES[0].read_text(encoding="utf-8").replace("\r\n", "\n")
    texts = [plain.replace("\n", "\r\n"), plain, "Headline\r\nOfficials said the pier would close.\r\n"]
    for text, result in zip(texts, engine.analyze_many(texts), strict=True):
        got = result.to_dict()
        _assert_exact(text, got)
        assert got == engine.analyze(text).to_dict()


@pytest.mark.parametrize(("text", "view_pos", "input_pos"), [
    ("a\r\nb", 1, 1),     # the end of "a": before the "\r"
    ("a\r\nb", 2, 3),     # the start of "b": after the "\n"
    ("a\r\n\r\nb", 3, 5),
    ("a\rb\nc", 3, 3),    # a lone "\r" or "\n" is one character either way
])
def test_view_offsets_map_back_onto_the_input(text: str, view_pos: int, input_pos: int) -> None:
    lines = LineEndings(text)
    assert lines.to_input(view_pos) == input_pos
    assert lines.view.replace("\n", "") == text.replace("\r\n", "").replace("\n", "")
    span = lines.moved(text, Span.of(lines.view, 0, view_pos))
    assert text[span.start:span.end] == span.text
