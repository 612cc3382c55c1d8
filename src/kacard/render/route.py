"""Writers for a week's route plan: plain table, JSON (SPEC §8), GeoJSON, ICS, SVG,
and links that open a day's route in a phone map app.

Every writer returns text (or bytes for ICS), so the command can print it or
write it to --output. The SVG is drawn by hand (no map tiles, no dependency):
an equirectangular projection scaled by cos(latitude), one colour per day,
numbered stops, the base as a square and a legend with each day's totals.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from kacard.i18n import N_, _, language, localize
from kacard.planning.route import PlannedStop, RouteDay, RoutePlan, day_label
from kacard.render.output import dumps_json
from kacard.render.report import reason_line, week_text
from kacard.text import clean, pad, truncate, width

# Okabe-Ito colours (distinguishable with colour-blindness), one per weekday.
DAY_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F7F7F")
FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif"


def colour(day: dt.date) -> str:
    return DAY_COLOURS[day.weekday()]


def _hm(moment: dt.datetime | None) -> str:
    return moment.strftime("%H:%M") if moment else ""


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat(timespec="minutes") if moment else None


def header(plan: RoutePlan) -> str:
    base = plan.base.label or f"{plan.base.lat:.4f},{plan.base.lon:.4f}"
    return (_("Route for {rep} ({owner}) · {week} · from {base}").format(
        rep=plan.rep_name, owner=plan.owner, week=week_text(plan.week), base=base) + "\n"
        + _("travel model: {model} · planner: {solver}").format(model=plan.travel_model, solver=plan.solver))


def _day(day: dt.date) -> str:
    """`Mon 2026-11-23`; in Chinese `11月23日 周一`."""
    return day_label(day) if language() == "en" else localize(day)


# -- map links ----------------------------------------------------------------------------


def map_url(plan: RoutePlan, day: RouteDay) -> str | None:
    """Google Maps directions from the base through the day's stops and back (lat,lon).
    Phone apps open it in navigation; the mobile app honours up to 9 waypoints."""
    if not day.stops:
        return None
    base = f"{plan.base.lat:.6f},{plan.base.lon:.6f}"
    waypoints = "|".join(f"{s.lat:.6f},{s.lon:.6f}" for s in day.stops)
    return ("https://www.google.com/maps/dir/?api=1"
            f"&origin={quote(base)}&destination={quote(base)}"
            f"&waypoints={quote(waypoints, safe=',')}&travelmode=driving")


# -- table -----------------------------------------------------------------------------------


_COLUMNS = (("#", True), (N_("arrive"), False), (N_("start"), False), (N_("depart"), False), (N_("leg km"), True),
            (N_("leg min"), True), (N_("id"), False), (N_("name"), False), (N_("note"), False))


def _stop_row(s: PlannedStop) -> list[str]:
    note = _("fixed appointment") if s.fixed else (
        _("waits {minutes} min").format(minutes=s.wait_minutes) if s.wait_minutes else "")
    return [str(s.order), _hm(s.arrive), _hm(s.start), _hm(s.depart), f"{s.leg_km:.1f}",
            f"{s.leg_minutes:.0f}", clean(s.id), truncate(clean(s.name), 28), note]


def _grid(rows: list[list[str]], columns=_COLUMNS) -> list[str]:  # type: ignore[no-untyped-def]
    columns = [(_(h), right) for h, right in columns]
    widths = [max([width(h)] + [width(r[i]) for r in rows]) for i, (h, _right) in enumerate(columns)]
    out = ["  ".join(pad(h, w, right) for (h, right), w in zip(columns, widths, strict=True)).rstrip()]
    for row in rows:
        out.append("  ".join(pad(v, w, right) for v, (_h, right), w
                             in zip(row, columns, widths, strict=True)).rstrip())
    return out


def table(plan: RoutePlan) -> str:
    lines = [header(plan)]
    lines += [localize(w) for w in plan.warnings]
    for day in plan.days:
        lines.append("")
        if not day.stops:
            lines.append(_("{day} · no visits").format(day=_day(day.date)))
            continue
        lines.append(_("{day} · {count} visit(s) · leave base {leave}, back {back}").format(
            day=_day(day.date), count=len(day.stops), leave=_hm(day.leave_base), back=_hm(day.return_base)))
        rows = [_stop_row(s) for s in day.stops]
        rows.append(["", _hm(day.return_base), "", "", f"{day.return_km:.1f}", f"{day.return_minutes:.0f}",
                     _("(base)"), truncate(clean(plan.base.label or _("base")), 28), ""])
        lines += _grid(rows)
        lines.append(_("day total: {km} km, {minutes} min driving, {site} min on site").format(
            km=f"{day.travel_km:.1f}", minutes=f"{day.travel_minutes:.0f}", site=day.visit_minutes))
        lines.append(_("map: {url}").format(url=map_url(plan, day)))
    visits = len(plan.stops)
    lines.append("")
    lines.append(_("week total: {visits} visit(s) on {days} day(s), {km} km, {minutes} min driving, "
                   "{site} min on site; {left} left out").format(
        visits=visits, days=sum(1 for d in plan.days if d.stops), km=f"{plan.travel_km:.1f}",
        minutes=f"{plan.travel_minutes:.0f}", site=plan.visit_minutes, left=len(plan.unplanned)))
    if plan.unplanned:
        lines.append("")
        lines.append(_("left out (most urgent first):"))
        cols = ((N_("urgency"), True), (N_("id"), False), (N_("name"), False), (N_("reason"), False))
        lines += _grid([[f"{u.urgency:g}", clean(u.id), truncate(clean(u.name), 24), clean(localize(u.reason))]
                        for u in plan.unplanned], cols)
    return "\n".join(lines) + "\n"


# -- JSON -----------------------------------------------------------------------------------


def document(plan: RoutePlan) -> dict[str, Any]:
    """SPEC §8: {"days": [{"date", "stops": [{"id", "arrive", "depart", "leg_km",
    "leg_minutes", ...}], "travel_km", "travel_minutes"}], "unplanned": [{"id", "reason"}]}
    plus the solver, travel model, owner, week and totals."""
    return {
        "owner": plan.owner,
        "rep": plan.rep_name,
        "week": plan.week.label,
        "base": {"lat": plan.base.lat, "lon": plan.base.lon, "label": plan.base.label},
        "solver": plan.solver,
        "travel_model": plan.travel_model,
        "warnings": list(plan.warnings),
        "days": [
            {
                "date": day.date.isoformat(),
                "leave_base": _iso(day.leave_base),
                "return_base": _iso(day.return_base),
                "stops": [
                    {"order": s.order, "id": s.id, "name": s.name, "arrive": _iso(s.arrive),
                     "start": _iso(s.start), "depart": _iso(s.depart), "leg_km": round(s.leg_km, 2),
                     "leg_minutes": round(s.leg_minutes, 1), "lat": s.lat, "lon": s.lon,
                     "fixed": s.fixed, "urgency": s.urgency}
                    for s in day.stops
                ],
                "return_km": round(day.return_km, 2),
                "return_minutes": round(day.return_minutes, 1),
                "travel_km": round(day.travel_km, 2),
                "travel_minutes": round(day.travel_minutes, 1),
                "visit_minutes": day.visit_minutes,
                "map_url": map_url(plan, day),
            }
            for day in plan.days
        ],
        "unplanned": [{"id": u.id, "name": u.name, "code": u.code, "reason": u.reason,
                       "urgency": u.urgency} for u in plan.unplanned],
        "totals": {"visits": len(plan.stops), "travel_km": round(plan.travel_km, 2),
                   "travel_minutes": round(plan.travel_minutes, 1), "visit_minutes": plan.visit_minutes,
                   "unplanned": len(plan.unplanned)},
    }


def json_text(plan: RoutePlan) -> str:
    return dumps_json(document(plan)) + "\n"


# -- GeoJSON --------------------------------------------------------------------------------


def geojson(plan: RoutePlan) -> dict[str, Any]:
    """RFC 7946 FeatureCollection: the base and each stop as Points, one LineString per
    day (base -> stops -> base). Coordinates are [lon, lat]; simplestyle colours."""
    base_xy = [plan.base.lon, plan.base.lat]
    features: list[dict[str, Any]] = [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": base_xy},
        "properties": {"kind": "base", "name": plan.base.label or "base", "owner": plan.owner,
                       "marker-symbol": "square", "marker-color": "#000000"},
    }]
    for day in plan.days:
        if not day.stops:
            continue
        c = colour(day.date)
        features.append({
            "type": "Feature",
            "geometry": {"type": "LineString",
                         "coordinates": [base_xy, *([s.lon, s.lat] for s in day.stops), base_xy]},
            "properties": {"kind": "route", "day": day.date.isoformat(), "visits": len(day.stops),
                           "travel_km": round(day.travel_km, 2),
                           "travel_minutes": round(day.travel_minutes, 1),
                           "stroke": c, "stroke-width": 3},
        })
        for s in day.stops:
            features.append({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                "properties": {"kind": "stop", "day": day.date.isoformat(), "order": s.order, "id": s.id,
                               "name": s.name, "arrive": _iso(s.arrive), "start": _iso(s.start),
                               "depart": _iso(s.depart), "fixed": s.fixed,
                               "marker-color": c, "marker-symbol": str(s.order)},
            })
    return {"type": "FeatureCollection", "features": features}


def geojson_text(plan: RoutePlan) -> str:
    return dumps_json(geojson(plan)) + "\n"


# -- ICS -------------------------------------------------------------------------------------


def ics_bytes(plan: RoutePlan, today: dt.date) -> bytes:
    """One timed event per planned visit (start to departure), stable UIDs per week and id."""
    from kacard.render.ics import EventSpec, calendar_bytes

    events = []
    for day in plan.days:
        for s in day.stops:
            item = plan.candidates[s.id].item
            lines = [_("stop {order} of {count} on {day}; arrive {arrive}, leave {depart}; drive {km} km / "
                       "{minutes} min before").format(
                         order=s.order, count=len(day.stops), day=_day(day.date), arrive=_hm(s.arrive),
                         depart=_hm(s.depart), km=f"{s.leg_km:.1f}", minutes=f"{s.leg_minutes:.0f}"),
                     _("urgency {urgency}").format(urgency=f"{item.urgency:g}")
                     + (" · " + _("fixed appointment") if s.fixed else "")]
            lines += ["- " + reason_line(r) for r in item.reasons]
            if item.next_step is not None:
                lines.append(_("next step: {date} {action}").format(date=localize(item.next_step.date),
                                                                    action=item.next_step.action))
            lines.append(_("card: {id} (kacard show {id})").format(id=s.id))
            events.append(EventSpec(
                uid=f"route-{plan.week.label}-{plan.owner}-{s.id}@kacard",
                summary=f"{s.order}. {s.name}", start=s.start, end=s.depart,
                description="\n".join(lines), location=s.address, geo=(s.lat, s.lon),
                categories=("kacard", "route"),
            ))
    stamp = dt.datetime.combine(today, dt.time(0), tzinfo=dt.UTC)
    return calendar_bytes(events, stamp=stamp, name=f"kacard route {plan.week.label} {plan.owner}")


# -- SVG -------------------------------------------------------------------------------------


MAP_W, LEGEND_W, MARGIN, TITLE_H = 640, 330, 20, 64
LINE_H = 17


def _nice_km(target_km: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        if step >= target_km:
            return step
    return 1000.0


def svg(plan: RoutePlan) -> str:
    """The week as an SVG picture; every card text is XML-escaped."""
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
    inner_w, inner_h = MAP_W - 2 * 28, map_h - 2 * 28
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
           f'<text x="{MARGIN}" y="26" font-size="17" font-weight="bold">'
           f'{escape(_("Visit routes {week}: {rep} ({owner})").format(week=plan.week.label, rep=plan.rep_name, owner=plan.owner))}</text>',
           f'<text x="{MARGIN}" y="46" fill="#555">{escape(_subtitle(plan))}</text>',
           f'<rect x="{MARGIN}" y="{TITLE_H}" width="{MAP_W}" height="{map_h}" fill="#f6f6f2" '
           'stroke="#cccccc"/>']
    out += _scale_bar(scale, MARGIN + 12, TITLE_H + map_h - 14)
    out.append(f'<text x="{MARGIN + MAP_W - 12}" y="{TITLE_H + map_h - 10}" text-anchor="end" '
               'font-weight="bold" fill="#666">N ↑</text>')
    for u in plan.unplanned:
        if u.lat is None or u.lon is None:
            continue
        x, y = xy(u.lat, u.lon)
        out.append(f'<g><title>{escape(_("left out: {name} ({id}): {reason}").format(name=u.name, id=u.id, reason=localize(u.reason)))}</title>'
                   f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="none" stroke="#999" '
                   'stroke-dasharray="2,1.5"/></g>')
    bx, by = xy(plan.base.lat, plan.base.lon)
    for day in plan.days:
        if not day.stops:
            continue
        c = colour(day.date)
        path = [(bx, by), *(xy(s.lat, s.lon) for s in day.stops), (bx, by)]
        d = " ".join(f"{x:.1f},{y:.1f}" for x, y in path)
        out.append(f'<polyline points="{d}" fill="none" stroke="{c}" stroke-width="2.5" '
                   'stroke-opacity="0.85" stroke-linejoin="round"/>')
    near = [xy(s.lat, s.lon) for s in plan.stops]
    sx, sy = min(((1, 1), (-1, 1), (1, -1), (-1, -1)), key=lambda q: sum(
        1 for x, y in near if (x - bx) * q[0] > -4 and (y - by) * q[1] > -4 and abs(x - bx) + abs(y - by) < 160))
    anchor = "start" if sx > 0 else "end"
    out.append(f'<text x="{bx + 10 * sx:.1f}" y="{by + (18 if sy > 0 else -10):.1f}" text-anchor="{anchor}" '
               'font-weight="bold" fill="#222" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
               f'{escape(plan.base.label or _("base"))}</text>')
    out.append(f'<rect x="{bx - 7:.1f}" y="{by - 7:.1f}" width="14" height="14" fill="#222222"/>')
    for day in plan.days:
        c = colour(day.date)
        for s in day.stops:
            x, y = xy(s.lat, s.lon)
            tip = f"{_day(day.date)} #{s.order} {s.name} ({s.id}) {_hm(s.start)}–{_hm(s.depart)}"
            out.append(f'<g><title>{escape(tip)}</title>'
                       f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="#ffffff" stroke="{c}" stroke-width="2"/>'
                       f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" '
                       f'font-weight="bold" fill="{c}">{s.order}</text></g>')
    lx, ly = MARGIN * 2 + MAP_W, TITLE_H + 14
    for i, (kind, text, col) in enumerate(legend):
        y = ly + i * LINE_H
        if kind == "day":
            out.append(f'<rect x="{lx}" y="{y - 10}" width="12" height="12" fill="{col}"/>')
            out.append(f'<text x="{lx + 18}" y="{y}" font-weight="bold">{escape(text)}</text>')
        else:
            out.append(f'<text x="{lx + 18}" y="{y}" fill="{col}">{escape(text)}</text>')
    foot = _("■ base · numbered circles = visit order · dashed circles = left out · travel: {model} · "
             "planner: {solver}").format(model=plan.travel_model, solver=plan.solver)
    out.append(f'<text x="{MARGIN}" y="{height - 16}" fill="#555" font-size="11">{escape(foot)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _subtitle(plan: RoutePlan) -> str:
    return _("{start} – {end} · {visits} visits · {km} km · {minutes} min driving · {left} left out").format(
        start=localize(plan.week.start), end=localize(plan.week.end), visits=len(plan.stops),
        km=f"{plan.travel_km:.1f}", minutes=f"{plan.travel_minutes:.0f}", left=len(plan.unplanned))


def _legend(plan: RoutePlan) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for day in plan.days:
        if day.stops:
            rows.append(("day", _("{day} · {visits} visits · {km} km · {minutes} min").format(
                day=_day(day.date), visits=len(day.stops), km=f"{day.travel_km:.1f}",
                minutes=f"{day.travel_minutes:.0f}"), colour(day.date)))
            for s in day.stops:
                rows.append(("stop", f"{s.order}. {_hm(s.start)} {truncate(clean(s.name), 26)}", "#333333"))
        else:
            rows.append(("day", _("{day} · no visits").format(day=_day(day.date)), colour(day.date)))
    if plan.unplanned:
        rows.append(("stop", "", "#333333"))
        rows.append(("day", _("left out: {count}").format(count=len(plan.unplanned)), "#999999"))
        for u in plan.unplanned[:12]:
            rows.append(("stop", f"{truncate(clean(u.name), 20)} · {u.code}", "#777777"))
        if len(plan.unplanned) > 12:
            rows.append(("stop", _("… and {count} more").format(count=len(plan.unplanned) - 12), "#777777"))
    return rows


def _scale_bar(scale: float, x: float, y: float) -> list[str]:
    px_per_km = scale / 111.32  # one degree of latitude is about 111.32 km
    km = _nice_km(100 / px_per_km)
    length = km * px_per_km
    label = f"{km:g} km"
    return [f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + length:.1f}" y2="{y:.1f}" stroke="#333" stroke-width="2"/>',
            f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x:.1f}" y2="{y + 1:.1f}" stroke="#333" stroke-width="2"/>',
            f'<line x1="{x + length:.1f}" y1="{y - 4:.1f}" x2="{x + length:.1f}" y2="{y + 1:.1f}" '
            'stroke="#333" stroke-width="2"/>',
            f'<text x="{x + length + 6:.1f}" y="{y + 4:.1f}" fill="#333">{escape(label)}</text>']
