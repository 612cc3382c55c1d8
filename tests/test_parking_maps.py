"""Parked accounts (SPEC §9 parking, wait_until) and map links with datum conversion
(Amap, Baidu, Google) checked against published coordinate pairs."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from kacard.planning.maps import Geo, Place, day_links, stop_links

# -- parking ------------------------------------------------------------------------------

FAR_STEP = """\
id: hz-far
name: 杭州远景科技
owner: zhangwei
tier: A
visits:
  - {date: 2026-10-01, summary: 拜访总经理, next: {date: 2027-01-27, action: 等客户新厂区竣工后再约}}
"""

WAITING = """\
id: hz-wait
name: 杭州静候实业
owner: zhangwei
tier: B
wait_until: 2026-12-14
"""


def due_ids(kacard) -> list[str]:  # type: ignore[no-untyped-def]
    result = kacard("due", "--format", "json")
    assert result.exit_code == 0, result.output
    return [r["id"] for r in json.loads(result.stdout)]


def test_a_far_agreed_next_step_parks_the_cadence_reason(kacard, write_card) -> None:
    write_card("hz-far", FAR_STEP)
    write_card("hz-wait", WAITING)
    assert due_ids(kacard) == []  # 53 days since the visit (A: 14), but a step is agreed for 2027-01-27
    explain = kacard("due", "--explain", "hz-far")
    assert explain.exit_code == 0, explain.output
    assert "parked until 2027-01-27" in explain.stdout and "等客户新厂区竣工后再约" in explain.stdout
    assert "parking: true" in explain.stdout
    assert "parked until 2026-12-14 (wait_until)" in kacard("due", "--explain", "hz-wait").stdout


def test_parking_off_brings_the_cadence_back(kacard, folder, write_card) -> None:
    write_card("hz-far", FAR_STEP)
    write_card("hz-wait", WAITING)
    (folder / "kacard.yaml").write_text((folder / "kacard.yaml").read_text("utf-8") + "parking: false\n",
                                        encoding="utf-8")
    assert sorted(due_ids(kacard)) == ["hz-far", "hz-wait"]


def test_review_still_shows_parked_accounts(kacard, write_card) -> None:
    write_card("hz-far", FAR_STEP)
    result = kacard("review", "--format", "json")
    assert result.exit_code == 0, result.output
    reps = {r["rep"]: r for r in json.loads(result.stdout)["reps"]}
    parked = reps["zhangwei"]["parked"]
    assert [(p["id"], p["until"], p["source"]) for p in parked] == [("hz-far", "2027-01-27", "next_step")]
    assert "Parked" in kacard("review", "--format", "md").stdout


def test_a_wait_that_ends_this_week_parks_nothing(kacard, write_card) -> None:
    write_card("hz-wait", WAITING.replace("2026-12-14", "2026-11-26"))
    assert due_ids(kacard) == ["hz-wait"]  # never visited: the cadence reason stands


# -- datum conversion and map links ---------------------------------------------------------

# Published pairs (the GCJ-02 / BD-09 formulas' reference outputs for 116.404, 39.915):
WGS_TO_GCJ = ((39.915, 116.404), (39.91640428150164, 116.41024449916938))
GCJ_TO_BD = ((39.915, 116.404), (39.92133699351021, 116.41036949371029))
BD_TO_GCJ = ((39.915, 116.404), (39.90865673957631, 116.39762729119315))


@pytest.mark.parametrize(("src", "dst", "pair"), [("wgs84", "gcj02", WGS_TO_GCJ), ("gcj02", "bd09", GCJ_TO_BD),
                                                  ("bd09", "gcj02", BD_TO_GCJ)])
def test_datum_conversion_matches_published_pairs(src: str, dst: str, pair) -> None:  # type: ignore[no-untyped-def]
    (lat, lon), (want_lat, want_lon) = pair
    got = Geo(lat, lon, src).to(dst)
    assert (got.lat, got.lon, got.datum) == (pytest.approx(want_lat, abs=1e-9), pytest.approx(want_lon, abs=1e-9), dst)


def test_round_trip_within_a_centimetre_and_never_shifted_twice() -> None:
    wgs = Geo(30.2741, 120.1551, "wgs84")
    gcj = wgs.to("gcj02")
    assert gcj.to("gcj02") is gcj  # already in that datum: unchanged
    back = gcj.to("wgs84")
    assert abs(back.lat - wgs.lat) < 1e-7 and abs(back.lon - wgs.lon) < 1e-7  # ~1 cm
    bd_back = wgs.to("bd09").to("wgs84")
    assert abs(bd_back.lat - wgs.lat) < 1e-7 and abs(bd_back.lon - wgs.lon) < 1e-7
    assert 0.001 < abs(gcj.lon - wgs.lon) < 0.01  # the GCJ-02 offset is hundreds of metres
    paris = Geo(48.8584, 2.2945, "wgs84")
    assert paris.to("gcj02") == Geo(48.8584, 2.2945, "gcj02")  # no offset outside China


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_amap_links_give_gcj02_once_and_say_so() -> None:
    stop = Place("杭州星河燃气, 总部", Geo(39.915, 116.404, "wgs84"))
    links = stop_links("amap", stop)
    web = query(links.web)
    assert urlsplit(links.web).netloc == "uri.amap.com" and urlsplit(links.web).path == "/marker"
    lon, lat = (float(x) for x in web["position"].split(","))  # Amap: longitude first
    assert (lat, lon) == (pytest.approx(39.916404, abs=1e-6), pytest.approx(116.410244, abs=1e-6))
    assert web["coordinate"] == "gaode" and web["name"] == "杭州星河燃气  总部"  # no list separators
    app = query(links.app or "")
    assert links.app and links.app.startswith("amapuri://route/plan/?")
    assert (app["dlat"], app["dlon"], app["dev"], app["t"]) == ("39.916404", "116.410244", "0", "0")  # dev=0: no shift
    gcj_card = stop_links("amap", Place("x", Geo(39.916404, 116.410244, "gcj02")))
    assert query(gcj_card.web)["position"] == "116.410244,39.916404"  # a GCJ-02 folder: passed as is


def test_amap_day_link_goes_from_the_base_through_the_stops_and_back() -> None:
    base = Place("办事处", Geo(30.2712, 120.1636, "gcj02"))
    stops = [Place(f"客户{i}", Geo(30.30 + i / 100, 120.15, "gcj02")) for i in range(3)]
    links = day_links("amap", base, stops)
    assert links is not None
    app = query(links.app or "")
    assert (app["slat"], app["slon"], app["dlat"], app["dlon"]) == ("30.271200", "120.163600", "30.271200", "120.163600")
    assert app["vian"] == "3" and app["vialats"] == "30.300000|30.310000|30.320000"
    assert app["vianames"] == "客户0|客户1|客户2"
    assert query(links.web)["markers"].split("|")[1] == "120.150000,30.310000,客户1"
    assert day_links("amap", base, []) is None


def test_baidu_links_give_bd09_and_google_wgs84() -> None:
    stop = Place("客户", Geo(39.915, 116.404, "gcj02"))
    baidu = query(stop_links("baidu", stop).web)
    lat, lon = (float(x) for x in baidu["location"].split(","))  # Baidu: latitude first
    assert (lat, lon) == (pytest.approx(39.921337, abs=1e-6), pytest.approx(116.410369, abs=1e-6))
    assert baidu["coord_type"] == "bd09ll"
    day = day_links("baidu", Place("base", Geo(39.915, 116.404, "gcj02")), [stop])
    assert day is not None and query(day.web)["waypoints"] == "39.921337,116.410369"
    google = query(stop_links("google", stop).web)["query"]
    glat, glon = (float(x) for x in google.split(","))
    assert abs(glat - 39.91359) < 1e-4 and abs(glon - 116.39776) < 1e-4  # GCJ-02 back to WGS-84


def test_sample_route_links_follow_the_team_map_setting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from typer.testing import CliRunner

    from kacard.cli.app import app

    sample = Path(__file__).resolve().parents[1] / "cards"
    result = CliRunner().invoke(app, ["route", "--dir", str(sample), "--today", "2026-11-23", "--owner", "lina",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert (plan["map_app"], plan["datum"]) == ("amap", "gcj02")
    day = next(d for d in plan["days"] if d["stops"])
    first = day["stops"][0]
    web = query(day["map_url"])
    lon, lat = web["markers"].split("|")[0].split(",")[:2]
    assert (float(lat), float(lon)) == (first["lat"], first["lon"])  # GCJ-02 folder, Amap: not shifted
    assert first["map"]["uri"].startswith("amapuri://")
    assert set(day["maps"]) == {"amap", "baidu", "google"}
