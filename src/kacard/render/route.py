"""Writers for a week's route plan: plain table, JSON (SPEC §8), GeoJSON, ICS, SVG,
and links that open a day's route in a phone map app.

Every writer returns text (or bytes for ICS), so the command can print it or
write it to --output. The SVG is drawn by hand (no map tiles, no dependency):
an equirectangular projection scaled by cos(latitude), one colour per day,
numbered stops, the base as a square and a legend with each day's totals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kacard.i18n import N_, _, language, localize
from kacard.planning import maps
from kacard.planning.maps import Geo, Links, Place
from kacard.planning.route_plan import PlannedStop, RouteDay, RoutePlan, day_label
from kacard.render.output import Column, dumps_json, table_lines
from kacard.render.report import week_text
from kacard.text import clean, truncate

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
        + _("travel model: {model} · planner: {solver}").format(model=localize(plan.travel_model), solver=plan.solver))


def _day(day: dt.date) -> str:
    """`Mon 2026-11-23`; in Chinese `11月23日 周一`."""
    return day_label(day) if language() == "en" else localize(day)


# -- map links ----------------------------------------------------------------------------


def _place(plan: RoutePlan, name: str, lat: float, lon: float) -> Place:
    return Place(name, Geo(lat, lon, plan.datum))


def base_place(plan: RoutePlan) -> Place:
    return _place(plan, plan.base.label or "base", plan.base.lat, plan.base.lon)


def day_links(plan: RoutePlan, day: RouteDay, app: str | None = None) -> Links | None:
    """The day's drive (base -> stops -> base) in the team's map app (or `app`)."""
    return maps.day_links(app or plan.map_app, base_place(plan),
                          [_place(plan, s.name, s.lat, s.lon) for s in day.stops])


def stop_links(plan: RoutePlan, stop: PlannedStop, app: str | None = None) -> Links:
    return maps.stop_links(app or plan.map_app, _place(plan, stop.name, stop.lat, stop.lon))


def map_url(plan: RoutePlan, day: RouteDay) -> str | None:
    """The web link of the day's route in the team's map app (None without stops)."""
    links = day_links(plan, day)
    return links.web if links else None


def _links_json(links: Links | None) -> dict[str, Any] | None:
    return None if links is None else {"app": links.app_name, "web": links.web, "uri": links.app}


def wgs84(plan: RoutePlan, lat: float, lon: float) -> tuple[float, float]:
    """(lat, lon) in WGS-84, as GeoJSON requires (RFC 7946), from the folder's datum."""
    g = Geo(lat, lon, plan.datum).to("wgs84")
    return round(g.lat, 6), round(g.lon, 6)


# -- table -----------------------------------------------------------------------------------


# Fitted like every table (render.output.table_lines); on a narrow terminal left off first:
# leg km, start (= arrive unless waiting), leg min, depart, note (issue 21 #2).
_COLUMNS = (Column("order", N_("#"), right=True), Column("arrive", N_("arrive")), Column("start", N_("start"), drop=2),
            Column("depart", N_("depart"), drop=4), Column("leg_km", N_("leg km"), right=True, drop=1),
            Column("leg_min", N_("leg min"), right=True, drop=3), Column("id", N_("id"), role="id"),
            Column("name", N_("name"), max_width=28, role="name"), Column("note", N_("note"), max_width=24, drop=5))
_LEFT_OUT = (Column("urgency", N_("urgency"), right=True), Column("id", N_("id"), role="id"),
             Column("name", N_("name"), max_width=24, role="name"), Column("reason", N_("reason"), max_width=60, least=24))


def wait_note(s: PlannedStop, breaks: tuple[tuple[int, int], ...] = ()) -> str:
    """"waits 20 min", naming the break the wait spans ("waits 112 min, break 12:00–13:30")."""
    if not s.wait_minutes:
        return ""
    lo, hi = s.arrive.hour * 60 + s.arrive.minute, s.start.hour * 60 + s.start.minute
    spans = [f"{a // 60:02d}:{a % 60:02d}–{b // 60:02d}:{b % 60:02d}" for a, b in breaks if a < hi and b > lo]
    if spans:
        return _("waits {minutes} min, break {span}").format(minutes=s.wait_minutes, span=spans[0])
    return _("waits {minutes} min").format(minutes=s.wait_minutes)


def _stop_row(s: PlannedStop, breaks: tuple[tuple[int, int], ...] = ()) -> list[str]:
    note = _("fixed appointment") if s.fixed else wait_note(s, breaks)
    return [str(s.order), _hm(s.arrive), _hm(s.start), _hm(s.depart), f"{s.leg_km:.1f}",
            f"{s.leg_minutes:.0f}", clean(s.id), truncate(clean(s.name), 28), note]


def _grid(rows: list[list[str]], columns: tuple[Column, ...] = _COLUMNS, limit: int | None = None) -> list[str]:
    lines, _left_off = table_lines([dict(zip((c.key for c in columns), row, strict=True)) for row in rows], columns,
                                     limit=limit)
    return lines


def table(plan: RoutePlan, limit: int | None = None) -> str:
    """The plan as text; `limit` is the terminal's width the tables are fitted to (None: not)."""
    lines = [header(plan)]
    lines += [localize(w) for w in plan.warnings]
    for day in plan.days:
        lines.append("")
        if not day.stops:
            lines.append(_("{day} · no visits").format(day=_day(day.date)))
            continue
        lines.append(_("{day} · {count} visit(s) · leave base {leave}, back {back}").format(
            day=_day(day.date), count=len(day.stops), leave=_hm(day.leave_base), back=_hm(day.return_base)))
        rows = [_stop_row(s, plan.breaks) for s in day.stops]
        rows.append(["", _hm(day.return_base), "", "", f"{day.return_km:.1f}", f"{day.return_minutes:.0f}",
                     _("(base)"), truncate(clean(plan.base.label or _("base")), 28), ""])
        lines += _grid(rows, limit=limit)
        lines.append(_("day total: {km} km, {minutes} min driving, {site} min on site").format(
            km=f"{day.travel_km:.1f}", minutes=f"{day.travel_minutes:.0f}", site=day.visit_minutes))
        links = day_links(plan, day)
        if links is not None:
            lines.append(_("map ({app}): {url}").format(app=links.app_name, url=links.web))
    visits = len(plan.stops)
    lines.append("")
    lines.append(_("week total: {visits} visit(s) on {days} day(s), {km} km, {minutes} min driving, "
                   "{site} min on site; {left} left out").format(
        visits=visits, days=sum(1 for d in plan.days if d.stops), km=f"{plan.travel_km:.1f}",
        minutes=f"{plan.travel_minutes:.0f}", site=plan.visit_minutes, left=len(plan.unplanned)))
    if plan.unplanned:
        lines.append("")
        lines.append(_("left out (most urgent first):"))
        lines += _grid([[f"{u.urgency:g}", clean(u.id), clean(u.name), clean(localize(u.reason))]
                        for u in plan.unplanned], _LEFT_OUT, limit)
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
        "map_app": plan.map_app,
        "datum": plan.datum,
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
                     "fixed": s.fixed, "urgency": s.urgency, "map": _links_json(stop_links(plan, s))}
                    for s in day.stops
                ],
                "return_km": round(day.return_km, 2),
                "return_minutes": round(day.return_minutes, 1),
                "travel_km": round(day.travel_km, 2),
                "travel_minutes": round(day.travel_minutes, 1),
                "visit_minutes": day.visit_minutes,
                "map_url": map_url(plan, day),
                "maps": {app: _links_json(day_links(plan, day, app)) for app in maps.APPS} if day.stops else None,
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
    day (base -> stops -> base). Coordinates are [lon, lat] in WGS-84 (converted from the
    folder's datum, as RFC 7946 requires); simplestyle colours."""
    def xy(lat: float, lon: float) -> list[float]:
        lat84, lon84 = wgs84(plan, lat, lon)
        return [lon84, lat84]

    base_xy = xy(plan.base.lat, plan.base.lon)
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
                         "coordinates": [base_xy, *(xy(s.lat, s.lon) for s in day.stops), base_xy]},
            "properties": {"kind": "route", "day": day.date.isoformat(), "visits": len(day.stops),
                           "travel_km": round(day.travel_km, 2),
                           "travel_minutes": round(day.travel_minutes, 1),
                           "stroke": c, "stroke-width": 3},
        })
        for s in day.stops:
            features.append({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": xy(s.lat, s.lon)},
                "properties": {"kind": "stop", "day": day.date.isoformat(), "order": s.order, "id": s.id,
                               "name": s.name, "arrive": _iso(s.arrive), "start": _iso(s.start),
                               "depart": _iso(s.depart), "fixed": s.fixed,
                               "marker-color": c, "marker-symbol": str(s.order)},
            })
    return {"type": "FeatureCollection", "features": features}


def geojson_text(plan: RoutePlan) -> str:
    return dumps_json(geojson(plan)) + "\n"
