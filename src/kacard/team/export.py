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

An xlsx export is made to come back (`kacard import`), so it carries two things for
the import: a redacted workbook is marked (the custom document property
REDACTED_PROPERTY; import refuses it), and every row has a hidden last column
STAMP_HEADER holding a fingerprint of each cell as exported (`row_stamp`). The
import compares a cell with its fingerprint and with the card now (three-way): a cell
nobody edited is no change, and a cell edited in Excel whose field also changed on
the card since the export is a conflict, not an overwrite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kacard.cards.model.card import Card
from kacard.privacy import REDACTED, mask_email, mask_phone, scrub_data
from kacard.privacy import scrub as scrub_text

__all__ = ["REDACTED", "REDACTED_PROPERTY", "STAMP_HEADER", "TABLES", "Export", "card_data", "cell_value",
           "export_cards", "fingerprint", "mask_email", "mask_phone", "parse_stamp", "redact_card", "row_stamp",
           "scrub_text", "table_rows"]

REDACTED_PROPERTY = "kacard.redacted"  # custom document property of a workbook made with --redact
STAMP_HEADER = "kacard_stamp"  # the hidden last column of every exported sheet

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


def table_rows(card: Card, table: str) -> list[dict[str, Any]]:
    """The rows of one table (TABLES) that the card gives, unredacted, as exported now."""
    return _ROW_BUILDERS[table](card.model_dump(by_alias=True))


def cell_value(value: Any) -> Any:
    """A card value as an xlsx cell holds it: whole Decimals as int, others as float, lists
    joined by `; `, times as HH:MM, maps as `k=v; …`."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return value


def fingerprint(value: Any) -> str:
    """8 hex digits naming a cell's value as it reads back from the workbook: the card's
    value (`cell_value`) and the cell that python-calamine reads give the same one
    (312000 and 312000.0, a date and the midnight datetime, text NFKC and stripped;
    empty and None alike). BLAKE2b, 32 bits: a chance of 1 in 4·10⁹ that an edit looks
    like none."""
    from kacard.team.import_cells import value_key  # how the import reads a cell's text

    value = cell_value(value)
    text = "" if value is None else value_key(value)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=4).hexdigest()


def row_stamp(table: str, row: dict[str, Any]) -> str:
    """`table:` and the fingerprint of each of TABLES[table]'s columns, comma-separated."""
    return f"{table}:" + ",".join(fingerprint(row.get(key)) for key in TABLES[table])


def parse_stamp(text: Any) -> tuple[str, list[str]] | None:
    """(table, fingerprints) of a STAMP_HEADER cell; None when it is not one (made by hand,
    damaged)."""
    if not isinstance(text, str):
        return None
    table, _sep, rest = text.strip().partition(":")
    hashes = rest.split(",")
    if table not in TABLES or len(hashes) != len(TABLES[table]):
        return None
    return table, hashes


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
