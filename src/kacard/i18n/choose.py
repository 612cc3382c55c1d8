"""Which language a run speaks, decided before the CLI is built (its --help is translated).

First hit wins: `--lang zh|en` anywhere on the command line (`--lang=zh` too), then
`$KACARD_LANG`, then the team's `language:` in the card folder's kacard.yaml (the folder is
found as for every command: `--dir`, `$KACARD_DIR`, the nearest ancestor with kacard.yaml),
then the user's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: `zh_*` means Chinese), else
English. This runs on every start, so it stays light: standard library only, and
kacard.yaml is scanned for one top-level line, not parsed (the real load checks it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from kacard.i18n import LANGUAGES

_LANGUAGE_LINE = re.compile(r"^language:\s*['\"]?([A-Za-z_-]+)", re.MULTILINE)


def option_value(argv: Sequence[str], *names: str) -> str | None:
    """The value of the last `--name VALUE` / `--name=VALUE` in argv, if any."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        for name in names:
            if arg == name and i + 1 < len(argv):
                found = argv[i + 1]
            elif arg.startswith(name + "=") and name.startswith("--"):
                found = arg[len(name) + 1:]
    return found


def normalize(value: str | None) -> str | None:
    """"zh", "zh_CN.UTF-8", "zh-Hans" -> "zh"; "en_US" -> "en"; other values -> None."""
    if not value:
        return None
    head = value.strip().lower().replace("-", "_").split("_")[0].split(".")[0]
    return head if head in LANGUAGES else None


def folder_language(argv: Sequence[str], environ: Mapping[str, str], cwd: Path | None = None) -> str | None:
    """The `language:` line of the card folder's kacard.yaml, if the folder is found."""
    option = option_value(argv, "--dir", "-d") or environ.get("KACARD_DIR")
    if option:
        candidates = [Path(option)]
    else:
        start = (cwd or Path.cwd()).resolve()
        candidates = [start, *start.parents]
    for folder in candidates:
        settings = folder / "kacard.yaml"
        try:
            text = settings.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            if option:
                return None
            continue
        match = _LANGUAGE_LINE.search(text)
        return normalize(match.group(1)) if match else None
    return None


def locale_language(environ: Mapping[str, str]) -> str:
    """The user's locale: the first set of LC_ALL, LC_MESSAGES, LANG; `zh_*` -> zh, else en."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def choose_language(argv: Sequence[str], environ: Mapping[str, str] | None = None,
                    cwd: Path | None = None) -> str:
    """The language of this run: --lang, $KACARD_LANG, kacard.yaml's language:, the locale.

    An unknown --lang or $KACARD_LANG value is skipped here (the option itself reports
    it); the result is always one of i18n.LANGUAGES."""
    env = os.environ if environ is None else environ
    return (normalize(option_value(argv, "--lang"))
            or normalize(env.get("KACARD_LANG"))
            or folder_language(argv, env, cwd)
            or locale_language(env))
