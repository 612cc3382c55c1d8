"""`kacard people ID` for people and scripts: the ranked table with support, coverage,
warnings and the course's hints (table), the SPEC §9 document (json).

Only names, titles, roles and dates are shown: phones, e-mails and notes never are.
"""

from __future__ import annotations

import sys
from typing import Any

from kacard.analysis.hints import Hints, hints_for
from kacard.analysis.people import (
    KEY_ROLES,
    LEVELS,
    PeopleReport,
    level_label,
    role_label,
    stance_label,
)
from kacard.i18n import Localized, _, label, language, localize, speaking
from kacard.i18n import pgettext as C_
from kacard.render.output import Column, dumps_json, emit
from kacard.text import clean


def columns() -> list[Column]:
    return [
        Column("rank", "#", right=True), Column("name", C_("column", "name"), role="name"), Column("title", C_("person", "title"), max_width=16),
        Column("role_name", C_("column", "role")), Column("level_name", C_("column", "level")),
        Column("influence", C_("column", "influence"), right=True), Column("stance_name", C_("column", "stance")),
        Column("score", C_("column", "score"), right=True), Column("last_met", C_("column", "last met")),
        Column("reports_to", C_("column", "reports to")),
    ]


def rows(report: PeopleReport) -> list[dict[str, Any]]:
    return [{
        "rank": v.rank, "name": v.person.name, "title": v.person.title,
        "role_name": role_label(v.person.role), "level_name": level_label(v.person.level),
        "influence": v.influence if v.person.influence is not None else f"({v.influence})",
        "stance_name": stance_label(v.stance), "score": f"{v.score:+g}",
        "last_met": v.last_met if v.last_met is not None else _("never"),
        "reports_to": v.person.reports_to,
    } for v in report.people]


def sector_label(sector: str) -> str:
    """The course's name of a sector (seed 003's 行业特征), else the card's own word."""
    return label("sector", sector)


def hint_lines(hints: Hints, sector: str | None, levels: list[str], roles: list[str]) -> list[str]:
    """The course's hints for a sector, levels and roles, one line each (seed 003): each a
    `Localized` text, English as a str (JSON), the reader's language through `localize`."""
    here = _hint_lines(hints, sector, levels, roles)
    if language() == "en":
        return here
    with speaking("en"):
        english = _hint_lines(hints, sector, levels, roles)
    return [Localized(e, h) for e, h in zip(english, here, strict=True)]


def _hint_lines(hints: Hints, sector: str | None, levels: list[str], roles: list[str]) -> list[str]:
    lang = language()
    sep = _("; ")
    out = []
    sector_hints = hints_for(hints, "sector", sector, lang)
    if sector and sector_hints:
        out.append(_("{label}: {hints}").format(label=sector_label(sector), hints=sep.join(sector_hints)))
    for level in levels:
        found = hints_for(hints, "level", level, lang)
        if found:
            out.append(_("{label}: {hints}").format(label=level_label(level), hints=sep.join(found)))
    for role in roles:
        found = hints_for(hints, "role", role, lang)
        if found:
            out.append(_("{label}: {hints}").format(label=role_label(role), hints=sep.join(found)))
    return out


def people_hints(report: PeopleReport, hints: Hints) -> list[str]:
    levels = [lv for lv in LEVELS if any(v.person.level == lv for v in report.people)]
    roles = sorted({v.person.role for v in report.people if v.person.role}, key=lambda r: (r not in KEY_ROLES, r))
    return hint_lines(hints, report.sector, levels, roles)


def print_people(report: PeopleReport, fmt: str, hints: Hints) -> None:
    if fmt == "json":
        document = report.as_json()
        document["hints"] = people_hints(report, hints)
        sys.stdout.write(dumps_json(document) + "\n")
        return
    title = _("Key people of {name} ({id})").format(name=report.name, id=report.account)
    emit(rows(report), columns(), "table", title=title)
    s = report.support
    lines = ["", _("Support: allies {allies}, neutral {neutral}, opponents {opponents}, unknown {unknown}; "
                   "allies hold {share:.0%} of the influence; net score {net:+g}").format(
        allies=s["allies"], neutral=s["neutral"], opponents=s["opponents"], unknown=s["unknown"],
        share=s["ally_influence_share"], net=s["net_score"])]
    cov = report.coverage
    levels = _(", ").join(
        (_("{level} {count} (allies {allies})") if v["allies"] else _("{level} {count}")).format(
            level=level_label(k), count=len(v["people"]), allies=v["allies"])
        for k, v in cov["levels"].items())
    lines.append(_("Levels: {levels}").format(levels=levels))
    present = [role_label(r) for r in KEY_ROLES if cov["roles"][r]["people"]]
    missing = [role_label(r) for r in cov["missing_roles"]]
    lines.append(_("Key roles (the course's): {present}").format(present=_(", ").join(present) or "-")
                 + (_("; ") + _("missing: {missing}").format(missing=_(", ").join(missing)) if missing else ""))
    if len(report.tree) > 1 and any(depth for _name, depth in report.tree):
        lines += ["", _("Who reports to whom:")]
        lines += [f"  {'  ' * depth}{clean(name)}" for name, depth in report.tree]
    lines += ["", _("Warnings:") if report.warnings else _("No warnings.")]
    lines += [f"  ! {clean(localize(w.text))}" for w in report.warnings]
    found = people_hints(report, hints)
    if found:
        lines += ["", _("What they care about (the course's hints):")]
        lines += [f"  - {clean(localize(line))}" for line in found]
    sys.stdout.write("\n".join(lines) + "\n")
