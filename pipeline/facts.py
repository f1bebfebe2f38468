"""Stage 5: facts found with patterns in one article body.

In: clean article text (and optionally its tokens, the issue date and what earlier
articles of the page taught us). Out: ``Facts`` with offsets into that text.
"""

from __future__ import annotations

from datetime import date

from pipeline.dates import find_dates
from pipeline.entities import PageContext, find_entities, find_person_roles
from pipeline.quantities import find_quantities
from pipeline.record import Facts, Tokens
from pipeline.segment import segment


def extract_facts(
    text: str,
    issue_date: date | None = None,
    tokens: Tokens | None = None,
    context: PageContext | None = None,
) -> Facts:
    """Find entities, person roles, quantities and dates in ``text``."""
    if tokens is None:
        tokens = segment(text)
    entities = find_entities(text, tokens, context)
    return Facts(
        entities=entities,
        person_roles=find_person_roles(text, entities),
        quantities=find_quantities(text),
        dates=find_dates(text, issue_date),
    )
