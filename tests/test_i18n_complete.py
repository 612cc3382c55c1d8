"""The Chinese catalogs are complete and consistent, and no message for people bypasses them."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from kacard.i18n import extract

SRC = Path(extract.__file__).resolve().parents[1]


def test_every_message_has_a_chinese_translation():
    missing = extract.missing("zh")
    assert not missing, f"untranslated (run python -m kacard.i18n.extract, translate, compile): {missing[:10]}"


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_translations_keep_every_placeholder():
    """A translation that drops or renames a {placeholder} would fail (or lie) at run time."""
    wrong = []
    for key, translated in extract.translations("zh").items():
        msgid = key.rpartition("\x04")[2]
        if translated and _fields(msgid) != _fields(translated):
            wrong.append((msgid, translated))
    assert not wrong, wrong[:5]


KEPT_AS_IS = {"ABC"}  # the Pareto classes' name reads the same in Chinese


def test_translations_are_chinese():
    """Each translation of a message with English words has Chinese in it (not a copy of the msgid)."""
    def words(text: str) -> bool:
        return bool(re.search(r"[A-Za-z]{3}", re.sub(r"\{[^}]*\}", "", text)))

    english_only = [key for key, text in extract.translations("zh").items()
                    if words(key.rpartition("\x04")[2]) and words(text) and not re.search(r"[\u4e00-\u9fff]", text)
                    and text not in KEPT_AS_IS]
    assert not english_only, english_only[:10]


def test_no_catalog_keeps_messages_the_source_no_longer_uses():
    used = extract.all_messages()
    stale = sorted(k for k in extract.translations("zh") if k not in used)
    assert not stale, f"drop them with python -m kacard.i18n.extract: {stale[:10]}"


# Calls whose first argument is text for people: it must come from the catalog.
MESSAGE_CALLS = {"UsageError", "FolderNotFound", "CardNotFound", "CardInvalid", "UnsafePath", "StaleWrite",
                 "ProblemsFound", "MergeConflict", "KacardError", "echo", "note", "prompt", "confirm",
                 "BadParameter", "secho"}
ENGLISH = re.compile(r"[A-Za-z]{2,}[\s(),:;]+[A-Za-z]{2,}")  # two English words in a row


def _english_literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if ENGLISH.search(node.value) else None
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return text if ENGLISH.search(text) else None
    if isinstance(node, ast.BinOp):  # "..." + "..."
        return _english_literal(node.left) or _english_literal(node.right)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)  # "...".format(...)
            and node.func.attr == "format"):
        return _english_literal(node.func.value)
    if isinstance(node, ast.IfExp):  # "..." if x else "..."
        return _english_literal(node.body) or _english_literal(node.orelse)
    return None


# Errors outside KacardError whose message people read (a card's YAML, git, the routing server),
# and the merge driver's Conflict (its reason is printed to the rep running `git pull`).
SHOWN_ERRORS = {"EventError", "GitError", "RoutingServiceError", "Conflict"}
VALIDATORS = {"field_validator", "model_validator", "validator", "root_validator"}


def _carries_a_message(name: str) -> bool:
    """Problems (Problem, YamlProblem, ImportProblem ...) and the errors people read carry their
    message in one of their arguments; echo, note, prompt and KacardErrors in their first."""
    return name in MESSAGE_CALLS or name in SHOWN_ERRORS or name.endswith("Problem")


def _message_arguments(name: str, node: ast.Call) -> list[ast.expr]:
    """The arguments of a call that may hold text for people: every argument of a Problem or
    a shown error (a file or a field is a name, never two English words), else the first."""
    if name in MESSAGE_CALLS:
        return node.args[:1]
    return [*node.args, *(k.value for k in node.keywords)]


def _validator_errors(tree: ast.AST) -> list[ast.Call]:
    """`ValueError(...)` calls in pydantic validators: pydantic shows their text to people as
    the problem of a card or of kacard.yaml."""
    def decorator_name(node: ast.expr) -> str:
        node = node.func if isinstance(node, ast.Call) else node
        return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""

    return [call for function in ast.walk(tree) if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
            and any(decorator_name(d) in VALIDATORS for d in function.decorator_list)
            for call in ast.walk(function) if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
            and call.func.id == "ValueError"]


def test_messages_for_people_go_through_the_catalog():
    """An AST check over the package: an error, a Problem (YamlProblem, ImportProblem ...), an
    EventError, a pydantic validator's ValueError, a note, echo or prompt given an English literal
    (or f-string, or "...".format()) instead of `_()` text fails here, with its file and line."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "i18n" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if not _carries_a_message(name):
                continue
            for argument in _message_arguments(name, node):
                if text := _english_literal(argument):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}: {name}({text[:50]!r})")
        for call in _validator_errors(tree):
            if call.args and (text := _english_literal(call.args[0])):
                found.append(f"{path.relative_to(SRC)}:{call.lineno}: ValueError({text[:50]!r}) in a validator")
    assert not found, "\n".join(found)


# Modules whose every string is either code (a key, a path, a JSON value) or text for people:
# the merge driver's notes (printed by `kacard merge-driver` as git runs it) and the route's
# warnings, travel model, appointment notes and --explain lines. Here any English literal
# outside the catalog fails, wherever it goes (a return value, a list, a variable).
PEOPLE_TEXT_MODULES = ["team/merge.py", "team/mergetext.py", "team/mergefile.py", "team/fieldmerge.py",
                       "planning/route.py", "planning/route_reasons.py", "planning/route_plan.py"]
CATALOG_CALLS = {"_", "N_", "C_", "Message", "ngettext", "pgettext", "label"}
NOT_FOR_PEOPLE = {"Unsupported"}  # the fast merge's hand-over to the round-trip merge, never shown
CODES = {"(whole file)"}  # a conflict's path (fieldmerge.WHOLE_FILE), printed as _("(whole file)")


def _skipped(tree: ast.AST) -> set[int]:
    """ids of the nodes that are no text for people: docstrings, catalog calls' arguments,
    NOT_FOR_PEOPLE arguments and the English form of a `Shown` (JSON's, with its localized value)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skip.add(id(node.value))  # docstrings and attribute docs
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            inside = node.args if name in CATALOG_CALLS | NOT_FOR_PEOPLE else node.args[:1] if name == "Shown" else []
            skip |= {id(sub) for arg in inside for sub in ast.walk(arg)}
    return skip


def test_merge_notes_and_route_texts_go_through_the_catalog():
    found = []
    for name in PEOPLE_TEXT_MODULES:
        tree = ast.parse((SRC / name).read_text(encoding="utf-8"))
        skip = _skipped(tree)
        for node in ast.walk(tree):
            if id(node) in skip or not isinstance(node, ast.Constant | ast.JoinedStr):
                continue
            if isinstance(node, ast.JoinedStr):
                skip |= {id(v) for v in node.values}
            text = _english_literal(node)
            if text and text not in CODES:
                found.append(f"{name}:{node.lineno}: {text[:60]!r}")
    assert not found, "\n".join(found)


def test_each_message_has_one_translation_in_one_catalog():
    """Catalogs are chained, so a message in two of them would show whichever comes first: a
    term (a stage, a role, 出发地) must read the same on every screen."""
    from babel.messages.pofile import read_po

    where: dict[str, list[str]] = {}
    for po in sorted((extract.LOCALE_DIR / "zh" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as handle:
            for message in read_po(handle, locale="zh"):
                if message.id:
                    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
                    where.setdefault(extract.key(str(msgid), message.context), []).append(po.name)
    twice = {k: v for k, v in where.items() if len(v) > 1}
    assert not twice, list(twice.items())[:5]
