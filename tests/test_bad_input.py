"""SPEC §7: every kind of bad input gets a clear message (file, line, field), a non-zero
exit, no traceback, nothing modified, and never hides the other cards."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import SAMPLE_CARD

GOOD = """\
id: good
name: Good Account
owner: lina
"""

# name -> (file content (str or bytes), expected line or None, words the message must contain)
BAD_CARDS: dict[str, tuple[str | bytes, int | None, tuple[str, ...]]] = {
    "tabs": ("id: tabs\nname: x\nowner: lina\nlocation:\n\tlat: 30\n", 5, ("tab is used for indentation",)),
    "unclosed-quote": ('id: unclosed-quote\nname: "x\nowner: lina\n', None, ("invalid YAML",)),
    "duplicate-key": ("id: duplicate-key\nname: a\nname: b\nowner: lina\n", 3, ("duplicate key",)),
    "top-list": ("- id: top-list\n- name: x\n", 1, ("mapping", "list")),
    "empty": ("", 1, ("empty",)),
    "comment-only": ("# nothing here\n", 1, ("no content",)),
    "not-utf8": ("id: not-utf8\nname: caf\xe9\nowner: lina\n".encode("latin-1"), 2, ("UTF-8",)),
    "unsafe-tag": ("id: unsafe-tag\nname: !!python/object/apply:os.system [echo hi]\nowner: lina\n", 2,
                   ("tags are not allowed",)),
    "alias-bomb": (
        "id: alias-bomb\nname: x\nowner: lina\ncustom:\n"
        '  a: &a ["x","x","x","x","x","x","x","x","x"]\n'
        "  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "  d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
        None, ("aliases",),
    ),
    "deep-nesting": ("id: deep-nesting\nname: x\nowner: lina\ncustom: {a: " + "[" * 100000 + "]" * 100000 + "}\n",
                     4, ("too deep",)),
    "bad-date": ("id: bad-date\nname: x\nowner: lina\nsince: 2026-13-45\n", 4, ("since",)),
    "wrong-type": ("id: wrong-type\nname: x\nowner: lina\nvisit_minutes: lots\n", 4, ("visit_minutes",)),
    "bad-coords": ("id: bad-coords\nname: x\nowner: lina\nlocation: {lat: 130.5, lon: 120.1}\n", 4,
                   ("location.lat", "must be at most 90")),
    "unknown-field": ("id: unknown-field\nname: x\nowner: lina\nregoin: 杭州\n", 4,
                      ("unknown field 'regoin'", "did you mean 'region'")),
    "conflict": ("id: conflict\nname: x\n<<<<<<< ours\nowner: lina\n=======\nowner: zhangwei\n>>>>>>> theirs\n",
                 3, ("conflict marker",)),
    "id-mismatch": ("id: something-else\nname: x\nowner: lina\n", 1, ("does not match the file name",)),
    "unknown-owner": ("id: unknown-owner\nname: x\nowner: nobody\n", 3, ("unknown owner 'nobody'",)),
    "nan-money": ("id: nan-money\nname: x\nowner: lina\ntrades:\n  - {date: 2026-01-02, amount: .nan}\n", 5,
                  ("trades.0.amount", "trade 1: must be a real number")),
    # 17 significant digits: a YAML float would round it, so it is refused, not changed
    "long-money": ("id: long-money\nname: x\nowner: lina\ntrades:\n  - {date: 2026-01-02, amount: 12345678901234567.8}\n",
                   5, ("trades.0.amount", "15 digits")),
    "no-amount": ("id: no-amount\nname: x\nowner: lina\ntrades:\n  - {date: 2026-01-02}\n", 5,
                  ("trades.0.amount", "required")),
    "rating-3": ("id: rating-3\nname: x\nowner: lina\ncriteria: {product_fit: 3}\n", 4, ("0, 1 or 2",)),
    "bad-criterion": ("id: bad-criterion\nname: x\nowner: lina\ncriteria: {prodct_fit: 2}\n", 4,
                      ("unknown criterion",)),
}


@pytest.mark.parametrize("name", sorted(BAD_CARDS))
def test_bad_card_is_reported_with_position_and_others_still_load(kacard, folder, write_card, name):
    content, line, words = BAD_CARDS[name]
    write_card("good", GOOD)
    path = folder / f"{name}.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    before = path.read_bytes()

    result = kacard("validate", "--format", "json")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    problems = [p for p in json.loads(result.stdout) if p["file"] == f"{name}.yaml"]
    assert problems, result.stdout
    message = " ".join(f"{p['field']} {p['message']}" for p in problems)
    for word in words:
        assert word in message, message
    if line is not None:
        assert problems[0]["line"] == line, problems

    listed = kacard("list", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert "good" in [row["id"] for row in json.loads(listed.stdout)]
    assert f"{name}.yaml" in listed.stderr and "problem" in listed.stderr
    assert path.read_bytes() == before


def test_personal_data_not_echoed_in_errors(kacard, folder, write_card):
    write_card("leaky", """\
        id: leaky
        name: x
        owner: lina
        contacts:
          - {name: 王, phone: 13800000000, email: wang@example.com}
        """)
    result = kacard("validate")
    assert result.exit_code == 1
    assert "contacts.0.phone" in result.output
    assert "13800000000" not in result.output


def test_duplicate_ids_across_files(kacard, folder, write_card):
    write_card("dup", "id: dup\nname: x\nowner: lina\n")
    sub = folder / "sub"
    sub.mkdir()
    (sub / "dup.yaml").write_text("id: dup\nname: y\nowner: lina\n", encoding="utf-8")
    result = kacard("validate")
    assert result.exit_code == 1
    assert "duplicate id 'dup'" in result.output and "sub/dup.yaml" in result.output


def test_symlink_out_of_folder_is_refused(kacard, folder, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: outside\nname: x\nowner: lina\n", encoding="utf-8")
    (folder / "outside.yaml").symlink_to(outside)
    result = kacard("validate")
    assert result.exit_code == 1
    assert "outside.yaml" in result.output and "outside the card folder" in result.output
    listed = kacard("list", "--format", "json")
    assert json.loads(listed.stdout) == []


@pytest.mark.parametrize("bad_id", ["../escape", "/etc/passwd", "a/b", "CON", "con", "Upper", "x-", "a..b", ""])
def test_new_refuses_path_escaping_ids(kacard, folder, bad_id):
    result = kacard("new", bad_id, "--name", "x", "--owner", "lina")
    assert result.exit_code == 2, result.output
    assert "invalid id" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["kacard.yaml"]
    assert not (folder.parent / "escape.yaml").exists()


def test_new_never_overwrites(kacard, folder, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    before = path.read_bytes()
    result = kacard("new", "hz-xinghe", "--name", "x", "--owner", "lina")
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert path.read_bytes() == before


def test_card_changed_between_read_and_write_is_not_clobbered(folder, write_card):
    import datetime as dt

    from kacard.cards.editing import log_visit, visit_record
    from kacard.cards.store import load_folder
    from kacard.cards.writing import update_card
    from kacard.errors import StaleWrite

    path = write_card("hz-xinghe", SAMPLE_CARD)
    loaded = load_folder(folder, dt.date(2026, 11, 23)).get("hz-xinghe")
    path.write_text(SAMPLE_CARD.replace("讨论三号线方案", "someone else's edit"), encoding="utf-8")
    changed = path.read_bytes()
    record = visit_record(dt.date(2026, 11, 23), "x", by="zhangwei", kind="visit", with_=[],
                          next_date=dt.date(2026, 12, 1), next_time=None, next_action="y", no_next=None)
    with pytest.raises(StaleWrite):
        update_card(folder, loaded, log_visit(record))
    assert path.read_bytes() == changed
    assert sorted(p.name for p in folder.iterdir()) == ["hz-xinghe.yaml", "kacard.yaml"]


def test_crash_in_the_middle_of_a_write_keeps_the_card(kacard, folder, write_card, monkeypatch):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    result = kacard("log", "hz-xinghe", "--summary", "x", "--next-date", "2026-12-01", "--next-action", "y")
    assert result.exit_code != 0
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["hz-xinghe.yaml", "kacard.yaml"]


def test_log_that_would_make_card_invalid_writes_nothing(kacard, folder, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    before = path.read_bytes()
    result = kacard("log", "hz-xinghe", "--summary", "x", "--kind", "party",
                    "--next-date", "2026-12-01", "--next-action", "y")
    assert result.exit_code == 2
    assert "kind" in result.output
    assert path.read_bytes() == before


def test_bad_settings_file(kacard, folder, write_card):
    write_card("good", GOOD)
    (folder / "kacard.yaml").write_text("schema: 1\nscoring:\n  pareto: {a: 0.9, b: 0.8}\n", encoding="utf-8")
    result = kacard("list")
    assert result.exit_code == 2
    assert "kacard.yaml:3" in result.output and "must not be above" in result.output
    assert "Traceback" not in result.output


def test_no_folder_found_explains_the_fix(kacard, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = kacard.raw("list")
    assert result.exit_code == 2
    assert "kacard init" in result.output and "--dir" in result.output


def test_bad_today_and_format(kacard):
    assert kacard("list", "--today", "2026-02-30").exit_code == 2
    result = kacard("list", "--format", "xml")
    assert result.exit_code == 2 and "--format" in result.output


def test_validate_sorts_problems_with_and_without_lines(kacard, folder, write_card):
    # one file with a positioned problem and a folder-level one without a line
    write_card("mixed", "id: mixed\nname: x\nowner: nobody\nregoin: 杭州\n")
    (folder / ".gitattributes").write_text("*.yaml merge=union\n", encoding="utf-8")
    result = kacard("validate")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "merge=union" in result.output and "unknown field 'regoin'" in result.output


def test_id_mismatch_is_reported_alongside_field_errors(kacard, folder, write_card):
    write_card("hz-id", "id: hz-wrongid\nname: x\nowner: lina\nvisit_minutes: lots\n")
    result = kacard("validate", "--format", "json")
    assert result.exit_code == 1
    fields = {p["field"] for p in json.loads(result.stdout)}
    assert {"id", "visit_minutes"} <= fields
