"""Travel matrices: the offline haversine estimate and an OSRM Table API client.

Only the standard library is used, so route planning works on a fresh install
with no network and no optional packages.
"""

from __future__ import annotations

import json
import math
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088

Point = tuple[float, float]


class RoutingServiceError(Exception):
    """A routing server could not give a usable matrix.

    The message names the URL and says what went wrong in plain words; the CLI
    prints it as is (no traceback for users).
    """


@dataclass(frozen=True)
class Matrix:
    """Road kilometres and driving minutes between every pair of points.

    ``km[i][j]`` / ``minutes[i][j]`` go from point i to point j; a road matrix
    may be asymmetric (one-way streets), so never assume ``[i][j] == [j][i]``.
    """

    km: list[list[float]]
    minutes: list[list[float]]


def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance in km between two (lat, lon) points in degrees."""
    lat1, lon1 = math.radians(a[0]), math.radians(a[1])
    lat2, lon2 = math.radians(b[0]), math.radians(b[1])
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def travel_matrix(points: list[Point], speed_kmh: float, circuity: float) -> Matrix:
    """Offline estimate: road km = straight-line km x circuity, at a flat speed.

    Good enough to order a day's visits without any server; symmetric.
    """
    if speed_kmh <= 0:
        raise ValueError(f"speed_kmh must be positive, got {speed_kmh}")
    if circuity <= 0:
        raise ValueError(f"circuity must be positive, got {circuity}")
    n = len(points)
    km = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            d = haversine_km(points[i], points[j]) * circuity
            km[i][j] = km[j][i] = d
    minutes = [[d / speed_kmh * 60.0 for d in row] for row in km]
    return Matrix(km=km, minutes=minutes)


def _table_url(base_url: str, points: list[Point]) -> str:
    """OSRM wants lon,lat (not lat,lon) separated by ';'."""
    coords = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in points)
    return f"{base_url.rstrip('/')}/table/v1/driving/{coords}?annotations=duration,distance"


def _fetch_json(url: str, base_url: str, timeout_s: float) -> dict:
    """GET a JSON object; every failure becomes a RoutingServiceError."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as resp:
            body = resp.read()
    except urllib.error.HTTPError as exc:
        # OSRM answers errors with HTTP 400 and a JSON body {"code", "message"}.
        detail = ""
        try:
            err = json.loads(exc.read().decode("utf-8"))
            detail = f": {err.get('code')}: {err.get('message', '')}".rstrip(": ")
        except Exception:  # noqa: BLE001 - the body is only a nicety
            pass
        raise RoutingServiceError(
            f"routing server {base_url} answered HTTP {exc.code}{detail}"
        ) from None
    except TimeoutError:
        raise RoutingServiceError(
            f"routing server {base_url} did not answer within {timeout_s:g} s"
        ) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise RoutingServiceError(
                f"routing server {base_url} did not answer within {timeout_s:g} s"
            ) from None
        raise RoutingServiceError(
            f"cannot reach routing server {base_url}: {reason}"
        ) from None
    except (OSError, ValueError) as exc:
        raise RoutingServiceError(f"cannot reach routing server {base_url}: {exc}") from None
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RoutingServiceError(
            f"routing server {base_url} sent a reply that is not JSON "
            "(is this an OSRM server?)"
        ) from None
    if not isinstance(data, dict):
        raise RoutingServiceError(f"routing server {base_url} sent an unexpected reply")
    return data


def _square(data: dict, field: str, n: int, base_url: str) -> list[list[float]]:
    """Check an n x n table of numbers; null means OSRM found no route."""
    table = data.get(field)
    if not isinstance(table, list) or len(table) != n:
        hint = " (distances need OSRM 5.8 or newer)" if field == "distances" else ""
        raise RoutingServiceError(
            f"routing server {base_url} sent no usable '{field}' table{hint}"
        )
    out: list[list[float]] = []
    for i, row in enumerate(table):
        if not isinstance(row, list) or len(row) != n:
            raise RoutingServiceError(f"routing server {base_url} sent a malformed '{field}' table")
        clean: list[float] = []
        for j, cell in enumerate(row):
            if cell is None:
                raise RoutingServiceError(
                    f"routing server {base_url} found no road route from point {i} to point {j}"
                )
            if isinstance(cell, bool) or not isinstance(cell, (int, float)) or cell < 0:
                raise RoutingServiceError(
                    f"routing server {base_url} sent a malformed '{field}' table"
                )
            clean.append(float(cell))
        out.append(clean)
    return out


def osrm_matrix(base_url: str, points: list[Point], timeout_s: float = 5.0) -> Matrix:
    """Ask an OSRM server (Table service) for driving times and distances.

    Uses ``GET {base}/table/v1/driving/{lon},{lat};...?annotations=duration,distance``;
    OSRM returns seconds and metres, converted here to minutes and km. The
    result may be asymmetric. Raises RoutingServiceError on any failure so the
    caller can fall back to :func:`travel_matrix` or tell the user.
    """
    if not points:
        return Matrix(km=[], minutes=[])
    url = _table_url(base_url, points)
    data = _fetch_json(url, base_url, timeout_s)
    code = data.get("code")
    if code != "Ok":
        message = data.get("message") or "no message"
        raise RoutingServiceError(f"routing server {base_url} answered {code}: {message}")
    n = len(points)
    seconds = _square(data, "durations", n, base_url)
    metres = _square(data, "distances", n, base_url)
    return Matrix(
        km=[[m / 1000.0 for m in row] for row in metres],
        minutes=[[s / 60.0 for s in row] for row in seconds],
    )
