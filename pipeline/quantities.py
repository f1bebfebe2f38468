"""Quantities: numbers with measure word or currency, value in base units, qualifier, bounds.

Placeholder interface: issue 5 replaces the body.
"""

from __future__ import annotations

from pipeline.record import Quantity


def find_quantities(text: str) -> list[Quantity]:
    """Find every quantity in ``text``; offsets slice back to ``Quantity.text``."""
    return []
