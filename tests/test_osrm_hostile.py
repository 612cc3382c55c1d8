"""Issue 13, kind 5 (the network): the OSRM client against a loopback server (real
sockets, one thread per connection) that drips, sends huge bodies, malformed HTTP and
bad cells. The client has one deadline for the whole exchange and a size cap; every
cell is checked; road times are kept for the pairs that have them; `route` always falls
back with one warning line naming the accounts."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from kacard.planning.routing.geo import RoutingServiceError, osrm_table

POINTS = [(30.27, 120.15), (30.25, 120.17), (30.30, 120.20)]

Reply = Callable[[socket.socket], None]


@pytest.fixture
def server() -> Iterator[Callable[[Reply], str]]:
    """server(reply) -> URL of a loopback HTTP server answering every request with `reply`."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    state: dict[str, Reply | None] = {"reply": None}
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    def handle(conn: socket.socket) -> None:
        try:
            conn.settimeout(30)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            reply = state["reply"]
            assert reply is not None
            reply(conn)
        except OSError:
            pass
        finally:
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    def start(reply: Reply) -> str:
        state["reply"] = reply
        return f"http://127.0.0.1:{listener.getsockname()[1]}"

    yield start
    stop.set()
    thread.join(2)
    listener.close()


def http(body: bytes, status: str = "200 OK", headers: str = "") -> Reply:
    def reply(conn: socket.socket) -> None:
        conn.sendall(f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n{headers}\r\n".encode() + body)

    return reply


def table(durations: list, distances: list | None = None) -> bytes:
    # json.dumps writes NaN and Infinity as JSON's (non-standard) tokens, as a broken server might
    return json.dumps({"code": "Ok", "durations": durations,
                       "distances": distances if distances is not None else [[0, 1000, 2000]] * 3}).encode()


GOOD = [[0, 60, 120], [60, 0, 60], [120, 60, 0]]


def test_a_dripping_server_is_cut_off_at_the_deadline(server) -> None:
    def drip(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        for _ in range(100):
            conn.sendall(b" ")
            time.sleep(0.3)  # each read gets a byte well within any per-read timeout

    url = server(drip)
    started = time.monotonic()
    with pytest.raises(RoutingServiceError, match="did not answer within 1.5 s"):
        osrm_table(url, POINTS, timeout_s=1.5)
    assert time.monotonic() - started < 4


def test_a_server_dripping_its_headers_is_cut_off_too(server) -> None:
    def drip(conn: socket.socket) -> None:
        for ch in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
            conn.sendall(bytes([ch]))
            time.sleep(0.2)

    url = server(drip)
    started = time.monotonic()
    with pytest.raises(RoutingServiceError, match="did not answer"):
        osrm_table(url, POINTS, timeout_s=1.0)
    assert time.monotonic() - started < 3


def test_a_huge_reply_is_not_read_whole(server) -> None:
    def huge(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\n\r\n")  # no length: read until the server closes
        block = b" " * 65536
        try:
            for _ in range(400 * 16):  # 400 MB if read whole
                conn.sendall(block)
        except OSError:
            pass

    url = server(huge)
    with pytest.raises(RoutingServiceError, match="larger than 1 MB"):
        osrm_table(url, POINTS, max_bytes=1024 * 1024)
    declared = server(lambda conn: conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 400000000\r\n\r\nx"))
    with pytest.raises(RoutingServiceError, match="larger than"):
        osrm_table(declared, POINTS, max_bytes=1024 * 1024)


@pytest.mark.parametrize("raw", [
    b"NONSENSE\r\n\r\n",  # bad status line
    b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n",  # a header line too long
    b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(150)) + b"\r\n",  # too many headers
    b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n{\"code\": \"Ok\"",  # short body
    b"",  # closed without a word
])
def test_malformed_http_is_a_routing_error_not_a_traceback(server, raw: bytes) -> None:
    url = server(lambda conn: conn.sendall(raw))
    with pytest.raises(RoutingServiceError):
        osrm_table(url, POINTS, timeout_s=5)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -5, 1e308, None, "12", True])
def test_every_cell_is_checked_and_other_pairs_keep_road_times(server, bad) -> None:
    durations = [row[:] for row in GOOD]
    durations[0][2] = bad
    url = server(http(table(durations)))
    result = osrm_table(url, POINTS)
    assert result.missing() == [(0, 2)]
    assert result.minutes[0][1] == pytest.approx(1.0) and result.minutes[2][0] == pytest.approx(2.0)


def test_route_falls_back_per_pair_with_one_warning_naming_the_accounts(server, kacard, write_card) -> None:
    for card_id, (lat, lon) in (("hz-a", POINTS[1]), ("hz-b", POINTS[2])):
        write_card(card_id, f"id: {card_id}\nname: {card_id}\nowner: zhangwei\nstatus: active\n"
                            f"location: {{lat: {lat}, lon: {lon}}}\n")
    durations = [[0, 600, None], [600, 0, 300], [900, 300, 0]]  # OSRM's null for one one-way pair
    url = server(http(table(durations)))
    result = kacard("route", "--owner", "zhangwei", "--format", "json", "--osrm", url)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1 and "1 leg(s)" in warnings[0]
    assert "base → hz-" in warnings[0]
    doc = json.loads(result.stdout)
    legs = {stop["id"]: stop["leg_minutes"] for day in doc["days"] for stop in day["stops"]}
    assert legs, doc
    assert 5 in [round(v) for v in legs.values()] or 10 in [round(v) for v in legs.values()]


def test_route_with_a_useless_server_names_every_account(server, kacard, write_card) -> None:
    write_card("hz-a", "id: hz-a\nname: A\nowner: zhangwei\nstatus: active\nlocation: {lat: 30.25, lon: 120.17}\n")
    url = server(lambda conn: conn.sendall(b"NONSENSE\r\n\r\n"))
    result = kacard("route", "--owner", "zhangwei", "--osrm", url)
    assert result.exit_code == 0 and "Traceback" not in result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1 and "hz-a" in warnings[0] and "broken HTTP reply" in warnings[0]
