"""Evaluation section "reprints": cross-page reprint detection with :mod:`pipeline.reprints`.

Synthetic pages (gold articles of real pages cut into pages of at most 3 articles) get
planted cross-page reprints: an article of an earlier page printed again, with some ASCII
punctuation and often cut off part-way. Every article's gold body is fingerprinted and
checked against a :class:`~pipeline.reprints.ReprintIndex` of everything before it, then
added. This measures the detector alone, independent of the cleaner.

* ``recall``: planted reprints (long enough to fingerprint) matched to their source article;
* ``false_pairs_max``: matches between different source articles whose full texts do not
  share ``THRESHOLD`` of their shingles (must stay 0); genuine duplicates printed by the
  newspaper under two ids are counted and listed apart (``real_duplicate_pairs``);
* per-page check time (fingerprints + lookup) of the same 100 probe pages with 100 and
  with 1,000 pages indexed; ``time_ratio_max`` is their ratio (flat means about 1).

    python -m pipeline.evaluation.reprints [--quick] [--pages N] [--raise-floors]
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from pipeline.evaluation.common import (
    SKIP_LINE,
    check_floors,
    eval_dir,
    load_floors,
    print_table,
    raise_floors,
)
from pipeline.evaluation.synth import GoldArticle, SynthPage, load_articles, make_pages
from pipeline.reprints import MIN_CHARS, THRESHOLD, ReprintIndex, containment, kgram_hashes, normalise

SECTION = "reprints"
FULL_PAGES = 1200
QUICK_PAGES = 1200  # the timing needs 1,000 indexed pages plus probes; the run takes seconds
PROBES = 100
SEED = 1
REPRINT_PROB = 0.3
SCORES = ("recall", "false_pairs_max", "time_ratio_max")


def body(a: GoldArticle) -> str:
    """Return the article body as the detector sees it."""
    return "\n".join(a.paragraphs)


def exact_containment(a: str, b: str) -> float:
    """Return the share of the smaller text's k-grams found in the other (no sampling)."""
    x, y = np.unique(kgram_hashes(normalise(a))), np.unique(kgram_hashes(normalise(b)))
    return containment(x, y)


def page_check_seconds(index: ReprintIndex, pages: list[SynthPage]) -> float:
    """Return the mean time to fingerprint and check every article of one page."""
    t0 = time.perf_counter()
    for page in pages:
        for a in page.articles:
            index.check(index.fingerprints(body(a)))
    return (time.perf_counter() - t0) / max(1, len(pages))


def evaluate(pages: list[SynthPage]) -> dict:
    """Run the detector over ``pages`` in order; return counts, listed pairs and timings."""
    index = ReprintIndex()
    texts: dict[str, str] = {}
    out = {
        "planted": 0,
        "planted_short": 0,
        "found": 0,
        "matches": 0,
        "same_source": 0,
        "false_pairs": [],
        "real_pairs": [],
        "missed": [],
        "t100": 0.0,
        "t1000": 0.0,
    }
    probes = pages[-PROBES:] if len(pages) >= 1000 + PROBES else []
    indexed = pages[: len(pages) - len(probes)]
    for n, page in enumerate(indexed):
        if probes and n == 100:
            out["t100"] = page_check_seconds(index, probes)
        if probes and n == 1000:
            out["t1000"] = page_check_seconds(index, probes)
        for ai, a in enumerate(page.articles):
            key = f"{page.key}|{ai}|{a.id}"
            text = body(a)
            fps = index.fingerprints(text)
            hit = index.check(fps)
            planted = a.reprint_of is not None
            if planted and len(normalise(text)) < MIN_CHARS:
                out["planted_short"] += 1
                planted = False
            out["planted"] += planted
            if hit is not None:
                out["matches"] += 1
                other_id = hit[0].rsplit("|", 1)[1]
                if other_id == a.id:
                    out["same_source"] += 1
                    out["found"] += planted
                elif exact_containment(text, texts[hit[0]]) >= THRESHOLD:
                    out["real_pairs"].append((a.id, other_id, hit[1]))
                    out["found"] += planted
                else:
                    out["false_pairs"].append((a.id, other_id, hit[1]))
            elif planted:
                out["missed"].append((a.id, a.reprint_of))
            if len(fps):
                texts[key] = text
            index.add(key, fps)
    out["indexed_articles"] = len(index)
    return out


def build_pages(n_pages: int) -> list[SynthPage]:
    """Generate pages with planted cross-page reprints (``[]`` without eval data)."""
    articles = load_articles()
    if not articles:
        return []
    return make_pages(
        articles,
        n_pages,
        seed=SEED,
        cross_reprint_prob=REPRINT_PROB,
        max_articles=3,
        reprint_prob=0.0,
        repeat_prob=0.0,
    )


def run(quick: bool = False, n_pages: int | None = None) -> dict[str, float]:
    """Score the reprint detector and print the table; ``{}`` when skipped."""
    if eval_dir() is None:
        print(SKIP_LINE)
        return {}
    pages = build_pages(n_pages or (QUICK_PAGES if quick else FULL_PAGES))
    if not pages:
        print(SKIP_LINE)
        return {}
    r = evaluate(pages)
    recall = r["found"] / r["planted"] if r["planted"] else 1.0
    ratio = r["t1000"] / r["t100"] if r["t100"] else 0.0
    scores = {
        "recall": recall,
        "false_pairs_max": float(len(r["false_pairs"])),
        "time_ratio_max": ratio,
        "real_duplicate_pairs": float(len(r["real_pairs"])),
        "ms_per_page_at_100": r["t100"] * 1000,
        "ms_per_page_at_1000": r["t1000"] * 1000,
    }
    floors = load_floors(SECTION)
    rows = [
        (
            "recall",
            recall,
            floors.get("recall", ""),
            f"{r['found']}/{r['planted']} (+{r['planted_short']} too short)",
        ),
        (
            "false_pairs_max",
            scores["false_pairs_max"],
            floors.get("false_pairs_max", ""),
            f"of {r['matches']} matches",
        ),
        ("real_duplicate_pairs", scores["real_duplicate_pairs"], "", "same text under two ids"),
        ("ms_per_page_at_100", scores["ms_per_page_at_100"], "", f"{PROBES} probe pages"),
        ("ms_per_page_at_1000", scores["ms_per_page_at_1000"], "", f"{PROBES} probe pages"),
        ("time_ratio_max", ratio, floors.get("time_ratio_max", ""), "1000 / 100"),
    ]
    print_table(
        f"reprints ({len(pages)} pages, {r['indexed_articles']} articles indexed)",
        rows,
        ("score", "value", "floor", "count"),
    )
    for kind in ("false_pairs", "real_pairs", "missed"):
        for item in r[kind][:10]:
            print(f"  {kind}: {item}")
    return scores


def main(argv: list[str] | None = None) -> int:
    """Command line: print the section's scores; non-zero exit when a floor fails."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument(
        "--pages", type=int, default=None, help="number of generated pages (>= 1,100 for timings)"
    )
    ap.add_argument(
        "--raise-floors", action="store_true", help="raise tests/floors/reprints.json to these scores"
    )
    a = ap.parse_args(argv)
    scores = run(a.quick, a.pages)
    if not scores:
        return 0
    pinned = {k: v for k, v in scores.items() if k in SCORES}
    if a.raise_floors:
        print(
            "floors now:", raise_floors(SECTION, {k: v for k, v in pinned.items() if k != "time_ratio_max"})
        )
    failures = check_floors(SECTION, pinned)
    for f in failures:
        print("FLOOR", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
