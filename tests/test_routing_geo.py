"""geo: haversine, the offline matrix, and the OSRM Table client against a
real HTTP server on 127.0.0.1 speaking OSRM's response format."""

from __future__ import annotations

import json
import math
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from kacard.planning.routing.geo import (
    Matrix,
    RoutingServiceError,
    haversine_km,
    osrm_matrix,
    travel_matrix,
)

HANGZHOU = (30.2741, 120.1551)
SHANGHAI = (31.2304, 121.4737)


def test_haversine_known_distance() -> None:
    # Hangzhou - Shanghai is about 165 km as the crow flies.
    assert 160 < haversine_km(HANGZHOU, SHANGHAI) < 170
    assert haversine_km(HANGZHOU, HANGZHOU) == 0.0
    # a quarter of the equator
    assert haversine_km((0, 0), (0, 90)) == pytest.approx(math.pi / 2 * 6371.0088)


def test_travel_matrix_applies_circuity_and_speed() -> None:
    m = travel_matrix([HANGZHOU, SHANGHAI], speed_kmh=60.0, circuity=1.5)
    d = haversine_km(HANGZHOU, SHANGHAI) * 1.5
    assert m.km[0][1] == pytest.approx(d) and m.km[1][0] == pytest.approx(d)
    assert m.minutes[0][1] == pytest.approx(d)  # 60 km/h: minutes == km
    assert m.km[0][0] == 0.0 and m.minutes[1][1] == 0.0


def test_travel_matrix_rejects_bad_speed() -> None:
    with pytest.raises(ValueError):
        travel_matrix([HANGZHOU], speed_kmh=0, circuity=1.3)


class _OsrmHandler(BaseHTTPRequestHandler):
    """Answers /table/v1/driving/... like OSRM; behaviour set per test."""

    reply: object = None
    status = 200
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        type(self).seen.append(self.path)
        reply = type(self).reply  # via the class: a plain function, not a method
        body = reply(self.path) if callable(reply) else reply
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass


class _QuietServer(HTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up (the timeout test) is expected here


@pytest.fixture
def osrm():
    handler = type("H", (_OsrmHandler,), {"seen": [], "status": 200, "reply": None})
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield handler, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _ok_table(path: str) -> dict:
    coords = urlsplit(path).path.rsplit("/", 1)[1].split(";")
    n = len(coords)
    def table(unit: float) -> list[list[float]]:
        return [[0 if i == j else unit * (1 + i + 2 * j) for j in range(n)] for i in range(n)]

    return {"code": "Ok", "durations": table(60.0), "distances": table(1000.0)}


def test_osrm_matrix_parses_table_and_sends_lon_lat(osrm) -> None:
    handler, url = osrm
    handler.reply = _ok_table
    m = osrm_matrix(url + "/", [HANGZHOU, SHANGHAI, (30.0, 120.0)])
    assert isinstance(m, Matrix)
    assert m.minutes[0][1] == pytest.approx(3.0)  # 180 s
    assert m.minutes[1][0] == pytest.approx(2.0)  # asymmetric kept as is
    assert m.km[2][1] == pytest.approx(5.0)
    path = handler.seen[0]
    parsed = urlsplit(path)
    assert parsed.path.startswith("/table/v1/driving/120.155100,30.274100;121.473700,31.230400")
    assert parse_qs(parsed.query)["annotations"] == ["duration,distance"]


def test_osrm_non_ok_code_is_an_error_naming_the_url(osrm) -> None:
    handler, url = osrm
    handler.reply = {"code": "NoTable", "message": "no table for you"}
    with pytest.raises(RoutingServiceError) as err:
        osrm_matrix(url, [HANGZHOU, SHANGHAI])
    assert url in str(err.value) and "NoTable" in str(err.value)


def test_osrm_http_400_with_osrm_body(osrm) -> None:
    handler, url = osrm
    handler.status = 400
    handler.reply = {"code": "InvalidQuery", "message": "Query string malformed"}
    with pytest.raises(RoutingServiceError, match="InvalidQuery"):
        osrm_matrix(url, [HANGZHOU, SHANGHAI])


def test_osrm_null_cell_means_unreachable(osrm) -> None:
    handler, url = osrm
    handler.reply = {"code": "Ok", "durations": [[0, None], [5, 0]],
                     "distances": [[0, 10], [10, 0]]}
    with pytest.raises(RoutingServiceError, match="no road route from point 0 to point 1"):
        osrm_matrix(url, [HANGZHOU, SHANGHAI])


def test_osrm_missing_distances_or_bad_json(osrm) -> None:
    handler, url = osrm
    handler.reply = {"code": "Ok", "durations": [[0, 1], [1, 0]]}
    with pytest.raises(RoutingServiceError, match="distances"):
        osrm_matrix(url, [HANGZHOU, SHANGHAI])
    handler.reply = b"<html>not osrm</html>"
    with pytest.raises(RoutingServiceError, match="not JSON"):
        osrm_matrix(url, [HANGZHOU, SHANGHAI])


def test_osrm_server_down_is_an_error() -> None:
    server = HTTPServer(("127.0.0.1", 0), _OsrmHandler)
    port = server.server_address[1]
    server.server_close()  # nothing listens on this port any more
    url = f"http://127.0.0.1:{port}"
    with pytest.raises(RoutingServiceError) as err:
        osrm_matrix(url, [HANGZHOU, SHANGHAI], timeout_s=2.0)
    assert url in str(err.value)


def test_osrm_timeout_is_an_error(osrm) -> None:
    handler, url = osrm
    gate = threading.Event()

    def slow(path: str) -> dict:
        gate.wait(2.0)
        return _ok_table(path)

    handler.reply = slow
    try:
        with pytest.raises(RoutingServiceError, match="did not answer"):
            osrm_matrix(url, [HANGZHOU, SHANGHAI], timeout_s=0.2)
    finally:
        gate.set()
