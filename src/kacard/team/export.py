"""`kacard export`: every card as JSON, or one table of records as CSV, optionally redacted.

`--redact` is for sharing outside the team. It masks what identifies or reaches
a person, and keeps the business picture:

* contacts' `phone` → digits masked but the country code and the last two
  (`+86 *** **** **01`), `email` → first letter and domain (`w***@example.com`),
  `birthday` and private `notes` → `[redacted]`;
* any phone number or e-mail address written in free text (visit summaries, next
  steps, signal notes, opportunity titles…) is masked the same way;
* `custom` team fields are left out (kacard cannot know what they hold).

Names, titles, visit summaries, amounts and dates stay: the export is still a
useful account picture. Redaction is applied to plain data, never to the cards.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kacard.cards.model.card import Card

REDACTED = "[redacted]"

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

_EMAIL_RE = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_PHONE_RE = re.compile(  # international (+cc ...), Chinese mobile (1[3-9]x xxxx xxxx), landline (0571-xxxxxxx)
    r"(?<![\d*])(?:\+\d{1,3}[ \-.]?\d[\d \-.]{6,14}\d|1[3-9]\d[ \-]?\d{4}[ \-]?\d{4}|0\d{2,3}[ \-]\d{7,8})(?!\d)"
)


def mask_phone(phone: str) -> str:
    """`+86 138 0000 0001` → `+86 *** **** **01`: country code and last two digits kept."""
    prefix = ""
    body = phone
    match = re.match(r"^\s*(\+\d{1,3})([ \-.])", phone)
    if match:
        prefix, body = match.group(0), phone[match.end():]
    digits = sum(ch.isdigit() for ch in body)
    keep = 2 if digits >= 6 else 0
    seen = 0
    out = []
    for ch in body:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > digits - keep else "*")
        else:
            out.append(ch)
    return prefix + "".join(out)


def mask_email(email: str) -> str:
    """`wang.jg@example.com` → `w***@example.com`; anything not an address → [redacted]."""
    match = _EMAIL_RE.fullmatch(email.strip())
    return f"{match.group(1)}***@{match.group(2)}" if match else REDACTED


def scrub_text(text: str) -> str:
    """Phone numbers and e-mail addresses inside free text, masked."""
    text = _EMAIL_RE.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
    return _PHONE_RE.sub(lambda m: mask_phone(m.group(0)), text)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def redact_card(data: dict[str, Any]) -> dict[str, Any]:
    """A card's plain data (model_dump by alias) with personal data masked."""
    out: dict[str, Any] = _scrub({k: v for k, v in data.items() if k != "custom"})
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
