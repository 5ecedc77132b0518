"""Windows line endings, read as plain ones, with every offset moved back onto the input.

"\\r\\n" is two characters where "\\n" is one. The parser's view of a text keeps every offset, so it used to see
" \\n" there, and the stray space before each line break moved a few tags: a CRLF copy of an article could get
another summary sentence or a shorter source than the same article with "\\n". The engine now analyses the text
with each "\\r\\n" as "\\n" and moves the result's offsets back, so both read alike and every span still indexes the
exact input.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from bot.analysis.result import Attribution, Flag, Span

_CRLF = re.compile(r"\r\n")


class LineEndings:
    """A text with each "\\r\\n" read as "\\n" (``view``), and the way back from the view's offsets to the input's."""

    def __init__(self, text: str) -> None:
        # Where, in the view, each "\n" stands that was "\r\n" in the input; offsets past it move on by one more.
        self._joined = [m.start() - k for k, m in enumerate(_CRLF.finditer(text))]
        self.view = text.replace("\r\n", "\n") if self._joined else text

    def to_input(self, pos: int) -> int:
        """The input offset of view offset ``pos``: a span ending just before a joined "\\n" ends before its "\\r"."""
        return pos + bisect_left(self._joined, pos) if self._joined else pos

    def moved(self, text: str, span: Span) -> Span:
        """``span`` over the input ``text``."""
        return Span.of(text, self.to_input(span.start), self.to_input(span.end)) if self._joined else span

    def attribution(self, text: str, a: Attribution) -> Attribution:
        """``a`` with its cue, source and content over the input ``text``."""
        if not self._joined:
            return a
        return replace(a, cue=self.moved(text, a.cue), source=a.source and self.moved(text, a.source),
                       content=a.content and self.moved(text, a.content))

    def flag(self, text: str, f: Flag) -> Flag:
        """``f`` with its sentence and evidence over the input ``text``."""
        if not self._joined:
            return f
        return replace(f, start=self.to_input(f.start), end=self.to_input(f.end),
                       evidence=self.moved(text, f.evidence))
