"""`kacard route` as a rep would follow it (issue 17), on the sample folder and small
folders: workdays used, the break kept, the most urgent early, true reasons, --now,
--time-limit and --seed, and the calendar (parsed back with icalendar)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from kacard.cli.app import app
from kacard.planning.routing.check import plan_violations, urgency_violations

SAMPLE = Path(__file__).resolve().parents[1] / "cards"
REPS = ("zhangwei", "lina", "chenjie")


def sample(*args: str) -> str:
    result = CliRunner().invoke(app, [args[0], "--dir", str(SAMPLE), "--today", "2026-11-23", *args[1:]])
    assert result.exit_code == 0, result.output
    return result.stdout


def sample_plan(owner: str, *extra: str) -> dict:
    return json.loads(sample("route", "--owner", owner, "--format", "json", *extra))


@pytest.mark.parametrize("owner", REPS)
def test_sample_week_is_one_a_rep_would_follow(owner: str) -> None:
    plan = sample_plan(owner)
    days = plan["days"]
    assert [d["date"] for d in days] == [f"2026-11-{d}" for d in (23, 24, 25, 26, 27)]
    dropped_for_time = [u for u in plan["unplanned"] if u["code"] == "week_full"]
    if dropped_for_time:
        assert all(d["stops"] for d in days), "an empty workday while visits are dropped for time"
    for d in days:
        assert len(d["stops"]) <= 6  # workweek.max_visits
        for s in d["stops"]:
            start, end = dt.datetime.fromisoformat(s["start"]), dt.datetime.fromisoformat(s["depart"])
            lunch = (start.replace(hour=12, minute=0), start.replace(hour=13, minute=30))
            assert s["fixed"] or end <= lunch[0] or start >= lunch[1], f"{s['id']} overlaps 午休"
    # the two most urgent planned visits are on the first two workdays, unless their hours forbid
    stops = sorted((s for d in days for s in d["stops"]), key=lambda s: -s["urgency"])
    first_two = {"2026-11-23", "2026-11-24"}
    for s in stops[:2]:
        assert s["start"][:10] in first_two or s["fixed"], s


def test_sample_left_out_reasons_are_true() -> None:
    # a day plan with a cap of two visits on a folder copy: the planner must leave some out
    from kacard.cards.store import load_folder
    from kacard.analysis import due
    from kacard.analysis.scoring import folder_tiers
    from kacard.dates import Week
    from kacard.planning import route

    today = dt.date(2026, 11, 23)
    folder = load_folder(SAMPLE, today, summary=True)
    settings = folder.settings.model_copy(update={"workweek": folder.settings.workweek.model_copy(
        update={"max_visits": 2})})
    tiers = folder_tiers(folder, today)
    items = due.due([s.brief for s in folder.summaries], settings, today, today, "zhangwei", tier_of=tiers)
    prep = route.prepare(items, settings, "zhangwei", Week(today), [today], today)
    plan = route.solve(prep, Week(today), time_budget_s=0.5)
    assert plan.raw is not None
    assert plan_violations(prep.matrix.minutes, list(prep.jobs), list(prep.days), plan.raw) == []
    assert urgency_violations(prep.matrix.minutes, list(prep.jobs), list(prep.days), plan.raw) == []
    kept = [s.urgency for s in plan.stops]
    assert len(kept) <= 2
    for u in plan.unplanned:
        if u.code == "week_full":
            assert u.reason.startswith("the day is full"), u.reason  # a day plan says "day"
            assert "already has 2 visits (workweek.max_visits)" in u.reason or "more urgent" in u.reason
            assert "the week" not in u.reason


def test_now_leaves_today_only_the_time_left() -> None:
    plan = sample_plan("lina", "--now", "14:40")
    monday = plan["days"][0]
    assert monday["date"] == "2026-11-23"
    assert all(s["arrive"] >= "2026-11-23T14:40" for s in monday["stops"])
    after_hours = sample_plan("lina", "--now", "18:00")
    assert [d["date"] for d in after_hours["days"]][0] == "2026-11-24"  # Monday is over


def test_bad_now_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["route", "--dir", str(SAMPLE), "--today", "2026-11-23",
                                      "--owner", "lina", "--now", "25:99"])
    assert result.exit_code == 2
    assert "--now must be a time like 14:30" in result.output


def test_time_limit_and_seed_are_accepted() -> None:
    a = sample_plan("zhangwei", "--time-limit", "0.3", "--seed", "7")
    b = sample_plan("zhangwei", "--time-limit", "0.3", "--seed", "7")
    assert [[s["id"] for s in d["stops"]] for d in a["days"]] == [[s["id"] for s in d["stops"]] for d in b["days"]]


def test_route_calendar_has_zone_alarm_sequence_and_words() -> None:
    text = sample("route", "--owner", "lina", "--format", "ics", "--now", "08:05")
    cal = Calendar.from_ical(text)
    zones = [str(z["tzid"]) for z in cal.walk("VTIMEZONE")]
    assert zones == ["Asia/Shanghai"]
    events = [e for e in cal.walk("VEVENT") if e.get("status") == "CONFIRMED"]
    assert events
    plan = sample_plan("lina", "--now", "08:05")
    ids = [s["id"] for d in plan["days"] for s in d["stops"]]
    assert sorted(str(e["uid"]) for e in events) == sorted(f"route-2026-W48-lina-{i}@kacard" for i in ids)
    for e in events:
        start = e.decoded("dtstart")
        assert start.tzinfo is not None and start.utcoffset() == dt.timedelta(hours=8)
        assert e["dtstart"].params["TZID"] == "Asia/Shanghai"
        assert str(e["summary"]).startswith("Visit ") and "_" not in str(e["summary"])
        alarms = e.walk("VALARM")
        assert len(alarms) == 1 and alarms[0].decoded("trigger") == dt.timedelta(minutes=-30)
        assert int(e["sequence"]) == 8 * 60 + 5  # minutes since Monday 00:00 at issue
    later = Calendar.from_ical(sample("route", "--owner", "lina", "--format", "ics", "--now", "15:00"))
    assert all(int(e["sequence"]) == 15 * 60 for e in later.walk("VEVENT"))  # a re-plan wins


def test_visits_dropped_from_a_replan_are_cancelled(kacard, folder, write_card) -> None:
    (folder / "kacard.yaml").write_text(
        (folder / "kacard.yaml").read_text("utf-8") + "timezone: Asia/Shanghai\ncalendar: {alarm_minutes: 15}\n"
        "workweek: {max_visits: 1}\n", encoding="utf-8")
    for n, lat in enumerate((30.28, 30.29)):
        write_card(f"hz-v{n}", f"id: hz-v{n}\nname: 杭州{n}号公司\nowner: zhangwei\ntier: {'SA'[n]}\n"
                               f"location: {{lat: {lat}, lon: 120.16}}\n")
    result = kacard("route", "--owner", "zhangwei", "--day", "2026-11-23", "--format", "ics", "--now", "09:00")
    assert result.exit_code == 0, result.output
    events = {str(e["uid"]): e for e in Calendar.from_ical(result.stdout).walk("VEVENT")}
    kept, dropped = events["route-2026-W48-zhangwei-hz-v0@kacard"], events["route-2026-W48-zhangwei-hz-v1@kacard"]
    assert str(kept["status"]) == "CONFIRMED"  # tier S is more urgent
    assert kept.walk("VALARM")[0].decoded("trigger") == dt.timedelta(minutes=-15)
    assert str(dropped["status"]) == "CANCELLED" and not dropped.walk("VALARM")
    assert int(dropped["sequence"]) == int(kept["sequence"])


def test_svg_titles_a_day_plan_and_lists_left_out_reasons(kacard, folder, write_card, tmp_path) -> None:
    (folder / "kacard.yaml").write_text((folder / "kacard.yaml").read_text("utf-8")
                                        + "workweek: {max_visits: 1}\n", encoding="utf-8")
    for n in range(3):
        write_card(f"hz-v{n}", f"id: hz-v{n}\nname: 杭州{n}号公司\nowner: zhangwei\ntier: {'SAB'[n]}\n"
                               f"location: {{lat: 30.28, lon: 120.16}}\n")  # one place: markers must not hide
    out = tmp_path / "day.svg"
    result = kacard("route", "--owner", "zhangwei", "--day", "2026-11-24", "--format", "svg", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert "Visit route Tue 2026-11-24: 张伟 (zhangwei)" in text
    assert "the day is full" in text  # the reason in words, not a code
    import re
    centres = [(float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="(?:9|6)"', text)]
    assert len(centres) == 3
    for i, a in enumerate(centres):
        for b in centres[i + 1:]:
            assert ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 >= 15  # apart, not on top
    for n in range(3):
        assert f"杭州{n}号公司" in text  # every name beside its marker


def test_picture_and_calendar_in_chinese_mode() -> None:
    from kacard.analysis import due
    from kacard.analysis.scoring import folder_tiers
    from kacard.cards.store import load_folder
    from kacard.dates import Week
    from kacard.i18n import set_language
    from kacard.planning import route
    from kacard.render.route_ics import route_calendar
    from kacard.render.route_svg import svg

    today = dt.date(2026, 11, 23)
    folder = load_folder(SAMPLE, today, summary=True)
    items = due.due([s.brief for s in folder.summaries], folder.settings, today, today, "lina",
                    tier_of=folder_tiers(folder, today))
    plan = route.plan_route(items, folder.settings, "lina", Week(today), [today], today, time_budget_s=0.3)
    set_language("zh")
    try:
        picture, calendar = svg(plan), route_calendar(plan, today).decode("utf-8")
    finally:
        set_language("en")
    assert "拜访路线 11月23日 周一：李娜（lina）" in picture and "北 ↑" in picture
    assert "SUMMARY:拜访" in calendar and "本周拜访的原因" in calendar.replace("\r\n ", "")


def test_the_reps_brief_has_phones_to_tap_hours_why_and_next_step() -> None:
    page = sample("brief", "--owner", "lina", "--format", "html")
    assert '<a href="tel:+8613800000832">☎ +86 138 0000 0832</a>' in page  # 刘颖 of hz-tuoling-equipment
    assert "visit hours: " in page and "Why this week" in page and "<h3>Next step</h3>" in page
    shown = sample("show", "hz-xinghe-gas")
    assert "visit hours: mon, wed, fri 10:00–16:00, 60 min a visit" in shown
    assert "☎ +86 138 0000 2110" in shown


def test_tel_uri() -> None:
    from kacard.render.brief import tel_uri

    assert tel_uri("+86 138-0000 0000") == "tel:+8613800000000"
    assert tel_uri("0571 8888 1234") == "tel:057188881234"
    assert tel_uri("ask the front desk") is None


def test_a_passed_appointment_and_a_wait_over_lunch_say_so() -> None:
    plan = sample_plan("zhangwei", "--day", "2026-11-23", "--now", "11:00")
    reasons = {u["id"]: u["reason"] for u in plan["unplanned"]}
    assert reasons["hz-xinghe-gas"].startswith("its fixed appointment Mon 2026-11-23 10:00 has passed (now 11:00)")
    # hz-hegu-admin (due since its stalled deals count) reaches the break on Monday
    explained = sample("route", "--owner", "zhangwei", "--explain", "hz-hegu-admin")
    assert "(waits 112 min: no visit overlaps the break 12:00–13:30)" in explained
