"""Scripts and styles are dropped from a page before extraction, in work that grows with the page, not its square.

A page of bare ``<style>`` tags, each never closed, made the old single-regex pass rescan the rest of the page from
every tag: four times the time for twice the page, hours at the 5 MB body cap, all of it on an analysis worker.
The cost test counts the characters the scanner asks its patterns to read; it never times anything.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot import extract
from bot.errors import NotAnArticle
from bot.extract import Page, build_article, drop_scripts_and_styles

STORY = "<p>" + "The council said on Monday that the ferry timetable would change next month. " * 8 + "</p>"


@pytest.mark.parametrize(("html", "expected"), [
    ("<p>a</p><script>var x = 1;</script><p>b</p>", "<p>a</p><p>b</p>"),
    ("<p>a</p><STYLE media='x'>.a{}</STYLE ><p>b</p>", "<p>a</p><p>b</p>"),
    ('<script type="application/ld+json">{"headline": "H"}</script><p>b</p>',
     '<script type="application/ld+json">{"headline": "H"}</script><p>b</p>'),
    ("<scripts>kept</scripts><stylesheet>kept</stylesheet>", "<scripts>kept</scripts><stylesheet>kept</stylesheet>"),
    ("<p>text</p><script>never closed <p>more</p>", "<p>text</p>"),
    ("<p>text</p><script", "<p>text</p><script"),
    ("<style>a</style><p>x</p><script>b</script><p>y</p>", "<p>x</p><p>y</p>"),
    # custom elements whose names only begin like these are markup like any other
    ("<p>Intro</p><style-guide>x</style-guide><script-loader/><p>Body</p>",
     "<p>Intro</p><style-guide>x</style-guide><script-loader/><p>Body</p>"),
    ("<script/><p>after a self-closed one</p></script><p>z</p>", "<p>z</p>"),
    # JSON-LD is kept whole, and what its text says about tags is not markup
    ('<script type="application/ld+json">{"articleBody": "use <style> tags"}</script><p>Body</p><style>s</style>',
     '<script type="application/ld+json">{"articleBody": "use <style> tags"}</script><p>Body</p>'),
])
def test_drops_scripts_and_styles_and_keeps_the_rest(html: str, expected: str) -> None:
    assert drop_scripts_and_styles(html) == expected


class _Counting:
    """Wraps a compiled pattern and adds up how many characters each search may read (from ``pos`` to where it
    stopped: its match's end, or the end of the text)."""

    def __init__(self, pattern: re.Pattern[str], tally: list[int]) -> None:
        self._pattern, self._tally = pattern, tally

    def search(self, text: str, pos: int = 0) -> Any:
        found = self._pattern.search(text, pos)
        self._tally[0] += (found.end() if found else len(text)) - pos
        return found


@pytest.mark.parametrize("unit", ["<style>", "<script>", "<script ", "<style>x</style", "<script type=ld+json>"])
def test_hostile_markup_is_read_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch, unit: str) -> None:
    tally = [0]
    monkeypatch.setattr(extract, "_NOT_TEXT_OPEN", _Counting(extract._NOT_TEXT_OPEN, tally))
    monkeypatch.setattr(extract, "_NOT_TEXT_CLOSE",
                        {k: _Counting(p, tally) for k, p in extract._NOT_TEXT_CLOSE.items()})
    html = STORY + unit * 20_000
    drop_scripts_and_styles(html)
    assert 0 < tally[0] <= 3 * len(html)


def test_a_page_of_unclosed_style_tags_is_refused_cleanly() -> None:
    """At the body cap's size the page is read once and refused for having no article text."""
    body = ("<html><body>" + "<style>" * 700_000).encode()
    with pytest.raises(NotAnArticle):
        build_article(Page(url="https://example.com/a", body=body, kind="html", charset="utf-8"),
                      "https://example.com/a", min_chars=200)


def test_an_article_after_closed_scripts_is_still_found() -> None:
    html = ("<html><head><title>T</title><style>p{}</style></head><body><script>x()</script><article>"
            + STORY + "</article><script>y()</script></body></html>")
    article = build_article(Page(url="https://example.com/a", body=html.encode(), kind="html", charset="utf-8"),
                            "https://example.com/a", min_chars=200)
    assert "ferry timetable" in article.text and "x()" not in article.text
