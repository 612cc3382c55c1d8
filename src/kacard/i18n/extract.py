"""Every message kacard shows people, found in the source, and the catalogs' gaps.

Messages are the string arguments of `_()`, `N_()`, `ngettext()`, `Message()` and the
context-taking `C_()`/`label()`/`Word()`/`pgettext()` in src/kacard (Babel's Python
extractor, and an AST pass for calls inside f-strings, which Babel cannot see), plus the help of every command (typer takes it
from the command's docstring; cli.app translates it with `_()`). Each message belongs to
the area of the first file that uses it: cli/ -> cli.po, render/ -> render.po, the rest
-> core.po. `python -m kacard.i18n.extract` adds the missing msgids to the Chinese
catalogs (empty, to be translated) and lists those without a translation; it needs Babel.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Any

from kacard.i18n import LOCALE_DIR

SOURCE = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "Message": None, "pgettext": ((1, "c"), 2),
            "C_": ((1, "c"), 2), "label": ((1, "c"), 2), "Word": ((1, "c"), 2)}


def key(msgid: str, context: str | None) -> str:
    """A message's key in these tables: gettext's `context\x04msgid` when it has a context."""
    return f"{context}\x04{msgid}" if context else msgid


def area_of(path: Path) -> str:
    """The catalog (without .po) a source file's messages go to."""
    parts = path.relative_to(SOURCE).parts
    return parts[0] if parts[0] in ("cli", "render") else "core"


PLURALS: dict[str, str] = {}  # singular msgid -> plural msgid, of the ngettext calls seen


def source_messages() -> dict[str, str]:
    """msgid -> area, from every `_()`-style call in the package (plural forms included)."""
    from babel.messages.extract import extract_python

    found: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        if "i18n" in path.relative_to(SOURCE).parts and path.name != "words.py":  # the words of label()
            continue
        with path.open("rb") as handle:
            for _line, func, message, _comments in extract_python(handle, KEYWORDS, [], {}):  # type: ignore[arg-type]
                spec: Any = KEYWORDS[str(func)]
                if spec and isinstance(spec[0], tuple):  # (context, msgid)
                    if isinstance(message, tuple) and all(message):
                        found.setdefault(key(str(message[1]), str(message[0])), area_of(path))
                    continue
                if func == "ngettext" and isinstance(message, tuple) and message[0] and message[1]:
                    PLURALS[str(message[0])] = str(message[1])
                for text in message if isinstance(message, tuple) else (message,):
                    if text:
                        found.setdefault(str(text), area_of(path))
    return found


def nested_messages() -> dict[str, str]:
    """msgid -> area of `_("...")`-style calls inside f-strings, which Babel's tokenizer does not
    look into before Python 3.12 (an AST sees them)."""
    import ast

    found: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        if "i18n" in path.relative_to(SOURCE).parts and path.name != "words.py":  # the words of label()
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS):
                continue
            texts = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                     for a in node.args]
            spec = KEYWORDS[node.func.id]
            if spec and isinstance(spec[0], tuple):  # (context, msgid)
                if len(texts) >= 2 and texts[0] and texts[1]:
                    found.setdefault(key(texts[1], texts[0]), area_of(path))
            elif texts and texts[0]:
                found.setdefault(texts[0], area_of(path))
                if spec and len(texts) > 1 and texts[1]:
                    found.setdefault(texts[1], area_of(path))
    return found


def help_messages() -> dict[str, str]:
    """msgid -> "cli": the root's help and every command's (typer takes a command's from its
    docstring; cli.app translates them). Read from the source: each `app.command(...)(name)`
    in kacard/cli names a function whose cleaned docstring is the msgid."""
    import ast

    found: dict[str, str] = {}
    for path in sorted((SOURCE / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {f.name: f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if (isinstance(func, ast.Call) and isinstance(func.func, ast.Attribute) and func.func.attr == "command"
                    and isinstance(func.func.value, ast.Name) and func.func.value.id == "app" and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in functions):
                doc = ast.get_docstring(functions[node.args[0].id])
                if doc:
                    found[doc] = "cli"
            if isinstance(func, ast.Attribute) and func.attr == "Typer":
                for keyword in node.keywords:
                    if keyword.arg == "help" and isinstance(keyword.value, ast.Constant):
                        found[inspect.cleandoc(str(keyword.value.value))] = "cli"
    return found


def all_messages() -> dict[str, str]:
    return {**nested_messages(), **help_messages(), **source_messages()}


def translations(language: str = "zh") -> dict[str, str]:
    """msgid -> translation over every catalog of `language` (plural msgids by singular)."""
    from babel.messages.pofile import read_po

    found: dict[str, str] = {}
    for po in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if not message.id:
                    continue
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for msgid in ids:
                    found[key(str(msgid), message.context)] = "" if message.fuzzy else str(strings[0] or "")
    return found


def missing(language: str = "zh") -> list[str]:
    """Messages used in the source with no (or an empty) translation in `language`."""
    have = translations(language)
    return sorted(m for m in all_messages() if not have.get(m))


def add_missing(language: str = "zh") -> list[str]:
    """Append every message the catalogs lack to its area's .po (empty msgstr); drop the
    messages the source no longer uses."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    have = translations(language)
    used = all_messages()
    new = [(m, a) for m, a in used.items() if m not in have]
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    for area in sorted({a for _m, a in new} | {po.stem for po in folder.glob("*.po")}):
        po = folder / f"{area}.po"
        if po.exists():
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=language)
        else:
            catalog = Catalog(locale=language, project="kacard")
        for message in list(catalog):  # messages no longer used anywhere
            first = message.id[0] if isinstance(message.id, tuple) else message.id
            if first and key(str(first), message.context) not in used:
                catalog.delete(message.id, context=message.context)
        plural_forms = set(PLURALS.values())
        for msgid, a in new:
            if a != area or msgid in plural_forms:
                continue
            context, _sep, text = msgid.rpartition("\x04")
            if text in PLURALS:  # one entry with both forms, as ngettext looks it up
                catalog.add((text, PLURALS[text]), ("",), context=context or None)
            else:
                catalog.add(text, "", context=context or None)
        with po.open("wb") as handle:
            write_po(handle, catalog, width=0, omit_header=False)
    return [m for m, _a in new]


if __name__ == "__main__":
    added = add_missing()
    sys.stdout.write(f"added {len(added)} new msgid(s)\n")
    for msgid in missing():
        sys.stdout.write(f"untranslated: {msgid!r}\n")
