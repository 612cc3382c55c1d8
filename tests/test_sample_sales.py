"""The sample folder's sales story (issue 18): deals at every stage with their key nodes,
reports_to links, a few accounts planted with each danger — and every danger kacard
reports is true by a plain re-reading of the YAML (none false)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
CARDS = ROOT / "cards"
TODAY = dt.date(2026, 11, 23)
STAGES = ["development", "initiation", "proposal", "bidding", "negotiation", "implementation"]
NODES = ["accurate_info", "project_approval", "relationship", "bid", "contract", "acceptance"]

sys.path.insert(0, str(ROOT / "benchmarks"))
import make_cards  # noqa: E402
import sample_sales  # noqa: E402


def raw_cards() -> dict[str, dict]:
    yaml = YAML(typ="safe")
    return {p.stem: yaml.load(p.read_text(encoding="utf-8")) for p in sorted(CARDS.glob("*.yaml"))
            if p.name != "kacard.yaml"}


def oracle(card: dict) -> set[tuple[str, str]]:
    """(kind, problem or warning) the course says this card shows at TODAY, from the YAML alone."""
    found: set[tuple[str, str]] = set()
    deals = [o for o in card.get("opportunities", []) if o["stage"] in STAGES]
    visits = [v for v in card.get("visits", []) if v["date"] <= TODAY]
    last = max((v["date"] for v in visits), default=None)
    for o in deals:
        known = [d for d in (o.get("stage_since"), last) if d is not None]
        if not known or (TODAY - max(known)).days >= 45:
            found.add(("opportunity", "stalled"))
        if o.get("close") and o["close"] < TODAY:
            found.add(("opportunity", "past_close"))
        k = STAGES.index(o["stage"])
        if k and NODES[k - 1] not in (o.get("nodes") or {}):
            found.add(("opportunity", "missing_node"))
    people = card.get("contacts", [])
    makers = [p for p in people if p.get("role") == "decision_maker"]
    if any(o["stage"] in ("bidding", "negotiation", "implementation") for o in deals):
        top = max(makers, key=lambda p: (p.get("level") == "top", p.get("influence") or 0, -makers.index(p)),
                  default=None)
        met = max((v["date"] for v in visits if top and top["name"] in v.get("with", [])), default=None)
        if met is None:
            found.add(("relationship", "top_never_met"))
        elif (TODAY - met).days > 90:
            found.add(("relationship", "top_not_met"))
    if any(STAGES.index(o["stage"]) >= 1 for o in deals):
        deciders = [p for p in people if p.get("role") == "decision_maker" or p.get("level") == "top"]
        if not any(p.get("stance") == "ally" for p in deciders):
            found.add(("relationship", "no_ally_at_decision_level"))
        if any(p.get("stance") == "opponent" for p in deciders):
            found.add(("relationship", "opposing_decision_maker"))
        if not any(p.get("role") == "coach" and p.get("stance") != "opponent" for p in people):
            found.add(("relationship", "no_coach"))
    return found


def reported(kacard) -> dict[str, set[tuple[str, str]]]:
    result = kacard.raw("due", "--dir", str(CARDS), "--today", str(TODAY), "--format", "json")
    assert result.exit_code == 0, result.output
    return {row["id"]: {(r["kind"], r.get("problem") or r.get("warning")) for r in row["reasons"]
                        if r["kind"] in ("opportunity", "relationship")}
            for row in json.loads(result.stdout)}


def test_every_reported_danger_is_true_and_every_true_one_is_reported(kacard) -> None:
    cards = raw_cards()
    shown = reported(kacard)
    for card_id, card in cards.items():
        if card["status"] not in ("active", "prospect"):
            continue
        assert shown.get(card_id, set()) == oracle(card), card_id


def test_each_planted_danger_shows_on_its_account(kacard) -> None:
    planted = {a.id: a.planted for a in make_cards.generate(40, 7, TODAY) if a.planted}
    assert set(planted.values()) == set(sample_sales.PLANNED)
    shown = reported(kacard)
    for card_id, problem in planted.items():
        assert problem in {p for _kind, p in shown[card_id]}, (card_id, problem)
    # most accounts with an open deal are sound: the dangers stand out
    with_deals = [c for c in raw_cards().values() if c["status"] in ("active", "prospect")
                  and any(o["stage"] in STAGES for o in c.get("opportunities", []))]
    assert len([c for c in with_deals if not oracle(c)]) > len(with_deals) / 2


def test_deals_at_every_stage_with_dates_nodes_and_reports_to() -> None:
    cards = raw_cards().values()
    deals = [o for c in cards for o in c.get("opportunities", [])]
    assert {o["stage"] for o in deals} == {*STAGES, "won", "lost"}
    assert all(o.get("stage_since") for o in deals)
    assert sum(1 for o in deals if o.get("nodes")) >= len(deals) * 0.7
    links = [p for c in cards for p in c.get("contacts", []) if p.get("reports_to")]
    assert len(links) >= 40
    for c in cards:
        names = {p["name"] for p in c.get("contacts", [])}
        assert all(p["reports_to"] in names for p in c.get("contacts", []) if p.get("reports_to")), c["id"]
