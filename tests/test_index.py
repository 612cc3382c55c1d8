"""The fast path (the folder snapshot of briefs and indexes) gives exactly what whole
cards give: tiers, list rows and the due list, over varied folders, dates and settings;
and the snapshot follows every change to the folder."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest

from kacard.cards import brief, index, store
from kacard.dates import monday_of
from kacard.analysis.due import due
from kacard.render.listing import card_rows
from kacard.cards.model.settings import Settings
from kacard.analysis.scoring import tiers
from kacard.analysis.scoring.fast import tiers as fast_tiers
from kacard.cards.store import Folder, load_folder
from tests.conftest import SAMPLE_CARD

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


def _fast(folder: Folder) -> tuple[list[brief.Brief], dict[str, index.CardIndex]]:
    assert folder.summaries is not None and folder.cards == []
    return [s.brief for s in folder.summaries], {s.brief.id: s.card_index for s in folder.summaries}


@pytest.mark.parametrize("today", DATES)
def test_fast_path_equals_whole_cards(folders, today):
    for folder in folders:
        whole = load_folder(folder, today)
        fast = load_folder(folder, today, summary=True)
        briefs, indexes = _fast(fast)
        assert whole.summaries is None
        assert sorted(b.id for b in briefs) == sorted(c.card.id for c in whole.cards)
        assert fast.errors == whole.errors
        full_cards = [c.card for c in whole.cards]
        for settings in _variants(whole.settings):
            slow = tiers(full_cards, settings, today)
            quick = fast_tiers(list(indexes.values()), settings, today)
            assert quick == slow, (folder.name, today, settings.scoring)
            fast_rows = card_rows(briefs, settings, today, quick, indexes)
            assert fast_rows == card_rows(full_cards, settings, today, slow)
            week = monday_of(today)
            slow_due = [i.as_json() for i in due(full_cards, settings, today, week)]
            fast_due = [i.as_json() for i in due(briefs, settings, today, week, tier_of=quick)]
            assert fast_due == slow_due, (folder.name, today)


def test_records_round_trip(folders):
    whole = load_folder(folders[0], DATES[0])
    for loaded in whole.cards:
        card = loaded.card
        assert brief.from_record(brief.record(brief.of(card))) == brief.of(card)
        ix = index.from_record(index.record(card))
        assert ix.id == card.id and ix.metric(DATES[0], 100_000, "revenue") == sum(t.amount for t in card.trades)


def test_sums_beyond_64_bits_stay_exact():
    from decimal import Decimal

    from kacard.cards.model.card import Card

    # the largest amount a card accepts, scaled by 10**4, times 9,300 invoices > 2**63
    big = "99999999999.9999"
    card = Card.model_validate({"id": "hz-big", "name": "B", "owner": "lina",
                                "trades": [{"date": "2026-10-01", "amount": big}] * 9_300})
    ix = index.from_record(index.record(card))
    assert isinstance(ix.sums, tuple)  # kept as Python integers
    assert ix.metric(dt.date(2026, 11, 23), 365, "revenue") == 9_300 * Decimal(big)


def test_old_today_falls_back_to_the_whole_card(folder, write_card, monkeypatch):
    visits = "".join(f"  - {{date: 2026-0{m}-10, summary: v{m}, next: {{date: 2026-0{m}-20, action: a{m}}}}}\n"
                     for m in range(1, 6))
    write_card("hz-many", "id: hz-many\nname: M\nowner: lina\nvisits:\n" + visits)
    load_folder(folder, dt.date(2026, 11, 23), summary=True)  # fills the snapshot
    whole_reads = []
    real = store.parse_card
    monkeypatch.setattr(store, "parse_card", lambda *a, **k: whole_reads.append(a[0]) or real(*a, **k))
    briefs, _ = _fast(load_folder(folder, dt.date(2026, 3, 15), summary=True))  # 3rd latest: kept
    assert [v.next.action for v in briefs[0].visits] == ["a3"] and whole_reads == []
    today = dt.date(2026, 2, 15)  # the latest visit by then is the 2nd of 5: older than the 3 kept
    briefs, indexes = _fast(load_folder(folder, today, summary=True))
    assert whole_reads == ["hz-many.yaml"]
    rows = card_rows(briefs, Settings(), today, {"hz-many": "C"}, indexes)
    assert rows[0]["last_visit"] == dt.date(2026, 2, 10) and rows[0]["next_action"] == "a2"
    briefs, _ = _fast(load_folder(folder, dt.date(2025, 12, 31), summary=True))  # before any visit
    assert briefs[0].visits == () and whole_reads == ["hz-many.yaml"]


def _snapshot_db():
    import sqlite3

    from kacard.cards.cache import cache_dir

    return sqlite3.connect(next(cache_dir().glob("*.sqlite")))


def _old(path: Path) -> None:
    old = 1_700_000_000
    os.utime(path, (old, old))


def test_a_warm_load_reads_no_card_file(folder, write_card, monkeypatch):
    _old(write_card("hz-a", "id: hz-a\nname: A\nowner: lina\n"))
    today = dt.date(2026, 11, 23)
    first = load_folder(folder, today, summary=True)

    def no_reads(*args, **kwargs):
        raise AssertionError("an unchanged file was read")

    monkeypatch.setattr(store, "_parse_row", no_reads)
    assert load_folder(folder, today, summary=True).summaries == first.summaries


def test_a_damaged_row_is_read_again_never_shown(folder, write_card, monkeypatch):
    _old(write_card("hz-a", "id: hz-a\nname: A\nowner: lina\nstatus: active\n"
                            "trades:\n  - {date: 2026-10-01, amount: 500}\n"
                            "visits:\n  - {date: 2026-10-02, summary: s}\n"))
    today = dt.date(2026, 11, 23)
    first = load_folder(folder, today, summary=True, upkeep=True)
    with _snapshot_db() as db:  # one flipped byte in each column in turn: a check mismatch
        columns = db.execute("select brief, numbers, ords, sums, open, upkeep from rows").fetchone()
    for k, name in enumerate(("brief", "numbers", "ords", "sums", "open", "upkeep")):
        damaged = bytearray(columns[k])
        damaged[len(damaged) // 2] ^= 0x01
        with _snapshot_db() as db:
            db.execute(f"update rows set {name} = ?", (bytes(damaged),))
        assert load_folder(folder, today, summary=True, upkeep=True).summaries == first.summaries, name
    with _snapshot_db() as db:  # the right check over the wrong shape: a type mismatch
        db.execute("update rows set numbers = ?, check_ = 0", (b'{"not": "a list"}',))
    assert load_folder(folder, today, summary=True, upkeep=True).summaries == first.summaries
    with _snapshot_db() as db:
        db.execute("update meta set value = 'rows-v0'")  # as if written by another version
    assert load_folder(folder, today, summary=True).summaries == [s._replace(upkeep=None) for s in first.summaries]

    def no_reads(*args, **kwargs):
        raise AssertionError("the row should have been rewritten")

    monkeypatch.setattr(store, "_parse_row", no_reads)
    assert load_folder(folder, today, summary=True, upkeep=True).summaries == first.summaries


def test_the_cache_holds_data_only(folder, write_card):
    """No pickle, no marshal: every column is JSON text or packed integers."""
    import json

    write_card("hz-xinghe", SAMPLE_CARD)
    load_folder(folder, dt.date(2026, 11, 23), summary=True)
    with _snapshot_db() as db:
        row = db.execute("select brief, numbers, upkeep, ords, sums, open from rows").fetchone()
    for text in row[:3]:
        json.loads(text)  # plain JSON
    assert all(isinstance(packed, bytes) and len(packed) % 4 == 0 for packed in row[3:5])


def test_the_snapshot_follows_edits_touches_and_removals(folder, write_card, monkeypatch):
    today = dt.date(2026, 11, 23)
    a = write_card("hz-a", "id: hz-a\nname: Before\nowner: lina\n")
    b = write_card("hz-b", "id: hz-b\nname: B\nowner: lina\n")
    _old(a), _old(b)
    load_folder(folder, today, summary=True)
    a.write_text("id: hz-a\nname: After\nowner: lina\n", encoding="utf-8")
    assert [s.brief.name for s in load_folder(folder, today, summary=True).summaries] == ["After", "B"]
    stat = a.stat()
    a.write_text("id: hz-a\nname: Later\nowner: lina\n", encoding="utf-8")  # same size
    os.utime(a, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime: hashed, not trusted
    assert load_folder(folder, today, summary=True).summaries[0].brief.name == "Later"
    b.write_text("id: hz-b\nname: B\nowner: lina\nbogus: 1\n", encoding="utf-8")
    broken = load_folder(folder, today, summary=True)
    assert [s.brief.id for s in broken.summaries] == ["hz-a"] and broken.errors[0].field == "bogus"
    b.unlink()
    os.utime(a)  # touched, unchanged: hashed again, not parsed
    real_parse = store.read_card

    def no_parse(*args, **kwargs):
        raise AssertionError("an unchanged card was parsed")

    monkeypatch.setattr(store, "read_card", no_parse)
    left = load_folder(folder, today, summary=True)
    assert [s.brief.name for s in left.summaries] == ["Later"] and left.errors == []
    monkeypatch.setattr(store, "read_card", real_parse)
    assert sorted(_snapshot_rows()) == ["hz-a.yaml"]


def _snapshot_rows() -> dict[str, bytes]:
    """Every path in the cache, with its row's columns."""
    with _snapshot_db() as db:
        return {rel: (brief, checked) for rel, brief, checked in db.execute("select path, brief, checked_ns from rows")}


def test_a_changed_card_rewrites_only_its_row(folder, write_card):
    paths = {f"hz-{k}": write_card(f"hz-{k}", f"id: hz-{k}\nname: N{k}\nowner: lina\n") for k in range(200)}
    for path in paths.values():
        _old(path)
    today = dt.date(2026, 11, 23)
    load_folder(folder, today, summary=True)
    before = _snapshot_rows()
    assert len(before) == 200
    paths["hz-7"].write_text("id: hz-7\nname: Renamed\nowner: lina\n", encoding="utf-8")
    assert [s.brief.name for s in load_folder(folder, today, summary=True).summaries if s.brief.id == "hz-7"] == ["Renamed"]
    after = _snapshot_rows()
    rewritten = {rel for rel in after if after[rel] != before[rel]}
    assert rewritten == {"hz-7.yaml"}


def test_duplicate_ids_keep_the_first_files_index(folder, write_card):
    write_card("dup", "id: dup\nname: First\nowner: lina\nstatus: active\n"
                      "trades:\n  - {date: 2026-10-01, amount: 500}\n")
    (folder / "sub").mkdir()
    (folder / "sub" / "dup.yaml").write_text(
        "id: dup\nname: Second\nowner: lina\ntrades:\n  - {date: 2026-10-01, amount: 9}\n", encoding="utf-8")
    today = dt.date(2026, 11, 23)
    whole, fast = load_folder(folder, today), load_folder(folder, today, summary=True)
    assert [s.rel for s in fast.summaries] == [c.rel for c in whole.cards] == ["dup.yaml"]
    assert fast.errors == whole.errors and fast.errors[0].file == "sub/dup.yaml"
    briefs, indexes = _fast(fast)
    rows = card_rows(briefs, fast.settings, today, {"dup": "C"}, indexes)
    assert rows == card_rows([c.card for c in whole.cards], whole.settings, today, {"dup": "C"})
    assert rows[0]["revenue"] == 500


def test_any_custom_values_go_through_the_snapshot(folder, write_card):
    write_card("hz-c", "id: hz-c\nname: C\nowner: lina\ncustom:\n  n: 3\n  f: 2.5\n  ok: true\n  none: null\n"
                       "  when: 2026-01-02\n  list: [1, a, {k: v}]\n  map: {x: [1.5, null]}\n")
    today = dt.date(2026, 11, 23)
    whole = load_folder(folder, today)
    load_folder(folder, today, summary=True)
    with _snapshot_db() as db:
        assert db.execute("select count(*) from rows").fetchone()[0] == 1  # its row could be stored
    briefs, indexes = _fast(load_folder(folder, today, summary=True))
    rows = card_rows(briefs, whole.settings, today, {"hz-c": "C"}, indexes)
    assert rows == card_rows([c.card for c in whole.cards], whole.settings, today, {"hz-c": "C"})
    assert rows[0]["custom.map"] == {"x": [1.5, None]}


def test_a_cache_of_another_layout_is_replaced(folder, write_card):
    import sqlite3

    from kacard.cards.cache import CardCache, cache_dir

    _old(write_card("hz-a", "id: hz-a\nname: A\nowner: lina\n"))
    today = dt.date(2026, 11, 23)
    CardCache(folder).close()  # creates the file
    with _snapshot_db() as db:  # as an older kacard left it: pickled cards
        db.execute("drop table rows")
        db.execute("create table cards (path text primary key, blob blob)")
        db.execute("insert into cards values ('hz-a.yaml', x'80049500')")
        db.execute("pragma user_version = 5")
    load_folder(folder, today, summary=True)
    assert sorted(_snapshot_rows()) == ["hz-a.yaml"]
    assert len(list(cache_dir().glob("*.sqlite"))) == 1
    with sqlite3.connect(next(cache_dir().glob("*.sqlite"))) as db:
        tables = {name for (name,) in db.execute("select name from sqlite_master where type = 'table'")}
    assert tables == {"rows", "meta"}


def test_a_rows_table_of_another_layout_is_replaced_even_with_this_version(folder, write_card):
    from kacard.cards.cache import CardCache

    _old(write_card("hz-a", "id: hz-a\nname: A\nowner: lina\n"))
    CardCache(folder).close()
    with _snapshot_db() as db:  # the right version number, the wrong columns
        db.execute("drop table rows")
        db.execute("create table rows (id integer primary key check (id = 0), format text, blob blob)")
    load_folder(folder, dt.date(2026, 11, 23), summary=True)
    assert sorted(_snapshot_rows()) == ["hz-a.yaml"]


def test_a_cache_locked_by_another_process_is_skipped(folder, write_card):
    import sqlite3

    from kacard.cards.cache import CardCache, cache_dir

    write_card("hz-a", "id: hz-a\nname: A\nowner: lina\n")
    CardCache(folder).close()
    other = sqlite3.connect(next(cache_dir().glob("*.sqlite")), isolation_level=None)
    other.execute("begin exclusive")  # another kacard writing for longer than our 1 s wait
    try:
        briefs, _ = _fast(load_folder(folder, dt.date(2026, 11, 23), summary=True))
        assert [b.name for b in briefs] == ["A"]  # the result, without a cache write
    finally:
        other.execute("rollback")
        other.close()
    load_folder(folder, dt.date(2026, 11, 23), summary=True)
    assert sorted(_snapshot_rows()) == ["hz-a.yaml"]  # written once the lock is gone


def _reference_facts(card, today: dt.date) -> dict:
    """What score and review read of a card, computed on the whole card the plain way."""
    from decimal import Decimal

    from kacard.cards import facts
    from kacard.cards.model.common import OPEN_STAGES
    from kacard.analysis.scoring.periods import periods_with, trailing_periods

    positive = [t.date for t in card.trades if t.amount > 0]
    recent = [v for v in card.visits if 0 <= (today - v.date).days < 28]
    return {
        "metrics": [facts.metric(card, today, days, kind) for days in (1, 90, 365, 1000) for kind in ("revenue", "margin")],
        "visits": [sum(1 for v in card.visits if facts.in_window(v.date, today, days)) for days in (28, 365)],
        "open_visits": sum(1 for v in recent if v.next is None and v.no_next is None),
        "years": periods_with(positive, trailing_periods(today, 5, 12)),
        "quarters": periods_with(positive, trailing_periods(today, 4, 3)),
        "pipeline": sum((o.amount or Decimal(0) for o in card.opportunities if o.stage in OPEN_STAGES), Decimal(0)),
        "checks": (any(c.role == "decision_maker" for c in card.contacts), any(c.phone or c.email for c in card.contacts)),
        "signals": [(s.date, s.kind, s.note) for s in facts.open_signals(card, today)],
        "touched": facts.last_touched(card),
    }


def _row_facts(row, today: dt.date) -> dict:
    from kacard.cards import facts
    from kacard.analysis.scoring.ten_two import trade_periods

    ix, care = row.card_index, row.upkeep
    return {
        "metrics": [ix.metric(today, days, kind) for days in (1, 90, 365, 1000) for kind in ("revenue", "margin")],
        "visits": [ix.visits_in(today, days) for days in (28, 365)],
        "open_visits": ix.open_visits_in(today, 28),
        "years": trade_periods(ix, today, 5, 12),
        "quarters": trade_periods(ix, today, 4, 3),
        "pipeline": ix.open_opportunities,
        "checks": (care.decision_maker, care.contact_phone),
        "signals": [(s.date, s.kind, s.note) for s in facts.open_signals(row.brief, today)],
        "signals_by_index": [(s.date, s.kind, s.note) for s in row.brief.signals
                             if s.date <= today and not ix.visited_between(s.date, today)],
        "touched": care.last_touched,
    }


@pytest.mark.parametrize("today", DATES)
def test_rows_equal_whole_cards_for_score_review_and_validate(folders, today):
    """score, review and validate read cached rows; each number they read equals the
    whole card's, and their outputs equal those of the whole cards."""
    from kacard.cards.model.card import card_warnings
    from kacard.analysis.review import review
    from kacard.analysis.scoring.report import score, score_rows

    for folder in folders:
        whole = load_folder(folder, today)
        load_folder(folder, today, summary=True, upkeep=True)
        fast = load_folder(folder, today, summary=True, upkeep=True)  # from the cache's rows
        assert fast.problems == whole.problems, folder.name  # validate: errors and warnings
        cards = {c.card.id: c.card for c in whole.cards}
        for row in fast.summaries:
            card = cards[row.brief.id]
            facts = _row_facts(row, today)
            assert facts.pop("signals_by_index") == facts["signals"]
            assert facts == _reference_facts(card, today), (folder.name, card.id)
            assert brief.warnings(row.upkeep, today) == card_warnings(card, today)
        full_cards = list(cards.values())
        for settings in _variants(whole.settings)[:3]:
            slow, quick = score(full_cards, settings, today), score_rows(fast.summaries, settings, today)
            assert [(a.id, a.pareto, a.criteria, a.ten_two, a.tier, a.quadrant) for a in quick.accounts] == \
                [(a.id, a.pareto, a.criteria, a.ten_two, a.tier, a.quadrant) for a in slow.accounts]
            week = monday_of(today)
            assert review(fast.summaries, settings, today, week).as_json() == \
                review(full_cards, settings, today, week).as_json()


@pytest.mark.parametrize("conditions", [
    ["owner=zhangwei"], ["owner=lina", "tier=A"], ["status!=lost", "revenue>100000"],
    ["name~杭州", "contacts>=2", "last_visit<2026-11-01"], ["tags~重点", "region!~西湖"],
    ["custom.erp=sap"], ["tier=B"],
])
def test_filter_equals_the_list_filtered(folders, conditions):
    """`filter` tests a card's own fields before building its row: the same rows as
    `list`'s rows filtered by every condition."""
    import json

    from kacard.analysis.query import matches_all, parse_all
    from tests.conftest import Kacard

    for folder in folders:
        run = Kacard(folder)
        listed = json.loads(run.raw("list", "--dir", str(folder), "--today", "2026-11-23", "--format", "json").stdout)
        filtered = run.raw("filter", "--dir", str(folder), "--today", "2026-11-23", "--format", "json", *conditions)
        parsed = parse_all(conditions)
        assert json.loads(filtered.stdout) == [r for r in listed if matches_all(parsed, _typed(r))], folder.name


def _typed(row: dict) -> dict:
    """A JSON row with its dates as dates again (query compares dates as dates)."""
    out = dict(row)
    for key in ("since", "last_visit", "next_date"):
        if isinstance(out.get(key), str):
            out[key] = dt.date.fromisoformat(out[key])
    return out
