"""Evaluation section "seg": word segmentation against the SIGHAN 2005 PKU test gold.

Reported, not chased: jieba follows neither the PKU nor the MSR standard exactly. The
same text goes through the pipeline's segmenter (``pipeline.segment``, rjieba by
default) and plain ``jieba.cut`` in the same run, so any difference shows.

    python -m pipeline.evaluation.seg [--quick]
"""

from __future__ import annotations

import argparse
import time

from pipeline.evaluation.common import SKIP_LINE, eval_dir, prf, print_table, read_jsonl

QUICK_LINES = 300


def _spans(words: list[str]) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for w in words:
        out.add((pos, pos + len(w)))
        pos += len(w)
    return out


def run(quick: bool = False) -> dict[str, float]:
    """Print P/R/F of our segmenter and plain jieba on the PKU gold; return our F1."""
    root = eval_dir()
    if root is None:
        print(SKIP_LINE)
        return {}
    import jieba

    from pipeline.segment import segment

    rows = read_jsonl(root / "seg" / "pku_test_gold.jsonl")
    if quick:
        rows = rows[:QUICK_LINES]
    counts = {"pipeline": [0, 0, 0], "jieba.cut": [0, 0, 0]}
    seconds = {"pipeline": 0.0, "jieba.cut": 0.0}
    n_chars = 0
    for row in rows:
        text = row["text"]
        n_chars += len(text)
        gold = _spans(row["words"])
        t0 = time.perf_counter()
        toks = segment(text)
        seconds["pipeline"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        ref = list(jieba.cut(text))
        seconds["jieba.cut"] += time.perf_counter() - t0
        for name, pred in (("pipeline", set(zip(toks.starts, toks.ends))), ("jieba.cut", _spans(ref))):
            c = counts[name]
            c[0] += len(pred & gold)
            c[1] += len(pred)
            c[2] += len(gold)
    table, scores = [], {}
    for name, (tp, n_pred, n_gold) in counts.items():
        p, r, f = prf(tp, n_pred, n_gold)
        table.append((name, p, r, f, f"{n_chars / max(seconds[name], 1e-9):,.0f}"))
        if name == "pipeline":
            scores["pku_f1"] = f
    print_table(f"seg (PKU test gold, {len(rows)} lines)", table, ("segmenter", "P", "R", "F1", "chars/s"))
    return scores


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    run(ap.parse_args(argv).quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
