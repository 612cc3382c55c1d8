"""`kacard import`: rows of a workbook or CSV files into cards, found or created.

Flow: read_rows (cells → values, every bad cell a problem; a workbook of `export
--redact` refused, masks left out) → match each row to an account (by id, normalised
company name, 统一社会信用代码, a contact's phone; see import_match) → leave out what a
stale exported workbook or an owner cell must not change (import_stale) → patch each account's round-trip document (import_patch) → validate
each changed card as `kacard validate` would → write (safewrite.write_atomic) all valid
cards, or none with `all_or_nothing` when anything was wrong. A dry run stops before
writing and keeps a diff per card. The same file imported again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from kacard.cards import parse, store, walk, writing, yamlio
from kacard.cards.editing import SCHEMA_COMMENT
from kacard.cards.store import Folder, LoadedCard
from kacard.errors import KacardError
from kacard.i18n import _
from kacard.team.import_emit import card_text
from kacard.team.import_map import ImportMap
from kacard.team.import_match import AccountIndex, Found, normalise_name, suggest_id
from kacard.team.import_patch import add_contact, add_trade, add_visit, set_field, set_location
from kacard.team.import_rows import ImportProblem, Progress, Row, Source, read_rows, rep_lookup
from kacard.team.import_stale import fresh_rows

HEADER = "# Customer data card (客户资料卡), imported by `kacard import`. Field reference: kacard schema / README."


@dataclass
class _Account:
    """What the import does to one account: its card (None: new) and the rows about it."""

    card_id: str
    loaded: LoadedCard | None
    first: Row
    rows: list[Row] = field(default_factory=list)


@dataclass
class CardChange:
    card_id: str
    rel: str
    action: str  # created | updated | unchanged | failed (could not be written; its problem says why)
    text: str
    diff: str
    digest: str | None  # of the bytes read (None for a new card)


@dataclass
class ImportResult:
    """What an import did (or would do, `dry_run`): SPEC §9's created/updated/unchanged ids
    and problems, the diff of every changed card and the sources read."""

    changes: list[CardChange]
    problems: list[ImportProblem]
    sources: list[Source]
    dry_run: bool
    written: bool  # False when nothing was written (dry run, or all-or-nothing with problems)

    def ids(self, action: str) -> list[str]:
        return [c.card_id for c in self.changes if c.action == action]


def import_file(
    folder: Folder, path: Path, mapping: ImportMap, today: dt.date, *, dry_run: bool = False,
    all_or_nothing: bool = False, folder_datum: str | None = None, progress: Progress | None = None,
) -> ImportResult:
    """Import `path` (and the files its mapping names) into the loaded `folder`.

    `today` dates nothing in the cards (imported rows carry their own dates); it is the
    `since` of new cards only when the mapping's defaults ask for `since: today`."""
    rows, problems, sources = read_rows(mapping, path, folder.settings, folder_datum=folder_datum,
                                        progress=progress)
    accounts, found = _match(folder, rows)
    problems += found
    reps = rep_lookup(folder.settings, mapping.owners)
    for account in accounts:  # a stale workbook's cells, an owner a handover set: see import_stale
        account.rows, found = fresh_rows(account.loaded.card if account.loaded else None, account.rows, reps)
        problems += found
    changes = []
    for account in accounts:
        change, found = _render(folder, account, mapping, today)
        problems += found
        if change is not None:
            changes.append(change)
    changed = [c for c in changes if c.action != "unchanged"]
    written = not dry_run and not (all_or_nothing and problems) and bool(changed)
    if written:
        failed = _write(folder, changed, all_or_nothing=all_or_nothing)
        problems += failed
        if not all_or_nothing:  # the others were written: these were not
            for change in changed:
                change.action = "failed" if change.rel in {p.file for p in failed} else change.action
        written = len(failed) < len(changed) and not (all_or_nothing and failed)
    order = {(s.file, s.sheet): i for i, s in enumerate(sources)}
    problems.sort(key=lambda p: (order.get((p.file, p.sheet), len(order)), p.row or 0))
    return ImportResult(changes, problems, sources, dry_run, written)


# -- matching rows to accounts -------------------------------------------------------------


def _index(folder: Folder) -> tuple[AccountIndex, dict[str, LoadedCard], set[str]]:
    index = AccountIndex()
    cards = {}
    for loaded in folder.cards:
        card = loaded.card
        code = card.custom.get("credit_code") if isinstance(card.custom.get("credit_code"), str) else None
        index.add(card.id, card.name, code, [c.phone for c in card.contacts if c.phone])
        cards[card.id] = loaded
    taken = set(cards) | {Path(p.file).stem for p in folder.problems}
    files, _problems = walk.card_files(folder.path)
    taken |= {Path(rel).stem for rel, _path in files}
    return index, cards, taken


def _match(folder: Folder, rows: list[Row]) -> tuple[list[_Account], list[ImportProblem]]:
    index, cards, taken = _index(folder)
    accounts: dict[str, _Account] = {}
    problems = []
    left_out: dict[str, ImportProblem] = {}  # normalised name or id -> the problem of its card row
    for row in rows:
        values = row.values
        target = "name" if row.kind == "cards" else "account"
        if row.kind != "cards" and (
                skipped := left_out.get(normalise_name(str(values["account"]))) or left_out.get(
                    str(values["account"]).lower())):
            problems.append(row.problem("account", _(
                "not imported: this account's own row (row {row} of {where}) was not imported").format(
                row=skipped.row, where=_where(skipped))))
            continue
        if row.kind == "cards":
            found = index.find(card_id=values.get("id"), name=values.get("name"),
                               code=values.get("custom.credit_code"), phone=values.get("contact.phone"))
        else:
            account = str(values["account"])
            found = index.find(card_id=account.lower(), name=account)
        if found.how in ("ambiguous", "conflict"):
            problems.append(row.problem(target, _conflict_message(index, found) if found.how == "conflict" else _(
                "matches several cards by {key} ({ids}); give the card id").format(
                key=found.key, ids=", ".join(found.others))))
            if row.kind == "cards":
                for key in (normalise_name(str(values.get("name") or "")), str(values.get("id") or "").lower()):
                    if key:
                        left_out.setdefault(key, problems[-1])
            continue
        card_id = found.card_id
        if card_id is None:
            if row.kind != "cards":
                problems.append(row.problem("account", _("no card for {account!r} in the folder or this import").format(
                    account=str(values["account"]))))
                continue
            if "name" not in values:
                problems.append(row.problem("id", _("no card with this id; a new card needs a name")))
                continue
            card_id = values.get("id") or suggest_id(values["name"], taken)
            if card_id in taken:
                problems.append(row.problem("id", _("a card file {id}.yaml exists but cannot be read; "
                                                    "fix it first (kacard validate)").format(id=card_id)))
                continue
            taken.add(card_id)
            index.add(card_id, values["name"], values.get("custom.credit_code"),
                      [values["contact.phone"]] if "contact.phone" in values else [])
        if card_id not in accounts:
            accounts[card_id] = _Account(card_id, cards.get(card_id), row)
        accounts[card_id].rows.append(row)
    return list(accounts.values()), problems


def _where(problem: ImportProblem) -> str:
    """FILE!Sheet (FILE for a CSV file): where a problem's row is."""
    return problem.file + (f"!{problem.sheet}" if problem.sheet else "")


def _conflict_message(index: AccountIndex, found: Found) -> str:
    """Why a row is on no card: cards with its name have another credit code."""
    return _("has the name of {cards} but another 统一社会信用代码: two companies, or a wrong code; "
             "give the card id to update it, or fix the code; not imported").format(
        cards=", ".join(f"{i} ({index.name_of.get(i, '')})" for i in found.others))


# -- patching one card -------------------------------------------------------------------------


def _render(folder: Folder, account: _Account, mapping: ImportMap, today: dt.date
            ) -> tuple[CardChange | None, list[ImportProblem]]:
    """The account's card after the import (text, diff) and the problems found on the way.

    An existing card is first probed on its validated model: when no row would change
    it (the second import of a file), its file is not even parsed again."""
    loaded = account.loaded
    problems: list[ImportProblem] = []
    if loaded is not None:
        rel = loaded.rel
        if not _apply_all(loaded.card.model_dump(by_alias=True), account, mapping, problems, probe=True):
            return CardChange(account.card_id, rel, "unchanged", "", "", loaded.digest), problems
        try:
            original, digest = writing.read_for_update(folder.path, loaded)
            document = yamlio.load_document(original)
        except (KacardError, yamlio.YamlProblem) as exc:
            return None, [account.first.problem(None, f"{rel}: {exc}")]
        _apply_all(document.root, account, mapping, [], probe=False)
        text = document.dump()
    else:
        rel, original, digest = f"{account.card_id}.yaml", "", None
        root = CommentedMap()
        if not _new_card_fields(root, account, mapping, today, problems):
            return None, problems
        _apply_all(root, account, mapping, problems, probe=False)
        schema = folder.path / ".schema" / "card.schema.json"
        header = [SCHEMA_COMMENT.format(schema=".schema/card.schema.json")] if schema.exists() else []
        text = card_text(root, [*header, HEADER])
    if text == original:
        return CardChange(account.card_id, rel, "unchanged", text, "", digest), problems
    card, found = parse.parse_card(rel, text.encode("utf-8"), expect_id=account.card_id)
    if card is not None:
        found = store.settings_problems(rel, card.owner, card.criteria, folder.settings)
    if found:
        first = account.first
        return None, problems + [ImportProblem(first.file, first.sheet, first.number, None, p.field,
                                               _("the card {id} would be invalid, not imported: {message}").format(
                                                   id=account.card_id, message=p.message)) for p in found]
    diff = "".join(difflib.unified_diff(original.splitlines(keepends=True), text.splitlines(keepends=True),
                                        fromfile=rel if loaded else "/dev/null", tofile=rel))
    return CardChange(account.card_id, rel, "created" if loaded is None else "updated", text, diff, digest), problems


def _apply_all(root: Any, account: _Account, mapping: ImportMap, problems: list[ImportProblem], *,
               probe: bool) -> bool:
    """Apply every row of the account; whether anything changed (with `probe`, would)."""
    changed = False
    visits: list[dict[str, Any]] = []
    for row in account.rows:
        row_changed, row_visits = _apply_row(root, row, mapping, problems, probe=probe)
        changed |= row_changed
        visits += row_visits
    for visit in visits:  # after the visit sheets' rows, which say more about the same visit
        changed |= add_visit(root, visit, mapping.next_action, probe=probe)
    return changed


def _new_card_fields(root: CommentedMap, account: _Account, mapping: ImportMap, today: dt.date,
                     problems: list[ImportProblem]) -> bool:
    """The id, name and defaults of a new card; False (with a problem) without an owner."""
    if "owner" not in account.first.values and "owner" not in mapping.defaults:
        problems.append(account.first.problem("owner", _(
            "no owner; a new card needs one (a good 负责业务员 cell, or defaults.owner in the mapping): "
            "not imported")))
        return False
    set_field(root, "id", account.card_id)
    set_field(root, "name", account.first.values["name"])
    for key, value in mapping.defaults.items():
        if key not in account.first.values:
            set_field(root, key, today if value == "today" else value)
    return True


_RECORD_PREFIX = ("contact.", "visit.")


def _apply_row(root: Any, row: Row, mapping: ImportMap, problems: list[ImportProblem], *, probe: bool
               ) -> tuple[bool, list[dict[str, Any]]]:
    """Patch the card's document with one row (a card row's fields, or one record): whether
    it changed, and the visit a card row describes (最近拜访, 下次拜访), to be added last."""
    values = row.values
    record = {k: v for k, v in values.items() if k != "account"}
    if row.kind == "contacts":
        return add_contact(root, record, probe=probe), []
    if row.kind == "trades":
        return add_trade(root, record, probe=probe), []
    if row.kind == "visits":
        return add_visit(root, record, mapping.next_action, probe=probe), []
    changed = False
    for key, value in values.items():
        if key == "id" or key.startswith(_RECORD_PREFIX) or key.startswith("location."):
            continue
        if key == "name" and values.get("id") != root.get("id"):
            continue  # matched by name, code or phone: the card's own spelling stays
        changed |= set_field(root, key, value, probe=probe)
    if "location.lat" in values:
        changed |= set_location(root, values["location.lat"], values["location.lon"], probe=probe)
    contact = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("contact.")}
    if contact and "name" in contact:
        changed |= add_contact(root, contact, probe=probe)
    elif contact:
        problems.append(row.problem(next(f"contact.{k}" for k in contact), _(
            "a contact needs a name (the 联系人 column); not imported")))
    visit = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("visit.")}
    if visit and "date" not in visit:
        problems.append(row.problem(next(f"visit.{k}" for k in visit), _(
            "a next visit needs the last visit's date (最近拜访); not imported")))
        return changed, []
    if visit and "owner" in values:
        visit["by"] = values["owner"]
    return changed, [visit] if visit else []


# -- writing ------------------------------------------------------------------------------------


def _write(folder: Folder, changes: list[CardChange], *, all_or_nothing: bool) -> list[ImportProblem]:
    """Write every changed card (writing.write_many); one that cannot be written is a
    problem, the rest are written (with `all_or_nothing`, none are)."""
    failed = writing.write_many(folder.path, [(c.rel, c.text, c.digest) for c in changes],
                                all_or_nothing=all_or_nothing)
    return [ImportProblem(rel, None, None, None, "", exc.message) for rel, exc in failed]


def summary_counts(result: ImportResult) -> dict[str, int]:
    return {action: len(result.ids(action)) for action in ("created", "updated", "unchanged")} | {
        "problems": len(result.problems)}


def as_json(result: ImportResult) -> dict[str, Any]:
    """SPEC §9: {"created", "updated", "unchanged", "problems"} (+ dry_run, written, sources)."""
    return {
        "created": result.ids("created"), "updated": result.ids("updated"), "unchanged": result.ids("unchanged"),
        "problems": [p.as_json() for p in result.problems], "dry_run": result.dry_run, "written": result.written,
        "sources": [{"file": s.file, "sheet": s.sheet, "kind": s.kind, "rows": s.rows, "encoding": s.encoding}
                    for s in result.sources],
    }

