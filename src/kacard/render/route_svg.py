"""The week's (or a day's) routes as an SVG picture, drawn by hand (no tiles, no dependency).

An equirectangular projection scaled by cos(latitude); one colour per weekday; the base
as a square; each stop a numbered circle with the account's name beside it. Markers
that would cover each other are pushed apart (a thin leader line goes back to the true
place) and each name takes the first free spot of sixteen around its marker, so nothing
hides anything else. A day plan is titled with its day; left-out accounts are drawn
as dashed circles and listed with their reason in words. Every label goes through the
message catalog (Chinese in Chinese mode); every card text is XML-escaped.
"""

from __future__ import annotations

import math

from kacard.i18n import _, localize
from kacard.planning.route_plan import RoutePlan, day_label
from kacard.render.route import colour
from kacard.render.safe import xml_attr as quoteattr
from kacard.render.safe import xml_text as escape
from kacard.text import clean, truncate, width

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif"
MAP_W, LEGEND_W, MARGIN, TITLE_H = 640, 360, 20, 64
LINE_H = 17
R = 9  # marker radius, px
CELL_PX = 6.6  # width of one terminal cell of 11 px text (a CJK character is two)
LABEL_H = 13
NAME_CELLS = 16
MAX_LEFT_OUT = 12

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def spread_markers(points: list[tuple[float, float]], gap: float = 2 * R + 2,
                   rounds: int = 60) -> list[tuple[float, float]]:
    """Marker centres moved apart until no two are closer than `gap` px (or `rounds`
    pushes are done); markers that are apart already stay where they are."""
    pos = [list(p) for p in points]
    for _round in range(rounds):
        moved = False
        for i in range(len(pos)):
            for j in range(i + 1, len(pos)):
                dx, dy = pos[j][0] - pos[i][0], pos[j][1] - pos[i][1]
                d = math.hypot(dx, dy)
                if d >= gap - 1e-6:
                    continue
                if d < 1e-6:  # the same place: fan out by index
                    angle = 2.399963 * j  # golden angle
                    dx, dy, d = math.cos(angle), math.sin(angle), 1.0
                push = (gap - d) / 2 + 0.01
                ux, uy = dx / d, dy / d
                pos[i][0] -= ux * push
                pos[i][1] -= uy * push
                pos[j][0] += ux * push
                pos[j][1] += uy * push
                moved = True
        if not moved:
            break
    return [(x, y) for x, y in pos]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(markers: list[tuple[float, float]], texts: list[str], area: Box) -> list[tuple[float, float, str]]:
    """(x, y, text-anchor) for each label: the first of sixteen spots around its marker
    (beside, above, below, then a line or two further up or down) that overlaps no
    marker, no placed label and stays inside `area`; the least crowded spot when none
    is free."""
    taken: list[Box] = [(x - R, y - R, x + R, y + R) for x, y in markers]
    out: list[tuple[float, float, str]] = []
    for (x, y), text in zip(markers, texts, strict=True):
        w = width(text) * CELL_PX
        spots = [(x + R + 3, y + 4, "start"), (x - R - 3, y + 4, "end"),
                 (x + R, y - R - 2, "start"), (x - R, y - R - 2, "end"),
                 (x + R, y + R + LABEL_H, "start"), (x - R, y + R + LABEL_H, "end"),
                 (x, y - R - 4, "middle"), (x, y + R + LABEL_H + 1, "middle")]
        spots += [(sx, sy + dy, anchor) for dy in (-LABEL_H - 2, LABEL_H + 2, -2 * LABEL_H - 4, 2 * LABEL_H + 4)
                  for sx, sy, anchor in spots[:2]]  # further out, with a leader-free offset
        best, best_hits = spots[0], None
        for sx, sy, anchor in spots:
            x0 = sx if anchor == "start" else sx - w if anchor == "end" else sx - w / 2
            box = (x0, sy - LABEL_H + 3, x0 + w, sy + 3)
            inside = area[0] <= box[0] and box[2] <= area[2] and area[1] <= box[1] and box[3] <= area[3]
            hits = sum(1 for t in taken if _overlaps(box, t)) + (0 if inside else 100)
            if best_hits is None or hits < best_hits:
                best, best_hits, best_box = (sx, sy, anchor), hits, box
            if hits == 0:
                break
        taken.append(best_box)
        out.append(best)
    return out


def _nice_km(target_km: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        if step >= target_km:
            return step
    return 1000.0


def title(plan: RoutePlan) -> str:
    if len(plan.days) == 1:
        return _("Visit route {day}: {rep} ({owner})").format(day=day_label(plan.days[0].date), rep=plan.rep_name,
                                                             owner=plan.owner)
    return _("Visit routes {week}: {rep} ({owner})").format(week=plan.week.label, rep=plan.rep_name,
                                                           owner=plan.owner)


def svg(plan: RoutePlan) -> str:
    """The plan as an SVG document (text)."""
    pts = [(plan.base.lat, plan.base.lon)] + [(s.lat, s.lon) for s in plan.stops]
    pts += [(u.lat, u.lon) for u in plan.unplanned if u.lat is not None and u.lon is not None]
    lat0 = sum(p[0] for p in pts) / len(pts)
    kx = math.cos(math.radians(lat0))
    xs = [lon * kx for _, lon in pts]
    ys = [-lat for lat, _ in pts]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 0.01)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    aspect = (max(ys) - min(ys) + span * 0.1) / (max(xs) - min(xs) + span * 0.1)
    map_h = int(min(720, max(400, MAP_W * aspect)))
    pad = 70  # room for names at the edges
    inner_w, inner_h = MAP_W - 2 * pad, map_h - 2 * 40
    scale = min(inner_w / max(max(xs) - min(xs), span * 0.05), inner_h / max(max(ys) - min(ys), span * 0.05))
    ox, oy = MARGIN + MAP_W / 2, TITLE_H + map_h / 2

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return ox + (lon * kx - cx) * scale, oy + (-lat - cy) * scale

    legend = _legend(plan)
    height = TITLE_H + max(map_h, len(legend) * LINE_H + 10) + 44
    total_w = MARGIN * 3 + MAP_W + LEGEND_W
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_w}" height="{height}" '
           f'viewBox="0 0 {total_w} {height}" font-family={quoteattr(FONT)} font-size="12">',
           f'<rect width="{total_w}" height="{height}" fill="#ffffff"/>',
           f'<text x="{MARGIN}" y="26" font-size="17" font-weight="bold">{escape(title(plan))}</text>',
           f'<text x="{MARGIN}" y="46" fill="#555">{escape(_subtitle(plan))}</text>',
           f'<rect x="{MARGIN}" y="{TITLE_H}" width="{MAP_W}" height="{map_h}" fill="#f6f6f2" stroke="#cccccc"/>']
    out += _scale_bar(scale, MARGIN + 12, TITLE_H + map_h - 14)
    out.append(f'<text x="{MARGIN + MAP_W - 12}" y="{TITLE_H + map_h - 10}" text-anchor="end" '
               f'font-weight="bold" fill="#666">{escape(_("N ↑"))}</text>')
    bx, by = xy(plan.base.lat, plan.base.lon)
    stops = [(day, s) for day in plan.days for s in day.stops]
    left = [u for u in plan.unplanned if u.lat is not None and u.lon is not None]
    true_xy = [(bx, by)] + [xy(s.lat, s.lon) for _, s in stops] + [xy(u.lat, u.lon) for u in left]  # type: ignore[arg-type]
    shown = spread_markers(true_xy)
    shown[0] = (bx, by)  # the base stays put; others moved off it
    for day in plan.days:
        if day.stops:
            path = [(bx, by)] + [shown[1 + i] for i, (d, _s) in enumerate(stops) if d is day] + [(bx, by)]
            d_attr = " ".join(f"{x:.1f},{y:.1f}" for x, y in path)
            out.append(f'<polyline points="{d_attr}" fill="none" stroke="{colour(day.date)}" stroke-width="2.5" '
                       'stroke-opacity="0.85" stroke-linejoin="round"/>')
    for (tx, ty), (sx, sy) in zip(true_xy[1:], shown[1:], strict=True):
        if math.hypot(tx - sx, ty - sy) > 1.5:
            out.append(f'<line x1="{tx:.1f}" y1="{ty:.1f}" x2="{sx:.1f}" y2="{sy:.1f}" stroke="#888" '
                       'stroke-width="0.8"/><circle cx="{0:.1f}" cy="{1:.1f}" r="1.6" fill="#888"/>'.format(tx, ty))
    names = ([clean(plan.base.label or _("base"))] + [truncate(clean(s.name), NAME_CELLS) for _, s in stops]
             + [truncate(clean(u.name), NAME_CELLS) for u in left])
    area = (MARGIN + 2, TITLE_H + 2, MARGIN + MAP_W - 2, TITLE_H + map_h - 24)
    labels = place_labels(shown, names, area)
    out.append(f'<rect x="{bx - 7:.1f}" y="{by - 7:.1f}" width="14" height="14" fill="#222222"/>')
    for i, (day, s) in enumerate(stops, start=1):
        x, y = shown[i]
        c = colour(day.date)
        tip = f"{day_label(day.date)} #{s.order} {s.name} ({s.id}) {s.start:%H:%M}–{s.depart:%H:%M}"
        out.append(f'<g><title>{escape(tip)}</title>'
                   f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{R}" fill="#ffffff" stroke="{c}" stroke-width="2"/>'
                   f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" '
                   f'font-weight="bold" fill="{c}">{s.order}</text></g>')
    for k, u in enumerate(left, start=1 + len(stops)):
        x, y = shown[k]
        tip = _("left out: {name} ({id}): {reason}").format(name=u.name, id=u.id, reason=localize(u.reason))
        out.append(f'<g><title>{escape(tip)}</title><circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#ffffff" '
                   'stroke="#999" stroke-dasharray="2,1.5"/></g>')
    for k, ((lx, ly, anchor), text) in enumerate(zip(labels, names, strict=True)):
        colour_ = "#222" if k == 0 else ("#333" if k <= len(stops) else "#888")
        weight = ' font-weight="bold"' if k == 0 else ""
        out.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-size="11"{weight} fill="{colour_}" '
                   f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(text)}</text>')
    lx, ly = MARGIN * 2 + MAP_W, TITLE_H + 14
    for i, (kind, text, col) in enumerate(legend):
        y = ly + i * LINE_H
        if kind == "day":
            out.append(f'<rect x="{lx}" y="{y - 10}" width="12" height="12" fill="{col}"/>')
            out.append(f'<text x="{lx + 18}" y="{y}" font-weight="bold">{escape(text)}</text>')
        else:
            out.append(f'<text x="{lx + 18}" y="{y}" fill="{col}">{escape(text)}</text>')
    foot = _("■ base · numbered circles = visit order · dashed circles = left out · travel: {model} · "
             "planner: {solver}").format(model=localize(plan.travel_model), solver=plan.solver)
    out.append(f'<text x="{MARGIN}" y="{height - 16}" fill="#555" font-size="11">{escape(foot)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _subtitle(plan: RoutePlan) -> str:
    return _("{start} – {end} · {visits} visits · {km:.1f} km · {minutes:.0f} min driving · {left} left out").format(
        start=plan.days[0].date if len(plan.days) == 1 else plan.week.start,
        end=plan.days[0].date if len(plan.days) == 1 else plan.week.end, visits=len(plan.stops),
        km=plan.travel_km, minutes=plan.travel_minutes, left=len(plan.unplanned))


def _legend(plan: RoutePlan) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for day in plan.days:
        if day.stops:
            rows.append(("day", _("{day} · {visits} visits · {km:.1f} km · {minutes:.0f} min").format(
                day=day_label(day.date), visits=len(day.stops), km=day.travel_km, minutes=day.travel_minutes),
                colour(day.date)))
            for s in day.stops:
                rows.append(("stop", f"{s.order}. {s.start:%H:%M} {truncate(clean(s.name), 30)}", "#333333"))
        else:
            rows.append(("day", _("{day} · no visits").format(day=day_label(day.date)), colour(day.date)))
    if plan.unplanned:
        rows.append(("stop", "", "#333333"))
        rows.append(("day", _("left out: {count}").format(count=len(plan.unplanned)), "#999999"))
        for u in plan.unplanned[:MAX_LEFT_OUT]:
            rows.append(("stop", truncate(clean(u.name), 30), "#555555"))
            rows.append(("stop", "   " + truncate(clean(localize(u.reason)), 48), "#777777"))
        if len(plan.unplanned) > MAX_LEFT_OUT:
            rows.append(("stop", _("… and {count} more").format(count=len(plan.unplanned) - MAX_LEFT_OUT), "#777777"))
    return rows


def _scale_bar(scale: float, x: float, y: float) -> list[str]:
    px_per_km = scale / 111.32  # one degree of latitude is about 111.32 km
    km = _nice_km(100 / px_per_km)
    length = km * px_per_km
    return [f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + length:.1f}" y2="{y:.1f}" stroke="#333" stroke-width="2"/>',
            f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x:.1f}" y2="{y + 1:.1f}" stroke="#333" stroke-width="2"/>',
            f'<line x1="{x + length:.1f}" y1="{y - 4:.1f}" x2="{x + length:.1f}" y2="{y + 1:.1f}" '
            'stroke="#333" stroke-width="2"/>',
            f'<text x="{x + length + 6:.1f}" y="{y + 4:.1f}" fill="#333">{km:g} km</text>']
