"""Bad input never stops a run: the input battery of issue 7, end to end.

A folder holding every kind of file that ends up in raw/ (legacy encodings, binaries,
empty files, a 200 MB dump, symlink loops, a pipe) goes through ``python -m pipeline run``:
every readable page is processed with the same articles whatever its encoding, every bad
one is a quarantined row with its reason, and the run exits 0.
"""

from __future__ import annotations

import codecs
import os
import random
import time
import tracemalloc
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from conftest import page_variant, read_tables, run_cli

from pipeline import api, runner
from pipeline.ingest import PageTooLarge, read_page_bytes

TRADITIONAL = (Path(__file__).parent / "data" / "traditional_page.txt").read_text(encoding="utf-8")

# Columns that describe an article whatever bytes it came from (ids derive from the bytes).
ARTICLE_COLS = ["seq", "kind", "kicker", "title", "subtitle", "byline", "text", "raw_start", "raw_end"]
SENTENCE_COLS = ["paragraph_seq", "seq", "text", "start", "end", "raw_start", "raw_end"]
TOKEN_COLS = ["seq", "word", "pos", "start", "end"]

MIB = 2**20


def good_pages(sample: str) -> dict[str, tuple[bytes, str]]:
    """Return file name -> (bytes, expected pages.encoding) of the readable pages."""
    utf8 = sample.encode("utf-8")
    mixed = "".join(line + ("\r\n", "\r", "\n")[i % 3] for i, line in enumerate(sample.split("\n")))
    return {
        "utf8.txt": (utf8, "utf-8"),
        "utf8_bom.txt": (codecs.BOM_UTF8 + utf8, "utf-8-sig"),
        "gb18030.txt": (sample.encode("gb18030"), "gb18030"),
        "gbk_variant.txt": (page_variant(sample, 1).encode("gbk"), "gb18030"),
        "utf16le_bom.txt": (codecs.BOM_UTF16_LE + sample.encode("utf-16-le"), "utf-16-le"),
        "utf16be_bom.txt": (codecs.BOM_UTF16_BE + sample.encode("utf-16-be"), "utf-16-be"),
        "utf16le_no_bom.txt": (sample.encode("utf-16-le"), "utf-16-le"),
        "crlf.txt": (sample.replace("\n", "\r\n").encode(), "utf-8"),
        "cr.txt": (sample.replace("\n", "\r").encode(), "utf-8"),
        "mixed_eol.txt": (mixed.encode(), "utf-8"),
        "nul_bytes.txt": (sample.replace("。", "。\x00").encode() + b"\x00" * 512, "utf-8"),
        "cut_mid_character.txt": (page_variant(sample, 2).encode()[:-1], "utf-8"),
        "traditional_big5.txt": (TRADITIONAL.encode("big5"), "big5"),
        "traditional_utf8.txt": (TRADITIONAL.encode("utf-8"), "utf-8"),
        "2021-05-20/p03.txt": (page_variant(sample, 3).encode(), "utf-8"),
    }


# File name -> (bytes, words the quarantine reason must contain). The 200 MB dump is made
# sparse by the test; it must be refused from its size alone.
BAD_PAGES = {
    "scan.pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF document"),
    "photo.png": (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG image"),
    "photo.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200), "JPEG image"),
    "pages.zip": (b"PK\x03\x04\x14\x00\x00\x00" + bytes(200), "ZIP archive"),
    "empty.txt": (b"", "empty file"),
    "blank.txt": (" \r\n\t\n\u3000\n".encode(), "no text: only spaces, line breaks or NUL bytes"),
    "nul_only.txt": (b"\x00" * 4096, "no text: only spaces, line breaks or NUL bytes"),
    "random.bin": (random.Random(7).randbytes(30000), "binary file"),
    "english.txt": (b"Minutes of the meeting\nAll present.\n", "no Chinese characters"),
    "dump_200mb.txt": (None, "too large"),
}
NOT_PAGE_FILES = {"loop_a.txt": "symbolic link loop", "loop_b.txt": "symbolic link loop",
                  "dangling.txt": "broken symbolic link", "pipe.txt": "not a regular file",
                  "sub/up": "symbolic link to a folder"}


def build_battery(raw: Path, sample: str) -> None:
    """Write every kind of input of issue 7 into ``raw``."""
    for name, (data, _) in {**good_pages(sample), **BAD_PAGES}.items():
        path = raw / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is None:  # 200 MB without line breaks, sparse: cheap to make
            with open(path, "wb") as fh:
                fh.write("本报讯".encode() * 1000)
                fh.truncate(200 * MIB)
        else:
            path.write_bytes(data)
    (raw / "sub").mkdir()
    os.symlink("loop_b.txt", raw / "loop_a.txt")
    os.symlink("loop_a.txt", raw / "loop_b.txt")
    os.symlink("does-not-exist.txt", raw / "dangling.txt")
    os.symlink("..", raw / "sub" / "up")
    os.mkfifo(raw / "pipe.txt")


def rows_of(tables: dict[str, pd.DataFrame], source: Path) -> dict[str, pd.DataFrame]:
    """Return the articles, sentences and tokens of one source file, ids dropped."""
    page = tables["pages"]
    (page_id,) = page.loc[page.source_path == str(source), "page_id"]
    arts = tables["articles"][tables["articles"].page_id == page_id]
    ids = set(arts.article_id)
    sents = tables["sentences"][tables["sentences"].article_id.isin(ids)]
    toks = tables["tokens"][tables["tokens"].article_id.isin(ids)]
    return {
        "articles": arts[ARTICLE_COLS].sort_values("seq").reset_index(drop=True),
        "sentences": sents.sort_values("sentence_id")[SENTENCE_COLS].reset_index(drop=True),
        "tokens": toks.sort_values(["sentence_id", "seq"])[TOKEN_COLS].reset_index(drop=True),
    }


@pytest.fixture(scope="module")
def battery(tmp_path_factory, sample_text):
    """Build the battery and run the pipeline on it once (a subprocess, as a user would)."""
    root = tmp_path_factory.mktemp("battery")
    raw, out = root / "raw", root / "out"
    raw.mkdir()
    build_battery(raw, sample_text)
    t0 = time.perf_counter()
    result = run_cli("run", str(raw), "--out", str(out), "--workers", "2", "-q")
    seconds = time.perf_counter() - t0
    return raw, out, result, seconds


def test_battery_run_completes_and_reports(battery, sample_text):
    raw, out, result, seconds = battery
    assert result.returncode == 0, result.stderr
    n_good, n_bad = len(good_pages(sample_text)), len(BAD_PAGES)
    assert f"processed {n_good} page(s), skipped 0 unchanged, quarantined {n_bad}," in result.stdout
    assert f"\n{len(NOT_PAGE_FILES)} path(s) ignored that are not page files\n" in result.stdout
    for name, (_, reason) in BAD_PAGES.items():
        assert f"quarantined {raw / name}: " in result.stdout
        assert reason in result.stdout
    for name, reason in NOT_PAGE_FILES.items():
        assert f"ignored {raw / name}: {reason}" in result.stdout
    assert seconds < 30, f"the battery took {seconds:.1f}s"


def test_battery_every_good_page_processed(battery, sample_text):
    raw, out, _, _ = battery
    pages = read_tables(out)["pages"].set_index("source_path")
    for name, (_, encoding) in good_pages(sample_text).items():
        row = pages.loc[str(raw / name)]
        assert row.status == "ok" and pd.isna(row.error), (name, row.error)
        assert row.encoding == encoding, name
        assert row.n_articles > 0, name
    assert pages.loc[str(raw / "2021-05-20/p03.txt")].page_no == 3
    assert str(pages.loc[str(raw / "2021-05-20/p03.txt")].issue_date) == "2021-05-20"


def test_battery_every_bad_page_quarantined_with_reason(battery):
    raw, out, _, _ = battery
    tables = read_tables(out)
    pages = tables["pages"].set_index("source_path")
    for name, (_, reason) in BAD_PAGES.items():
        row = pages.loc[str(raw / name)]
        assert row.status == "quarantined", name
        assert reason in row.error, (name, row.error)
        assert row.n_articles == 0
    assert "200.0 MiB > 32 MiB limit" in pages.loc[str(raw / "dump_200mb.txt")].error
    assert pd.isna(pages.loc[str(raw / "dump_200mb.txt")].sha256)  # never read, so never hashed
    for name in NOT_PAGE_FILES:
        assert str(raw / name) not in pages.index
    assert len(pages) == len(tables["pages"])  # one row per file, bad ones included
    quarantined = set(tables["pages"].page_id[tables["pages"].status == "quarantined"])
    assert not quarantined & set(tables["articles"].page_id)


@pytest.mark.parametrize(
    "copy",
    ["utf8_bom.txt", "gb18030.txt", "utf16le_bom.txt", "utf16be_bom.txt", "utf16le_no_bom.txt", "nul_bytes.txt"],
)
def test_battery_encodings_give_identical_articles(battery, copy):
    raw, out, _, _ = battery
    tables = read_tables(out)
    want, got = rows_of(tables, raw / "utf8.txt"), rows_of(tables, raw / copy)
    assert len(want["articles"]) >= 5
    for name in want:
        pd.testing.assert_frame_equal(got[name], want[name], obj=f"{copy} {name}")


@pytest.mark.parametrize("copy", ["crlf.txt", "cr.txt", "mixed_eol.txt"])
def test_battery_line_endings_give_identical_articles(battery, copy):
    """CRLF and CR pages have other raw offsets (CRLF is two characters) but the same text."""
    raw, out, _, _ = battery
    tables = read_tables(out)
    want, got = rows_of(tables, raw / "utf8.txt"), rows_of(tables, raw / copy)
    for name in want:
        cols = [c for c in want[name].columns if not c.startswith("raw_")]
        pd.testing.assert_frame_equal(got[name][cols], want[name][cols], obj=f"{copy} {name}")


def test_battery_big5_traditional_page(battery):
    raw, out, _, _ = battery
    tables = read_tables(out)
    want, got = rows_of(tables, raw / "traditional_utf8.txt"), rows_of(tables, raw / "traditional_big5.txt")
    assert "臺北市" in "".join(got["articles"].text)
    for name in want:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)


def test_battery_rerun_skips_everything_and_strict_fails(battery, sample_text):
    raw, out, _, _ = battery
    before = read_tables(out)
    result = run_cli("run", str(raw), "--out", str(out), "--strict", "-q")
    n_files = len(good_pages(sample_text)) + len(BAD_PAGES)
    assert f"processed 0 page(s), skipped {n_files} unchanged, quarantined 0," in result.stdout
    assert f"{len(BAD_PAGES)} unchanged page(s) remain quarantined from earlier runs" in result.stdout
    assert result.returncode == 1, "--strict: quarantined pages make CI fail, on reruns too"
    assert f"--strict: {len(BAD_PAGES)} page(s) quarantined" in result.stderr
    after = read_tables(out)
    for name in before:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)


def test_strict_passes_on_clean_input(tmp_path, sample_text):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "page.txt").write_text(sample_text, encoding="utf-8")
    result = run_cli("run", str(raw), "--out", str(tmp_path / "out"), "--strict", "-q")
    assert result.returncode == 0, result.stderr
    assert "processed 1 page(s), skipped 0 unchanged, quarantined 0," in result.stdout


def test_too_large_refused_from_its_size_without_reading(tmp_path):
    path = tmp_path / "dump.txt"
    with open(path, "wb") as fh:
        fh.truncate(200 * MIB)
    tracemalloc.start()
    t0 = time.perf_counter()
    outcome = runner.process_file(str(path))
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert outcome.status == "quarantined"
    assert outcome.error.startswith("file too large for one page: 200.0 MiB > 32 MiB limit")
    assert peak < 5 * MIB, f"peak {peak / MIB:.1f} MiB: the file was read"
    assert seconds < 1.0


def test_max_mb_is_configurable(tmp_path, sample_text, monkeypatch):
    path = tmp_path / "raw" / "page.txt"
    path.parent.mkdir()
    path.write_text(sample_text * 100, encoding="utf-8")  # ~1.6 MB
    monkeypatch.setenv("PIPELINE_MAX_MB", "1")
    with pytest.raises(PageTooLarge, match=r"1\.6 MiB > 1 MiB limit"):
        read_page_bytes(path)
    monkeypatch.setenv("PIPELINE_MAX_MB", "2")
    assert len(read_page_bytes(path)[0]) == path.stat().st_size
    result = run_cli("run", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--max-mb", "1", "-q")
    assert "quarantined 1," in result.stdout and "1.6 MiB > 1 MiB limit" in result.stdout
    # raising the limit lets the page through on the next run (it was not skipped as unchanged)
    summary = runner.run(tmp_path / "raw", tmp_path / "out", workers=1)
    assert (summary.processed, summary.skipped, summary.quarantined) == (1, 0, 0)
    pages = read_tables(tmp_path / "out")["pages"]
    assert list(pages.status) == ["ok"]


def test_output_folder_inside_raw_is_not_read(tmp_path, sample_text):
    (tmp_path / "page.txt").write_text(sample_text, encoding="utf-8")
    for _ in range(2):
        summary = runner.run(tmp_path, tmp_path / "out", workers=1)
        assert summary.quarantined == 0
    assert (str(tmp_path / "out"), "an output folder of the pipeline: not read as pages") in summary.ignored
    assert len(read_tables(tmp_path / "out")["pages"]) == 1


def test_five_million_characters_on_one_line_are_processed(tmp_path, sample_text):
    """A dump without line breaks under the size limit is processed, not refused."""
    flat = sample_text.replace("\n", "")
    path = tmp_path / "one_line.txt"
    path.write_text((flat * (5_000_000 // len(flat) + 1))[:5_000_000], encoding="utf-8")
    t0 = time.perf_counter()
    outcome = runner.process_file(str(path))
    seconds = time.perf_counter() - t0
    assert outcome.status == "ok", outcome.error
    pages = outcome.tables["pages"].to_pylist()
    assert pages[0]["n_chars_raw"] == 5_000_000 and pages[0]["n_articles"] >= 1
    assert outcome.tables["tokens"].num_rows > 1_000_000
    assert seconds < 90, f"5M characters took {seconds:.1f}s"


# --- files that change under the run, and reruns -----------------------------------------


def run_in_process(raw: Path, out: Path, **kw) -> runner.RunSummary:
    return runner.run(raw, out, workers=1, engine="serial", batch_pages=kw.pop("batch_pages", 1), **kw)


# Which copy of a reprinted article is "the first printing" depends on the order pages were
# processed in, so a history of runs may mark the other copy than a fresh run does.
REPRINT_COLUMNS = ["duplicate_of", "duplicate_score"]


def assert_same_tables(out: Path, reference: Path) -> None:
    got, want = read_tables(out), read_tables(reference)
    for name in want:
        drop = [c for c in REPRINT_COLUMNS if c in want[name]]
        pd.testing.assert_frame_equal(got[name].drop(columns=drop), want[name].drop(columns=drop), obj=name)


def fresh_run(raw: Path, tmp_path: Path, name: str = "reference") -> Path:
    """Run from scratch on ``raw`` into a new folder; return it (what the tables should be)."""
    out = tmp_path / name
    run_in_process(raw, out)
    return out


def write_pages(raw: Path, sample: str, n: int) -> list[Path]:
    raw.mkdir(exist_ok=True)
    paths = []
    for i in range(n):
        paths.append(raw / f"p{i:02d}.txt")
        paths[-1].write_text(page_variant(sample, i), encoding="utf-8")
    return paths


def test_unreadable_file_quarantined_then_retried_and_rows_kept(tmp_path, sample_text, monkeypatch):
    """Permission errors cannot be made as root, so reading is made to fail the way it would."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    a, b, c = write_pages(raw, sample_text, 3)
    real = runner.read_page_bytes
    locked = {str(b)}

    def read(path, limit=None):
        if str(path) in locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, limit)

    monkeypatch.setattr(runner, "read_page_bytes", read)
    summary = run_in_process(raw, out)
    assert (summary.processed, summary.quarantined) == (2, 1)
    pages = read_tables(out)["pages"].set_index("source_path")
    assert pages.loc[str(b)].status == "quarantined"
    assert pages.loc[str(b)].error == "cannot read file: permission denied"
    assert pd.isna(pages.loc[str(b)].sha256)

    locked.clear()  # permissions fixed: chmod does not change mtime, the file is retried anyway
    summary = run_in_process(raw, out)
    assert (summary.processed, summary.skipped, summary.quarantined) == (1, 2, 0)
    assert_same_tables(out, fresh_run(raw, tmp_path))

    # a page read before is edited and becomes unreadable: its rows are kept, not lost
    c.write_text(page_variant(sample_text, 40), encoding="utf-8")
    locked.add(str(c))
    summary = run_in_process(raw, out)
    assert summary.kept == [(str(c), "cannot read file: permission denied")]
    assert summary.quarantined == 0
    assert_same_tables(out, tmp_path / "reference")


def test_file_removed_during_the_run(tmp_path, sample_text, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "out"
    paths = write_pages(raw, sample_text, 4)
    real_plan = runner.plan

    def plan_then_remove(*args, **kw):
        todo = real_plan(*args, **kw)
        paths[2].unlink()  # listed and planned, gone before it is read
        return todo

    monkeypatch.setattr(runner, "plan", plan_then_remove)
    summary = run_in_process(raw, out)
    assert summary.vanished == [str(paths[2])]
    assert (summary.processed, summary.quarantined) == (3, 0)
    assert str(paths[2]) not in set(read_tables(out)["pages"].source_path)
    monkeypatch.setattr(runner, "plan", real_plan)
    assert_same_tables(out, fresh_run(raw, tmp_path))


def test_same_bytes_under_two_names_then_original_edited(tmp_path, sample_text):
    """The copy holds no rows of its own; when the original changes, the copy's rows appear."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    a, b = write_pages(raw, sample_text, 2)
    copy = raw / "z_copy_of_p00.txt"
    copy.write_bytes(a.read_bytes())
    summary = run_in_process(raw, out)
    assert summary.processed == 3
    tables = read_tables(out)
    assert tables["pages"].page_id.is_unique and tables["articles"].article_id.is_unique
    assert len(tables["pages"]) == 2  # one row per distinct page

    a.write_text(page_variant(sample_text, 20), encoding="utf-8")
    run_in_process(raw, out)
    tables = read_tables(out)
    assert str(copy) in set(tables["pages"].source_path)
    assert_same_tables(out, fresh_run(raw, tmp_path))


@pytest.mark.parametrize("batch_pages", [1, 10])
def test_rename_and_swap_never_duplicate_or_lose_rows(tmp_path, sample_text, batch_pages):
    raw, out = tmp_path / "raw", tmp_path / "out"
    p = write_pages(raw, sample_text, 5)
    run_in_process(raw, out, batch_pages=batch_pages)
    # p00's bytes move to a new name that sorts first, p00 gets new content; p01 and p02 swap
    (raw / "a_moved.txt").write_bytes(p[0].read_bytes())
    p[0].write_text(page_variant(sample_text, 30), encoding="utf-8")
    b1, b2 = p[1].read_bytes(), p[2].read_bytes()
    p[1].write_bytes(b2)
    p[2].write_bytes(b1)
    p[4].unlink()  # a removed raw file keeps its rows (the contract only adds and replaces)
    run_in_process(raw, out, batch_pages=batch_pages)
    tables = read_tables(out)
    for name, key in [("pages", "page_id"), ("articles", "article_id"), ("sentences", "sentence_id")]:
        assert tables[name][key].is_unique, name
    p[4].write_text(page_variant(sample_text, 4), encoding="utf-8")
    assert_same_tables(out, fresh_run(raw, tmp_path))


def test_version_change_replaces_rows_never_appends(tmp_path, sample_text, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_pages(raw, sample_text, 4)
    (raw / "empty.txt").write_bytes(b"")
    monkeypatch.setattr(runner, "VERSION_KEY", "test+a")
    first = run_in_process(raw, out, batch_pages=2)
    assert (first.processed, first.skipped, first.quarantined) == (4, 0, 1)
    before = read_tables(out)
    assert (run_in_process(raw, out).skipped) == 5
    monkeypatch.setattr(runner, "VERSION_KEY", "test+b")  # a new pipeline or schema version
    bumped = run_in_process(raw, out, batch_pages=3)
    assert (bumped.processed, bumped.skipped, bumped.quarantined) == (4, 0, 1)
    after = read_tables(out)
    for name in before:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)
    forced = run_in_process(raw, out, force=True)
    assert forced.processed == 4
    after = read_tables(out)
    for name in before:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)
    # the replaced batches' files are gone, not just hidden: one part per batch of the last run
    assert len(list((out / "pages").glob("*.parquet"))) == 5


def test_version_suffix_from_the_environment(tmp_path, sample_text):
    raw = tmp_path / "raw"
    write_pages(raw, sample_text, 2)
    out = tmp_path / "out"
    assert "processed 2 page(s)" in run_cli("run", str(raw), "--out", str(out), "-q").stdout
    bumped = run_cli("run", str(raw), "--out", str(out), "-q", PIPELINE_VERSION_SUFFIX="rebuild1")
    assert "processed 2 page(s), skipped 0 unchanged" in bumped.stdout
    assert len(read_tables(out)["articles"]) == len(read_tables(fresh_run(raw, tmp_path))["articles"])


def test_a_stage_that_raises_quarantines_only_that_page(tmp_path, sample_text, monkeypatch):
    raw = tmp_path / "raw"
    a, b = write_pages(raw, sample_text, 2)
    real = api.clean_page
    b_text = b.read_text(encoding="utf-8")

    def flaky(text):  # the pages go through each stage as one batch: only b's fails
        if text == b_text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(text)

    monkeypatch.setattr(api, "clean_page", flaky)
    summary = run_in_process(raw, tmp_path / "out")
    assert (summary.processed, summary.quarantined) == (1, 1)
    assert summary.quarantine_reasons == [(str(b), "pipeline error: RecursionError: maximum recursion depth exceeded")]


def test_unlistable_folder_is_reported_not_fatal(tmp_path, sample_text, monkeypatch):
    raw = tmp_path / "raw"
    write_pages(raw, sample_text, 1)
    (raw / "locked").mkdir()
    (raw / "locked" / "p.txt").write_text(sample_text, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):  # what a folder without read permission does (not as root)
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    problems: list = []
    assert runner.discover(raw, problems) == [raw / "p00.txt"]
    assert problems == [(str(raw / "locked"), "cannot list folder: Permission denied")]


def test_rows_of_an_older_schema_are_carried_into_the_current_one():
    """Rewriting a batch after a schema change keeps the other pages' rows in the new schema."""
    from pipeline.schema import TABLES
    from pipeline.store import _conform

    schema = TABLES["removed"].schema
    old = pa.table({
        "page_id": ["p1"], "raw_start": pa.array([3], pa.int32()), "raw_end": pa.array([9], pa.int32()),
        "text": ["x"], "reason": ["furniture"], "dropped_column": [1],
    })
    new = _conform(old, schema)
    assert new.schema == schema
    assert new.to_pylist() == [{"page_id": "p1", "raw_start": 3, "raw_end": 9, "text": "x", "reason": "furniture",
                                "kept_raw_start": None, "kept_raw_end": None}]
