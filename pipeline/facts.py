"""Stage 5: facts found with patterns in one article body.

In: clean article text (and optionally its tokens, the issue date and what earlier
articles of the page taught us). Out: ``Facts`` with offsets into that text.
"""

from __future__ import annotations

from collections.abc import Callable
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
    facts = Facts(entities=find_entities(text, tokens, context))
    for name, find in LATER_FINDERS:
        setattr(facts, name, find(text, issue_date, facts))
    return facts


# The finders after the entity finder, each filling one field of ``Facts`` from the text,
# the issue date and the facts found before it. (A batch of pages runs each over all of
# its articles in turn: ``pipeline.api.process_raw_pages``.)
LATER_FINDERS: tuple[tuple[str, Callable[[str, date | None, Facts], list]], ...] = (
    ("person_roles", lambda text, issue_date, facts: find_person_roles(text, facts.entities)),
    ("quantities", lambda text, issue_date, facts: find_quantities(text)),
    ("dates", lambda text, issue_date, facts: find_dates(text, issue_date)),
)
