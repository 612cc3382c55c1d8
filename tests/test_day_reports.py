"""`score`, `review` and `validate` from the day cache (kacard.cli.daily.day_output):
a run from the kept output prints the same bytes, and exits the same, as one that works
the report out and as one with no cache at all; a changed card, kacard.yaml, plan file,
option, day or language is never served a report made for another."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kacard.cards import daycache
from test_daily import OLD, _no_load, _run, cards, made  # noqa: F401  (fixtures)

RUNS = [
    ["score"], ["score", "--format", "json"], ["score", "--format", "csv"], ["score", "--today", "2026-11-30"],
    ["score", "--owner", "lina"], ["score", "--owner", "lina", "--format", "json"],
    ["score", "--lang", "zh"], ["score", "--lang", "zh", "--format", "csv"], ["score", "--today", "2026-11-29"],
    ["review"], ["review", "--format", "json"], ["review", "--format", "md"],
    ["review", "--owner", "lina"], ["review", "--week", "2026-W49"], ["review", "--lang", "zh"],
    ["review", "--lang", "zh", "--format", "md"],
    ["validate"], ["validate", "--format", "json"], ["validate", "--lang", "zh"],
    ["validate", "--lang", "zh", "--format", "json"],
]


def _reference(folder: Path, args: list[str], monkeypatch) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KACARD_NO_CACHE", "1")
    try:
        return _run(folder, args)  # no cache at all: worked out from the cards
    finally:
        monkeypatch.delenv("KACARD_NO_CACHE")


def _misses(monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    """Records each day-cache lookup that found nothing (the report is worked out again)."""
    calls: list[int] = []
    real = daycache.get

    def get(*args):  # type: ignore[no-untyped-def]
        found = real(*args)
        if found is None:
            calls.append(1)
        return found

    monkeypatch.setattr(daycache, "get", get)
    return calls


@pytest.mark.parametrize("args", RUNS, ids=[" ".join(a) for a in RUNS])
def test_kept_reports_print_what_worked_out_reports_print(cards, args, monkeypatch):
    reference = _reference(cards, args, monkeypatch)
    assert reference[1], reference
    assert "hz-broken.yaml" in reference[2] + reference[1]  # the broken card is part of it
    assert reference[0] == (1 if args[0] == "validate" else 0), reference
    assert _run(cards, args) == reference  # worked out, and kept
    with monkeypatch.context() as patch:
        _no_load(patch)
        assert _run(cards, args) == reference  # from the day cache


def test_options_days_and_languages_are_kept_apart(cards, monkeypatch):
    for args in RUNS:
        _run(cards, args)
    got = {}
    with monkeypatch.context() as patch:
        _no_load(patch)
        for args in RUNS:  # every one kept, under its own key
            got[" ".join(args)] = _run(cards, args)
    for args in RUNS:
        assert got[" ".join(args)] == _reference(cards, args, monkeypatch)


def _changed_is_seen(cards: Path, monkeypatch, change, args: list[str]) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    _run(cards, args)
    change()
    with monkeypatch.context() as patch:
        calls = _misses(patch)
        got = _run(cards, args)
    assert calls  # worked out again
    assert got == _reference(cards, args, monkeypatch)
    return got


def test_a_changed_card_is_seen(cards, monkeypatch):
    path = next(p for p in sorted(cards.glob("*.yaml")) if p.name not in ("kacard.yaml", "hz-broken.yaml"))

    def change() -> None:
        text = path.read_text("utf-8").replace("\nname: ", "\nname: Renamed ", 1)
        path.write_text(text, encoding="utf-8")
        os.utime(path, (OLD + 60, OLD + 60))

    for args in (["list", "--format", "json"], ["score", "--format", "json"], ["review", "--format", "json"]):
        got = _changed_is_seen(cards, monkeypatch, change, args)[1]
        assert args[0] == "review" or "Renamed" in got  # review's JSON names no account
        change()  # a second rename: another stat again


def test_a_fixed_card_is_seen_by_validate(cards, monkeypatch):
    def fix() -> None:
        (cards / "hz-broken.yaml").unlink()

    got = _changed_is_seen(cards, monkeypatch, fix, ["validate"])
    assert "hz-broken.yaml" not in got[1] + got[2]


def test_settings_and_plans_are_seen(cards, monkeypatch):
    def settings() -> None:
        path = cards / "kacard.yaml"
        path.write_text(path.read_text("utf-8") + "# changed\n", encoding="utf-8")
        os.utime(path, (OLD + 60, OLD + 60))

    for args in (["score"], ["review"], ["validate"]):
        _changed_is_seen(cards, monkeypatch, settings, args)
        settings()

    def plan() -> None:  # a file outside the card walk that review reads
        (cards / "plans").mkdir(exist_ok=True)
        (cards / "plans" / "2026.yaml").write_text("year: 2026\n", encoding="utf-8")

    _run(cards, ["review"])
    plan()
    with monkeypatch.context() as patch:
        calls = _misses(patch)
        got = _run(cards, ["review"])
    assert calls
    assert got == _reference(cards, ["review"], monkeypatch)
