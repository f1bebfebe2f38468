"""People, organisations and places with exact spans and canonical names.

Placeholder interface: issue 4 replaces the body.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.record import Credit, Entity, PersonRole, Tokens


@dataclass(frozen=True, slots=True)
class PageContext:
    """What earlier articles of the same page taught us: credited people, full org names."""

    people: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()

    def add(self, entities: list[Entity], credits: list[Credit] = ()) -> "PageContext":
        """Return a context that also knows these entities and credited names."""
        people = dict.fromkeys(self.people + tuple(c.name for c in credits) + tuple(e.name for e in entities if e.type == "PERSON"))
        orgs = dict.fromkeys(self.orgs + tuple(e.name for e in entities if e.type == "ORG"))
        return PageContext(tuple(people), tuple(orgs))


def find_entities(text: str, tokens: Tokens, context: PageContext | None = None) -> list[Entity]:
    """Find PERSON / ORG / LOC mentions in ``text`` (tokens are ``segment(text)``)."""
    return []


def find_person_roles(text: str, entities: list[Entity]) -> list[PersonRole]:
    """Find people with a title or role (and organisation) in ``text``."""
    return []
