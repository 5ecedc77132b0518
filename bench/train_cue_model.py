"""Train the cue model ``bot/analysis/lexicons/cue_model.tsv`` on PolNeAR *train* (dev-only tool, not shipped).

A logistic regression over the features of ``bot.analysis.cues.features`` (word, lexicon contexts,
subject type, children, head and neighbours), for tokens whose lemma the weight table knows.
The label is "heads a gold cue"; tokens inside a gold content are skipped, as in
``build_cue_lexicon.py``. Only feature names and weights are written; dev is never read.

    python3 bench/train_cue_model.py [--l2 5.0]
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from attribution_dev import docs, load_gold  # noqa: E402
from build_cue_lexicon import cue_head  # noqa: E402

from bot.analysis.cues import candidate, features  # noqa: E402
from bot.analysis.quotes import QuoteIndex, find_quotes  # noqa: E402

OUT = ROOT / "bot" / "analysis" / "lexicons" / "cue_model.tsv"
MIN_COUNT = 2


def examples() -> tuple[list[list[str]], list[int]]:
    """Feature lists and labels of the candidate tokens of train."""
    rows: list[list[str]] = []
    labels: list[int] = []
    for gold, doc in zip(load_gold("train"), docs("train"), strict=True):
        heads = set()
        nested = bytearray(len(doc.text) + 1)
        for a in gold["attributions"]:
            h = cue_head(doc, *a["cue"][0])
            if h is not None:
                heads.add(h.i)
            for s, e in a["content"] or []:
                nested[s:e] = b"\x01" * (e - s)
        qi = QuoteIndex(find_quotes(doc.text))
        for tok in doc:
            if not candidate(tok) or (nested[tok.idx] and tok.i not in heads):
                continue
            rows.append(features(tok, qi.at(tok.idx) is not None))
            labels.append(int(tok.i in heads))
    return rows, labels


def fit(rows: list[list[str]], labels: list[int], l2: float) -> dict[str, float]:
    """L2-regularised logistic regression with L-BFGS."""
    counts = collections.Counter(f for r in rows for f in set(r))
    names = sorted(f for f, c in counts.items() if c >= MIN_COUNT)
    index = {f: i for i, f in enumerate(names)}
    data, ri, ci = [], [], []
    for r, feats in enumerate(rows):
        for f in set(feats):
            if f in index:
                ri.append(r)
                ci.append(index[f])
                data.append(1.0)
    x = sparse.csr_matrix((data, (ri, ci)), shape=(len(rows), len(names)))
    y = np.array(labels, dtype=float)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        p = 1 / (1 + np.exp(-z))
        ll = np.sum(np.logaddexp(0, z) - y * z) + 0.5 * l2 * np.dot(w, w)
        return ll, x.T @ (p - y) + l2 * w

    res = minimize(loss, np.zeros(len(names)), jac=True, method="L-BFGS-B", options={"maxiter": 400})
    print("loss", res.fun, "iterations", res.nit, "features", len(names), "examples", len(rows), "pos", int(y.sum()))
    return {f: float(w) for f, w in zip(names, res.x, strict=True) if abs(w) >= 1e-3}


def main() -> None:
    """Train and write the model."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--l2", type=float, default=5.0)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rows, labels = examples()
    weights = fit(rows, labels, args.l2)
    lines = ["# Cue model weights learned from PolNeAR train; see README.md.", "feature\tweight"]
    lines += [f"{f}\t{w:.4f}" for f, w in sorted(weights.items()) if "\t" not in f and "\n" not in f]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("wrote", len(lines) - 2, "weights to", args.out)


if __name__ == "__main__":
    main()
