"""One run at a time per output folder: a second run refuses at once (exit 3) or waits with --wait."""

from __future__ import annotations

import fcntl
import subprocess
import time
from pathlib import Path

import pandas as pd
from conftest import REPO, page_variant, pipeline_cmd, pipeline_env, read_tables, run_cli

from pipeline import runner
from pipeline.cli import EXIT_LOCKED


def wait_until(condition, timeout: float, what: str) -> None:
    """Poll ``condition`` until it holds; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)


def start(*args: str, stderr: Path) -> subprocess.Popen:
    return subprocess.Popen(
        pipeline_cmd(*args), cwd=REPO, env=pipeline_env(), stdout=subprocess.PIPE,
        stderr=open(stderr, "w"), text=True,
    )


def make_raw(raw: Path, sample: str, n: int) -> None:
    raw.mkdir()
    for i in range(n):
        (raw / f"p{i:02d}.txt").write_text(page_variant(sample, i), encoding="utf-8")


def test_second_run_refuses_then_waits(tmp_path, sample_text):
    """The test holds the lock itself, so the timing is certain."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    make_raw(raw, sample_text, 2)
    (out / "_state").mkdir(parents=True)
    holder = open(out / "_state" / "lock", "a+")
    fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
    holder.write("pid 424242 on testhost since 2026-01-01 00:00:00\n")
    holder.flush()
    try:
        t0 = time.perf_counter()
        refused = run_cli("run", str(raw), "--out", str(out), "-q", timeout=30)
        assert refused.returncode == EXIT_LOCKED == 3
        assert "another run (pid 424242 on testhost" in refused.stderr
        assert "pass --wait" in refused.stderr
        assert time.perf_counter() - t0 < 10  # refuses at once, does not hang
        assert not (out / "pages").exists()

        waiter = start("run", str(raw), "--out", str(out), "-q", "--wait", stderr=tmp_path / "wait.err")
        wait_until(lambda: "waiting for it to finish" in (tmp_path / "wait.err").read_text(), 30, "the waiting message")
        assert waiter.poll() is None, "it must wait while the lock is held"
        assert not (out / "pages").exists()
    finally:
        fcntl.flock(holder, fcntl.LOCK_UN)
        holder.close()
    stdout, _ = waiter.communicate(timeout=60)
    assert waiter.returncode == 0, (tmp_path / "wait.err").read_text()
    assert "processed 2 page(s)" in stdout


def test_two_runs_at_once(tmp_path, sample_text):
    raw, out = tmp_path / "raw", tmp_path / "out"
    make_raw(raw, sample_text, 30)
    # small batches make the first run last a few seconds (a commit per page)
    first = start("run", str(raw), "--out", str(out), "-q", "--workers", "1", "--batch-pages", "1",
                  stderr=tmp_path / "first.err")
    lock = out / "_state" / "lock"
    wait_until(lambda: lock.exists() and f"pid {first.pid} " in lock.read_text(), 30, "the first run to take the lock")

    second = run_cli("run", str(raw), "--out", str(out), "-q", timeout=30)
    assert first.poll() is None, "the first run ended before the second started: make it longer"
    assert second.returncode == EXIT_LOCKED, second.stdout + second.stderr
    assert f"another run (pid {first.pid} " in second.stderr

    waiter = start("run", str(raw), "--out", str(out), "-q", "--wait", stderr=tmp_path / "wait.err")
    first_out, _ = first.communicate(timeout=120)
    assert first.returncode == 0, (tmp_path / "first.err").read_text()
    assert "processed 30 page(s)" in first_out
    waiter_out, _ = waiter.communicate(timeout=60)
    assert waiter.returncode == 0, (tmp_path / "wait.err").read_text()
    assert "processed 0 page(s), skipped 30 unchanged" in waiter_out  # it ran after the first

    # the refused run changed nothing: the tables equal those of a run on its own
    reference = tmp_path / "reference"
    runner.run(raw, reference, workers=1)
    got, want = read_tables(out), read_tables(reference)
    for name in want:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)
