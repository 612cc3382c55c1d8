"""Travel matrices: the offline haversine estimate and an OSRM Table API client.

Only the standard library is used, so route planning works on a fresh install
with no network and no optional packages.
"""

from __future__ import annotations

import http.client
import json
import math
import socket
import threading
import urllib.parse
from dataclasses import dataclass

from kacard.i18n import _

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


MAX_REPLY_BYTES = 64 * 1024 * 1024
"""A table of 500 points is about 10 MB of JSON; a reply larger than this is refused."""
MAX_SECONDS = 7 * 24 * 3600.0  # a road time longer than a week is not a road time
MAX_METRES = 40_075_000.0  # nor a distance longer than the equator


def _fetch_json(url: str, base_url: str, timeout_s: float, max_bytes: int = MAX_REPLY_BYTES) -> dict:
    """GET a JSON object within `timeout_s` seconds in all (connect, headers and body
    together: a server that drips a byte at a time is cut off at the deadline) and at most
    `max_bytes` of body. Every failure — refused, timed out, too large, malformed HTTP (a
    bad status line, a huge header, a short body), not JSON — is a RoutingServiceError
    naming the URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RoutingServiceError(_("routing server {url} is not an http(s) URL").format(url=base_url))
    late = threading.Event()
    conn_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    try:
        conn = conn_type(parts.hostname, parts.port, timeout=timeout_s)
    except ValueError as exc:  # a bad port
        raise RoutingServiceError(_("routing server {url} is not a usable URL: {error}").format(url=base_url, error=exc)) from None

    def cut_off() -> None:  # the deadline: shut the socket, so any read in progress ends now
        late.set()
        sock = conn.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    timer = threading.Timer(timeout_s, cut_off)
    timer.daemon = True
    timer.start()
    try:
        conn.request("GET", parts.path + ("?" + parts.query if parts.query else ""),
                     headers={"Accept": "application/json", "User-Agent": "kacard"})
        resp = conn.getresponse()
        declared = resp.getheader("Content-Length")
        if declared is not None and declared.strip().isdigit() and int(declared) > max_bytes:
            raise _TooLarge
        body = bytearray()
        while chunk := resp.read(64 * 1024):
            body += chunk
            if len(body) > max_bytes:
                raise _TooLarge
        if late.is_set():  # the deadline shut the socket: what came is cut short
            raise TimeoutError
        if declared is not None and declared.strip().isdigit() and len(body) < int(declared):
            raise http.client.IncompleteRead(bytes(body), int(declared) - len(body))
        status = resp.status
    except _TooLarge:
        raise RoutingServiceError(_("routing server {url} sent a reply larger than {size} MB; not read").format(
            url=base_url, size=max_bytes // (1024 * 1024))) from None
    except (http.client.HTTPException, OSError, ValueError) as exc:
        if late.is_set() or isinstance(exc, (socket.timeout, TimeoutError)):
            raise RoutingServiceError(_("routing server {url} did not answer within {seconds} s").format(
                url=base_url, seconds=f"{timeout_s:g}")) from None
        if isinstance(exc, http.client.HTTPException):
            raise RoutingServiceError(_("routing server {url} sent a broken HTTP reply ({error})").format(
                url=base_url, error=type(exc).__name__)) from None
        raise RoutingServiceError(_("cannot reach routing server {url}: {reason}").format(url=base_url, reason=_reason(exc))) from None
    finally:
        timer.cancel()
        conn.close()
    if status != 200:
        # OSRM answers errors with HTTP 400 and a JSON body {"code", "message"}.
        detail = ""
        try:
            err = json.loads(bytes(body[:4096]).decode("utf-8"))
            detail = f": {err.get('code')}: {err.get('message', '')}".rstrip(": ")
        except Exception:  # noqa: BLE001 - the body is only a nicety
            pass
        raise RoutingServiceError(_("routing server {url} answered HTTP {status}{detail}").format(
            url=base_url, status=status, detail=detail[:300]))
    try:
        data = json.loads(bytes(body).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise RoutingServiceError(
            _("routing server {url} sent a reply that is not JSON (is this an OSRM server?)").format(url=base_url)
        ) from None
    if not isinstance(data, dict):
        raise RoutingServiceError(_("routing server {url} sent an unexpected reply").format(url=base_url))
    return data


class _TooLarge(Exception):
    pass


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__


def _cell(value: object, limit: float) -> float | None:
    """One table cell: a finite number from 0 to `limit`, else None (no usable value).
    JSON's NaN, Infinity, 1e308, negative numbers, null, strings and booleans are None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    if not math.isfinite(number) or number < 0 or number > limit:
        return None
    return number


def _table(data: dict, field: str, n: int, base_url: str, limit: float) -> list[list[float | None]]:
    """An n x n table; a wrong shape is an error, a bad cell is None."""
    table = data.get(field)
    if not isinstance(table, list) or len(table) != n:
        message = (_("routing server {url} sent no usable '{field}' table (distances need OSRM 5.8 or newer)")
                   if field == "distances" else _("routing server {url} sent no usable '{field}' table"))
        raise RoutingServiceError(message.format(url=base_url, field=field))
    out: list[list[float | None]] = []
    for row in table:
        if not isinstance(row, list) or len(row) != n:
            raise RoutingServiceError(_("routing server {url} sent a malformed '{field}' table").format(url=base_url, field=field))
        out.append([_cell(cell, limit) for cell in row])
    return out


@dataclass(frozen=True)
class RoadTable:
    """What an OSRM server gave: road km and minutes per pair, None where it gave no
    usable value (OSRM's null for a pair it found no route for, or a cell that is not a
    finite non-negative number in range). The diagonal is 0."""

    km: list[list[float | None]]
    minutes: list[list[float | None]]

    def missing(self) -> list[tuple[int, int]]:
        """The pairs (i, j), i != j, without both a distance and a time."""
        n = len(self.km)
        return [(i, j) for i in range(n) for j in range(n)
                if i != j and (self.km[i][j] is None or self.minutes[i][j] is None)]

    def over(self, fallback: Matrix) -> Matrix:
        """Road values where there are some, `fallback`'s for the missing pairs."""
        n = len(self.km)
        gap = set(self.missing())
        km = [[0.0 if i == j else fallback.km[i][j] if (i, j) in gap else float(self.km[i][j] or 0.0)
               for j in range(n)] for i in range(n)]
        minutes = [[0.0 if i == j else fallback.minutes[i][j] if (i, j) in gap
                    else float(self.minutes[i][j] or 0.0) for j in range(n)] for i in range(n)]
        return Matrix(km=km, minutes=minutes)


def osrm_table(base_url: str, points: list[Point], timeout_s: float = 10.0,
               max_bytes: int = MAX_REPLY_BYTES) -> RoadTable:
    """Ask an OSRM server (Table service) for driving times and distances, every cell
    checked (see RoadTable). ``timeout_s`` is the deadline of the whole exchange.

    Uses ``GET {base}/table/v1/driving/{lon},{lat};...?annotations=duration,distance``;
    OSRM returns seconds and metres, converted here to minutes and km. The result may
    be asymmetric. Raises RoutingServiceError when the server gives no table at all."""
    if not points:
        return RoadTable(km=[], minutes=[])
    url = _table_url(base_url, points)
    data = _fetch_json(url, base_url, timeout_s, max_bytes)
    code = data.get("code")
    if code != "Ok":
        message = str(data.get("message") or "no message")[:300]
        raise RoutingServiceError(_("routing server {url} answered {code}: {message}").format(
            url=base_url, code=str(code)[:60], message=message))
    n = len(points)
    seconds = _table(data, "durations", n, base_url, MAX_SECONDS)
    metres = _table(data, "distances", n, base_url, MAX_METRES)
    return RoadTable(
        km=[[None if m is None else m / 1000.0 for m in row] for row in metres],
        minutes=[[None if s is None else s / 60.0 for s in row] for row in seconds],
    )


def osrm_matrix(base_url: str, points: list[Point], timeout_s: float = 10.0) -> Matrix:
    """osrm_table, all or nothing: RoutingServiceError when any pair has no usable value."""
    table = osrm_table(base_url, points, timeout_s)
    missing = table.missing()
    if missing:
        i, j = missing[0]
        raise RoutingServiceError(_("routing server {url} found no road route from point {i} to point {j}").format(
            url=base_url, i=i, j=j))
    return table.over(Matrix(km=table.km, minutes=table.minutes))  # type: ignore[arg-type]
