"""Tier S/A/B/C from the Pareto class and the 10/2 class (SPEC §3); a card's pin overrides. Pure."""

from __future__ import annotations

from kacard.i18n import Message, Word

TIER_ORDER = {"S": 0, "A": 1, "B": 2, "C": 3}


def computed_tier(pareto: str, ten_two: str) -> tuple[str, str]:
    """(tier, the rule that gave it)."""
    if pareto == "A" and ten_two == "key":
        return "S", Message("S: Pareto A and 10/2 key")
    if pareto == "A":
        return "A", Message("A: Pareto A (10/2 not key)")
    if ten_two == "key":
        return "A", Message("A: 10/2 key (Pareto {pareto})", pareto=pareto)
    if pareto == "B":
        return "B", Message("B: Pareto B (10/2 not key)")
    if ten_two == "potential":
        return "B", Message("B: 10/2 potential (Pareto {pareto})", pareto=pareto)
    return "C", Message("C: Pareto {pareto} and 10/2 {klass}", pareto=pareto, klass=Word("ten_two_class", ten_two))


def direction(old: str, new: str) -> str:
    """'up', 'down' or 'same' going from tier `old` to tier `new`."""
    if TIER_ORDER[new] < TIER_ORDER[old]:
        return "up"
    if TIER_ORDER[new] > TIER_ORDER[old]:
        return "down"
    return "same"
