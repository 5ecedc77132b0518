"""The summariser alone: the default method against sumy LexRank on the same parsed texts.

Each text is parsed once (the engine's pipeline) and both methods pick the same number of sentences
from the same sentence list, interleaved, so only the summariser's own work is compared. LexRank
compares every pair of sentences, so it is timed up to 5k words; the default method is also timed at
20k and 50k words to show how it grows.

    python -m bench.summariser [--quick]
"""

from __future__ import annotations

import statistics
from typing import Any

from bench import common

SUMMARY_SENTENCES = 3


def _prepared(engine: Any, texts: list[str]) -> list[tuple[Any, list[Any]]]:
    from bot.analysis import segment

    out = []
    for doc in engine.nlp.pipe(texts, batch_size=16):
        out.append((doc, segment.sentences(doc)))
    return out


def _summarise_all(items: list[tuple[Any, list[Any]]], method: str) -> None:
    from bot.analysis import summary

    for doc, sents in items:
        summary.summarize(doc, sents, method, SUMMARY_SENTENCES)


def article_set(quick: bool) -> list[str]:
    """Single articles: ours, plus CNN/DM dev texts when the shared data is present."""
    return common.own_articles() + common.cnndm_articles(limit=12 if quick else 40)


def run(quick: bool = False) -> dict[str, Any]:
    """Time default vs LexRank on single articles and a 5k text; the default alone on longer texts."""
    from bot.analysis import Engine

    engine = Engine(common.bench_settings())
    default = engine.settings.summary_method
    sized = common.sized_texts("own")
    rows = []
    cases = [("articles", article_set(quick)), ("5k words", [sized[5_000]])]
    for label, texts in cases:
        items = _prepared(engine, texts)
        paired = common.interleave(lambda i=items: _summarise_all(i, default),
                                   lambda i=items: _summarise_all(i, "lexrank"), 3 if quick else 5)
        row = {"case": label, "texts": len(texts), "words": sum(common.words(t) for t in texts), **paired.summary()}
        rows.append(row)
        print(f"  summary {label}: {default} {row['subject_ms']:.1f} ms  lexrank {row['base_ms']:.1f} ms  "
              f"ratio {row['ratio_pairs']:.3f}")
    growth = []
    for n in (1_000, 5_000, 20_000) if quick else common.SIZES:
        items = _prepared(engine, [sized[n]])
        times = [common.timed(lambda i=items: _summarise_all(i, default))[0] for _ in range(3)]
        ms = statistics.median(times) * 1000
        growth.append({"words": common.words(sized[n]), "sentences": len(items[0][1]), "ms": ms,
                       "us_per_word": ms * 1000 / common.words(sized[n])})
        print(f"  summary growth {n}: {ms:.1f} ms")
    return {"method": default, "baseline": "lexrank", "sentences": SUMMARY_SENTENCES, "rows": rows,
            "growth": growth}


def main() -> None:
    """Command line entry: run and save."""
    common.run_from_command_line("summariser", run, __doc__)


if __name__ == "__main__":
    main()
