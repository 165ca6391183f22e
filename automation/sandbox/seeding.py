"""Deterministic randomness for seeded data.

Each vendor (and each lazily generated detail) draws from its own generator named after the seed and
what it generates, so adding data to one vendor never shifts another's, and string seeds hash the same
in every process (unlike `hash()`).
"""

import random


def rng(*parts: object) -> random.Random:
    """A generator for `parts`, e.g. `rng(42, "jira")`. Not for anything secret: it is meant to repeat."""
    return random.Random(":".join(str(p) for p in parts))  # noqa: S311 - reproducibility is the point
