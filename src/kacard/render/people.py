"""`kacard people ID` for people and scripts: the ranked table with support, coverage,
warnings and the course's hints (table), the SPEC §9 document (json).

Only names, titles, roles and dates are shown: phones, e-mails and notes never are.
"""

from __future__ import annotations

import sys
from typing import Any

from kacard.analysis.hints import Hints, hints_for
from kacard.analysis.people import KEY_ROLES, LEVELS, PeopleReport, level_label, role_label, stance_label
from kacard.i18n import _, language
from kacard.render.output import Column, dumps_json, emit
from kacard.text import clean


def columns() -> list[Column]:
    return [
        Column("rank", "#", right=True), Column("name", _("name")), Column("title", _("title"), max_width=16),
        Column("role_name", _("role")), Column("level_name", _("level")),
        Column("influence", _("influence"), right=True), Column("stance_name", _("stance")),
        Column("score", _("score"), right=True), Column("last_met", _("last met")),
        Column("reports_to", _("reports to")),
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


def hint_lines(hints: Hints, sector: str | None, levels: list[str], roles: list[str]) -> list[str]:
    """The course's hints for a sector, levels and roles, one line each (seed 003)."""
    lang = language()
    out = []
    sector_hints = hints_for(hints, "sector", sector, lang)
    if sector_hints:
        out.append(_("sector {sector}: {hints}").format(sector=sector, hints="; ".join(sector_hints)))
    for level in levels:
        found = hints_for(hints, "level", level, lang)
        if found:
            out.append(f"{level_label(level)}: " + "; ".join(found))
    for role in roles:
        found = hints_for(hints, "role", role, lang)
        if found:
            out.append(f"{role_label(role)}: " + "; ".join(found))
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
    lines = ["", _("Support: {allies} allies, {neutral} neutral, {opponents} opponents, {unknown} unknown; "
                   "allies hold {share:.0%} of the influence; net score {net:+g}").format(
        allies=s["allies"], neutral=s["neutral"], opponents=s["opponents"], unknown=s["unknown"],
        share=s["ally_influence_share"], net=s["net_score"])]
    cov = report.coverage
    levels = ", ".join(f"{level_label(k)} {len(v['people'])}" + (f" ({_('allies')} {v['allies']})" if v["allies"] else "")
                       for k, v in cov["levels"].items())
    lines.append(_("Levels: {levels}").format(levels=levels))
    present = [role_label(r) for r in KEY_ROLES if cov["roles"][r]["people"]]
    missing = [role_label(r) for r in cov["missing_roles"]]
    lines.append(_("Roles: {present}").format(present=", ".join(present) or "-")
                 + ("; " + _("missing: {missing}").format(missing=", ".join(missing)) if missing else ""))
    if len(report.tree) > 1 and any(depth for _name, depth in report.tree):
        lines += ["", _("Who reports to whom:")]
        lines += [f"  {'  ' * depth}{clean(name)}" for name, depth in report.tree]
    lines += ["", _("Warnings:") if report.warnings else _("No warnings.")]
    lines += [f"  ! {clean(w.text)}" for w in report.warnings]
    found = people_hints(report, hints)
    if found:
        lines += ["", _("What they care about (the course's hints):")]
        lines += [f"  - {clean(line)}" for line in found]
    sys.stdout.write("\n".join(lines) + "\n")
