"""Imported values into a card's round-trip YAML document, as `log` patches it.

Only fields the sheet has are touched, and only when their value differs; an empty cell
never clears a field. Records are added once: contacts by name, trades by invoice (by
date and amount without one), visits by date + rep + kind; a matched contact or trade
gets the sheet's differing fields (a trade marked paid), a matched visit is left as it
is (history is append-only). Comments, key order and quoting of the card are kept.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from kacard.cards.editing import append_record, insert_dated, insert_key, text_scalar, visit_record
from kacard.cards.yamlio import flow_map, flow_seq

CONTACT_ORDER = ("name", "title", "role", "level", "influence", "stance", "phone", "email", "birthday", "notes")
TRADE_ORDER = ("date", "invoice", "amount", "margin", "due", "paid")


def yaml_value(value: Any) -> Any:
    """A converted cell as the card writes it: amounts as numbers, text quoted when risky."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        return text_scalar(value)
    if isinstance(value, list):
        return flow_seq([yaml_value(v) for v in value])
    return value


def same(current: Any, new: Any) -> bool:
    """Whether a card's value already equals an imported one (1200000 == 1200000.0,
    a date == its ISO text, a list == its items)."""
    if current is None:
        return new is None
    if isinstance(new, bool) or isinstance(current, bool):
        return current is new or current == new
    if isinstance(new, Decimal | int | float) and isinstance(current, int | float | Decimal):
        return Decimal(str(current)) == Decimal(str(new))
    if isinstance(new, dt.date) or isinstance(current, dt.date):
        return str(current) == str(new)
    if isinstance(new, list) and isinstance(current, list):
        return [str(v) for v in current] == [str(v) for v in new]
    return _text(current) == _text(new)


def _text(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def set_field(root: CommentedMap, path: str, value: Any, *, probe: bool = False) -> bool:
    """Set a card field (`name`, `credit.limit`, `custom.erp`); True when it changed.
    A missing parent (`credit:`) is added as a one-line mapping. With `probe`, only say
    whether it would change (`root` may then be the card's plain data, model_dump)."""
    parent_key, _, child = path.partition(".")
    if not child:
        if root.get(parent_key) is not None and same(root[parent_key], value):
            return False
        if not probe:
            insert_key(root, parent_key, yaml_value(value))
        return True
    parent = root.get(parent_key)
    if not isinstance(parent, dict):
        if not probe:
            insert_key(root, parent_key, flow_map({child: yaml_value(value)}))
        return True
    if parent.get(child) is not None and same(parent[child], value):
        return False
    if not probe:
        parent[child] = yaml_value(value)
    return True


def set_location(root: CommentedMap, lat: float, lon: float, *, probe: bool = False) -> bool:
    current = root.get("location")
    if isinstance(current, dict) and same(current.get("lat"), lat) and same(current.get("lon"), lon):
        return False
    if not probe:
        insert_key(root, "location", flow_map({"lat": lat, "lon": lon}))
    return True


def _patch_record(record: dict[str, Any], values: dict[str, Any], order: tuple[str, ...], probe: bool) -> bool:
    changed = False
    for key in order:
        if key in values and not (record.get(key) is not None and same(record[key], values[key])):
            if probe:
                return True
            record[key] = yaml_value(values[key])
            changed = True
    return changed


def add_contact(root: CommentedMap, values: dict[str, Any], *, probe: bool = False) -> bool:
    """Add a contact, or fill in the sheet's differing fields of the one of that name."""
    name = _text(values["name"])
    for record in root.get("contacts") or []:
        if isinstance(record, dict) and _text(record.get("name", "")) == name:
            return _patch_record(record, values, CONTACT_ORDER, probe)
    if not probe:
        append_record(root, "contacts", flow_map({k: yaml_value(values[k]) for k in CONTACT_ORDER if k in values}))
    return True


def _trade_key(record: dict[str, Any]) -> tuple[str, ...]:
    if record.get("invoice"):
        return ("invoice", _text(record["invoice"]))
    amount = record.get("amount")
    return ("date", str(record.get("date")), str(Decimal(str(amount)).normalize()) if amount is not None else "")


def add_trade(root: CommentedMap, values: dict[str, Any], *, probe: bool = False) -> bool:
    """Add an invoice in date order, or update the one with that invoice number."""
    key = _trade_key(values)
    for record in root.get("trades") or []:
        if isinstance(record, dict) and _trade_key(record) == key:
            return _patch_record(record, values, TRADE_ORDER, probe)
    if probe:
        return True
    insert_dated(root, "trades", flow_map({k: yaml_value(values[k]) for k in TRADE_ORDER if k in values}))
    _block_list(root, "trades")
    return True


def add_visit(root: CommentedMap, values: dict[str, Any], next_action: str, *, probe: bool = False) -> bool:
    """Add a visit in date order unless one of that date, rep and kind is on the card."""
    owner = root.get("owner")
    by = values.get("by") or owner
    kind = values.get("kind", "visit")
    for record in root.get("visits") or []:
        if (isinstance(record, dict) and str(record.get("date")) == str(values["date"])
                and (record.get("by") or owner) == by and record.get("kind", "visit") == kind):
            return False
    if probe:
        return True
    next_date = values.get("next_date")
    record = visit_record(
        values["date"], values.get("summary", ""), by=by, kind=kind, with_=values.get("with", []),
        next_date=next_date, next_time=None, next_action=values.get("next_action") or (next_action if next_date else None),
        no_next=values.get("no_next"),
    )
    if not record.get("summary"):
        del record["summary"]  # a 客户资料卡's 最近拜访 has a date only
    if values.get("next_time") and isinstance(record.get("next"), dict):
        step = record["next"]
        record["next"] = flow_map({"date": step["date"], "time": DoubleQuotedScalarString(values["next_time"]),
                                   "action": step["action"]})
    insert_dated(root, "visits", record)
    _block_list(root, "visits")
    return True


def _block_list(root: CommentedMap, key: str) -> None:
    items = root.get(key)
    if isinstance(items, CommentedSeq) and items.fa.flow_style():
        items.fa.set_block_style()
