"""Hand-built analysis results for the store tests, so they never load spaCy."""

from __future__ import annotations

from bot.analysis.result import Attribution, Flag, Result, Span, Stats, SummarySentence

ENGINE = "test-engine/1"


def make_result(text: str, flags: list[tuple[str, str, str]] = (), *, kinds: tuple[str, ...] = (),
                title: str | None = None) -> Result:
    """A result whose flags sit on the first sentence holding each phrase: ``(category, severity, phrase)``.

    ``kinds`` adds one attribution per source kind, anchored at the start of the text, for the statistics.
    """
    first_end = text.find(".") + 1 or len(text)
    built = []
    for category, severity, phrase in flags:
        at = text.find(phrase)
        assert at >= 0, phrase
        start = text.rfind(".", 0, at) + 1
        while start < at and text[start].isspace():
            start += 1
        end = text.find(".", at) + 1 or len(text)
        built.append(Flag(category, severity, start, end, Span.of(text, at, at + len(phrase)),
                          f"Check the source: '{phrase}'."))
    cue = Span.of(text, 0, min(4, len(text)))
    attributions = [Attribution(cue, None, None, kind, False) for kind in kinds]
    return Result(
        sentences=max(1, text.count(".")),
        summary=[SummarySentence(0, 0, first_end, text[:first_end])],
        attributions=attributions,
        flags=built,
        stats=Stats.count(attributions),
        title=title,
        engine=ENGINE,
    )


ARTICLE = (
    "The council approved the new bridge on Monday. "
    "Sources familiar with the talks said the cost had doubled. "
    "Critics say the design is unsafe. "
    "The mayor said the bridge would open in spring."
)
ARTICLE_FLAGS = [
    ("anonymous_source", "high", "Sources familiar with the talks"),
    ("vague_source", "medium", "Critics"),
]
