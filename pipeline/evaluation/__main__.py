"""``python -m pipeline.evaluation [--quick] [SECTION ...]``: every evaluation section in one run.

Sections: clean, reprints, entities, numbers, seg. Each prints its own score table and
checks its floors (tests/floors/<section>.json); the exit code is 1 when a full-mode
score falls below a pinned floor.
"""

from __future__ import annotations

import argparse
import importlib
import inspect

from pipeline.evaluation.common import SKIP_LINE, check_floors, eval_dir

SECTIONS = ("clean", "reprints", "entities", "numbers", "seg")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sections", nargs="*", choices=[*SECTIONS, []], help="sections to run (default: all)")
    ap.add_argument("--quick", action="store_true", help="the small samples that make test uses")
    args = ap.parse_args(argv)
    if eval_dir() is None:
        print(SKIP_LINE)
        return 0
    failures: list[str] = []
    for name in args.sections or SECTIONS:
        module = importlib.import_module(f"pipeline.evaluation.{name}")
        params = inspect.signature(module.run).parameters
        scores = module.run(quick=args.quick) if "quick" in params else module.run()
        if not args.quick:
            failures += check_floors(name, scores)
    for line in failures:
        print(f"BELOW FLOOR {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
