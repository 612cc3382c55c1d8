"""The shipped sample folder (cards/) and its generator (benchmarks/make_cards.py).

The sample is what `kacard due --dir cards --today 2026-11-23` shows out of the box,
so besides validity these tests pin the story of that week: fixed appointments,
missed next steps, overdue receivables, unanswered churn signals, unvisited prospects.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from kacard.cards import facts
from kacard.cards.paths import RESERVED_FOLDERS
from kacard.cards.model.card import ID_RE, Card, card_warnings
from kacard.cards.model.settings import TEN_TWO_CRITERIA, Settings

ROOT = Path(__file__).resolve().parents[1]
CARDS = ROOT / "cards"
TODAY = dt.date(2026, 11, 23)  # a Monday
WEEK_END = TODAY + dt.timedelta(days=6)
SCHEMA_HINT = "# yaml-language-server: $schema=.schema/card.schema.json"

sys.path.insert(0, str(ROOT / "benchmarks"))
import make_cards  # noqa: E402


def load(path: Path) -> object:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def card_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*.yaml")
        if p.name != "kacard.yaml"
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and p.relative_to(folder).parts[0] not in RESERVED_FOLDERS
    )


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings.model_validate(load(CARDS / "kacard.yaml"))


@pytest.fixture(scope="module")
def cards() -> dict[str, Card]:
    return {p.stem: Card.model_validate(load(p)) for p in card_files(CARDS)}


def terms(card: Card) -> int:
    if card.credit and card.credit.terms_days is not None:
        return card.credit.terms_days
    return 30


def overdue_receivables(card: Card) -> list:
    return [
        t
        for t in card.trades
        if t.paid is None and (t.due or t.date + dt.timedelta(days=terms(card))) < TODAY
    ]


# -- the sample folder ---------------------------------------------------------------


def test_settings_validate_and_team(settings: Settings) -> None:
    reps = [r for r in settings.team if not r.manager]
    assert len(reps) == 3
    assert all(r.base is not None for r in reps)
    assert any(r.manager for r in settings.team)
    assert settings.currency == "CNY"


def test_about_forty_cards_all_valid(cards: dict[str, Card]) -> None:
    assert 35 <= len(cards) <= 45


def test_ids_equal_file_names_and_are_slugs(cards: dict[str, Card]) -> None:
    for stem, card in cards.items():
        assert card.id == stem
        assert ID_RE.match(card.id)
    assert all(p.parent == CARDS for p in card_files(CARDS)), "sample cards live at the top level"


def test_first_line_is_the_schema_hint() -> None:
    for path in card_files(CARDS):
        assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_HINT, path.name


def test_owners_and_visitors_are_team_members(cards: dict[str, Card], settings: Settings) -> None:
    team = {r.id for r in settings.team}
    for card in cards.values():
        assert card.owner in team, card.id
        assert all(v.by in team for v in card.visits), card.id
        for handover in card.handovers:
            assert {handover.from_, handover.to} <= team


def test_statuses_sectors_and_names(cards: dict[str, Card]) -> None:
    statuses = [c.status for c in cards.values()]
    assert {"prospect", "active", "dormant", "lost"} <= set(statuses)
    assert statuses.count("active") > len(statuses) / 2
    assert statuses.count("dormant") == 2 and statuses.count("lost") == 1
    assert len({c.sector for c in cards.values()}) >= 5
    english = [c for c in cards.values() if c.name.isascii()]
    assert 3 <= len(english) < len(cards) / 2, "mostly Chinese names, some foreign ones"


def test_decision_makers_on_most_cards(cards: dict[str, Card]) -> None:
    with_dm = [c for c in cards.values() if any(p.role == "decision_maker" for p in c.contacts)]
    assert len(with_dm) >= 0.8 * len(cards)


def test_locations_are_in_hangzhou(cards: dict[str, Card]) -> None:
    for card in cards.values():
        assert card.location is not None
        assert 30.13 <= card.location.lat <= 30.45, card.id
        assert 119.95 <= card.location.lon <= 120.45, card.id


def test_no_validate_warnings_and_criteria_names(cards: dict[str, Card]) -> None:
    for card in cards.values():
        assert card_warnings(card, TODAY) == [], card.id
        assert set(card.criteria) <= set(TEN_TWO_CRITERIA), card.id
    assert tuple(make_cards.TEN_TWO_CRITERIA) == tuple(TEN_TWO_CRITERIA)


def test_revenue_is_pareto_shaped(cards: dict[str, Card]) -> None:
    year_ago = TODAY - dt.timedelta(days=365)
    revenue = sorted(
        (sum(t.amount for t in c.trades if year_ago < t.date <= TODAY) for c in cards.values()),
        reverse=True,
    )
    total = sum(revenue)
    top20 = sum(revenue[: len(revenue) // 5])
    assert top20 / total >= 0.65, "a handful of accounts bring most of the revenue"
    for card in cards.values():
        for trade in card.trades:
            assert trade.margin is not None and 0.09 <= trade.margin / trade.amount <= 0.36


def test_the_week_of_2026_11_23_is_meaningful(cards: dict[str, Card]) -> None:
    live = [c for c in cards.values() if c.status in ("active", "prospect")]
    latest = {c.id: facts.last_visit(c) for c in live}

    fixed = [
        c
        for c in live
        if latest[c.id]
        and latest[c.id].next
        and latest[c.id].next.time
        and TODAY <= latest[c.id].next.date <= WEEK_END
    ]
    this_week = [
        c
        for c in live
        if latest[c.id] and latest[c.id].next and TODAY <= latest[c.id].next.date <= WEEK_END
    ]
    missed = [
        c for c in live if latest[c.id] and latest[c.id].next and latest[c.id].next.date < TODAY
    ]
    no_next = [c for c in live if latest[c.id] and latest[c.id].next is None]
    never = [c for c in live if not c.visits]
    receivable = [c for c in live if overdue_receivables(c)]
    signal = [c for c in live if any(all(v.date < s.date for v in c.visits) for s in c.signals)]
    stale = [c for c in live if latest[c.id] and (TODAY - latest[c.id].date).days > 90]

    assert len(fixed) >= 2
    assert len(this_week) >= 5
    assert len(missed) >= 2
    assert len(no_next) >= 2
    assert all(c.status == "prospect" for c in never) and len(never) >= 2
    assert 2 <= len(receivable) <= 3
    assert len(signal) >= 2
    assert len(stale) >= 2
    # enough accounts with nothing due by next step, so the list is not everything
    quiet = [
        c for c in live if latest[c.id] and latest[c.id].next and latest[c.id].next.date > WEEK_END
    ]
    assert len(quiet) >= 10


def test_fixed_appointments_fit_the_visit_hours(cards: dict[str, Card]) -> None:
    for card in cards.values():
        last = facts.last_visit(card)
        if not (last and last.next and last.next.time):
            continue
        hours = card.visit_hours
        if hours is not None:
            assert last.next.date.strftime("%a").lower() in hours.days, card.id
            assert hours.start <= last.next.time < hours.end, card.id


def test_lost_account_says_why_there_is_no_next_step(cards: dict[str, Card]) -> None:
    lost = [c for c in cards.values() if c.status == "lost"]
    assert lost and all(facts.last_visit(c).no_next == "客户已流失" for c in lost)


def test_some_pins_criteria_and_custom_fields(cards: dict[str, Card]) -> None:
    assert 1 <= sum(1 for c in cards.values() if c.tier == "A") <= 2
    assert sum(1 for c in cards.values() if c.criteria) >= 5
    assert any(c.custom for c in cards.values())
    assert any(c.handovers for c in cards.values())
    assert {s.kind for c in cards.values() for s in c.signals} >= {
        "sharing_wallet",
        "strategy_change",
    }


# -- the generator -------------------------------------------------------------------


def roundtrip(path: Path) -> Card:
    card = Card.model_validate(load(path))
    again = Card.model_validate(card.model_dump(by_alias=True))
    assert again == card
    return card


def test_write_folder_is_valid_and_deterministic(tmp_path: Path) -> None:
    first = make_cards.write_folder(tmp_path / "a", count=12, seed=3, today=TODAY)
    second = make_cards.write_folder(tmp_path / "b", count=12, seed=3, today=TODAY)
    other = make_cards.write_folder(tmp_path / "c", count=12, seed=4, today=TODAY)
    assert len(first) == 12
    assert [p.name for p in first] == [p.name for p in second]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert (tmp_path / "a/kacard.yaml").read_bytes() == (tmp_path / "b/kacard.yaml").read_bytes()
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]
    settings = Settings.model_validate(load(tmp_path / "a/kacard.yaml"))
    team = {r.id for r in settings.team}
    for path in first:
        card = roundtrip(path)
        assert card.id == path.stem and card.owner in team
        assert card_warnings(card, TODAY) == []


def test_big_cards_by_owner(tmp_path: Path) -> None:
    paths = make_cards.write_folder(
        tmp_path, count=6, seed=1, today=TODAY, card_kb=11, by_owner=True
    )
    for path in paths:
        assert path.parent.parent == tmp_path and path.parent.name == roundtrip(path).owner
        assert path.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=../.schema/card.schema.json\n"
        )
        assert 10_000 <= path.stat().st_size <= 12_500
        card = roundtrip(path)
        assert len(card.contacts) == 5 and len(card.visits) >= 30
        if card.status == "active":
            assert (max(t.date for t in card.trades) - min(t.date for t in card.trades)).days > 700


def test_cli_main(tmp_path: Path) -> None:
    assert (
        make_cards.main([str(tmp_path), "--count", "3", "--seed", "9", "--today", "2026-11-23"])
        == 0
    )
    assert len(card_files(tmp_path)) == 3


@pytest.mark.parametrize(
    "text",
    [
        "杭州星河纺织有限公司",
        "Westlake Robotics (Hangzhou) Co., Ltd.",
        "讨论方案, 客户关注交付周期",
        "a: b",
        "# not a comment",
        "- dash",
        "yes",
        "no",
        "null",
        "~",
        "2026-11-10",
        "09:00",
        "123",
        "1e3",
        "+86 138 0000 0001",
        "@home",
        "'quoted'",
        '"double"',
        "x #y",
        "ends:",
        " padded ",
        "[list]",
        "{map}",
        "50%",
        "*alias",
        "&anchor",
        "!tag",
        "|",
        ">",
    ],
)
def test_scalars_read_back_as_the_same_string(text: str) -> None:
    block = YAML(typ="safe").load(f"key: {make_cards.sc(text)}\n")
    flow = YAML(typ="safe").load(f"key: {{a: {make_cards.sc(text, flow=True)}, b: 1}}\n")
    assert block == {"key": text}
    assert flow == {"key": {"a": text, "b": 1}}
