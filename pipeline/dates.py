"""Dates and date expressions, normalised to ISO with the year inferred from the issue date.

Placeholder interface: issue 5 replaces the body.
"""

from __future__ import annotations

from datetime import date

from pipeline.record import DateMention


def find_dates(text: str, issue_date: date | None = None) -> list[DateMention]:
    """Find every date expression in ``text``; offsets slice back to ``DateMention.text``."""
    return []
