"""Shared fixtures: the sample page, page variants, running the CLI, reading the tables back."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE_PAGE = REPO / "raw" / "000_99e740105b15f725.txt"


def page_variant(text: str, i: int) -> str:
    """Return a distinct but realistic copy of a page: its figures changed, its layout kept."""
    return text.replace("50多个", f"{50 + i}多个").replace("2万", f"{2 + i}万").replace("5月15日", f"5月{1 + i % 28}日")


def pipeline_env(**extra: str) -> dict[str, str]:
    """Return the environment for a ``python -m pipeline`` subprocess of this checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def pipeline_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args]


def run_cli(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    """Run ``python -m pipeline ARGS`` to completion and return the result (text output)."""
    return subprocess.run(
        pipeline_cmd(*args), cwd=REPO, env=pipeline_env(**env), capture_output=True, text=True, timeout=timeout
    )


def read_tables(out: Path) -> dict[str, pd.DataFrame]:
    """Read every table of ``out`` back, sorted by its key then every column (part file names do not matter)."""
    from pipeline.schema import TABLES

    tables = {}
    for name, table in TABLES.items():
        d = out / name
        # what pandas, pyarrow and DuckDB read: hidden and temporary files are not data
        files = sorted(f for f in d.glob("*.parquet") if not f.name.startswith((".", "_"))) if d.is_dir() else []
        df = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True) if files else pd.DataFrame(columns=table.names)
        order = list(table.key) + [c for c in df.columns if c not in table.key]
        tables[name] = df.sort_values(order, kind="stable").reset_index(drop=True)
    return tables


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE_PAGE.read_text(encoding="utf-8")


# Names used by the golden, offsets and end-to-end tests.
ROOT = REPO
SAMPLE = SAMPLE_PAGE
SAMPLE_ISSUE_DATE = date(2021, 5, 20)  # Workers' Daily, late May 2021 (the page's own dates run to 5月18日)


@pytest.fixture(scope="session")
def sample_tables(sample_text):
    import pipeline

    return pipeline.process_page(sample_text, source=str(SAMPLE))
