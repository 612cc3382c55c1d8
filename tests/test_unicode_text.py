"""Issue 13, kind 6: text that looks the same. Filters compare after Unicode
normalisation (text.fold); display width is measured by grapheme cluster (wcwidth), so
zero-width spaces, ZWJ emoji sequences and skin tones never shift table columns."""

from __future__ import annotations

import json
import unicodedata

import pytest

from kacard.text import fold, pad, truncate, width, wrap

NFC = unicodedata.normalize("NFC", "Nestlé")
NFD = unicodedata.normalize("NFD", "Nestlé")


def test_fold_makes_look_alikes_equal() -> None:
    assert NFC != NFD and fold(NFC) == fold(NFD)
    assert fold("ＡＢＣ１２３") == fold("abc123")  # full-width letters typed with a Chinese IME
    assert fold("Nest\u200blé") == fold(NFC)  # a zero-width space inside a name


@pytest.mark.parametrize("stored, typed", [(NFD, NFC), (NFC, NFD), ("Nest\u200blé Co", "nestlé")])
def test_filter_finds_a_name_whatever_its_normal_form(kacard, write_card, stored: str, typed: str) -> None:
    write_card("hz-nestle", f"id: hz-nestle\nname: {stored} 杭州\nowner: lina\n")
    result = kacard("filter", f"name~{typed}", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in json.loads(result.stdout)] == ["hz-nestle"]
    equal = kacard("filter", f"name={typed} 杭州".replace(" Co", ""), "--format", "json")
    if "Co" not in stored:
        assert [row["id"] for row in json.loads(equal.stdout)] == ["hz-nestle"]


@pytest.mark.parametrize("text, cells", [
    ("abc", 3), ("杭州", 4), (NFD, 6), ("a\u200bb", 2),
    ("👨\u200d👩\u200d👧", 2),  # one ZWJ family: one cluster, two cells
    ("👍🏽", 2),  # a skin-tone modifier joins its emoji
    ("🇨🇳", 2),  # a flag: two regional indicators, one cluster
])
def test_width_by_grapheme_cluster(text: str, cells: int) -> None:
    assert width(text) == cells
    assert width(pad(text, 10)) == 10


def test_truncate_and_wrap_never_split_a_cluster() -> None:
    family = "👨\u200d👩\u200d👧"
    assert truncate(family * 4, 5) == family * 2 + "…"
    for line in wrap(("👍🏽" * 6) + " 杭州" * 5, 7):
        assert width(line) <= 7
        assert "\U0001f3fd" not in line[:1]  # no line starts with a lone skin-tone modifier


def test_table_columns_stay_aligned_with_emoji_and_zero_width(kacard, write_card) -> None:
    names = {"hz-a": "A\u200bB\u200b公司", "hz-b": "家庭👨\u200d👩\u200d👧店", "hz-c": "点赞👍🏽商行",
             "hz-d": NFD + " 杭州"}
    for card_id, name in names.items():
        write_card(card_id, f'id: {card_id}\nname: "{name}"\nowner: lina\nregion: 华东/杭州\n')
    result = kacard("list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = lines[0]
    column = width(header[: header.index("owner")])
    for line in lines[1:]:
        owner_at = line.index("lina")
        assert width(line[:owner_at]) == column, line


@pytest.mark.parametrize("stored, typed", [(NFD, NFC), (NFC, NFD), ("Nest\u200blé", "nestlé")])
def test_find_matches_whatever_the_normal_form(kacard, write_card, stored: str, typed: str) -> None:
    write_card("hz-nestle", f"id: hz-nestle\nname: {stored} 杭州\nowner: lina\n")
    result = kacard("find", typed, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in json.loads(result.stdout)] == ["hz-nestle"]
