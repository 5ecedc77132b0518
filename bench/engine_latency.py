"""Engine latency divided by the bare spaCy parse of the same text, at 1k, 5k, 20k and 50k words.

The baseline is the pipeline exactly as shipped, ``spacy.load(model)``, with every component it enables
by default and without our line-break component; anything the engine adds (that component, validation,
segmentation, summary, attribution, flags, the result objects) counts against the engine. Both run in
this process, interleaved, and the figure is the median of per-pair ratios.

    python -m bench.engine_latency [--quick] [--source own|cnndm]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

import spacy

from bench import common

FULL_REPEATS = {1_000: 9, 5_000: 5, 20_000: 5, 50_000: 3}
QUICK_REPEATS = {1_000: 5, 5_000: 3, 20_000: 3}
# A size whose projected analysis time (quadratic extrapolation) exceeds these gets one repeat, or none:
# a quadratic engine must not turn the suite into an hour-long run; the report says what was skipped.
SLOW_ABOVE_S = 30.0
SKIP_ABOVE_S = 120.0
# Stages of Engine._build that are timed one by one in a separate, untimed-by-ratio pass.
STAGES = (
    ("validate", "bot.analysis.engine", "check_text"),
    ("segment", "bot.analysis.segment", "sentences"),
    ("summary", "bot.analysis.summary", "summarize"),
    ("attribution", "bot.analysis.attribution", "find_attributions"),
    ("flags", "bot.analysis.flags", "make_flags"),
)


def run(quick: bool = False, sources: tuple[str, ...] = ("own", "cnndm")) -> dict[str, Any]:
    """Measure every size for each text source; return the figures (also saved to bench/out)."""
    from bot.analysis import Engine

    settings = common.bench_settings()
    bare = spacy.load(settings.model)
    bare.max_length = common.BENCH_MAX_CHARS
    engine = Engine(settings)
    warm = common.own_articles()[0]
    bare(warm)
    engine.analyze(warm)
    repeats = QUICK_REPEATS if quick else FULL_REPEATS
    out: dict[str, Any] = {"baseline": f"spacy.load({settings.model!r}) pipe_names={bare.pipe_names}",
                           "engine_pipe": list(engine.nlp.pipe_names), "series": {}}
    for source in sources:
        texts = common.sized_texts(source, tuple(repeats))
        if not texts:
            out["series"][source] = {"missing": True}
            continue
        rows: list[dict[str, Any]] = []
        skipped: list[dict[str, Any]] = []
        for n, text in texts.items():
            projected = _projected_s(rows, common.words(text))
            if projected > SKIP_ABOVE_S:
                skipped.append({"words": common.words(text), "projected_s": round(projected)})
                print(f"  latency {source} {n}: skipped, projected {projected:.0f} s per analysis")
                continue
            slow = projected > SLOW_ABOVE_S
            paired = common.interleave(lambda t=text: engine.analyze(t), lambda t=text: bare(t),
                                       1 if slow else repeats[n])
            row = {"words": common.words(text), "chars": len(text), **paired.summary()}
            row["ms_per_word"] = row["subject_ms"] / row["words"]
            row["base_ms_per_word"] = row["base_ms"] / row["words"]
            row["stages_ms"] = stage_breakdown(engine, text, 1 if slow else 3)
            row["components_ms"] = component_times(engine.nlp, text)
            rows.append(row)
            print(f"  latency {source} {row['words']:>6} words: engine {row['subject_ms']:8.0f} ms  "
                  f"bare {row['base_ms']:8.0f} ms  ratio {row['ratio_pairs']:.2f} (cpu {row['ratio_cpu']:.2f})")
        out["series"][source] = {"rows": rows, "growth": growth(rows), "skipped": skipped}
        if quick:
            break
    return out


def _projected_s(rows: list[dict[str, Any]], words: int) -> float:
    """Pessimistic engine seconds at ``words``: the last size's time scaled quadratically."""
    if not rows:
        return 0.0
    last = rows[-1]
    return last["subject_ms"] / 1000 * (words / last["words"]) ** 2


def growth(rows: list[dict[str, Any]]) -> dict[str, float]:
    """How far from linear: ms/word at the largest size over ms/word at the smallest (1.0 = linear)."""
    first, last = rows[0], rows[-1]
    return {
        "engine_ms_per_word_ratio": last["ms_per_word"] / first["ms_per_word"],
        "bare_ms_per_word_ratio": last["base_ms_per_word"] / first["base_ms_per_word"],
        "size_ratio": last["words"] / first["words"],
    }


@contextlib.contextmanager
def _patched(stage: str, module: str, name: str, spent: dict[str, float]) -> Iterator[None]:
    """Wrap ``module.name`` so every call adds its wall time to ``spent[stage]``."""
    import importlib

    mod = importlib.import_module(module)
    original: Callable[..., Any] | None = getattr(mod, name, None)
    if original is None:
        yield
        return

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[stage] = spent.get(stage, 0.0) + time.perf_counter() - t0

    setattr(mod, name, wrapper)
    try:
        yield
    finally:
        setattr(mod, name, original)


def stage_breakdown(engine: Any, text: str, repeats: int = 3) -> dict[str, float]:
    """Median ms per engine stage; ``parse+rest`` is the total minus the named stages."""
    samples: dict[str, list[float]] = {}
    for _ in range(repeats):
        spent: dict[str, float] = {}
        with contextlib.ExitStack() as stack:
            for stage, module, name in STAGES:
                stack.enter_context(_patched(stage, module, name, spent))
            wall, _cpu = common.timed(lambda: engine.analyze(text))
        spent["parse+rest"] = wall - sum(spent.values())
        spent["total"] = wall
        for key, value in spent.items():
            samples.setdefault(key, []).append(value * 1000)
    return {key: round(statistics.median(values), 1) for key, values in samples.items()}


def component_times(nlp: Any, text: str) -> dict[str, float]:
    """Wall ms spent in each pipeline component (tokenizer included), over the pieces the engine parses."""
    from bot.analysis import parse

    times: dict[str, float] = {}
    for piece in parse.pieces(text):
        t0 = time.perf_counter()
        doc = nlp.make_doc(piece)
        times["tokenizer"] = times.get("tokenizer", 0.0) + (time.perf_counter() - t0) * 1000
        for name, proc in nlp.pipeline:
            t0 = time.perf_counter()
            doc = proc(doc)
            times[name] = times.get(name, 0.0) + (time.perf_counter() - t0) * 1000
    return {k: round(v, 1) for k, v in times.items()}


def main() -> None:
    """Command line entry: run and save."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--source", choices=("own", "cnndm"), action="append")
    args = parser.parse_args()
    result = run(args.quick, tuple(args.source or ("own", "cnndm")))
    print(common.save("engine_latency", result))


if __name__ == "__main__":
    main()
