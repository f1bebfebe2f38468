"""The pandas and DuckDB examples of the README really run on `make run`'s output."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def readme_python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "read_parquet" in b]


@pytest.fixture(scope="module")
def output_dir(tmp_path_factory):
    work = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "raw", work / "raw")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "pipeline", "run", "raw", "--out", "output", "-q"], cwd=work, env=env, check=True)
    return work


@pytest.mark.parametrize("k", range(2))
def test_readme_example_runs(output_dir, k):
    blocks = readme_python_blocks()
    assert len(blocks) == 2, "the README shows one pandas and one DuckDB example"
    if "duckdb" in blocks[k]:
        pytest.importorskip("duckdb")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", blocks[k]], cwd=output_dir, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
