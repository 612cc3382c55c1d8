"""`kacard export`: every card as JSON, or one table of records as CSV, optionally redacted.

`--redact` is for sharing outside the team. It masks what identifies or reaches
a person, and keeps the business picture:

* contacts' `phone` → digits masked but the country code and the last two
  (`+86 *** **** **01`), `email` → first letter and domain (`w***@example.com`),
  `birthday` and private `notes` → `[redacted]`;
* every identifier kacard.privacy knows, written anywhere in free text (visit
  summaries, next steps, signal notes, opportunity titles, handover reasons, tags…):
  phones in every form, e-mails, 18-digit ID numbers, WeChat ids, QQ numbers, home
  addresses (one rule: `kacard.privacy.scrub`);
* `custom` team fields are left out (kacard cannot know what they hold).

Names, titles, visit summaries, amounts and dates stay: the export is still a
useful account picture. Redaction is applied to plain data, never to the cards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kacard.cards.model.card import Card
from kacard.privacy import REDACTED, mask_email, mask_phone, scrub_data
from kacard.privacy import scrub as scrub_text

__all__ = ["REDACTED", "TABLES", "Export", "card_data", "export_cards", "mask_email", "mask_phone",
           "redact_card", "scrub_text"]

TABLES: dict[str, tuple[str, ...]] = {
    "cards": ("id", "name", "status", "owner", "tier", "industry", "sector", "region", "address",
              "lat", "lon", "since", "relationship", "credit_rating", "credit_limit", "credit_terms_days",
              "contacts", "visits", "last_visit", "trades", "tags"),
    "contacts": ("card_id", "name", "title", "role", "level", "influence", "stance", "phone", "email",
                 "birthday", "notes"),
    "visits": ("card_id", "date", "by", "kind", "with", "summary", "next_date", "next_time",
               "next_action", "no_next"),
    "trades": ("card_id", "date", "invoice", "amount", "margin", "due", "paid"),
    "opportunities": ("card_id", "id", "title", "stage", "amount", "close"),
    "signals": ("card_id", "date", "kind", "note"),
    "handovers": ("card_id", "date", "from", "to", "reason"),
}


def redact_card(data: dict[str, Any]) -> dict[str, Any]:
    """A card's plain data (model_dump by alias) with personal data masked."""
    out: dict[str, Any] = scrub_data({k: v for k, v in data.items() if k != "custom"})
    for original, contact in zip(data.get("contacts") or [], out.get("contacts") or [], strict=True):
        if original.get("phone"):
            contact["phone"] = mask_phone(str(original["phone"]))
        if original.get("email"):
            contact["email"] = mask_email(str(original["email"]))
        for key in ("birthday", "notes"):
            if original.get(key):
                contact[key] = REDACTED
    return out


def card_data(card: Card, *, redact: bool) -> dict[str, Any]:
    data = card.model_dump(by_alias=True)
    return redact_card(data) if redact else data


@dataclass(frozen=True)
class Export:
    table: str | None  # None: whole cards (JSON only)
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]


def export_cards(cards: list[Card], *, redact: bool, table: str | None) -> Export:
    """Whole cards (table None) or the rows of one table, in card-id order."""
    ordered = sorted(cards, key=lambda c: c.id)
    data = [card_data(card, redact=redact) for card in ordered]
    if table is None:
        return Export(None, (), data)
    build = _ROW_BUILDERS[table]
    rows = [row for card in data for row in build(card)]
    return Export(table, TABLES[table], rows)


def _card_row(card: dict[str, Any]) -> list[dict[str, Any]]:
    location = card.get("location") or {}
    credit = card.get("credit") or {}
    visits = card.get("visits") or []
    return [{
        **{k: card.get(k) for k in ("id", "name", "status", "owner", "tier", "industry", "sector",
                                    "region", "address", "since", "relationship")},
        "lat": location.get("lat"), "lon": location.get("lon"),
        "credit_rating": credit.get("rating"), "credit_limit": credit.get("limit"),
        "credit_terms_days": credit.get("terms_days"),
        "contacts": len(card.get("contacts") or []), "visits": len(visits),
        "last_visit": max((v["date"] for v in visits), default=None),
        "trades": len(card.get("trades") or []), "tags": card.get("tags") or [],
    }]


def _records(key: str, shape: Callable[[dict[str, Any]], dict[str, Any]] | None = None
             ) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    def build(card: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"card_id": card["id"], **(shape(r) if shape else r)} for r in card.get(key) or []]

    return build


def _visit_shape(visit: dict[str, Any]) -> dict[str, Any]:
    step = visit.get("next") or {}
    return {k: visit.get(k) for k in ("date", "by", "kind", "with", "summary", "no_next")} | {
        "next_date": step.get("date"), "next_time": step.get("time"), "next_action": step.get("action"),
    }


_ROW_BUILDERS: dict[str, Callable[[dict[str, Any]], list[dict[str, Any]]]] = {
    "cards": _card_row,
    "contacts": _records("contacts"),
    "visits": _records("visits", _visit_shape),
    "trades": _records("trades"),
    "opportunities": _records("opportunities"),
    "signals": _records("signals"),
    "handovers": _records("handovers"),
}
