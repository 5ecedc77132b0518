"""Profile one engine stage on a parsed text, for whoever tunes that stage (not part of ``python -m bench``).

    python -m bench.profile_engine --words 20000 --stage attribution [--top 25] [--source cnndm]
    python -m bench.profile_engine --words 5000 --stage all

The text is parsed once outside the profile, so only the chosen stage's own Python work shows up.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections.abc import Callable
from typing import Any

from bench import common


def stage_callables(engine: Any, text: str) -> dict[str, Callable[[], Any]]:
    """Zero-argument callables for each stage, on one shared parse."""
    from bot.analysis import attribution, flags, segment, summary

    doc = engine.nlp(text)
    sents = segment.sentences(doc)
    found = attribution.find_attributions(doc, sents)
    method = engine.settings.summary_method
    n = summary.default_length(len(sents))
    return {
        "parse": lambda: engine.nlp(text),
        "segment": lambda: segment.sentences(doc),
        "summary": lambda: summary.summarize(doc, sents, method, n),
        "lexrank": lambda: summary.summarize(doc, sents, "lexrank", n),
        "attribution": lambda: attribution.find_attributions(doc, sents),
        "flags": lambda: flags.make_flags(found, doc, sents),
        "all": lambda: engine.analyze(text),
    }


def main() -> None:
    """Print wall time and the top functions by cumulative time for one stage."""
    from bot.analysis import Engine

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=5_000)
    parser.add_argument("--stage", default="attribution")
    parser.add_argument("--source", default="own", choices=("own", "cnndm"))
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"))
    args = parser.parse_args()
    text = common.sized_texts(args.source, (args.words,))[args.words]
    engine = Engine(common.bench_settings())
    fn = stage_callables(engine, text)[args.stage]
    t0 = time.perf_counter()
    fn()
    print(f"{args.stage} on {common.words(text):,} words: {(time.perf_counter() - t0) * 1000:.1f} ms (unprofiled)")
    prof = cProfile.Profile()
    prof.runcall(fn)
    pstats.Stats(prof).strip_dirs().sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
