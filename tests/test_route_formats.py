"""kacard route outputs (GeoJSON, ICS, SVG, --output) and travel through OSRM: a real
HTTP server on 127.0.0.1 answering OSRM's Table format, and an unreachable one."""

from __future__ import annotations

import json
import socket
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import unquote, urlsplit

import pytest

from kacard.planning.routing.geo import haversine_km

SVG_NS = "{http://www.w3.org/2000/svg}"


def card(card_id: str, lat: float, lon: float, name: str | None = None, extra: str = "") -> str:
    return (f"id: {card_id}\nname: {json.dumps(name or card_id, ensure_ascii=False)}\nstatus: active\n"
            f"owner: zhangwei\nlocation: {{lat: {lat}, lon: {lon}}}\naddress: 杭州市某路{card_id}号\n{extra}")


@pytest.fixture
def small(write_card):  # type: ignore[no-untyped-def]
    write_card("hz-one", card("hz-one", 30.26, 120.17, name='Tom & Jerry <Foods> "Ltd"'))
    write_card("hz-two", card("hz-two", 30.30, 120.12, name="杭州两点科技有限公司"))
    write_card("hz-three", card("hz-three", 30.22, 120.20, extra=(
        "visits:\n  - date: 2026-11-10\n    by: zhangwei\n    summary: 拜访\n"
        "    next: {date: 2026-11-24, time: '14:00', action: 合同评审}\n")))
    write_card("hz-lost", "id: hz-lost\nname: 无位置客户\nstatus: active\nowner: zhangwei\n")


def test_geojson_structure(kacard, small):
    result = kacard("route", "--owner", "zhangwei", "--format", "geojson")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["type"] == "FeatureCollection"
    kinds = [f["properties"]["kind"] for f in doc["features"]]
    assert kinds.count("base") == 1 and kinds.count("stop") == 3
    for f in doc["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] in ("Point", "LineString")
    base = doc["features"][0]["geometry"]["coordinates"]
    assert base == [120.1551, 30.2741]  # [lon, lat]
    for line in (f for f in doc["features"] if f["geometry"]["type"] == "LineString"):
        coords = line["geometry"]["coordinates"]
        assert coords[0] == coords[-1] == base and len(coords) >= 3
        assert all(len(c) == 2 and 119 < c[0] < 121 and 30 < c[1] < 31 for c in coords)
    stops = [f for f in doc["features"] if f["properties"]["kind"] == "stop"]
    assert {s["properties"]["id"] for s in stops} == {"hz-one", "hz-two", "hz-three"}
    for s in stops:
        assert {"day", "order", "id", "name", "arrive"} <= set(s["properties"])
        assert s["geometry"]["coordinates"][1] < 31  # latitude second


def test_ics_round_trip(kacard, small):
    from icalendar import Calendar

    result = kacard("route", "--owner", "zhangwei", "--format", "ics")
    assert result.exit_code == 0, result.output
    cal = Calendar.from_ical(result.stdout)
    events = {str(e.get("uid")): e for e in cal.walk("VEVENT") if e.get("status") != "CANCELLED"}
    assert len(events) == 3
    three = next(e for uid, e in events.items() if "hz-three" in uid)
    start, end = three.decoded("dtstart"), three.decoded("dtend")
    assert start.isoformat() == "2026-11-24T14:00:00" and (end - start).total_seconds() == 45 * 60
    assert "合同评审" in str(three.get("description"))
    one = next(e for uid, e in events.items() if "hz-one" in uid)
    assert 'Tom & Jerry <Foods> "Ltd"' in str(one.get("summary"))


def test_svg_is_well_formed_and_escapes_names(kacard, small, tmp_path):
    out = tmp_path / "week.svg"
    result = kacard("route", "--owner", "zhangwei", "--format", "svg", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "wrote" in result.stderr
    text = out.read_text("utf-8")
    assert "Tom &amp; Jerry &lt;Foods&gt;" in text and "<Foods>" not in text
    root = ET.fromstring(text)
    assert root.tag == SVG_NS + "svg"
    texts = "".join(t.text or "" for t in root.iter(SVG_NS + "text"))
    assert 'Tom & Jerry <Foods> "Ltd"' in texts and "杭州两点科技有限公司" in texts
    assert len(list(root.iter(SVG_NS + "polyline"))) >= 1
    markers = [c for c in root.iter(SVG_NS + "circle") if c.get("r") == "9"]
    assert len(markers) == 3  # numbered stops; hz-lost has no location
    assert any("no visits" in (t.text or "") or "visits" in (t.text or "") for t in root.iter(SVG_NS + "text"))


# -- OSRM ------------------------------------------------------------------------------------


class _Table(BaseHTTPRequestHandler):
    """Answers GET /table/v1/driving/lon,lat;... like OSRM: seconds and metres, here
    twice the straight-line distance at 36 km/h, so the numbers are recognisable."""

    calls: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        type(self).calls.append(self.path)
        coords = unquote(urlsplit(self.path).path).split("/table/v1/driving/")[1]
        pts = [(float(c.split(",")[1]), float(c.split(",")[0])) for c in coords.split(";")]
        metres = [[haversine_km(a, b) * 2000 for b in pts] for a in pts]
        seconds = [[m / 10 for m in row] for row in metres]
        body = json.dumps({"code": "Ok", "durations": seconds, "distances": metres,
                           "sources": [], "destinations": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
        pass


@pytest.fixture
def osrm() -> Iterator[str]:
    handler = type("H", (_Table,), {"calls": []})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_osrm_table_is_used(kacard, small, osrm):
    result = kacard("route", "--owner", "zhangwei", "--format", "json", "--osrm", osrm)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["travel_model"] == f"osrm {osrm}" and doc["warnings"] == []
    stops = [s for d in doc["days"] for s in d["stops"]]
    assert len(stops) == 3
    for s in stops:  # the server's numbers: 2 x straight line, at 36 km/h
        assert s["leg_minutes"] == pytest.approx(s["leg_km"] / 36 * 60, abs=0.1)
    first = doc["days"][[bool(d["stops"]) for d in doc["days"]].index(True)]["stops"][0]
    assert first["leg_km"] == pytest.approx(2 * haversine_km((30.2741, 120.1551), (first["lat"], first["lon"])),
                                            abs=0.01)


def test_osrm_from_settings(kacard, folder, small, osrm):
    settings = folder / "kacard.yaml"
    settings.write_text(settings.read_text("utf-8") + f"travel: {{osrm: '{osrm}'}}\n", encoding="utf-8")
    result = kacard("route", "--owner", "zhangwei")
    assert result.exit_code == 0, result.output
    assert f"travel model: osrm {osrm}" in result.stdout


def test_unreachable_osrm_falls_back_to_haversine(kacard, small):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    result = kacard("route", "--owner", "zhangwei", "--format", "json", "--osrm", url)
    assert result.exit_code == 0, result.output
    assert "warning" in result.stderr and url in result.stderr and "haversine" in result.stderr
    doc = json.loads(result.stdout)
    assert doc["travel_model"] == "haversine ×1.3 @30 km/h" and url in doc["warnings"][0]
    assert sum(len(d["stops"]) for d in doc["days"]) == 3
