"""Quality floors of the entities section on a quick sample of the real gold."""

from __future__ import annotations

import time

import pytest

from pipeline.evaluation import entities as section
from pipeline.evaluation.common import check_floors, eval_dir, load_floors


def test_entities_quality_floors():
    if eval_dir() is None:
        pytest.skip("../shared/eval is absent: entity quality not measured")
    t0 = time.perf_counter()
    scores = section.run(quick=True)
    assert time.perf_counter() - t0 < 60
    assert load_floors("entities"), "tests/floors/entities.json pins no floors"
    floor_scores = {k: v for k, v in scores.items() if not k.startswith("jieba_")}
    assert check_floors("entities", floor_scores) == []


def test_beats_jieba_baseline():
    if eval_dir() is None:
        pytest.skip("../shared/eval is absent: entity quality not measured")
    scores = section.run(quick=True)
    assert scores["ner_all_f1"] > scores["jieba_all_f1"] + 0.1


def test_run_skips_cleanly_without_eval_data(monkeypatch, capsys):
    from pipeline.evaluation.common import SKIP_LINE

    monkeypatch.setattr(section, "eval_dir", lambda: None)
    assert section.run(quick=True) == {}
    assert SKIP_LINE in capsys.readouterr().out
