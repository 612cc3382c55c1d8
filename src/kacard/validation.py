"""Folder-wide checks beyond single cards (git set-up and the like), for `kacard validate`."""

from __future__ import annotations

from pathlib import Path

from kacard.errors import Problem


def folder_checks(folder: Path) -> list[Problem]:
    problems: list[Problem] = []
    attributes = folder / ".gitattributes"
    if attributes.is_file():
        for number, line in enumerate(attributes.read_text("utf-8", errors="replace").splitlines(), 1):
            if "merge=union" in line.split("#")[0] and ".yaml" in line:
                problems.append(Problem(".gitattributes", number, 1, "merge",
                                        "merge=union on cards silently duplicates or loses data; use merge=kacard"))
    return problems
