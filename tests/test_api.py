"""The in-memory Python API of the contract: ``pipeline.extract`` on one clean article body."""

from __future__ import annotations

from datetime import date

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
