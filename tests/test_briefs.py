"""`kacard brief` from kept pages (kacard.cards.pages, kacard.cli.briefs): a brief made from a
card's page and its row is the brief of the whole card, on varied folders and dates; a
second run parses no card; a changed card gets a new page."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kacard.cards import store
from kacard.cards.store import load_folder
from kacard.cli.app import app
from kacard.render.brief import brief_data, page, page_data
from tests.test_index import _folders

ROOT = Path(__file__).resolve().parents[1]

DATES = [dt.date(2026, 11, 23), dt.date(2026, 3, 31), dt.date(2027, 2, 28), dt.date(2025, 6, 15)]
OLD = 1_700_000_000


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> list[Path]:
    return _folders(tmp_path_factory)  # the sample folder and two generated ones


@pytest.mark.parametrize("today", DATES)
def test_a_brief_from_page_and_row_is_the_whole_cards(folders, today):
    for folder in folders:
        rows = load_folder(folder, today, summary=True)
        whole = {loaded.card.id: loaded.card for loaded in load_folder(folder, today).cards}
        assert rows.summaries and len(rows.summaries) == len(whole)
        for summary in rows.summaries:
            card = whole[summary.brief.id]
            expected = brief_data(card, rows.settings, today)
            got = page_data(page(card), summary.brief, summary.card_index.metric, summary.brief, rows.settings, today)
            assert got == expected, (folder.name, card.id)
            assert list(got) == list(expected)


def _run(folder: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [args[0], "--dir", str(folder), *args[1:]])
    return result.exit_code, result.stdout, result.stderr


def _parses(monkeypatch) -> list[object]:  # type: ignore[no-untyped-def]
    """Calls of store.load_folder for whole cards (only=...), from now on."""
    calls: list[object] = []
    real = store.load_folder

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("only"):
            calls.append(kwargs["only"])
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "load_folder", counted)
    return calls


@pytest.mark.parametrize("args", [("--owner", "zhangwei"), ("--owner", "lina", "--format", "html"),
                                  ("--owner", "zhangwei", "--redact"), ("--ids", "hz-xinghe-gas,hz-hegu-admin")])
def test_the_second_brief_parses_no_card_and_prints_the_same(tmp_path, monkeypatch, args):
    folder = tmp_path / "cards"
    shutil.copytree(ROOT / "cards", folder)
    for path in folder.rglob("*.yaml"):
        os.utime(path, (OLD, OLD))
    monkeypatch.setenv("KACARD_NO_CACHE", "1")
    reference = _run(folder, "brief", *args)  # whole cards, no cache
    monkeypatch.delenv("KACARD_NO_CACHE")
    assert reference[0] == 0 and ("## " in reference[1] or "<h2" in reference[1]), reference
    assert _run(folder, "brief", *args) == reference  # pages made
    calls = _parses(monkeypatch)
    assert _run(folder, "brief", *args) == reference  # pages kept
    assert calls == []


def test_a_changed_card_gets_a_new_page(tmp_path, monkeypatch):
    folder = tmp_path / "cards"
    shutil.copytree(ROOT / "cards", folder)
    for path in folder.rglob("*.yaml"):
        os.utime(path, (OLD, OLD))
    first = _run(folder, "brief", "--ids", "hz-xinghe-gas")
    path = next(folder.rglob("hz-xinghe-gas.yaml"))
    text = path.read_text("utf-8")
    assert "\ncontacts:  # 关键人\n" in text
    path.write_text(text.replace("\ncontacts:  # 关键人\n", "\ncontacts:\n  - {name: 新来的, title: 采购专员, role: buyer}\n", 1),
                    encoding="utf-8")
    calls = _parses(monkeypatch)
    second = _run(folder, "brief", "--ids", "hz-xinghe-gas")
    assert calls == [["hz-xinghe-gas"]] and "新来的" in second[1] and "新来的" not in first[1]
    monkeypatch.setenv("KACARD_NO_CACHE", "1")
    assert _run(folder, "brief", "--ids", "hz-xinghe-gas") == second
