"""The analysis engine: one parse per text, shared by the summary and the attribution finder.

This module must never import discord; the bot runs it in worker processes and the CLI runs it
directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from bot.analysis import attribution, flags, heading, parse, segment, summary
from bot.analysis.doctext import doc_text
from bot.analysis.exact import exact_attribution, exact_flag
from bot.analysis.line_endings import LineEndings
from bot.analysis.nlp import load_pipeline
from bot.analysis.result import Result, Stats, SummarySentence
from bot.analysis.validate import check_text
from bot.analysis.version import engine_version
from bot.config import AnalysisSettings
from bot.errors import InputError


@dataclass(frozen=True, slots=True)
class Failure:
    """One text in a batch that could not be analysed, with a message for the user."""

    error: str


class Engine:
    """Analyse news text; load the model lazily and only once per process."""

    def __init__(self, settings: AnalysisSettings | None = None, nlp: Language | None = None) -> None:
        self.settings = settings or AnalysisSettings()
        self._nlp = nlp

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline, loaded on first use."""
        if self._nlp is None:
            self._nlp = load_pipeline(self.settings.model)
        return self._nlp

    @property
    def version(self) -> str:
        """Engine version stored with every result, so cached results can be invalidated."""
        return engine_version(self.settings)

    def analyze(self, text: str, sentences: int | None = None, method: str | None = None) -> Result:
        """Analyse one text; raise ``InputError`` if it cannot be analysed."""
        check_text(text, self.settings.max_chars)
        lines = LineEndings(text)
        return self._build(text, lines, parse.parse(self.nlp, lines.view), sentences, method)

    def analyze_many(
        self, texts: Iterable[str], sentences: int | Sequence[int | None] | None = None, method: str | None = None
    ) -> Iterator[Result | Failure]:
        """Analyse many texts with one ``nlp.pipe`` stream; a bad text yields a ``Failure`` and the rest go on.

        ``sentences`` is one summary length for all texts, or one per text (``None`` = default).
        """
        items = list(texts)
        lengths = list(sentences) if isinstance(sentences, Sequence) else [sentences] * len(items)
        good: list[int] = []
        failures: dict[int, Failure] = {}
        for i, text in enumerate(items):
            try:
                check_text(text, self.settings.max_chars)
                good.append(i)
            except InputError as exc:
                failures[i] = Failure(exc.user_message)
        lines = {i: LineEndings(items[i]) for i in good}
        docs = parse.parse_many(self.nlp, (lines[i].view for i in good))
        parsed = dict(zip(good, docs, strict=True))
        for i, text in enumerate(items):
            if i in failures:
                yield failures[i]
            else:
                yield self._build(text, lines[i], parsed[i], lengths[i], method)

    def _build(self, text: str, lines: LineEndings, doc: Doc, sentences: int | None, method: str | None) -> Result:
        """The result for ``text``, from ``doc``, the parse of ``lines.view``: its offsets are moved onto ``text``."""
        sents = segment.sentences(doc)
        if sentences is None:  # the configured cap bounds only the automatic length, never an explicit one
            n = min(summary.default_length(len(sents)), self.settings.max_summary_sentences)
        else:
            n = max(0, sentences)
        chosen = summary.summarize(doc, sents, method or self.settings.summary_method, n)
        found = attribution.find_attributions(doc, sents)
        raised = flags.make_flags(found, doc, sents)
        line = heading.headline(doc, doc_text(doc), sents)  # the parser's view: every line ending is "\n" there
        to = lines.to_input
        return Result(
            sentences=len(sents),
            summary=[
                SummarySentence(i, to(sents[i].start), to(sents[i].end), text[to(sents[i].start) : to(sents[i].end)])
                for i in chosen
            ],
            attributions=[exact_attribution(text, lines.attribution(text, a)) for a in found],
            flags=[exact_flag(text, lines.flag(text, f)) for f in raised],
            stats=Stats.count(found),
            title=text[to(line[0]) : to(line[1])] if line is not None else None,
            engine=self.version,
        )
