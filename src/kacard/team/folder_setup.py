"""`kacard init`: a new card folder with settings, the editor schema and git attributes."""

from __future__ import annotations

import os
from pathlib import Path

from kacard.cards.model.card import Card
from kacard.cards.paths import SETTINGS_FILE, check_id
from kacard.cards.schemas import schema_text
from kacard.errors import UsageError
from kacard.i18n import _

SCHEMA_DIR = ".schema"

SETTINGS_TEMPLATE = """\
# kacard team settings. Reference: README "kacard.yaml".
schema: 1
currency: CNY
team:                       # reps; a card's owner must be one of these ids
{team}
workweek: {{days: [mon, tue, wed, thu, fri], start: "08:30", end: "17:30"}}
cadence_days: {{S: 7, A: 14, B: 30, C: 90}}                  # visit rhythm per tier
scoring:
  pareto: {{metric: revenue, window_days: 365, a: 0.80, b: 0.95}}
  ten_two: {{key: 14, potential: 10}}
travel: {{speed_kmh: 30, circuity: 1.3}}                     # haversine fallback
"""


def schema_hint(folder: Path, card_file: Path) -> str:
    """Relative path from a card file to the folder's editor schema."""
    target = folder / SCHEMA_DIR / "card.schema.json"
    return Path(os.path.relpath(target, card_file.parent)).as_posix()


def write_editor_schema(folder: Path) -> Path:
    path = folder / SCHEMA_DIR / "card.schema.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(Card), encoding="utf-8")
    return path


def init_folder(folder: Path, reps: list[tuple[str, str]]) -> list[str]:
    """Create what is missing; never overwrite an existing kacard.yaml."""
    messages = []
    folder.mkdir(parents=True, exist_ok=True)
    settings = folder / SETTINGS_FILE
    if settings.exists():
        messages.append(_("kept existing {settings}").format(settings=settings))
    else:
        for rep_id, _name in reps:
            check_id(rep_id)
        if not reps:
            reps = [("me", "Me")]
        team = "\n".join(
            f"  - {{id: {rep_id}, name: {_quote(name)}, base: null}}" for rep_id, name in reps
        )
        settings.write_text(SETTINGS_TEMPLATE.format(team=team), encoding="utf-8")
        messages.append(_("wrote {settings}").format(settings=settings))
    messages.append(_("wrote {value}").format(value=write_editor_schema(folder)))
    from kacard.team import gitsetup

    messages += gitsetup.ensure_attributes(folder)
    if gitsetup.work_tree(folder) is not None:  # a clone: also configure the merge driver
        messages += gitsetup.configure_driver(folder)
    return messages


def _quote(text: str) -> str:
    if any(ch in text for ch in ':{}[],"#&*!|>%@`\'') or not text:
        raise UsageError(_("rep name {text!r} has characters that need quoting; edit kacard.yaml").format(text=text))
    return text
