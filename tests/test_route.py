"""kacard route: feasible plans on crafted folders, reasons for what is left out, --day,
--ids, --explain, the choice of rep, bad input, and a 500-account week."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from kacard.cli.app import app  # noqa: F401 - registers the commands
from kacard.dates import Week
from kacard.analysis.due import assess, due
from kacard.cards.model.card import Card
from kacard.cards.model.settings import Settings
from kacard.planning.route import plan_route, prepare, route_days, solve
from kacard.planning.routing.check import plan_violations
from kacard.planning.routing.geo import haversine_km
from kacard.cards.store import load_folder
from kacard.errors import UsageError

TODAY = dt.date(2026, 11, 23)  # a Monday; week 2026-W48
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def card_yaml(card_id: str, lat: float | None, lon: float | None, *, owner: str = "zhangwei",
              name: str | None = None, hours: str | None = None, minutes: int = 45,
              tier: str | None = None, appointment: str | None = None) -> str:
    lines = [f"id: {card_id}", f"name: {json.dumps(name or card_id.upper(), ensure_ascii=False)}",
             "status: active", f"owner: {owner}"]
    if tier:
        lines.append(f"tier: {tier}")
    if lat is not None:
        lines.append(f"location: {{lat: {lat}, lon: {lon}}}")
    if hours:
        lines.append(f"visit_hours: {hours}")
    lines.append(f"visit_minutes: {minutes}")
    if appointment:
        date, time = appointment.split(" ")
        lines += ["visits:", "  - date: 2026-11-10", "    by: zhangwei", "    summary: 初次拜访",
                  f"    next: {{date: {date}, time: '{time}', action: 现场会谈}}"]
    return "\n".join(lines) + "\n"


def crafted(write_card) -> None:  # type: ignore[no-untyped-def]
    """Fifteen accounts of zhangwei around Hangzhou with mixed hours, one appointment,
    one without location, one whose hours cannot hold a visit; one account of lina's."""
    spots = [(30.25 + 0.01 * (i % 5), 120.13 + 0.012 * (i // 5)) for i in range(12)]
    hours = ["{days: [mon, wed], start: '09:00', end: '12:00'}",
             "{days: [tue, thu], start: '13:30', end: '17:00'}",
             "{days: [fri], start: '10:00', end: '16:00'}",
             None]
    for i, (lat, lon) in enumerate(spots):
        write_card(f"hz-a{i:02d}", card_yaml(f"hz-a{i:02d}", lat, lon, hours=hours[i % 4],
                                             minutes=30 + 15 * (i % 3), tier="SABC"[i % 4]))
    write_card("hz-appt", card_yaml("hz-appt", 30.29, 120.17, appointment="2026-11-25 10:30",
                                    hours="{days: [mon], start: '09:00', end: '10:00'}"))
    write_card("hz-nowhere", card_yaml("hz-nowhere", None, None, tier="S"))
    write_card("hz-short", card_yaml("hz-short", 30.26, 120.16, minutes=60,
                                     hours="{days: [mon, tue], start: '12:00', end: '12:30'}"))
    write_card("bj-lina", card_yaml("bj-lina", 30.21, 120.21, owner="lina"))


def route_json(kacard, *args: str) -> dict:  # type: ignore[no-untyped-def]
    result = kacard("route", "--owner", "zhangwei", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def minute(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def check_plan_json(doc: dict, folder, due_ids: set[str], planned_dates: set[str]) -> None:  # type: ignore[no-untyped-def]
    """Independent feasibility check of the CLI's JSON against the cards and settings."""
    loaded = load_folder(folder, TODAY)
    cards = {c.card.id: c.card for c in loaded.cards}
    ww = loaded.settings.workweek
    base = (doc["base"]["lat"], doc["base"]["lon"])
    seen: list[str] = []
    for day in doc["days"]:
        assert day["date"] in planned_dates
        date = dt.date.fromisoformat(day["date"])
        assert WEEKDAYS[date.weekday()] in ww.days
        prev_depart = minute(day["leave_base"]) if day["stops"] else None
        prev_point = base
        km = minutes = 0.0
        for stop in day["stops"]:
            card = cards[stop["id"]]
            seen.append(stop["id"])
            arrive, start, depart = minute(stop["arrive"]), minute(stop["start"]), minute(stop["depart"])
            assert arrive.date() == start.date() == depart.date() == date
            assert start >= arrive
            assert (depart - start) == dt.timedelta(minutes=card.visit_minutes)
            assert abs((arrive - prev_depart).total_seconds() / 60 - stop["leg_minutes"]) <= 1.01
            point = (card.location.lat, card.location.lon)
            assert stop["leg_km"] == pytest.approx(haversine_km(prev_point, point) * 1.3, abs=0.01)
            assert stop["leg_minutes"] == pytest.approx(stop["leg_km"] / 30 * 60, abs=0.1)
            assert ww.start <= start.time() and depart.time() <= ww.end
            if not stop["fixed"]:
                hours = card.visit_hours
                if hours is not None:
                    assert WEEKDAYS[date.weekday()] in hours.days, stop["id"]
                    assert hours.start <= start.time() and depart.time() <= hours.end, stop["id"]
            km += stop["leg_km"]
            minutes += stop["leg_minutes"]
            prev_depart, prev_point = depart, point
        if day["stops"]:
            back = minute(day["return_base"])
            assert back.time() <= ww.end and minute(day["leave_base"]).time() >= ww.start
            assert abs((back - prev_depart).total_seconds() / 60 - day["return_minutes"]) <= 1.01
            assert day["travel_km"] == pytest.approx(km + day["return_km"], abs=0.05)
            assert day["travel_minutes"] == pytest.approx(minutes + day["return_minutes"], abs=0.2)
    unplanned = [u["id"] for u in doc["unplanned"]]
    assert all(u["reason"] for u in doc["unplanned"])
    assert len(seen) == len(set(seen)), "a visit planned twice"
    assert not set(seen) & set(unplanned)
    assert set(seen) | set(unplanned) == due_ids


# -- the core -------------------------------------------------------------------------------


def _core_inputs(folder):  # type: ignore[no-untyped-def]
    loaded = load_folder(folder, TODAY)
    cards = [c.card for c in loaded.cards]
    week = Week(TODAY)
    items = due(cards, loaded.settings, TODAY, week.start, "zhangwei")
    dates = route_days(loaded.settings, week, TODAY)
    return loaded.settings, week, items, dates


def test_core_plan_passes_the_independent_checker(folder, write_card):
    crafted(write_card)
    settings, week, items, dates = _core_inputs(folder)
    prep = prepare(items, settings, "zhangwei", week, dates, TODAY)
    plan = solve(prep, week)
    assert plan.raw is not None
    assert plan_violations(prep.matrix.minutes, list(prep.jobs), list(prep.days), plan.raw) == []
    codes = {u.id: u.code for u in plan.unplanned}
    assert codes["hz-nowhere"] == "no_location" and codes["hz-short"] == "hours_too_short"
    assert {s.id for s in plan.stops} | set(codes) == {i.id for i in items}
    appt = next(s for s in plan.stops if s.id == "hz-appt")
    assert appt.fixed and appt.start == dt.datetime(2026, 11, 25, 10, 30)
    assert plan.solver == "kacard-lns" and plan.travel_model == "haversine ×1.3 @30 km/h"


def test_week_full_drops_the_least_urgent_first(folder, write_card):
    crafted(write_card)
    settings, week, items, _ = _core_inputs(folder)
    plan = plan_route(items, settings, "zhangwei", week, [dt.date(2026, 11, 27)], TODAY)  # Friday only
    full = [u for u in plan.unplanned if u.code == "week_full"]
    kept = [s.urgency for s in plan.stops]
    assert kept and all(u.urgency <= max(kept) for u in full)
    assert all("day is full" in u.reason for u in full)


def test_no_working_days_and_weekend_day_are_clear_errors():
    settings = Settings.model_validate({"workweek": {"days": []}})
    with pytest.raises(UsageError, match="no working days"):
        route_days(settings, Week(dt.date(2026, 11, 30)), TODAY)
    with pytest.raises(UsageError, match="not a working day"):
        route_days(Settings(), Week(TODAY), TODAY, dt.date(2026, 11, 28))
    with pytest.raises(UsageError, match="no working days left.*--week 2026-W49"):
        route_days(Settings(), Week(TODAY), dt.date(2026, 11, 28))
    assert route_days(Settings(), Week(TODAY), dt.date(2026, 11, 26)) == [dt.date(2026, 11, 26),
                                                                         dt.date(2026, 11, 27)]


def test_500_due_accounts_still_get_a_plan():
    settings = Settings.model_validate({"team": [{"id": "zhangwei", "name": "张伟",
                                                  "base": {"lat": 30.27, "lon": 120.16}}]})
    week = Week(TODAY)
    items = []
    for i in range(500):
        angle, r = i * 2.399, 0.004 * math.sqrt(i)
        card = Card.model_validate({"id": f"c{i:03d}", "name": f"Account {i}", "owner": "zhangwei",
                                    "location": {"lat": 30.27 + r * math.sin(angle),
                                                 "lon": 120.16 + r * math.cos(angle)}})
        items.append(assess(card, "ABC"[i % 3], settings, TODAY, week))
    dates = route_days(settings, week, TODAY)
    prep = prepare(items, settings, "zhangwei", week, dates, TODAY)
    plan = solve(prep, week)
    assert plan.raw is not None
    assert plan_violations(prep.matrix.minutes, list(prep.jobs), list(prep.days), plan.raw) == []
    assert len(plan.stops) >= 30
    assert len(plan.stops) + len(plan.unplanned) == 500
    assert {u.code for u in plan.unplanned} == {"week_full"}


# -- the command ----------------------------------------------------------------------------


def test_cli_week_plan_is_feasible_and_complete(kacard, folder, write_card):
    crafted(write_card)
    doc = route_json(kacard)
    due_doc = json.loads(kacard("due", "--owner", "zhangwei", "--format", "json").stdout)
    dates = {f"2026-11-{d}" for d in (23, 24, 25, 26, 27)}
    check_plan_json(doc, folder, {d["id"] for d in due_doc}, dates)
    assert [d["date"] for d in doc["days"]] == sorted(dates)
    reasons = {u["id"]: u for u in doc["unplanned"]}
    assert reasons["hz-nowhere"]["code"] == "no_location" and "location" in reasons["hz-nowhere"]["reason"]
    assert reasons["hz-short"]["code"] == "hours_too_short" and "30 minutes" in reasons["hz-short"]["reason"]
    appt = [s for d in doc["days"] for s in d["stops"] if s["id"] == "hz-appt"]
    assert appt and appt[0]["start"] == "2026-11-25T10:30" and appt[0]["fixed"] is True


def test_json_contract(kacard, folder, write_card):
    crafted(write_card)
    doc = route_json(kacard, "--week", "2026-W48")
    assert {"days", "unplanned", "solver", "travel_model", "owner", "week"} <= set(doc)
    assert doc["week"] == "2026-W48" and doc["owner"] == "zhangwei" and doc["solver"] == "kacard-lns"
    for day in doc["days"]:
        assert {"date", "stops", "travel_km", "travel_minutes"} <= set(day)
        dt.date.fromisoformat(day["date"])
        for stop in day["stops"]:
            assert {"id", "arrive", "depart", "leg_km", "leg_minutes", "name", "start", "lat", "lon"} <= set(stop)
            for key in ("arrive", "start", "depart"):
                assert dt.datetime.fromisoformat(stop[key]).tzinfo is None  # local date-time
    for item in doc["unplanned"]:
        assert {"id", "reason"} <= set(item) and isinstance(item["reason"], str)


def test_day_option_plans_one_day(kacard, folder, write_card):
    crafted(write_card)
    doc = route_json(kacard, "--day", "2026-11-24")
    assert [d["date"] for d in doc["days"]] == ["2026-11-24"]
    codes = {u["id"]: u["code"] for u in doc["unplanned"]}
    assert codes["hz-a00"] == "no_visit_day"  # mon/wed only
    assert codes["hz-appt"] == "appointment_elsewhere"  # its appointment is on Wednesday
    due_doc = json.loads(kacard("due", "--owner", "zhangwei", "--format", "json").stdout)
    check_plan_json(doc, folder, {d["id"] for d in due_doc}, {"2026-11-24"})


def test_ids_plan_only_those_accounts(kacard, folder, write_card):
    crafted(write_card)
    doc = route_json(kacard, "--ids", "hz-a03,hz-a07,hz-nowhere")
    planned = {s["id"] for d in doc["days"] for s in d["stops"]}
    assert planned == {"hz-a03", "hz-a07"}
    assert [u["id"] for u in doc["unplanned"]] == ["hz-nowhere"]
    # lina's account, planned from lina's base without --owner: the ids pick the rep
    result = kacard("route", "--ids", "bj-lina", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["owner"] == "lina" and doc["base"]["lat"] == pytest.approx(30.2084)


def test_several_reps_due_need_an_owner(kacard, folder, write_card):
    crafted(write_card)
    result = kacard("route")
    assert result.exit_code == 2
    assert "zhangwei (15)" in result.stderr and "lina (1)" in result.stderr and "--owner" in result.stderr


def test_rep_without_base_is_a_clear_error(kacard, folder, write_card):
    (folder / "kacard.yaml").write_text(
        "schema: 1\nteam:\n  - {id: zhangwei, name: 张伟}\n", encoding="utf-8")
    write_card("hz-x", card_yaml("hz-x", 30.25, 120.17))
    result = kacard("route", "--owner", "zhangwei")
    assert result.exit_code == 2
    assert "no base" in result.stderr and "Traceback" not in result.output


def test_weekend_day_and_both_week_and_day_are_refused(kacard, folder, write_card):
    crafted(write_card)
    result = kacard("route", "--owner", "zhangwei", "--day", "2026-11-28")
    assert result.exit_code == 2 and "not a working day" in result.stderr
    result = kacard("route", "--owner", "zhangwei", "--day", "2026-11-24", "--week", "2026-W48")
    assert result.exit_code == 2 and "not both" in result.stderr


def test_explain_planned_left_out_and_absent(kacard, folder, write_card):
    crafted(write_card)
    result = kacard("route", "--owner", "zhangwei", "--explain", "hz-appt")
    assert result.exit_code == 0, result.output
    assert "planned on Wed 2026-11-25" in result.stdout and "fixed appointment: Wed 2026-11-25 10:30" in result.stdout
    assert "leg before" in result.stdout and "urgency" in result.stdout
    result = kacard("route", "--owner", "zhangwei", "--explain", "hz-short")
    assert result.exit_code == 0, result.output
    assert "left out (hours_too_short)" in result.stdout and "visit hours: mon, tue 12:00–12:30" in result.stdout
    result = kacard("route", "--owner", "zhangwei", "--explain", "bj-lina")
    assert result.exit_code == 2 and "belongs to lina" in result.stderr and "--ids bj-lina" in result.stderr


def test_table_shows_days_totals_and_map_links(kacard, folder, write_card):
    crafted(write_card)
    result = kacard("route", "--owner", "zhangwei")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "travel model: haversine ×1.3 @30 km/h · planner: kacard-lns" in out
    assert "arrive  start  depart  leg km  leg min" in out
    assert "day total:" in out and "week total:" in out and "left out (most urgent first):" in out
    assert "map (Amap 高德地图): https://uri.amap.com/marker?markers=" in out  # a CNY team: Amap by default
    assert "&coordinate=gaode" in out


def test_sample_folder_week_for_zhangwei(kacard):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "cards"
    if not sample.exists():
        pytest.skip("no sample folder")
    result = kacard.raw("route", "--dir", str(sample), "--owner", "zhangwei", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    due_doc = json.loads(kacard.raw("due", "--dir", str(sample), "--owner", "zhangwei",
                                    "--format", "json").stdout)
    check_plan_json(doc, sample, {d["id"] for d in due_doc}, {f"2026-11-{d}" for d in range(23, 28)})


def test_day_option_takes_the_date_forms_people_type(kacard, folder, write_card):
    """--day reads dates like every date option (kacard.dates.parse_day): a weekday in words
    in either language, a short date, days from today (today is Mon 2026-11-23 here)."""
    crafted(write_card)
    wanted = route_json(kacard, "--day", "2026-11-24")
    for typed in ("tue", "周二", "11-24", "2026/11/24", "+1", "明天"):
        assert route_json(kacard, "--day", typed) == wanted, typed
    result = kacard("route", "--owner", "zhangwei", "--day", "someday")
    assert result.exit_code == 2 and "--day" in result.output and "周五" in result.output
