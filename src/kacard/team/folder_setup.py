"""`kacard init`: a new card folder with settings, the editor schema and git attributes."""

from __future__ import annotations

import os
from pathlib import Path

from kacard.cards.model.card import Card
from kacard.cards.paths import SETTINGS_FILE, check_id, check_output
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
    check_output(folder, path, own=True)  # a committed symlink never redirects the write
    path.write_text(schema_text(Card), encoding="utf-8")
    return path


Point = tuple[float, float]  # (latitude, longitude) in degrees


def init_folder(folder: Path, reps: list[tuple[str, str]], *, bases: dict[str, Point] | None = None,
                language: str | None = None, map_app: str | None = None) -> list[str]:
    """Create what is missing; never overwrite an existing kacard.yaml. On a re-run, `reps`
    not yet in its team are added to it as a patch (comments and layout kept; add_reps).

    `bases` maps a rep id to the (lat, lon) their routes start from; `language` (zh|en) and
    `map_app` (amap|baidu|google, SPEC §9) are written only into a new kacard.yaml, and only
    once the settings model has those fields. Raises UsageError for a bad rep id or name."""
    messages = []
    bases = bases or {}
    folder.mkdir(parents=True, exist_ok=True)
    settings = folder / SETTINGS_FILE
    if settings.exists() or settings.is_symlink():
        check_output(folder, settings, own=True)
        messages += add_reps(settings, reps, bases) if reps else [_("kept existing {settings}").format(settings=settings)]
    else:
        for rep_id, _name in reps:
            check_id(rep_id)
        if not reps:
            reps = [("me", "Me")]
        team = "\n".join(
            f"  - {{id: {rep_id}, name: {_quote(name)}, base: {_base(bases.get(rep_id))}}}" for rep_id, name in reps
        )
        text = SETTINGS_TEMPLATE.format(team=team) + _optional_settings(language, map_app)
        settings.write_text(text, encoding="utf-8")
        messages.append(_("wrote {settings}").format(settings=settings))
    messages.append(_("wrote {value}").format(value=write_editor_schema(folder)))
    from kacard.team import gitsetup

    messages += gitsetup.ensure_attributes(folder)
    if gitsetup.work_tree(folder) is not None:  # a clone: also configure the merge driver
        messages += gitsetup.configure_driver(folder)
    return messages


def add_reps(settings: Path, reps: list[tuple[str, str]], bases: dict[str, Point]) -> list[str]:
    """Append the reps not yet in kacard.yaml's team (by id), patching the YAML so its
    comments and layout stay; the result must still be valid settings (UsageError if not,
    nothing written). Returns one message per rep."""
    from pydantic import ValidationError

    from kacard.cards.cache import digest
    from kacard.cards.model.settings import Settings
    from kacard.cards.safewrite import write_atomic
    from kacard.cards.yamlio import decode, flow_map, load_data, load_document

    data = settings.read_bytes()
    document = load_document(decode(data))
    team = document.root.get("team")
    if team is None:
        from ruamel.yaml.comments import CommentedSeq

        team = document.root["team"] = CommentedSeq()
    known = {str(rep.get("id")) for rep in team if hasattr(rep, "get")}
    messages = []
    for rep_id, name in reps:
        check_id(rep_id)
        if rep_id in known:
            messages.append(f"{rep_id} is already in the team of {settings}")
            continue
        entry: dict[str, object] = {"id": rep_id, "name": _quote(name)}
        if rep_id in bases:
            lat, lon = bases[rep_id]
            entry["base"] = flow_map({"lat": lat, "lon": lon})
        team.append(flow_map(entry))
        known.add(rep_id)
        messages.append(_("added {rep} ({name}) to the team in {settings}").format(rep=rep_id, name=name, settings=settings))
    text = document.dump()
    try:
        Settings.model_validate(load_data(text))
    except ValidationError as exc:
        raise UsageError(_("{settings}: adding the reps would make it invalid ({reason}); nothing was written")
                         .format(settings=settings, reason=exc.errors()[0]["msg"])) from None
    if text != decode(data):
        write_atomic(settings, text, digest(data))
    return messages


def _base(point: Point | None) -> str:
    return f"{{lat: {point[0]}, lon: {point[1]}}}" if point is not None else "null"


def _optional_settings(language: str | None, map_app: str | None) -> str:
    """`language:` and `map:` lines for a new kacard.yaml, for the fields the model has."""
    from kacard.cards.model.settings import Settings

    lines = []
    if language and "language" in Settings.model_fields:
        lines.append(f"language: {language}                        # zh | en: what kacard prints for people")
    if map_app and "map" in Settings.model_fields:
        lines.append(f"map: {{app: {map_app}}}                      # amap | baidu | google: route links")
    return "".join(line + "\n" for line in lines)


def _quote(text: str) -> str:
    if any(ch in text for ch in ':{}[],"#&*!|>%@`\'') or not text:
        raise UsageError(_("rep name {text!r} has characters that need quoting; edit kacard.yaml").format(text=text))
    return text
