"""Explained figures: every score and urgency is a sum of terms a user can read.

Shared by scoring (`kacard score --explain`) and due (`kacard due --explain`),
in the spirit of taskwarrior's urgency breakdown.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One contribution: `value` × `weight` = `contribution`, and where it came from."""

    name: str
    value: float
    weight: float
    source: str  # e.g. "tier A (pinned)", "manual rating", "derived: Pareto class A"

    @property
    def contribution(self) -> float:
        return self.value * self.weight

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "value": self.value,
            "weight": self.weight,
            "contribution": round(self.contribution, 4),
            "source": self.source,
        }


def total(terms: list[Term]) -> float:
    return sum(term.contribution for term in terms)
