"""The in-memory Python API of the contract: ``pipeline.extract`` on one clean article body."""

from __future__ import annotations

from datetime import date

import pytest

import pipeline
from pipeline.api import EXTRACT_COLUMNS, FACT_TABLES

BODY = (
    "本报杭州5月20日电 嘉兴市总工会副主席高红慧说，今年以来全市举办劳模宣讲近300场次，"
    "投入资金1.72亿元，超过2万名职工参加。5月18日，市总还组织了技能比武。"
)


def test_extract_returns_the_four_fact_tables_with_their_columns() -> None:
    out = pipeline.extract(BODY, issue_date=date(2021, 5, 20))
    assert list(out) == list(FACT_TABLES)
    for name, frame in out.items():
        assert list(frame.columns) == EXTRACT_COLUMNS[name]
        for row in frame.itertuples():  # offsets point into the text given
            assert 0 <= row.start < row.end <= len(BODY)
            if hasattr(row, "text"):
                assert BODY[row.start : row.end] == row.text


def test_extract_finds_facts_of_each_kind() -> None:
    out = pipeline.extract(BODY, issue_date=date(2021, 5, 20))
    people = out["entities"].query("type == 'PERSON'")
    assert "高红慧" in set(people.text)
    roles = out["person_roles"]
    assert ((roles.person == "高红慧") & (roles.title == "副主席")).any()
    money = out["quantities"].query("kind == 'money'")
    assert money.value.tolist() == [172000000.0]
    assert "2021-05-18" in set(out["dates"].value.astype(str))


def test_extract_on_text_without_facts_gives_empty_frames_with_columns() -> None:
    out = pipeline.extract("这是一句没有事实的话")
    for name, frame in out.items():
        assert frame.empty and list(frame.columns) == EXTRACT_COLUMNS[name]
    out["entities"].loc[0] = None  # each call gets frames of its own: changing one leaves the next alone
    assert pipeline.extract("这是一句没有事实的话")["entities"].empty


# --- a batch of pages, one stage at a time ----------------------------------------------


def _raw(text: str, path: str):
    from pipeline.ingest import ingest

    return ingest(text.encode("utf-8"), path)


def test_a_batch_gives_each_page_what_it_gets_alone(sample_text) -> None:
    from pipeline.api import process_raw_page, process_raw_pages
    from pipeline.tables import page_tables

    texts = [sample_text, BODY, "何平参加会见。\n\n" + BODY, ""]
    paths = [f"raw/2021-05-20/p{k:02d}.txt" for k in range(len(texts))]
    batch = process_raw_pages([_raw(t, p) for t, p in zip(texts, paths)])
    for text, path, page in zip(texts, paths, batch):
        alone = page_tables(process_raw_page(_raw(text, path)))
        together = page_tables(page)
        assert alone.keys() == together.keys()
        for name in alone:
            assert alone[name].equals(together[name]), name


def test_a_page_whose_stage_raises_leaves_the_batch_alone(monkeypatch) -> None:
    from pipeline import api

    real = api.segment

    def flaky(text):
        if "何平" in text:
            raise ValueError("bad page")
        return real(text)

    monkeypatch.setattr(api, "segment", flaky)
    raws = [_raw(BODY, "a.txt"), _raw("何平参加会见。\n\n" + BODY, "b.txt"), _raw(BODY + "\n\n其他。", "c.txt")]
    first, second, third = api.process_raw_pages(raws)
    assert isinstance(second, ValueError)
    assert first.articles and third.articles  # the stages went on for the others
    assert first.articles[0].facts.entities == third.articles[0].facts.entities
    with pytest.raises(ValueError, match="bad page"):  # one page alone: its stage's error is raised
        api.process_raw_page(_raw("何平参加会见。", "d.txt"))
