"""Reading one card file (or kacard.yaml, plans/YEAR.yaml) into its model, every problem
in plain words with file, line, column and field (kacard.cards.messages); never raises
for bad content."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from kacard.cards import yamlio
from kacard.cards.model.settings import Settings
from kacard.cards.paths import SETTINGS_FILE
from kacard.errors import CardInvalid, Problem, SettingsInvalid
from kacard.i18n import _

if TYPE_CHECKING:
    from kacard.cards.model.card import Card


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _validation_problems(rel: str, text: str, exc: ValidationError) -> list[Problem]:
    """One problem per pydantic error, positioned with the round-trip document and put
    in plain words by kacard.cards.messages (which reads the card's line too)."""
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
        line = where[0] if where else None
        source = lines[line - 1] if line is not None and 0 < line <= len(lines) else None
        raw_message = error["msg"]
        if error["type"] == "extra_forbidden":
            raw_message = _unknown_field_message(loc, root)
        raw = messages.Raw(error["type"], loc, raw_message, error.get("input"), dict(error.get("ctx") or {}))
        message = messages.explain(raw, source)
        if error["type"] == "missing" and loc:
            message = messages.missing_hint(text, str(loc[-1])) or message
        column = where[1] if where else None
        fixed = messages.corrected(raw, source)
        if fixed is not raw and source is not None:  # `amount: 1,200,000` in a {…} line: point at amount
            loc, column = fixed.loc, source.find(f"{fixed.loc[-1]}:") + 1 or column
        problem = Problem(rel, line, column, _field_path(loc), message)
        if not any(p.line == line and p.message == message for p in problems):
            problems.append(problem)
    return problems


def _unknown_field_message(loc: tuple[int | str, ...], root: Any) -> str:
    import difflib

    from kacard.cards.model import card as card_models

    name = str(loc[-1])
    known = _known_fields(loc[:-1], card_models.Card)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return _("unknown field '{name}'; did you mean '{close}'? (team fields go under 'custom')").format(
            name=name, close=close[0])
    return _("unknown field '{name}' (team fields go under 'custom')").format(name=name)


def _known_fields(parent: tuple[int | str, ...], model: Any) -> list[str]:
    """Field names (aliases first) of the model found by walking `parent` from Card."""
    import typing

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
    from kacard.cards.messages import yaml_problem
    from kacard.cards.model.card import Card

    text = ""
    try:
        text = yamlio.decode(data)
        raw = yamlio.load_data(text, data)
    except yamlio.YamlProblem as exc:
        found = yaml_problem(text, exc.line, exc.column, exc.message) if text else exc
        return None, [Problem(rel, found.line, found.column, "", found.message)]
    problems: list[Problem] = []
    if expect_id is not None and isinstance(raw.get("id"), str) and raw["id"] != expect_id:
        line = _key_line(text, "id")
        problems.append(Problem(rel, line, 1 if line else None, "id",
                                _("id {card_id!r} does not match the file name {file}").format(
                                    card_id=raw["id"], file=f"{expect_id}.yaml")))
    try:
        card = Card.model_validate(raw)
    except ValidationError as exc:
        return None, problems + _validation_problems(rel, text, exc)
    except (TypeError, ValueError, ArithmeticError, RecursionError) as exc:  # a model rule hit data it
        # did not expect: this card is broken, the others are not (never a traceback)
        return None, problems + [Problem(rel, None, None, "", _("cannot be read as a card ({error})").format(
            error=type(exc).__name__))]
    return (None, problems) if problems else (card, [])


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
        raise CardInvalid(_("{rel} is not valid").format(rel=rel), _validation_problems(rel, text, exc)) from None
