"""The fast path (card indexes, reduced cards) gives exactly what whole cards give:
tiers, list rows and the due list, over varied folders, dates and settings."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest

from kacard import index
from kacard.dates import monday_of
from kacard.due import due
from kacard.listing import card_rows
from kacard.model.settings import Settings
from kacard.scoring import tiers
from kacard.scoring.fast import tiers as fast_tiers
from kacard.store import load_folder

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_cards import write_folder  # noqa: E402

DATES = [dt.date(2026, 11, 23), dt.date(2026, 11, 29), dt.date(2026, 3, 31), dt.date(2027, 2, 28),
         dt.date(2025, 6, 15), dt.date(2024, 1, 10)]


def _variants(settings: Settings) -> list[Settings]:
    """The folder's settings and a few that move every rule's thresholds."""
    def change(**scoring) -> Settings:
        data = settings.model_dump(by_alias=True)
        for path, value in scoring.items():
            node = data
            *parents, leaf = path.split("__")
            for part in parents:
                node = node[part]
            node[leaf] = value
        return Settings.model_validate(data)

    return [
        settings,
        change(scoring__pareto__metric="margin", scoring__pareto__window_days=120),
        change(scoring__pareto__a=0.5, scoring__pareto__b=0.7, scoring__ten_two__key=8,
               scoring__ten_two__potential=5),
        change(scoring__ten_two__derive__manual_only=["long_term", "time_invested"],
               scoring__ten_two__derive__growth_ratio=0.2),
        change(scoring__ten_two__criteria=["profit_share", "continuous_purchasing", "our_own"],
               scoring__ten_two__key=3, scoring__ten_two__potential=2,
               scoring__ten_two__derive__continuous_years=1),
        change(cadence_days={"S": 3, "A": 5, "B": 10, "C": 20},
               cadence_max_days={"S": 5, "A": 10, "B": 20, "C": 40}),
    ]


def _folders(tmp_path_factory) -> list[Path]:
    made = []
    for seed, kb in ((3, None), (5, 6)):
        path = tmp_path_factory.mktemp(f"gen{seed}")
        write_folder(path, count=45, seed=seed, today=dt.date(2026, 11, 23), card_kb=kb)
        made.append(path)
    return [ROOT / "cards", *made]


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> list[Path]:
    return _folders(tmp_path_factory)


@pytest.mark.parametrize("today", DATES)
def test_fast_path_equals_whole_cards(folders, today):
    for folder in folders:
        whole = load_folder(folder, today)
        fast = load_folder(folder, today, summary=True)
        assert fast.indexes is not None and whole.indexes is None
        assert sorted(c.card.id for c in fast.cards) == sorted(c.card.id for c in whole.cards)
        assert fast.errors == whole.errors
        full_cards = [c.card for c in whole.cards]
        reduced = [c.card for c in fast.cards]
        for settings in _variants(whole.settings):
            slow = tiers(full_cards, settings, today)
            quick = fast_tiers(list(fast.indexes.values()), settings, today)
            assert quick == slow, (folder.name, today, settings.scoring)
            assert card_rows(reduced, settings, today, fast.indexes) == card_rows(full_cards, settings, today)
            week = monday_of(today)
            slow_due = [i.as_json() for i in due(full_cards, settings, today, week)]
            fast_due = [i.as_json() for i in due(reduced, settings, today, week, tier_of=quick)]
            assert fast_due == slow_due, (folder.name, today)


def test_index_round_trip_and_damage(folders):
    whole = load_folder(folders[0], DATES[0])
    card = whole.cards[0].card
    ix = index.read(index.build(card))
    assert ix is not None and ix.id == card.id
    assert index.read(b"not an index") is None
    assert index.read(index.build(card)[:-5]) is None


def test_old_today_falls_back_to_the_whole_card(folder, write_card):
    visits = "".join(f"  - {{date: 2026-0{m}-10, summary: v{m}, next: {{date: 2026-0{m}-20, action: a{m}}}}}\n"
                     for m in range(1, 6))
    write_card("hz-many", "id: hz-many\nname: M\nowner: lina\nvisits:\n" + visits)
    load_folder(folder, dt.date(2026, 11, 23))  # fills the cache
    today = dt.date(2026, 2, 15)  # the latest visit by then is the 2nd of 5: older than the 3 kept
    ix = load_folder(folder, today, summary=True)
    assert ix.indexes["hz-many"].reduced_card(today) is None
    card = ix.cards[0].card
    assert [v.summary for v in card.visits] == ["v1", "v2", "v3", "v4", "v5"]  # the whole card
    rows = card_rows([card], ix.settings, today, ix.indexes)
    assert rows[0]["last_visit"] == dt.date(2026, 2, 10) and rows[0]["next_action"] == "a2"


def test_a_stale_or_damaged_index_is_rebuilt_once(folder, write_card, monkeypatch):
    import sqlite3

    from kacard.cache import CardCache, cache_dir

    write_card("hz-a", "id: hz-a\nname: A\nowner: lina\n")
    path = folder / "hz-a.yaml"
    old = 1_700_000_000
    os.utime(path, (old, old))
    today = dt.date(2026, 11, 23)
    first = load_folder(folder, today, summary=True)
    with sqlite3.connect(next(cache_dir().glob("*.sqlite"))) as db:
        db.execute("update cards set fast = x'00'")  # as if written by another version
    second = load_folder(folder, today, summary=True)
    assert [c.card for c in second.cards] == [c.card for c in first.cards]

    def no_whole_cards(self, rel):
        raise AssertionError("the index should have been rebuilt")

    monkeypatch.setattr(CardCache, "card_blob", no_whole_cards)
    third = load_folder(folder, today, summary=True)
    assert [c.card for c in third.cards] == [c.card for c in first.cards]


def test_duplicate_ids_keep_the_first_files_index(folder, write_card):
    write_card("dup", "id: dup\nname: First\nowner: lina\nstatus: active\n"
                      "trades:\n  - {date: 2026-10-01, amount: 500}\n")
    (folder / "sub").mkdir()
    (folder / "sub" / "dup.yaml").write_text(
        "id: dup\nname: Second\nowner: lina\ntrades:\n  - {date: 2026-10-01, amount: 9}\n", encoding="utf-8")
    today = dt.date(2026, 11, 23)
    whole, fast = load_folder(folder, today), load_folder(folder, today, summary=True)
    assert [c.rel for c in fast.cards] == [c.rel for c in whole.cards] == ["dup.yaml"]
    rows = card_rows([c.card for c in fast.cards], fast.settings, today, fast.indexes)
    assert rows == card_rows([c.card for c in whole.cards], whole.settings, today)
    assert rows[0]["revenue"] == 500
