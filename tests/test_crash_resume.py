"""A run killed at any moment leaves consistent tables, and the next run completes them.

SIGKILL at seeded random moments (like a power cut: the whole process group, or only the
main process with its pool workers left behind), then at each step of a batch commit
exactly (``PIPELINE_FAULT``). After every kill, what a reader sees holds no duplicated
or half-written rows; after the resumed run, the tables equal those of a run that was
never interrupted, table by table.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, page_variant, pipeline_cmd, pipeline_env, read_tables, run_cli

from pipeline.schema import TABLES

BAD_FILES = {"empty.txt": b"", "scan.pdf": b"%PDF-1.4\n"}


def make_raw(raw: Path, sample: str, n: int) -> None:
    raw.mkdir()
    for i in range(n):
        (raw / f"p{i:02d}.txt").write_text(page_variant(sample, i), encoding="utf-8")
    for name, data in BAD_FILES.items():
        (raw / name).write_bytes(data)


def assert_consistent(out: Path) -> dict[str, pd.DataFrame]:
    """Check what a reader sees now: unique keys, and every page complete or absent."""
    t = read_tables(out)
    for name, table in TABLES.items():
        if name in ("pages", "articles", "paragraphs", "sentences", "tokens"):
            dup = t[name].duplicated(list(table.key))
            assert not dup.any(), f"{name}: duplicated rows {t[name][dup].head(3).to_dict('records')}"
    pages, articles = t["pages"], t["articles"]
    assert set(articles.page_id) <= set(pages.page_id), "articles without their page"
    counts = articles.groupby("page_id").size()
    expected = pages.set_index("page_id").n_articles
    assert (counts.reindex(expected.index, fill_value=0) == expected).all(), "a page with part of its articles"
    assert set(t["sentences"].article_id) <= set(articles.article_id)
    assert set(t["tokens"].sentence_id) <= set(t["sentences"].sentence_id)
    return t


def assert_equal_tables(out: Path, reference: Path) -> None:
    got, want = assert_consistent(out), read_tables(reference)
    for name in want:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)


def test_killed_at_random_moments_then_resumed(tmp_path, sample_text):
    raw, out, reference = tmp_path / "raw", tmp_path / "out", tmp_path / "reference"
    make_raw(raw, sample_text, 30)
    rng = random.Random(20261124)
    kills, version, attempts = 0, 0, 0
    while kills < 10:
        attempts += 1
        assert attempts < 40, f"only {kills} kills landed mid-run in {attempts} attempts"
        workers = rng.choice(["1", "2"])
        proc = subprocess.Popen(
            pipeline_cmd("run", str(raw), "--out", str(out), "-q", "--batch-pages", "2", "--workers", workers),
            cwd=REPO, env=pipeline_env(PIPELINE_VERSION_SUFFIX=f"v{version}"),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )
        try:
            proc.wait(timeout=rng.uniform(0.4, 2.5))  # the random moment of the "power cut"
        except subprocess.TimeoutExpired:
            if workers == "2" and rng.random() < 0.5:
                os.kill(proc.pid, signal.SIGKILL)  # only the main process: its workers must not linger
            else:
                os.killpg(proc.pid, signal.SIGKILL)  # the whole run
            proc.wait(timeout=30)
            kills += 1
            assert_consistent(out)
            continue
        assert proc.returncode == 0, proc.stderr.read()
        version += 1  # finished before the kill: a new version makes the next run redo every page
    final = run_cli("run", str(raw), "--out", str(out), "-q", "--batch-pages", "2", PIPELINE_VERSION_SUFFIX=f"v{version}")
    assert final.returncode == 0, final.stderr
    ref = run_cli("run", str(raw), "--out", str(reference), "-q", PIPELINE_VERSION_SUFFIX=f"v{version}")
    assert ref.returncode == 0, ref.stderr
    assert_equal_tables(out, reference)
    assert len(read_tables(reference)["pages"]) == 30 + len(BAD_FILES)
    # nothing left behind: no temporary files, no part files of uncommitted batches
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".tmp-")]
    assert not leftovers


@pytest.fixture(scope="module")
def committed_v1(tmp_path_factory, sample_text):
    """A raw folder, its tables under version "a", and the reference tables under version "b"."""
    root = tmp_path_factory.mktemp("commit_steps")
    raw = root / "raw"
    make_raw(raw, sample_text, 8)
    first = run_cli("run", str(raw), "--out", str(root / "v1"), "-q", "--batch-pages", "3", PIPELINE_VERSION_SUFFIX="a")
    assert first.returncode == 0, first.stderr
    ref = run_cli("run", str(raw), "--out", str(root / "reference"), "-q", PIPELINE_VERSION_SUFFIX="b")
    assert ref.returncode == 0, ref.stderr
    return raw, root / "v1", root / "reference"


@pytest.mark.parametrize("point", ["parts_written", "rewritten", "committed", "published"])
def test_killed_at_each_step_of_a_commit(tmp_path, committed_v1, point):
    """The second commit of a version-change run (rows being replaced) is cut at ``point``."""
    raw, v1, reference = committed_v1
    out = tmp_path / "out"
    shutil.copytree(v1, out)
    cut = run_cli("run", str(raw), "--out", str(out), "-q", "--batch-pages", "3", "--workers", "1",
                  PIPELINE_VERSION_SUFFIX="b", PIPELINE_FAULT=f"{point}@2")
    assert cut.returncode == -signal.SIGKILL, cut.stderr
    if point != "published":  # killed before the old copies are deleted: readers see both until recovery
        assert_consistent(out)
    resumed = run_cli("run", str(raw), "--out", str(out), "-q", PIPELINE_VERSION_SUFFIX="b")
    assert resumed.returncode == 0, resumed.stderr
    assert "recovered from an interrupted run" in resumed.stderr
    # batch 1 (3 files) was committed; after "committed" and "published" batch 2 was too
    done = 3 if point in ("parts_written", "rewritten") else 6
    assert f"skipped {done} unchanged" in resumed.stdout
    assert_equal_tables(out, reference)
