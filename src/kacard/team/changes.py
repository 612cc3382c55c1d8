"""What changed in the card folder since a point (`kacard changes`): the manager's morning digest.

Seed 000, part 3 §八 2(8): the manager should discuss the previous day's (or days') trade
results with each rep. This reads the folder's git history (team/history.py) and turns every
commit's change of a card into events, oldest first:

    visit        a visit logged (with its next step)
    trade        an invoice added
    payment      an invoice marked paid
    signal       a churn signal recorded
    tier         a tier pin set or changed (computed tier changes come from `tier_changes`)
    new_card     a card added
    removed_card a card deleted
    handover     the owner changed (or a handovers record added)
    edit         any other field changed (the field names, never their values); a status
                 change is an edit with `status: [old, new]` (e.g. an account lost)

`rep` is who committed, matched to the team by e-mail, else by name or id, else the
author's name. Values that are personal data (phones, e-mails, notes) are never copied
into events: an edit names fields only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from kacard.cards import reps, yamlio
from kacard.cards.model.card import Card
from kacard.cards.model.settings import Settings
from kacard.cards.paths import RESERVED_FOLDERS, SETTINGS_FILE, is_card_file
from kacard.team.history import Commit, Since, commits_since, read_blobs

KINDS = ("visit", "trade", "payment", "signal", "tier", "new_card", "removed_card", "handover", "edit")
RECORD_LISTS = ("visits", "trades", "signals", "handovers")
SPECIAL = set(RECORD_LISTS) | {"owner", "tier", "status", "id"}


@dataclass(frozen=True)
class Change:
    """One event: when it was committed, by whom, on which account, of which kind."""

    date: dt.date  # the commit's day (author date)
    rep: str
    account: str
    kind: str
    commit: str  # short sha; "" for computed tier changes
    detail: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"date": self.date, "rep": self.rep, "account": self.account, "kind": self.kind,
                "commit": self.commit, **self.detail}


@dataclass(frozen=True)
class Digest:
    since: Since
    commits: int
    changes: tuple[Change, ...]
    problems: tuple[str, ...]  # card versions that could not be read (skipped)


def is_card_path(path: str) -> bool:
    """A path relative to the card folder names a card file (kacard.yaml, hidden files and
    the reserved folders plans/ and import/ do not)."""
    parts = PurePosixPath(path).parts
    if not parts or any(p.startswith(".") for p in parts):
        return False
    if len(parts) == 1 and parts[0] == SETTINGS_FILE:
        return False
    if len(parts) > 1 and parts[0] in RESERVED_FOLDERS:
        return False
    return is_card_file(parts[-1])


def rep_of(commit: Commit, settings: Settings) -> str:
    for rep in settings.team:
        if rep.email and rep.email.lower() == commit.email.lower():
            return rep.id
    for rep in settings.team:
        if commit.author in (rep.name, rep.id):
            return rep.id
    return commit.author


def _key(record: Any) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)


def _added(old: list[Any], new: list[Any]) -> list[Any]:
    """Records in `new` that `old` lacks, counted as a multiset (a second identical record is
    an addition too)."""
    left = Counter(_key(r) for r in old)
    found = []
    for record in new:
        key = _key(record)
        if left[key]:
            left[key] -= 1
        else:
            found.append(record)
    return found


def _records(data: Mapping[str, Any] | None, key: str) -> list[Any]:
    value = (data or {}).get(key)
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def _trade_key(trade: Mapping[str, Any]) -> str:
    invoice = trade.get("invoice")
    return f"invoice:{invoice}" if invoice else f"{trade.get('date')}|{trade.get('amount')}"


def _visit_detail(visit: Mapping[str, Any]) -> dict[str, Any]:
    step = visit.get("next") if isinstance(visit.get("next"), dict) else None
    return {"on": visit.get("date"), "visit_kind": visit.get("kind", "visit"), "by": visit.get("by"),
            "summary": visit.get("summary") or "",
            "next": {"date": step.get("date"), "action": step.get("action")} if step else None}


def card_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[tuple[str, dict[str, Any]]]:
    """(kind, detail) events between two versions of one card's data (None: absent)."""
    if old is None and new is None:
        return []
    if old is None:
        assert new is not None
        return [("new_card", {"name": new.get("name"), "owner": new.get("owner"), "status": new.get("status")})]
    if new is None:
        return [("removed_card", {"name": old.get("name"), "owner": old.get("owner")})]
    events: list[tuple[str, dict[str, Any]]] = []
    for visit in _added(_records(old, "visits"), _records(new, "visits")):
        events.append(("visit", _visit_detail(visit)))
    old_trades = {_trade_key(t): t for t in _records(old, "trades")}
    for trade in _added(_records(old, "trades"), _records(new, "trades")):
        before = old_trades.get(_trade_key(trade))
        detail = {"on": trade.get("date"), "invoice": trade.get("invoice"), "amount": trade.get("amount")}
        if before is None:
            events.append(("trade", detail))
        elif before.get("paid") is None and trade.get("paid") is not None:
            events.append(("payment", {**detail, "paid": trade.get("paid")}))
    for signal in _added(_records(old, "signals"), _records(new, "signals")):
        events.append(("signal", {"on": signal.get("date"), "signal_kind": signal.get("kind", "other")}))
    if old.get("owner") != new.get("owner") or _added(_records(old, "handovers"), _records(new, "handovers")):
        events.append(("handover", {"from": old.get("owner"), "to": new.get("owner")}))
    if old.get("tier") != new.get("tier"):
        events.append(("tier", {"from": old.get("tier"), "to": new.get("tier"), "pinned": True}))
    edited = sorted(k for k in set(old) | set(new) if k not in SPECIAL and _key(old.get(k)) != _key(new.get(k)))
    if old.get("status") != new.get("status") or edited:
        detail: dict[str, Any] = {"fields": edited}
        if old.get("status") != new.get("status"):
            detail["status"] = [old.get("status"), new.get("status")]
        events.append(("edit", detail))
    return events


def _parse(blob: bytes | None, path: str, problems: list[str], settings: Settings) -> dict[str, Any] | None:
    """One version of a card as plain data in kacard's own terms: Chinese enum values in
    English and the owner as a rep id, so 活跃 -> active is no change (a version the model
    refuses is compared as written)."""
    if blob is None:
        return None
    try:
        data = yamlio.load_data(yamlio.decode(blob))
    except yamlio.YamlProblem as exc:
        problems.append(f"{path}: {exc.message}")
        return None
    try:
        data = Card.model_validate(data).model_dump(mode="json", by_alias=True, exclude_unset=True)
    except ValidationError:
        pass
    owner = data.get("owner")
    if isinstance(owner, str):
        found = reps.matching(settings, owner)
        if len(found) == 1:
            data["owner"] = found[0].id
    return data


def digest(folder: Path, since: Since, settings: Settings, owner: str | None = None) -> Digest:
    """Every change to a card since `since`, oldest first; with `owner` (a rep id), those the
    rep made or that touch the rep's accounts."""
    commits = commits_since(folder, since.base, is_card_path)
    blobs = read_blobs(folder, {b for c in commits for f in c.files for b in (f.old_blob, f.new_blob) if b})
    problems: list[str] = []
    found = []
    for commit in commits:
        rep = rep_of(commit, settings)
        for change in commit.files:
            old = _parse(blobs.get(change.old_blob or ""), change.old_path, problems, settings) if change.old_blob else None
            new = _parse(blobs.get(change.new_blob or ""), change.path, problems, settings) if change.new_blob else None
            if (change.old_blob and old is None) or (change.new_blob and new is None):
                continue  # an unreadable version (e.g. conflict markers) was reported
            account = PurePosixPath(change.path).stem
            owners = {(old or {}).get("owner"), (new or {}).get("owner")}
            if owner is not None and rep != owner and owner not in owners:
                continue
            for kind, detail in card_changes(old, new):
                found.append(Change(commit.when.date(), rep, account, kind, commit.sha[:10], detail))
    return Digest(since, len(commits), tuple(found), tuple(problems))


def tier_changes(then: Mapping[str, str], now: Mapping[str, str], owners: Mapping[str, str], today: dt.date,
                 owner: str | None = None) -> list[Change]:
    """Computed tier changes between two tier tables (account -> S/A/B/C), dated `today`,
    attributed to the account's owner."""
    found = []
    for account in sorted(set(then) & set(now)):
        if then[account] != now[account] and (owner is None or owners.get(account) == owner):
            found.append(Change(today, owners.get(account, ""), account, "tier", "",
                                {"from": then[account], "to": now[account], "pinned": False}))
    return found


def by_rep(changes: Iterable[Change]) -> dict[str, list[Change]]:
    """Changes grouped per rep, in first-appearance order."""
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.rep, []).append(change)
    return groups
