"""`python -m pipeline run` on a folder: all tables written, reruns add nothing, bad pages quarantined."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "tests" / "golden" / "contract_columns.txt"


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def read_all(out: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(out / name) for name in TABLES}


def sorted_frame(df: pd.DataFrame, table: str) -> pd.DataFrame:
    key = list(TABLES[table].key)
    return df.sort_values(key).reset_index(drop=True)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    out = tmp_path_factory.mktemp("out")
    shutil.copy(ROOT / "raw" / "000_99e740105b15f725.txt", raw / "000_99e740105b15f725.txt")
    (raw / "random.txt").write_bytes(bytes(range(256)) * 40)
    done = run_cli("run", str(raw), "--out", str(out), "-q")
    return raw, out, done


def test_run_completes_and_reports(first_run):
    _, _, done = first_run
    assert done.returncode == 0, done.stderr
    assert re.search(r"processed 1 page\(s\), skipped 0 unchanged, quarantined 1", done.stdout)


def test_every_contract_table_and_column_is_written(first_run):
    _, out, _ = first_run
    required = {}
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            table, cols = line.split(":", 1)
            required[table.strip()] = [c.strip() for c in cols.split(",")]
    assert len(required) == 11
    tables = read_all(out)
    for table, cols in required.items():
        assert set(cols) <= set(tables[table].columns), (table, set(cols) - set(tables[table].columns))
    for table in ("pages", "articles", "paragraphs", "sentences", "tokens", "credits", "removed"):
        assert len(tables[table]) > 0, table


def test_undecodable_page_is_quarantined_with_a_reason(first_run):
    _, out, _ = first_run
    pages = pd.read_parquet(out / "pages")
    bad = pages[pages.source_path.str.endswith("random.txt")].iloc[0]
    assert bad.status == "quarantined"
    assert "binary" in bad.error or "decode" in bad.error
    good = pages[pages.source_path.str.endswith("000_99e740105b15f725.txt")].iloc[0]
    assert good.status == "ok" and good.n_articles in (7, 8)


def test_rerun_processes_nothing_and_changes_nothing(first_run):
    raw, out, _ = first_run
    before = read_all(out)
    again = run_cli("run", str(raw), "--out", str(out), "-q")
    assert again.returncode == 0
    assert "processed 0 page(s), skipped 2 unchanged" in again.stdout
    after = read_all(out)
    for name in TABLES:
        pd.testing.assert_frame_equal(sorted_frame(before[name], name), sorted_frame(after[name], name))


def test_new_page_adds_only_its_rows(first_run, tmp_path):
    raw, out, _ = first_run
    work_raw, work_out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(raw, work_raw)
    shutil.copytree(out, work_out)
    before = read_all(work_out)
    text = (ROOT / "raw" / "000_99e740105b15f725.txt").read_text(encoding="utf-8")
    (work_raw / "001_new.txt").write_text(text.replace("嘉兴", "湖州"), encoding="utf-8")
    done = run_cli("run", str(work_raw), "--out", str(work_out), "-q")
    assert "processed 1 page(s), skipped 2 unchanged" in done.stdout
    after = read_all(work_out)
    assert len(after["pages"]) == len(before["pages"]) + 1
    assert len(after["articles"]) == 2 * len(before["articles"])
    assert not after["articles"].article_id.duplicated().any()


def test_tables_load_in_duckdb(first_run):
    duckdb = pytest.importorskip("duckdb")
    _, out, _ = first_run
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/articles/*.parquet')").fetchall()[0][0]
    assert n in (7, 8)


def test_missing_raw_folder_is_a_usage_error(tmp_path):
    done = run_cli("run", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "raw folder not found" in done.stderr


def test_stage_commands_print_their_stage():
    page = "raw/000_99e740105b15f725.txt"
    clean = run_cli("clean", page)
    assert clean.returncode == 0 and "能量站”各类站点50多个" in clean.stdout
    arts = run_cli("articles", page)
    assert arts.returncode == 0 and "byline: 本报讯（记者邹倜然 通讯员邱一梅）" in arts.stdout
