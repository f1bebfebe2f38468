"""Evaluation against the external gold data in ``../shared/eval/`` (never copied here).

Run ``make eval`` (or ``python -m pipeline.evaluation``). Each section prints a score
table; the quick versions run in ``make test`` against floors pinned in ``tests/floors/``.
"""
