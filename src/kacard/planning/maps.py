"""Map links for a day's route and each stop: Amap (高德), Baidu (百度) and Google.

Datums (SPEC §9 `map.datum`): a card's `location` is in the folder's datum — WGS-84 (GPS,
OpenStreetMap), GCJ-02 (China's official offset datum, which Amap's and Tencent's
coordinate pickers give) or BD-09 (Baidu's own further offset). Each app reads its own
datum: Amap GCJ-02, Baidu BD-09, Google WGS-84. A link converts a point once, from the
folder's datum straight to the app's, and says in its parameters which datum it gives
(Amap `coordinate=gaode` / `dev=0`, Baidu `coord_type=bd09ll`), so the app never shifts
it a second time. Points outside mainland China are never shifted (GCJ-02 is the
identity there).

Conversion uses the `coordTransform` package (MIT, released 2026; the widely used
published GCJ-02 and BD-09 formulas, a C extension with a pure-Python fallback; pyproj
has no GCJ-02, eviltransform and prcoords have had no release since 2018/2019). Its
inverse to WGS-84 is the usual one-step approximation (about a metre off); kacard
refines it with two fixed-point steps against the library's own forward formula, to
well under a centimetre.

URL formats: Amap URI API (uri.amap.com marker/navigation; the app's amapuri://route/plan
with up to 16 via points), Baidu URI API (api.map.baidu.com marker/direction,
baidumap://map/direction), Google Maps URLs (api=1 dir, up to 9 waypoints on phones).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote
from urllib.parse import urlencode as _urlencode

DATUMS = ("wgs84", "gcj02", "bd09")
APPS = ("amap", "baidu", "google")
APP_DATUM = {"amap": "gcj02", "baidu": "bd09", "google": "wgs84"}
APP_NAMES = {"amap": "Amap 高德地图", "baidu": "Baidu 百度地图", "google": "Google Maps"}
AMAP_MAX_VIA = 16
GOOGLE_MAX_WAYPOINTS = 9
SOURCE = "kacard"
REFINE_STEPS = 2


@dataclass(frozen=True)
class Geo:
    """A point and the datum its numbers are in. `to(datum)` gives the same place in
    another datum; a Geo already in that datum comes back unchanged (never shifted twice)."""

    lat: float
    lon: float
    datum: str = "wgs84"

    def __post_init__(self) -> None:
        if self.datum not in DATUMS:
            raise ValueError(f"unknown datum {self.datum!r}; one of {', '.join(DATUMS)}")

    def to(self, datum: str) -> Geo:
        if datum not in DATUMS:
            raise ValueError(f"unknown datum {datum!r}; one of {', '.join(DATUMS)}")
        if datum == self.datum:
            return self
        import coordTransform as ct  # type: ignore[import-untyped]

        convert = {
            ("wgs84", "gcj02"): ct.wgs84_to_gcj02, ("gcj02", "wgs84"): ct.gcj02_to_wgs84,
            ("gcj02", "bd09"): ct.gcj02_to_bd09, ("bd09", "gcj02"): ct.bd09_to_gcj02,
            ("wgs84", "bd09"): ct.wgs84_to_bd09, ("bd09", "wgs84"): ct.bd09_to_wgs84,
        }[(self.datum, datum)]
        lon, lat = convert(self.lon, self.lat)
        if datum == "wgs84":  # refine the library's one-step inverse against its forward formula
            forward = ct.wgs84_to_gcj02 if self.datum == "gcj02" else ct.wgs84_to_bd09
            for _ in range(REFINE_STEPS):
                f_lon, f_lat = forward(lon, lat)
                lon, lat = lon + (self.lon - f_lon), lat + (self.lat - f_lat)
        return Geo(lat, lon, datum)


@dataclass(frozen=True)
class Place:
    """A named point on a map (a stop, or the rep's base)."""

    name: str
    geo: Geo


@dataclass(frozen=True)
class Links:
    """`web` opens in any browser (and hands over to the app on a phone); `app` is the
    app's own URI scheme (None for Google, whose web link opens the app)."""

    app_name: str
    web: str
    app: str | None


def urlencode(params: dict[str, Any]) -> str:
    """Query text with , | : left readable (they are legal in a query); the rest escaped."""
    return _urlencode(params, safe=",|:", quote_via=quote)


def _ll(g: Geo) -> str:
    return f"{g.lon:.6f},{g.lat:.6f}"  # Amap: longitude first


def _bd(g: Geo) -> str:
    return f"{g.lat:.6f},{g.lon:.6f}"  # Baidu and Google: latitude first


def _clean(name: str) -> str:
    """Amap and Baidu split their lists on ',' '|' ';': keep names free of them."""
    for ch in ",|;":
        name = name.replace(ch, " ")
    return name.strip() or "?"


def stop_links(app: str, place: Place) -> Links:
    """Links that show one place (web) and drive there from where the phone is (app)."""
    g = place.geo.to(APP_DATUM[app])
    name = _clean(place.name)
    if app == "amap":
        web = "https://uri.amap.com/marker?" + urlencode(
            {"position": _ll(g), "name": name, "src": SOURCE, "coordinate": "gaode", "callnative": 1})
        uri = "amapuri://route/plan/?" + urlencode(
            {"sourceApplication": SOURCE, "dlat": f"{g.lat:.6f}", "dlon": f"{g.lon:.6f}", "dname": name,
             "dev": 0, "t": 0})
        return Links(APP_NAMES[app], web, uri)
    if app == "baidu":
        web = "https://api.map.baidu.com/marker?" + urlencode(
            {"location": _bd(g), "title": name, "content": name, "output": "html",
             "coord_type": "bd09ll", "src": SOURCE})
        uri = "baidumap://map/direction?" + urlencode(
            {"destination": f"latlng:{_bd(g)}|name:{name}", "mode": "driving", "coord_type": "bd09ll",
             "src": SOURCE})
        return Links(APP_NAMES[app], web, uri)
    if app == "google":
        web = "https://www.google.com/maps/search/?" + urlencode({"api": 1, "query": _bd(g)})
        return Links(APP_NAMES[app], web, None)
    raise ValueError(f"unknown map app {app!r}; one of {', '.join(APPS)}")


def day_links(app: str, base: Place, stops: Sequence[Place]) -> Links | None:
    """The day's drive from the base through the stops (in order) and back, or None
    without stops. Apps cap the via points (Amap 16, Google 9 on phones); past the
    cap the app link names the first ones and the web link still marks every stop."""
    if not stops:
        return None
    home = base.geo.to(APP_DATUM[app])
    points = [s.geo.to(APP_DATUM[app]) for s in stops]
    names = [_clean(s.name) for s in stops]
    home_name = _clean(base.name)
    if app == "amap":
        web = "https://uri.amap.com/marker?" + urlencode(
            {"markers": "|".join(f"{_ll(g)},{n}" for g, n in zip(points, names, strict=True)),
             "src": SOURCE, "coordinate": "gaode", "callnative": 1})
        via = list(zip(points, names, strict=True))[:AMAP_MAX_VIA]
        uri = "amapuri://route/plan/?" + urlencode(
            {"sourceApplication": SOURCE, "slat": f"{home.lat:.6f}", "slon": f"{home.lon:.6f}",
             "sname": home_name, "dlat": f"{home.lat:.6f}", "dlon": f"{home.lon:.6f}", "dname": home_name,
             "vian": len(via), "vialons": "|".join(f"{g.lon:.6f}" for g, _ in via),
             "vialats": "|".join(f"{g.lat:.6f}" for g, _ in via), "vianames": "|".join(n for _, n in via),
             "dev": 0, "t": 0})
        return Links(APP_NAMES[app], web, uri)
    if app == "baidu":
        params = {"origin": f"latlng:{_bd(home)}|name:{home_name}",
                  "destination": f"latlng:{_bd(home)}|name:{home_name}",
                  "waypoints": "|".join(_bd(g) for g in points), "mode": "driving",
                  "coord_type": "bd09ll", "src": SOURCE}
        web = "https://api.map.baidu.com/direction?" + urlencode({**params, "output": "html"})
        uri = "baidumap://map/direction?" + urlencode(params)
        return Links(APP_NAMES[app], web, uri)
    if app == "google":
        waypoints = "|".join(_bd(g) for g in points[:GOOGLE_MAX_WAYPOINTS])
        web = ("https://www.google.com/maps/dir/?api=1"
               f"&origin={quote(_bd(home))}&destination={quote(_bd(home))}"
               f"&waypoints={quote(waypoints, safe=',')}&travelmode=driving")
        return Links(APP_NAMES[app], web, None)
    raise ValueError(f"unknown map app {app!r}; one of {', '.join(APPS)}")
