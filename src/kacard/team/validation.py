"""Folder-wide checks beyond single cards (git set-up and the like), for `kacard validate`.

Conflict markers and duplicate ids across files are reported by the store while
loading; this adds the git set-up: merge=union on cards (error), and, in a git
work tree, a missing kacard merge driver or attribute (warnings).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kacard.cards import brief
from kacard.cards.model.common import Location
from kacard.cards.model.settings import Settings
from kacard.errors import Problem
from kacard.i18n import _


def folder_checks(folder: Path) -> list[Problem]:
    problems: list[Problem] = []
    attributes = folder / ".gitattributes"
    if attributes.is_file():
        for number, line in enumerate(attributes.read_text("utf-8", errors="replace").splitlines(), 1):
            if "merge=union" in line.split("#")[0] and ".yaml" in line:
                problems.append(Problem(".gitattributes", number, 1, "merge",
                                        _("merge=union on cards silently duplicates or loses data; use merge=kacard")))
    from kacard.team.gitsetup import problems as git_problems

    union_reported = bool(problems)
    for problem in git_problems(folder):
        if union_reported and "merge=union" in problem.message:
            continue
        problems.append(problem)
    return problems


FAR_FROM_BASES_KM = 300


def location_warnings(cards: Iterable[tuple[str, Location | brief.Location | None]], settings: Settings
                      ) -> list[Problem]:
    """A warning for each card (rel, location) more than FAR_FROM_BASES_KM from every rep's base:
    usually lat/lon swapped or mistyped, or coordinates in another datum's hemisphere."""
    from kacard.planning.routing.geo import haversine_km

    bases = [(rep.base.lat, rep.base.lon) for rep in settings.team if rep.base is not None]
    if not bases:
        return []
    found = []
    for rel, location in cards:
        if location is None:
            continue
        nearest = min(haversine_km((location.lat, location.lon), base) for base in bases)
        if nearest > FAR_FROM_BASES_KM:
            found.append(Problem(rel, None, None, "location",
                                 _("{km} km from the nearest team base: lat/lon mistyped or swapped?").format(km=f"{nearest:,.0f}"),
                                 severity="warning"))
    return found
