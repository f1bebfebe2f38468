"""Across pages: a reprint on a later page is kept, marked as a copy of the first printing."""

from __future__ import annotations

import pandas as pd
from conftest import SAMPLE as ROOT_SAMPLE

from pipeline.runner import run


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


def test_reprint_index_survives_between_runs(tmp_path):
    text = open(ROOT_SAMPLE, encoding="utf-8").read()
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(text, encoding="utf-8")
    run(raw, tmp_path / "out", workers=1)
    start = text.index("大带小、强带弱")
    end = text.index("武汉市总举办系列文艺活动")
    (raw / "b.txt").write_text(text[start:end], encoding="utf-8")
    summary = run(raw, tmp_path / "out", workers=1)
    assert summary.processed == 1 and summary.reprints == 1
