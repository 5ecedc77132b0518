"""Rebuild ``bot/analysis/lexicons/cue_weights.tsv`` from PolNeAR *train* (dev-only tool, not shipped).

For every token of the cached train docs (see ``attribution_dev.py cache``) it records whether the
token heads a gold cue, and a gold cue without a source. Tokens inside a gold content are skipped:
nested claims are never annotated and the finder suppresses them. Keys are (lemma, POS) and the
coarse and fine syntactic contexts of ``bot.analysis.cues.context``. The table holds only rounded
rates and supports per key: no article text. Dev is never read here.

    python3 bench/build_cue_lexicon.py
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from attribution_dev import docs, load_gold  # noqa: E402

from bot.analysis.cues import context, key_of  # noqa: E402
from bot.analysis.lexicon import words  # noqa: E402
from bot.analysis.quotes import QuoteIndex, find_quotes  # noqa: E402

OUT = ROOT / "bot" / "analysis" / "lexicons" / "cue_weights.tsv"
MIN_HITS = 2
MIN_CTX_SUPPORT = 3


def cue_head(doc, start: int, end: int):  # noqa: ANN001, ANN201
    """The syntactic head of the tokens inside ``[start, end)``; prefers verbs, then nouns."""
    toks = [t for t in doc if start <= t.idx < end and not t.is_space]
    if not toks:
        return None
    ids = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    for pos in ("VERB", "NOUN", "ADV", "ADJ"):
        for t in roots:
            if t.pos_ == pos:
                return t
    return roots[0]


def count() -> tuple[collections.Counter, collections.Counter, collections.Counter]:
    """Count tokens, cue heads and heads of source-less cues per key over train."""
    tot: collections.Counter = collections.Counter()
    hit: collections.Counter = collections.Counter()
    nos: collections.Counter = collections.Counter()
    for gold, doc in zip(load_gold("train"), docs("train"), strict=True):
        heads = set()
        sourceless = set()
        nested = bytearray(len(doc.text) + 1)
        for a in gold["attributions"]:
            h = cue_head(doc, *a["cue"][0])
            if h is not None:
                heads.add(h.i)
                if a["no_source"]:
                    sourceless.add(h.i)
            for s, e in a["content"] or []:
                nested[s:e] = b"\x01" * (e - s)
        qi = QuoteIndex(find_quotes(doc.text))
        for tok in doc:
            # Nested claims are never annotated (each token has one role), and the finder suppresses
            # cues inside a found content, so tokens inside gold content are left out of the rates.
            if tok.is_space or (nested[tok.idx] and tok.i not in heads):
                continue
            lemma, pos = key_of(tok)
            coarse, fine = context(tok, qi.at(tok.idx) is not None)
            for key in ((lemma, pos, "*"), (lemma, pos, coarse), (lemma, pos, fine)):
                tot[key] += 1
                hit[key] += tok.i in heads
                nos[key] += tok.i in sourceless
    return tot, hit, nos


def main() -> None:
    """Write the table."""
    tot, hit, nos = count()
    reporting = words("reporting_verbs.txt")
    keep = {k[:2] for k in tot if k[2] == "*" and (hit[k] >= MIN_HITS or (k[0] in reporting and tot[k] >= 5))}
    rows = ["lemma\tpos\tcontext\trate\tsupport\tno_source_rate"]
    for key in sorted(tot):
        if key[:2] not in keep or "\t" in key[0] or "#" in key[0] or not key[0].strip():
            continue
        if key[2] != "*" and tot[key] < MIN_CTX_SUPPORT:
            continue
        rows.append(f"{key[0]}\t{key[1]}\t{key[2]}\t{hit[key] / tot[key]:.3f}\t{tot[key]}\t{nos[key] / tot[key]:.3f}")
    header = "# Cue weights learned from PolNeAR train; see README.md.\n"
    OUT.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    print("wrote", len(rows) - 1, "rows to", OUT)


if __name__ == "__main__":
    main()
