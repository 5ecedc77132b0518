"""The analysis result, shaped exactly as ``shared/docs/analysis-contract.md`` describes.

Cogs, the store, the CLI and the scorers all read this shape, so it lives in one place. Fields may be
added (``speaker``, ``sentence``, ``title``, ``engine``); none may change meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.analysis.quotes import FULL_STOPS, SINGLE_MARKS, in_word

CONTRACT_VERSION = 1

SourceKind = Literal["named", "anonymous", "vague", "pronoun", "none"]
Category = Literal["anonymous_source", "vague_source", "no_source", "unattributed_quote"]
Severity = Literal["high", "medium", "low"]

SOURCE_KINDS: tuple[str, ...] = ("named", "anonymous", "vague", "pronoun", "none")
CATEGORIES: tuple[str, ...] = ("anonymous_source", "vague_source", "no_source", "unattributed_quote")
QUOTE_MARKS = "\"“”"
# From a closing quote mark to the next opening one: the '," she said. "' between two parts of one quote.
_HANDOVER = re.compile(r'[”"][^“”"]*[“"]')
# The same in single marks, British style ("...,' said Tom O'Neill. '..."): the mark closes after the quote's own
# punctuation, the words between may hold apostrophes inside words only, and the next mark opens after a space.
_SINGLE_HANDOVER = re.compile(rf"(?<=[,{re.escape(FULL_STOPS)}])['’](?:[^'‘’\"“”]|(?<=\w)['’](?=\w))*?\s['‘](?=\S)")
SEVERITIES: tuple[str, ...] = ("high", "medium", "low")
SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open ``[start, end)`` range of the exact input, with its text."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, source: str, start: int, end: int) -> Span:
        """Cut a span out of ``source`` so that ``text`` always equals ``source[start:end]``."""
        return cls(start, end, source[start:end])

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's ``{"start", "end", "text"}`` object."""
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Span | None:
        """Read a span back from stored JSON (``None`` stays ``None``)."""
        if data is None:
            return None
        return cls(int(data["start"]), int(data["end"]), str(data.get("text", "")))


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One whole input sentence chosen for the summary."""

    index: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's summary item."""
        return {"index": self.index, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Attribution:
    """A reported claim: who (source) said or believed what (content), through which cue."""

    cue: Span
    source: Span | None
    content: Span | None
    source_kind: str
    direct_quote: bool
    sentence: int = 0
    speaker: str | None = None  # the person a pronoun source refers to, or whom a role source names beside it
    speech: bool = True  # speech, belief or a stance, not an action (see ``bot.analysis.speech``)

    @property
    def claim(self) -> str:
        """The content as a reader should see it: a quote resumed after its attribution is shown as one quote.

        The content span of '“A,” she said. “B.”' runs from A to B with the hand-over in between (spans are
        contiguous); the reader gets "A … B" instead.
        """
        text = self.content.text if self.content else ""
        if not self.direct_quote:
            return text
        first = next((k for k, ch in enumerate(text) if ch in QUOTE_MARKS), -1)
        if first < 0:
            return _single_quoted_claim(text)
        if first == 0 or text[first - 1].isspace():
            return text  # the content starts outside a quote: 'said fraud “would be a way to lose.”'
        return _joined(_HANDOVER.split(text))

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's attribution object."""
        return {
            "cue": self.cue.to_dict(),
            "source": self.source.to_dict() if self.source else None,
            "content": self.content.to_dict() if self.content else None,
            "source_kind": self.source_kind,
            "direct_quote": self.direct_quote,
            "sentence": self.sentence,
            "speaker": self.speaker,
            "speech": self.speech,
        }


@dataclass(frozen=True, slots=True)
class Flag:
    """Something a reader should check, anchored on the sentence that holds it."""

    category: str
    severity: str
    start: int
    end: int
    evidence: Span
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's flag object."""
        return {
            "category": self.category,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "evidence": self.evidence.to_dict(),
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts over the attributions, for the sourcing scorecard."""

    attributions: int = 0
    named: int = 0
    anonymous: int = 0
    vague: int = 0
    pronoun: int = 0
    no_source: int = 0
    resolved: int = 0  # pronoun sources whose person is known; not in the contract's stats object

    @classmethod
    def count(cls, attributions: list[Attribution]) -> Stats:
        """Count attributions by source kind."""
        kinds = [a.source_kind for a in attributions]
        return cls(
            attributions=len(kinds),
            named=kinds.count("named"),
            anonymous=kinds.count("anonymous"),
            vague=kinds.count("vague"),
            pronoun=kinds.count("pronoun"),
            no_source=kinds.count("none"),
            resolved=sum(1 for a in attributions if a.source_kind == "pronoun" and a.speaker),
        )

    @property
    def named_share(self) -> float | None:
        """Share of claims whose source is named (a pronoun counts when its person is known), or None.

        An unresolved "he" or "who" names nobody a reader can check, so it does not count.
        """
        return (self.named + self.resolved) / self.attributions if self.attributions else None

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's stats object."""
        return {
            "attributions": self.attributions,
            "named": self.named,
            "anonymous": self.anonymous,
            "vague": self.vague,
            "pronoun": self.pronoun,
            "no_source": self.no_source,
        }


@dataclass(frozen=True, slots=True)
class Result:
    """Everything the engine says about one text."""

    sentences: int
    summary: list[SummarySentence] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    title: str | None = None
    engine: str = ""
    version: int = CONTRACT_VERSION

    @property
    def speech(self) -> list[Attribution]:
        """The claims that are speech, belief or a stance: what who-said-what and the scorecard show readers."""
        return [a for a in self.attributions if a.speech]

    @property
    def speech_stats(self) -> Stats:
        """Counts over ``speech``, for the scorecard (``stats`` counts every attribution, as the contract has it)."""
        return Stats.count(self.speech)

    def to_dict(self) -> dict[str, Any]:
        """Return the contract JSON object."""
        return {
            "version": self.version,
            "engine": self.engine,
            "title": self.title,
            "sentences": self.sentences,
            "summary": [s.to_dict() for s in self.summary],
            "attributions": [a.to_dict() for a in self.attributions],
            "flags": [f.to_dict() for f in self.flags],
            "stats": self.stats.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Result:
        """Rebuild a result from stored contract JSON, so readers never poke at raw dicts."""
        attributions = [
            Attribution(
                cue=Span.from_dict(a["cue"]) or Span(0, 0, ""),
                source=Span.from_dict(a.get("source")),
                content=Span.from_dict(a.get("content")),
                source_kind=a["source_kind"],
                direct_quote=bool(a.get("direct_quote")),
                sentence=int(a.get("sentence", 0)),
                speaker=a.get("speaker"),
                speech=bool(a.get("speech", True)),
            )
            for a in data.get("attributions", [])
        ]
        flags = [
            Flag(
                category=f["category"],
                severity=f["severity"],
                start=int(f["start"]),
                end=int(f["end"]),
                evidence=Span.from_dict(f.get("evidence")) or Span(int(f["start"]), int(f["start"]), ""),
                reason=f["reason"],
            )
            for f in data.get("flags", [])
        ]
        summary = [SummarySentence(int(s["index"]), int(s["start"]), int(s["end"]), s["text"]) for s in data["summary"]]
        return cls(
            sentences=int(data["sentences"]),
            summary=summary,
            attributions=attributions,
            flags=flags,
            stats=Stats.count(attributions),
            title=data.get("title"),
            engine=str(data.get("engine", "")),
            version=int(data.get("version", CONTRACT_VERSION)),
        )


def _single_quoted_claim(text: str) -> str:
    """A claim in single marks, British style ("A,' she said. 'B"): joined as "A … B" only when the first mark that is
    not an apostrophe inside a word is where the hand-over starts; "The Smiths' lawyer told me, 'We lost.' ..." is
    a quote in double marks whose content holds an apostrophe and a nested quote, and stays as it is."""
    first = next((k for k, ch in enumerate(text) if ch in SINGLE_MARKS and not in_word(text, k)), -1)
    resumed = _SINGLE_HANDOVER.search(text)
    if resumed is None or resumed.start() != first:
        return text
    return _joined(_SINGLE_HANDOVER.split(text))


def _joined(pieces: list[str]) -> str:
    return " … ".join(p for p in (p.strip().rstrip(",").strip() for p in pieces) if p)
