"""What an import may change on a card that exists: never what a stale workbook still
holds, never the owner a handover gave.

A row of `kacard export --format xlsx` carries the fingerprints of its cells as they
were exported (team.export.row_stamp). Each cell is compared three ways, with what was
exported and with the card now:

* the cell as exported: nobody edited it, so it is no change (an old workbook changes
  only what was edited in it);
* edited, and the card's value is still the exported one: the edit is applied;
* edited, and the card's value changed since the export to something else: a conflict.
  Nothing of that row is imported; the problem names the cell.

A row of `contacts`, `trades` or `visits` is one record: it is no change when no cell
was edited; an edited one applies when the card still has the record as exported, and
is a conflict when that record has changed or gone since.

A row without a stamp (a workbook made by hand, a CSV file) is taken as written, but
its owner cell never undoes a handover: when the card's last handover gave it to
another rep than the cell names, the owner is left out, with a problem that says to
use `kacard handover`.
"""

from __future__ import annotations

from typing import Any

from kacard.cards.model.card import Card
from kacard.i18n import _
from kacard.team.export import TABLES, fingerprint, table_rows
from kacard.team.import_cells import value_key
from kacard.team.import_rows import ImportProblem, Row

_KEYS = ("id",)  # how the row found its card: kept, whatever else is left out


def fresh_rows(card: Card | None, rows: list[Row], reps: dict[str, str]) -> tuple[list[Row], list[ImportProblem]]:
    """The rows (of one account) that may be applied to `card` (None: a new card), cells
    that are no change taken out; and the problems of the rows and cells left out."""
    if card is None:
        return rows, []
    kept: list[Row] = []
    problems: list[ImportProblem] = []
    now: dict[str, list[list[str]]] = {}  # table -> the fingerprints of the card's rows now
    for row in rows:
        found = _stale_cells(card, row, now) if row.stamp is not None else []
        if found:
            problems += found
            continue
        if row.kind == "cards" and "owner" in row.values:
            trouble = _owner_after_handover(card, row, reps)
            if trouble is not None:
                problems.append(trouble)
                del row.values["owner"]
        if set(row.values) - set(_KEYS):  # else nothing is left to change
            kept.append(row)
    return kept, problems


def _stale_cells(card: Card, row: Row, now: dict[str, list[list[str]]]) -> list[ImportProblem]:
    """The conflicts of a stamped row (see the module); cells that are no change are
    taken out of `row.values` (a record row left without an edit: all of them). `now`
    keeps the card's fingerprints per table, for the account's other rows."""
    assert row.stamp is not None
    table, exported = row.stamp
    columns = TABLES[table]
    if table not in now:
        now[table] = [[fingerprint(record.get(key)) for key in columns] for record in table_rows(card, table)]
    if table == "cards":
        current: list[str] | None = now[table][0] if now[table] else None
    else:
        current = exported if exported in now[table] else None  # the record as exported is still on the card
    edited: list[str] = []
    conflicts: list[ImportProblem] = []
    for target in list(row.values):
        label = row.cells[target][1]
        if target in _KEYS or label not in columns:
            continue  # a column the export did not write: taken as written
        i = columns.index(label)
        cell = row.seen.get(target)
        if cell == exported[i]:
            if row.kind == "cards":
                del row.values[target]
            continue
        edited.append(target)
        if current is not None and current[i] in (exported[i], cell):
            continue  # the card still holds what was exported (or already the new value)
        conflicts.append(row.problem(target, _(
            "edited in this workbook, but the card was changed since it was exported; nothing of this "
            "row was imported: export again and make the change there")))
    if row.kind != "cards" and not edited:
        row.values.clear()
    return conflicts


def _owner_after_handover(card: Card, row: Row, reps: dict[str, str]) -> ImportProblem | None:
    """A problem when the row would give the card another owner than its last handover."""
    if not card.handovers:
        return None
    last = max(enumerate(card.handovers), key=lambda pair: (pair[1].date, pair[0]))[1]
    owner = _rep(reps, row.values["owner"])
    if owner in (_rep(reps, card.owner), _rep(reps, last.to)):
        return None
    return row.problem("owner", _(
        "the card was handed over to {to} on {date}; change owners with `kacard handover`, not by import; "
        "the owner was left out").format(to=last.to, date=last.date.isoformat()))


def _rep(reps: dict[str, str], who: Any) -> str:
    key = value_key(who)
    return reps.get(key) or reps.get(key.lower()) or key
