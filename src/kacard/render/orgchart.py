"""The account's key people as an org chart: SVG (hand-written) and Mermaid (for Markdown).

Boxes are coloured by stance (ally green, neutral grey, opponent red, unknown white with
a dashed border) and sized by influence; a line joins each person to the one they
report to (`reports_to`). Each box shows name, title, role and level, and when the
person was last met. Names and titles are escaped for each format.
"""

from __future__ import annotations

from kacard.analysis.people import PeopleReport, PersonView, level_label, role_label
from kacard.i18n import _
from kacard.render.safe import terminal_text
from kacard.render.safe import xml_text as escape

FILL = {"ally": "#c8e6c9", "neutral": "#eeeeee", "opponent": "#ffcdd2", "unknown": "#ffffff"}
STROKE = {"ally": "#2e7d32", "neutral": "#757575", "opponent": "#c62828", "unknown": "#9e9e9e"}
SLOT, LEVEL_H, MARGIN = 215, 110, 30


def _box_size(influence: int) -> tuple[float, float]:
    return 150 + 10 * influence, 52 + 4 * influence


def layout(report: PeopleReport) -> dict[str, tuple[float, int]]:
    """(x centre, depth) of each person: leaves in slots left to right, a boss centred over
    the people reporting to them (a simple tidy tree)."""
    children: dict[str, list[str]] = {}
    stack: list[str] = []
    for name, depth in report.tree:
        del stack[depth:]
        if stack:
            children.setdefault(stack[-1], []).append(name)
        stack.append(name)
    place: dict[str, tuple[float, int]] = {}
    next_slot = [0]

    def put(name: str, depth: int) -> float:
        kids = children.get(name, [])
        if kids:
            xs = [put(kid, depth + 1) for kid in kids]
            x = (xs[0] + xs[-1]) / 2
        else:
            x = MARGIN + SLOT / 2 + next_slot[0] * SLOT
            next_slot[0] += 1
        place[name] = (x, depth)
        return x

    for name, depth in report.tree:
        if depth == 0:
            put(name, 0)
    return place


def _label(v: PersonView) -> list[str]:
    p = v.person
    role = " · ".join(x for x in (role_label(p.role), level_label(p.level)) if x)
    met = (_("last met {date}").format(date=v.last_met) if v.last_met is not None else _("never met"))
    return [p.name, p.title or "", role, met]


def org_svg(report: PeopleReport, title: str = "") -> str:
    """An SVG document of the account's people as an org chart."""
    place = layout(report)
    by_name = {v.person.name: v for v in report.people}
    width = max((x for x, _d in place.values()), default=0) + SLOT / 2 + MARGIN
    depth = max((d for _x, d in place.values()), default=0)
    height = 70 + (depth + 1) * LEVEL_H + 20
    heading = title or _("Key people of {name} ({id})").format(name=report.name, id=report.account)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height}" '
         f'viewBox="0 0 {width:.0f} {height}" font-family="sans-serif" font-size="11">'),
        f"<title>{escape(heading)}</title>",
        f'<rect x="0" y="0" width="{width:.0f}" height="{height}" fill="white"/>',
        f'<text x="{MARGIN}" y="28" font-size="15" font-weight="bold">{escape(heading)}</text>',
    ]

    def top_y(d: int) -> float:
        return 60 + d * LEVEL_H

    for v in report.people:  # lines first, boxes over them
        boss = v.person.reports_to
        if boss in place and v.person.name in place and place[v.person.name][1] > 0:
            x, d = place[v.person.name]
            bx, bd = place[boss]
            _w, bh = _box_size(by_name[boss].influence)
            out.append(f'<line x1="{bx:.1f}" y1="{top_y(bd) + bh:.1f}" x2="{x:.1f}" y2="{top_y(d):.1f}" stroke="#888"/>')
    for name, (x, d) in place.items():
        v = by_name[name]
        w, h = _box_size(v.influence)
        dash = ' stroke-dasharray="4 3"' if v.stance == "unknown" else ""
        out.append(f'<rect x="{x - w / 2:.1f}" y="{top_y(d):.1f}" width="{w:.0f}" height="{h:.0f}" rx="6" '
                   f'fill="{FILL.get(v.stance, "#fff")}" stroke="{STROKE.get(v.stance, "#999")}" '
                   f'stroke-width="{1 + v.influence / 2:.1f}"{dash}/>')
        for k, text in enumerate(_label(v)):
            weight = ' font-weight="bold" font-size="13"' if k == 0 else ""
            out.append(f'<text x="{x:.1f}" y="{top_y(d) + 16 + k * 13:.1f}" text-anchor="middle"{weight}>'
                       f"{escape(text)}</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: quotes and markup as entity codes."""
    return (terminal_text(text).replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
            .replace("\n", " "))


def org_mermaid(report: PeopleReport) -> str:
    """A Mermaid flowchart of the people (paste into Markdown in a ```mermaid block)."""
    ids = {v.person.name: f"p{i}" for i, v in enumerate(report.people, start=1)}
    lines = ["flowchart TD"]
    for v in report.people:
        label = "<br/>".join(_mermaid_text(t) for t in _label(v) if t)
        lines.append(f'  {ids[v.person.name]}["{label}"]:::{v.stance}')
    for v in report.people:
        boss = v.person.reports_to
        if boss in ids and boss != v.person.name:
            lines.append(f"  {ids[boss]} --> {ids[v.person.name]}")
    for stance in ("ally", "neutral", "opponent", "unknown"):
        dash = ",stroke-dasharray:4 3" if stance == "unknown" else ""
        lines.append(f"  classDef {stance} fill:{FILL[stance]},stroke:{STROKE[stance]}{dash}")
    for v in report.people:
        lines.append(f"  style {ids[v.person.name]} stroke-width:{1 + v.influence / 2:g}px")
    return "\n".join(lines) + "\n"
