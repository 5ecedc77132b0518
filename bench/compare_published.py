"""Score Byline on PolNeAR with the span metrics that BBC citron and the SFU GenderGapTracker publish (not a test).

The shared scorer (``../shared/eval/score_attribution.py``) matches cues one to one by overlap. Citron and the
GenderGapTracker report other measures on their own corpora, so this script computes those measures on our data,
to set our figures beside theirs (BENCHMARKS.md, "Beside citron and the GenderGapTracker"):

- citron, *exact*: a predicted cue, source or content span counts when it equals a gold span of the same role
  (both trimmed of white space and edge punctuation); P over predicted spans, R over gold spans.
- citron, *overlap*: characters of predicted spans of a role that fall inside gold spans of that role, over all
  predicted characters (P) and over all gold characters (R).
- GenderGapTracker, *quote extraction*: a gold content is found when one predicted content covers at least the
  given share (0.3, 0.8) of it and at least that share of the prediction is inside it; P over predicted contents.
  *Speaker match*: of the found gold contents that have a source, the share whose predicted source overlaps it.

    python3 bench/compare_published.py --pred PRED.jsonl [--split dev] [--quoted-only]

PRED.jsonl is ``byline analyze --jsonl`` output for ``../shared/data/polnear/<split>.jsonl`` (same order, same ids);
``python3 bench/attribution_dev.py score dev`` leaves one at ``/tmp/byline_attr_cache/pred_dev.jsonl``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "polnear"
ROLES = ("cue", "source", "content")
EDGE = " \t\r\n\"'“”‘’.,;:—–-()"
THRESHOLDS = (0.3, 0.8)

Spans = list[tuple[int, int]]


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without white space and punctuation at its edges, so '"We won,"' and 'We won' agree."""
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and text[end - 1] in EDGE:
        end -= 1
    return start, end


def gold_spans(text: str, attribution: dict, role: str) -> Spans:
    """A gold role's pieces joined into one span (PolNeAR may split a cue or content around an aside)."""
    pieces = attribution.get(role) or []
    if not pieces:
        return []
    return [trimmed(text, min(p[0] for p in pieces), max(p[1] for p in pieces))]


def predicted_span(text: str, attribution: dict, role: str) -> Spans:
    """The prediction's span for a role, if it has one."""
    span = attribution.get(role)
    return [trimmed(text, span["start"], span["end"])] if span else []


def covered(spans: Iterable[tuple[int, int]]) -> set[int]:
    """Every character offset inside the spans."""
    return {k for start, end in spans for k in range(start, end)}


class Counts:
    """Running totals for one precision/recall pair."""

    def __init__(self) -> None:
        self.hit_p = self.n_p = self.hit_r = self.n_r = 0

    def add(self, hit_p: int, n_p: int, hit_r: int, n_r: int) -> None:
        self.hit_p += hit_p
        self.n_p += n_p
        self.hit_r += hit_r
        self.n_r += n_r

    def prf(self) -> tuple[float, float, float]:
        p = self.hit_p / self.n_p if self.n_p else 0.0
        r = self.hit_r / self.n_r if self.n_r else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def quote_found(gold: tuple[int, int], pred: tuple[int, int], share: float) -> bool:
    """Whether a predicted content and a gold one overlap by ``share`` of each."""
    inter = min(gold[1], pred[1]) - max(gold[0], pred[0])
    if inter <= 0:
        return False
    return inter >= share * (gold[1] - gold[0]) and inter >= share * (pred[1] - pred[0])


QUOTE_MARKS = "\"“”"


def score(gold_rows: list[dict], pred_rows: list[dict], quoted_only: bool = False) -> dict[str, tuple[float, ...]]:
    """Every measure above over the articles, micro-averaged.

    With ``quoted_only`` the quote measures keep only gold contents with a quotation mark in or around them (the
    GenderGapTracker annotates quotes; PolNeAR also has beliefs, plans and nominal claims), and the same test
    picks the predicted contents.
    """
    exact = {role: Counts() for role in ROLES}
    overlap = {role: Counts() for role in ROLES}
    quotes = {t: Counts() for t in THRESHOLDS}
    speakers = {t: [0, 0] for t in THRESHOLDS}
    for gold, pred in zip(gold_rows, pred_rows, strict=True):
        if gold["id"] != pred.get("id"):
            raise SystemExit(f"prediction {pred.get('id')!r} is not for article {gold['id']!r}: same order needed")
        text = gold["text"]
        found = pred.get("attributions") or []
        for role in ROLES:
            g = [s for a in gold["attributions"] for s in gold_spans(text, a, role) if s[0] < s[1]]
            p = [s for a in found for s in predicted_span(text, a, role) if s[0] < s[1]]
            gset, pset = set(g), set(p)
            exact[role].add(len([s for s in p if s in gset]), len(p), len([s for s in g if s in pset]), len(g))
            gc, pc = covered(g), covered(p)
            inside = len(gc & pc)
            overlap[role].add(inside, len(pc), inside, len(gc))
        contents = [(a, gold_spans(text, a, "content")) for a in gold["attributions"]]
        contents = [(a, s[0]) for a, s in contents if s and s[0][0] < s[0][1]]
        predicted = [(a, predicted_span(text, a, "content")) for a in found]
        predicted = [(a, s[0]) for a, s in predicted if s and s[0][0] < s[0][1]]
        if quoted_only:
            contents = [(a, s) for a, s in contents if any(ch in QUOTE_MARKS for ch in text[s[0] - 2 : s[1] + 2])]
            predicted = [(a, s) for a, s in predicted if any(ch in QUOTE_MARKS for ch in text[s[0] - 2 : s[1] + 2])]
        for share in THRESHOLDS:
            hits_r = 0
            for ga, gs in contents:
                match = next((pa for pa, ps in predicted if quote_found(gs, ps, share)), None)
                if match is None:
                    continue
                hits_r += 1
                gsrc, psrc = gold_spans(text, ga, "source"), predicted_span(text, match, "source")
                if gsrc:
                    speakers[share][1] += 1
                    if psrc and covered(gsrc) & covered(psrc):
                        speakers[share][0] += 1
            hits_p = sum(1 for _, ps in predicted if any(quote_found(gs, ps, share) for _, gs in contents))
            quotes[share].add(hits_p, len(predicted), hits_r, len(contents))
    out: dict[str, tuple[float, ...]] = {}
    for role in ROLES:
        out[f"citron exact {role}"] = exact[role].prf()
        out[f"citron overlap {role}"] = overlap[role].prf()
    for share in THRESHOLDS:
        out[f"GGT quote extraction {share}"] = quotes[share].prf()
        right, total = speakers[share]
        out[f"GGT speaker match {share}"] = (right / total if total else 0.0,)
    return out


def main() -> None:
    """Read the gold split and the predictions, and print one line per measure."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pred", required=True, type=Path)
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--quoted-only", action="store_true", help="quote measures over quotations only")
    args = ap.parse_args()
    gold = [json.loads(line) for line in (DATA / f"{args.split}.jsonl").open(encoding="utf-8") if line.strip()]
    pred = [json.loads(line) for line in args.pred.open(encoding="utf-8") if line.strip()]
    for name, values in score(gold, pred, args.quoted_only).items():
        shown = " ".join(f"{v:.3f}" for v in values)
        print(f"{name:34} {'P R F1' if len(values) == 3 else 'accuracy':9} {shown}")


if __name__ == "__main__":
    main()
