"""Folder-wide checks beyond single cards (git set-up and the like), for `kacard validate`.

Conflict markers and duplicate ids across files are reported by the store while
loading; this adds the git set-up: merge=union on cards (error), and, in a git
work tree, a missing kacard merge driver or attribute (warnings).
"""

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
    from kacard.team.gitsetup import problems as git_problems

    union_reported = bool(problems)
    for problem in git_problems(folder):
        if union_reported and "merge=union" in problem.message:
            continue
        problems.append(problem)
    return problems
