"""The "numbers" evaluation on a quick sample of the external suites, against the pinned floors."""

from __future__ import annotations

import pytest

from pipeline.evaluation import numbers as numbers_eval
from pipeline.evaluation.common import check_floors, eval_dir, load_floors


@pytest.fixture(scope="module")
def quick_scores() -> dict[str, float]:
    if eval_dir() is None or not (eval_dir() / "numbers").is_dir():
        pytest.skip("../shared/eval/numbers is absent: the numbers quality check needs it")
    return numbers_eval.run(quick=True)


def test_numbers_scores_meet_floors(quick_scores):
    assert load_floors("numbers"), "tests/floors/numbers.json has no floors"
    assert check_floors("numbers", quick_scores) == []


def test_scorer_maps_qualifiers():
    rows = [
        {
            "task": "money_parser",
            "input": "近700万元",
            "expected": {"num": "7000000.00", "case": "元", "definition": "blur-"},
        },
        {
            "task": "money_parser",
            "input": "约5万元",
            "expected": {"num": "50000.00", "case": "元", "definition": "accurate"},
        },
    ]
    assert numbers_eval.score_jionlp_money(rows) == {"jionlp_money": 0.5, "jionlp_money_unit": 1.0}


def test_scorer_granularity():
    assert numbers_eval._expected_granularity("2021-05-01 00:00:00", "2021-05-31 23:59:59") == (
        "month",
        "2021-05",
    )
    assert numbers_eval._expected_granularity("2021-05-01 08:00:00", "2021-05-01 08:59:59") is None


def test_run_skips_without_eval_data(monkeypatch, capsys):
    monkeypatch.setattr(numbers_eval, "eval_dir", lambda: None)
    assert numbers_eval.run(quick=True) == {}
    assert capsys.readouterr().out.strip() == numbers_eval.SKIP_LINE
