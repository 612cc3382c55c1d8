"""Reading one card file (or kacard.yaml, plans/YEAR.yaml) into its model, every problem
in plain words with file, line, column and field (kacard.cards.messages); never raises
for bad content."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml.comments import CommentedMap

from kacard.cards import aliases, yamlio
from kacard.cards.model.settings import Settings
from kacard.cards.paths import SETTINGS_FILE
from kacard.errors import CardInvalid, Problem, SettingsInvalid
from kacard.i18n import _

if TYPE_CHECKING:
    from kacard.cards.model.card import Card


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _validation_problems(rel: str, text: str, exc: ValidationError, model: Any = None) -> list[Problem]:
    """One problem per pydantic error, positioned with the round-trip document and put
    in plain words by kacard.cards.messages (which reads the card's line too). `model` is
    the model validated (the card's by default): it names the fields a key may have meant.

    A required field that is missing is placed where it would go (before the key that
    follows the field before it in the model), and every missing one is reported."""
    from kacard.cards import messages

    try:
        root: Any = yamlio.load_document(text).root
    except yamlio.YamlProblem:
        root = None
    lines = text.split("\n")
    problems: list[Problem] = []
    for error in exc.errors(include_url=False, include_input=True):
        loc = tuple(error["loc"])
        where = yamlio.locate(root, loc) if root is not None else None
        if error["type"] == "missing" and loc and root is not None:
            where = _where_missing(root, loc, model) or where
        line, column = where if where else (None, None)
        source = lines[line - 1] if line is not None and 0 < line <= len(lines) else None
        raw_message = error["msg"]
        if error["type"] == "extra_forbidden":
            raw_message = _unknown_field_message(loc, model)
        raw = messages.Raw(error["type"], loc, raw_message, error.get("input"), dict(error.get("ctx") or {}))
        message = messages.explain(raw, source, column)
        field = _field_path(loc)
        mistake = messages.ime_about(raw, source, column)
        if mistake is not None and mistake.kind == "indent":  # the line's key is misread: no field to name
            field, column = "", mistake.column
        if error["type"] == "missing" and loc:
            hint = messages.missing_hint(text, str(loc[-1]))
            if hint is not None:
                message, line, column = hint.message, hint.line, hint.column
        split = messages.split_number(raw, source)
        if split is not None:  # `amount: 1,200,000` in a {…} line: point at amount
            field, column = _field_path(messages.corrected(raw, source).loc), split.start(1) + 1
        if not any(p.line == line and p.field == field and p.message == message for p in problems):
            problems.append(Problem(rel, line, column, field, message))
    return problems


def _where_missing(root: Any, loc: tuple[int | str, ...], model: Any) -> tuple[int, int] | None:
    """(line, column) where the missing field at `loc` would be written: the line of the
    key after the field that comes before it in the model (`name` goes after `id`), else
    the parent's first key; None when the parent is not a mapping in the document."""
    parent: Any = root
    for part in loc[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return None
    if not isinstance(parent, CommentedMap) or not parent:
        return None
    fields = _known_fields(loc[:-1], model)
    name = str(loc[-1])
    before = fields[: fields.index(name)] if name in fields else []
    keys = list(parent)
    present = [keys.index(f) for f in before if f in parent]
    after = max(present) + 1 if present else 0
    key = keys[min(after, len(keys) - 1)]
    line, column = parent.lc.key(key)
    return line + 1, column + 1


def _unknown_field_message(loc: tuple[int | str, ...], model: Any = None) -> str:
    """An unknown key: the field it may be a typo of, or the English field a Chinese field
    name stands for (kacard.cards.aliases.field_of: `名称` → name; card keys stay English)."""
    import difflib

    name = str(loc[-1])
    known = _known_fields(loc[:-1], model)
    english = aliases.field_of(name)
    if english is not None and english in known:
        return _("unknown field '{name}'; did you mean '{close}'? (card fields are written in English)").format(
            name=name, close=english)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return _("unknown field '{name}'; did you mean '{close}'? (team fields go under 'custom')").format(
            name=name, close=close[0])
    return _("unknown field '{name}' (team fields go under 'custom')").format(name=name)


def _known_fields(parent: tuple[int | str, ...], model: Any) -> list[str]:
    """Field names (aliases first) of the model found by walking `parent` from `model`
    (the card's when None)."""
    import typing

    if model is None:
        from kacard.cards.model.card import Card

        model = Card
    current = model
    for part in parent:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None
        )
        if info is None:
            return []
        annotation = info.annotation
        for candidate in (annotation, *typing.get_args(annotation)):
            inner = [a for a in (candidate, *typing.get_args(candidate)) if hasattr(a, "model_fields")]
            if inner:
                current = inner[0]
                break
        else:
            return []
    return [f.alias or name for name, f in current.model_fields.items()]


def parse_card(rel: str, data: bytes, expect_id: str | None = None) -> tuple[Card | None, list[Problem]]:
    """Validate one card file's bytes; (card, problems). Never raises for bad content."""
    card, problems, _raw = read_card(rel, data, expect_id)
    return card, problems


class TeamFields(NamedTuple):
    """What the team checks (kacard.cards.store.settings_problems) read of a card that did
    not load: its `owner` as written (None when it is not text) and its criteria names."""

    owner: str | None
    criteria: tuple[str, ...]


def team_fields(raw: Any) -> TeamFields:
    """The owner and criteria names of a card's plain data, read as leniently as possible,
    so that an unknown owner is reported in the same run as the card's other problems."""
    if not isinstance(raw, dict):
        return TeamFields(None, ())
    owner = raw.get("owner")
    criteria = raw.get("criteria")
    names = tuple(str(name) for name in criteria) if isinstance(criteria, dict) else ()
    return TeamFields(owner.strip() if isinstance(owner, str) and owner.strip() else None, names)


def read_card(rel: str, data: bytes, expect_id: str | None = None
              ) -> tuple[Card | None, list[Problem], dict[str, Any] | None]:
    """parse_card, and the card's plain data when it was read as YAML (None otherwise):
    the team checks of a card that does not load read its owner from there."""
    from kacard.cards.messages import yaml_problem
    from kacard.cards.model.card import Card

    text = ""
    try:
        text = yamlio.decode(data)
        raw = yamlio.load_data(text, data)
    except yamlio.YamlProblem as exc:
        found = yaml_problem(text, exc.line, exc.column, exc.message) if text else exc
        return None, [Problem(rel, found.line, found.column, "", found.message)], None
    problems: list[Problem] = []
    if expect_id is not None and isinstance(raw.get("id"), str) and raw["id"] != expect_id:
        line = _key_line(text, "id")
        problems.append(Problem(rel, line, 1 if line else None, "id",
                                _("id {card_id!r} does not match the file name {file}").format(
                                    card_id=raw["id"], file=f"{expect_id}.yaml")))
    try:
        card = Card.model_validate(raw)
    except ValidationError as exc:
        return None, problems + _validation_problems(rel, text, exc), raw
    except (TypeError, ValueError, ArithmeticError, RecursionError) as exc:  # a model rule hit data it
        # did not expect: this card is broken, the others are not (never a traceback)
        return None, problems + [Problem(rel, None, None, "", _("cannot be read as a card ({error})").format(
            error=type(exc).__name__))], raw
    return (None, problems, raw) if problems else (card, [], raw)


def _key_line(text: str, key: str) -> int | None:
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def load_settings(folder: Path) -> Settings:
    """The team's settings (defaults without a kacard.yaml). SettingsInvalid (exit 2) when
    it cannot be read or is not valid: the problems with file:line:col: field, and the fix."""
    if not (folder / SETTINGS_FILE).is_file():
        return Settings()
    try:
        return read_model(folder, SETTINGS_FILE, Settings)
    except CardInvalid as exc:
        raise SettingsInvalid(_(
            "{file} has a problem (below): fix that line, then check with `kacard validate`; `git diff "
            "{file}` shows what changed since the last commit. Until then only `show`, `find` and "
            "`validate` run (with default settings)").format(file=SETTINGS_FILE), exc.problems) from None


M = TypeVar("M", bound=BaseModel)


def read_model(folder: Path, rel: str, model: type[M]) -> M:
    """A folder file that is not a card (kacard.yaml, plans/2027.yaml) read safely into `model`.

    Raises CardInvalid (exit 2) naming file:line:col: field: message for every problem.
    """
    data = (folder / rel).read_bytes()
    try:
        text = yamlio.decode(data)
        # an empty file (or comments only) is an empty mapping: every setting at its default
        blank = all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())
        raw = {} if blank else yamlio.load_data(text)
    except yamlio.YamlProblem as exc:
        raise CardInvalid(_("{rel} cannot be read").format(rel=rel),
                          [Problem(rel, exc.line, exc.column, "", exc.message)]) from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise CardInvalid(_("{rel} is not valid").format(rel=rel), _validation_problems(rel, text, exc, model)) from None
