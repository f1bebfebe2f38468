"""Across pages: a reprint on a later page is kept, marked as a copy of the first printing."""

from __future__ import annotations

import numpy as np
import pandas as pd
from conftest import SAMPLE as ROOT_SAMPLE

from pipeline.reprints import MIN_CHARS, MIN_HITS, THRESHOLD, WINDOW, K, ReprintIndex
from pipeline.runner import LEGACY_REPRINT_INDEX, REPRINT_INDEX, run
from pipeline.store import STATE_DIR


def test_reprint_on_a_later_page_is_marked_not_dropped(tmp_path):
    text = open(ROOT_SAMPLE, encoding="utf-8").read()
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "2021-05-20_p03.txt").write_text(text, encoding="utf-8")
    # a later issue reprints the Fujian story under a new page furniture and title
    start = text.index("福建省总帮环卫工人实现")
    end = text.index("文艺演出进工地")
    (raw / "2021-05-21_p05.txt").write_text("另一版的消息\n\n新华社北京5月21日电 这是一条完全不同的新闻。\n\n" + text[start:end], encoding="utf-8")
    summary = run(raw, tmp_path / "out", workers=1)
    assert summary.reprints >= 1
    arts = pd.read_parquet(tmp_path / "out" / "articles")
    copies = arts[arts.duplicate_of.notna()]
    assert len(copies) >= 1
    for row in copies.itertuples():
        first = arts[arts.article_id == row.duplicate_of].iloc[0]
        assert first.page_id != row.page_id
        assert "环卫工人" in first.text and "环卫工人" in row.text
        assert row.duplicate_score >= 0.6
    # nothing silently dropped: the later page still has its copy of the story
    assert (arts.page_id == copies.iloc[0].page_id).sum() >= 2


def _sample_raw(tmp_path):
    """A raw folder holding the sample page as a.txt; returns (raw folder, the page's text)."""
    text = open(ROOT_SAMPLE, encoding="utf-8").read()
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(text, encoding="utf-8")
    return raw, text


def _story(text):
    """One story of the sample page, to print again on another page."""
    return text[text.index("大带小、强带弱") : text.index("武汉市总举办系列文艺活动")]


def test_reprint_index_survives_between_runs(tmp_path):
    raw, text = _sample_raw(tmp_path)
    run(raw, tmp_path / "out", workers=1)
    (raw / "b.txt").write_text(_story(text), encoding="utf-8")
    summary = run(raw, tmp_path / "out", workers=1)
    assert summary.processed == 1 and summary.reprints == 1


def test_unreadable_reprint_index_is_set_aside_and_the_run_goes_on(tmp_path, caplog):
    raw, text = _sample_raw(tmp_path)
    (raw / "b.txt").write_text(_story(text), encoding="utf-8")
    state = tmp_path / "out" / STATE_DIR
    state.mkdir(parents=True)
    (state / REPRINT_INDEX).write_bytes(b"not a database, a damaged file " * 100)
    summary = run(raw, tmp_path / "out", workers=1)
    assert summary.processed == 2 and summary.reprints == 1  # a new index, used at once
    assert (state / (REPRINT_INDEX + ".unreadable")).exists()
    assert "unreadable" in caplog.text


def test_index_of_an_earlier_version_is_imported(tmp_path):
    raw, text = _sample_raw(tmp_path)
    run(raw, tmp_path / "out", workers=1)
    state = tmp_path / "out" / STATE_DIR
    # rewrite the index as earlier versions saved it: one NumPy file, format 1
    with ReprintIndex.open(state / REPRINT_INDEX) as index:
        keys, sizes = zip(*index._db.execute("SELECT key, size FROM articles ORDER BY idx"), strict=True)
        hashes, owners = zip(*index._db.execute("SELECT hash, owner FROM fingerprints ORDER BY hash"), strict=True)
    for part in state.glob(REPRINT_INDEX + "*"):
        part.unlink()
    np.savez_compressed(
        state / LEGACY_REPRINT_INDEX, params=np.array([1, K, WINDOW, MIN_HITS, MIN_CHARS]), threshold=np.array([THRESHOLD]),
        hashes=np.array(hashes, dtype=np.int64).view(np.uint64), owners=np.array(owners, dtype=np.int64),
        keys=np.array(keys, dtype=str), sizes=np.array(sizes, dtype=np.int64),
    )
    (raw / "b.txt").write_text(_story(text), encoding="utf-8")
    summary = run(raw, tmp_path / "out", workers=1)
    assert summary.processed == 1 and summary.reprints == 1
    assert not (state / LEGACY_REPRINT_INDEX).exists()
