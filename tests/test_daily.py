"""The day cache (kacard.cards.daycache, kacard.cli.daily): `list`, `filter` and `due` print
the same bytes from the rows kept for the day as when they work them out (and as with no
cache at all), and never serve rows of a folder, settings, day, week or language they
were not made for."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kacard.cards import daycache, store
from kacard.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_cards import write_folder

OLD = 1_700_000_000  # a file time long before any run: its stat can be trusted

RUNS = [
    ["list"], ["list", "--format", "json"], ["list", "--format", "csv"], ["list", "--owner", "lina"],
    ["filter", "tier=A"], ["filter", "tier=B", "owner=zhangwei", "revenue>100000", "--format", "json"],
    ["filter", "region~杭州", "--format", "csv"], ["filter", "last_visit<2026-06-01"],
    ["due"], ["due", "--format", "json"], ["due", "--format", "csv"], ["due", "--owner", "lina"],
    ["due", "--owner", "lina", "--format", "json"], ["due", "--week", "2026-W49"], ["due", "--all"],
    ["due", "--today", "2026-11-29"], ["due", "--lang", "zh"], ["due", "--lang", "zh", "--format", "json"],
    ["list", "--lang", "zh"], ["filter", "tier=A", "--lang", "zh", "--format", "csv"],
]


def _age(folder: Path) -> None:
    for path in folder.rglob("*.yaml"):
        os.utime(path, (OLD, OLD))


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("daily")
    write_folder(path, count=60, seed=9, today=dt.date(2026, 11, 23))
    (path / "hz-broken.yaml").write_text("id: hz-broken\nname: [unclosed\n", encoding="utf-8")
    (path / "notes.yml").write_text("not a card\n", encoding="utf-8")
    return path


@pytest.fixture
def cards(made: Path, tmp_path: Path) -> Path:
    path = tmp_path / "cards"
    shutil.copytree(made, path)
    _age(path)
    return path


def _run(folder: Path, args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [args[0], "--dir", str(folder), *args[1:]])
    return result.exit_code, result.stdout, result.stderr


def _no_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the rows were worked out again")

    monkeypatch.setattr(store, "load_folder", refuse)


@pytest.mark.parametrize("args", RUNS, ids=[" ".join(a) for a in RUNS])
def test_kept_rows_print_what_worked_out_rows_print(cards, args, monkeypatch):
    monkeypatch.setenv("KACARD_NO_CACHE", "1")
    reference = _run(cards, args)  # no cache at all: worked out from the cards
    monkeypatch.delenv("KACARD_NO_CACHE")
    assert reference[0] == 0, reference
    assert "hz-broken.yaml" in reference[2] and "notes.yml" in reference[2]  # problems are part of it
    assert _run(cards, args) == reference  # worked out from the rows, and kept
    with monkeypatch.context() as patch:
        _no_load(patch)
        assert _run(cards, args) == reference  # from the day cache


def test_every_kind_of_result_is_kept_under_its_own_key(cards, monkeypatch):
    for args in RUNS:
        _run(cards, args)
    _no_load(monkeypatch)
    for args in RUNS:  # each command, format group, week and today was kept
        assert _run(cards, args)[0] == 0


def _kept_then_changed(cards: Path, monkeypatch, change) -> None:  # type: ignore[no-untyped-def]
    """`change` the folder after the day's rows were kept: the next run works them out
    (and equals a run without any cache)."""
    for args in (["list"], ["due", "--format", "json"]):
        _run(cards, args)
    change()
    calls = []
    real = store.load_folder
    monkeypatch.setattr(store, "load_folder", lambda *a, **k: calls.append(1) or real(*a, **k))
    for args in (["list"], ["due", "--format", "json"]):
        got = _run(cards, args)
        monkeypatch.setenv("KACARD_NO_CACHE", "1")
        assert got == _run(cards, args)
        monkeypatch.delenv("KACARD_NO_CACHE")
    assert len(calls) >= 2


def test_a_changed_card_is_seen(cards, monkeypatch):
    path = next(p for p in sorted(cards.glob("*.yaml")) if p.name not in ("kacard.yaml", "hz-broken.yaml"))

    def change() -> None:
        text = path.read_text("utf-8").replace("\nname: ", "\nname: Renamed ", 1)
        assert "Renamed" in text
        path.write_text(text, encoding="utf-8")
        os.utime(path, (OLD + 60, OLD + 60))  # an old time still, but another one

    _kept_then_changed(cards, monkeypatch, change)
    assert "Renamed" in _run(cards, ["list"])[1]


def test_settings_a_new_card_and_a_removed_card_are_seen(cards, monkeypatch):
    def settings() -> None:
        path = cards / "kacard.yaml"
        path.write_text(path.read_text("utf-8") + "# changed\n", encoding="utf-8")
        os.utime(path, (OLD + 60, OLD + 60))

    _kept_then_changed(cards, monkeypatch, settings)
    victim = sorted(cards.glob("*.yaml"))[3]
    _kept_then_changed(cards, monkeypatch, victim.unlink)
    _kept_then_changed(cards, monkeypatch, lambda: shutil.copy(sorted(cards.glob("*.yaml"))[4], cards / "sub.yaml")
                       and _age(cards))


def test_a_just_written_file_keeps_nothing(cards, monkeypatch):
    """A file modified in the last seconds could change again within the clock's tick: the
    folder then has no state, and the rows are worked out each run."""
    path = sorted(cards.glob("*.yaml"))[2]
    path.write_text(path.read_text("utf-8"), encoding="utf-8")  # now
    _run(cards, ["list"])
    calls = []
    real = store.load_folder
    monkeypatch.setattr(store, "load_folder", lambda *a, **k: calls.append(1) or real(*a, **k))
    _run(cards, ["list"])
    assert calls


def test_the_language_is_part_of_the_key(cards, monkeypatch):
    from kacard import i18n

    _run(cards, ["due"])
    walked = store.walk(cards)
    state = daycache.folder_state(cards, walked.files, walked.stats, time.time_ns())
    assert state.digest is not None
    english = daycache.key(state, "due", dt.date(2026, 11, 23), "en")
    assert daycache.key(state, "due", dt.date(2026, 11, 23), "zh") != english
    assert i18n.language() in i18n.LANGUAGES


def test_a_damaged_entry_is_worked_out_again(cards, monkeypatch):
    from kacard.cards.cache import CardCache

    reference = _run(cards, ["list", "--format", "json"])
    cache = CardCache(cards)
    assert cache.db is not None
    (value,) = cache.db.execute("select value from day").fetchone()
    cache.db.execute("update day set value = ?", (value[:-9] + b"XXXXXXXXX",))  # the check no longer fits
    assert _run(cards, ["list", "--format", "json"]) == reference
    cache.db.execute("update day set value = 'text'")  # not even bytes
    assert _run(cards, ["list", "--format", "json"]) == reference
    cache.close()


@pytest.mark.parametrize("value", [
    "text", 0, -5, 2**62, 1.5, -0.0, True, False, None, Decimal("1200.50"), Decimal("1E+3"), Decimal("-0"),
    dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 3, 4, 5), dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC),
    dt.time(9, 30), ["a", "b"], ["a", dt.date(2026, 1, 2), [Decimal("1.0")]], {"k": dt.time(8, 0), "n": {"x": 1}},
    {"k": 1, "other": "v"}, [], {},
])
def test_rows_come_back_with_the_same_types(value):
    import orjson

    rows = [{"id": "a", "cell": value}, {"cell": value, "id": "b"}]
    back = daycache.decode_rows(orjson.loads(orjson.dumps(daycache.encode_rows(rows))))
    assert back == rows
    assert [list(r) for r in back] == [list(r) for r in rows]  # keys in the same order
    assert repr(back) == repr(rows)  # the same types all the way down (1 is not 1.0 nor Decimal(1))


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 2**70, (1, 2), {1: "a"}, b"bytes",
                                   dt.time(9, 30, tzinfo=dt.UTC)])
def test_what_cannot_come_back_exactly_is_not_kept(value):
    with pytest.raises(daycache.NotKept):
        daycache.encode_rows([{"cell": value}])
