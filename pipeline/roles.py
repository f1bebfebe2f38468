"""Placeholder."""
def find_person_roles(text, entities):
    return []
