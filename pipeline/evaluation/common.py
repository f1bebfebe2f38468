"""Shared helpers of the evaluation sections: where the data is, floors, printing."""

from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLOORS_DIR = ROOT / "tests" / "floors"


def eval_dir() -> Path | None:
    """Return ``../shared/eval`` (or ``$PIPELINE_EVAL_DIR``) when present, else ``None``."""
    candidates = [os.environ.get("PIPELINE_EVAL_DIR"), ROOT.parent / "shared" / "eval"]
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c)
    return None


SKIP_LINE = "skipped: ../shared/eval/ is absent (set PIPELINE_EVAL_DIR to evaluate elsewhere)"


def read_jsonl(path: Path) -> list[dict]:
    """Read a (possibly gzipped) JSON-lines file."""
    import gzip

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_floors(section: str) -> dict[str, float]:
    """Return the pinned score floors of ``section`` (``tests/floors/<section>.json``)."""
    path = FLOORS_DIR / f"{section}.json"
    if not path.exists():
        return {}
    return {k: v for k, v in json.loads(path.read_text()).items() if not k.startswith("_")}


def raise_floors(section: str, scores: dict[str, float], *, margin: float = 0.0) -> dict[str, float]:
    """Raise pinned floors to ``score - margin`` where that is higher; never lower one.

    Floors are lower bounds for "higher is better" scores; keys ending in ``_max`` are
    upper bounds (lower is better) and only ever move down.
    """
    path = FLOORS_DIR / f"{section}.json"
    current = json.loads(path.read_text()) if path.exists() else {}
    for key, score in scores.items():
        if key.endswith("_max"):
            new = round(score + margin, 4)
            if key not in current or new < current[key]:
                current[key] = new
        else:
            new = round(score - margin, 4)
            if key not in current or new > current[key]:
                current[key] = new
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return current


def worst_of(*runs: dict[str, float]) -> dict[str, float]:
    """Per score, the worst value over several runs: the lowest, or the highest for a
    ``_max`` ceiling. Floors are raised from the worst of the full run (``make eval``) and
    the quick sample (``make test``), so a floor never sits above what either measures."""
    keys = set.intersection(*(set(r) for r in runs))
    return {k: (max if k.endswith("_max") else min)(r[k] for r in runs) for k in sorted(keys)}


def check_floors(section: str, scores: dict[str, float]) -> list[str]:
    """Return a message for every score that falls below (or above, for ``_max``) its floor."""
    failures = []
    for key, floor in load_floors(section).items():
        if key not in scores:
            failures.append(f"{section}.{key}: no score computed (floor {floor})")
        elif key.endswith("_max") and scores[key] > floor + 1e-9:
            failures.append(f"{section}.{key} = {scores[key]:.4f} > ceiling {floor}")
        elif not key.endswith("_max") and scores[key] < floor - 1e-9:
            failures.append(f"{section}.{key} = {scores[key]:.4f} < floor {floor}")
    return failures


def print_table(title: str, rows: list[tuple], header: tuple) -> None:
    """Print a plain fixed-width score table."""
    cells = [tuple(str(c) if not isinstance(c, float) else f"{c:.4f}" for c in r) for r in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) if cells else len(str(h)) for i, h in enumerate(header)]
    print(f"\n== {title}")
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths)))
    for r in cells:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Return precision, recall and F1 from counts."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f
