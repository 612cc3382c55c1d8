"""The store: folder lookup, the cache, the round trip, atomic writes, output safety."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kacard.cards import yamlio
from kacard.cards.cache import cache_dir
from kacard.cards.editing import log_visit, visit_record
from kacard.cards.store import load_folder
from kacard.cards.writing import update_card
from tests.conftest import SAMPLE_CARD

TODAY = dt.date(2026, 11, 23)


def test_folder_lookup_order(kacard, folder, write_card, tmp_path, monkeypatch):
    write_card("hz-xinghe", SAMPLE_CARD)
    nested = folder / "sub" / "deeper"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    found = kacard.raw("list", "--format", "json")  # nearest ancestor with kacard.yaml
    assert [r["id"] for r in json.loads(found.stdout)] == ["hz-xinghe"]
    other = tmp_path / "other"
    other.mkdir()
    (other / "kacard.yaml").write_text("schema: 1\n", encoding="utf-8")
    monkeypatch.setenv("KACARD_DIR", str(other))
    assert json.loads(kacard.raw("list", "--format", "json").stdout) == []
    by_option = kacard.raw("list", "--dir", str(folder), "--format", "json")
    assert [r["id"] for r in json.loads(by_option.stdout)] == ["hz-xinghe"]


def test_options_before_and_after_the_subcommand(kacard, folder, write_card):
    write_card("hz-xinghe", SAMPLE_CARD)
    before = kacard.raw("--dir", str(folder), "--format", "json", "list")
    after = kacard.raw("list", "--dir", str(folder), "--format", "json")
    assert before.exit_code == after.exit_code == 0
    assert json.loads(before.stdout) == json.loads(after.stdout)


def test_hidden_folders_and_settings_are_not_cards(folder, write_card):
    write_card("hz-xinghe", SAMPLE_CARD)
    (folder / ".git").mkdir()
    (folder / ".git" / "junk.yaml").write_text("not: a card\n", encoding="utf-8")
    (folder / ".hidden.yaml").write_text("not: a card\n", encoding="utf-8")
    loaded = load_folder(folder, TODAY)
    assert [c.card.id for c in loaded.cards] == ["hz-xinghe"]
    assert loaded.problems == []


def test_warm_cache_gives_the_same_rows_and_survives_corruption(folder, write_card):
    write_card("hz-xinghe", SAMPLE_CARD)
    write_card("b", "id: b\nname: B\nowner: lina\n")
    cold = load_folder(folder, TODAY, summary=True, upkeep=True)
    warm = load_folder(folder, TODAY, summary=True, upkeep=True)
    assert warm.summaries == cold.summaries and len(cold.summaries) == 2
    db = next(cache_dir().glob("*.sqlite"))
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from rows").fetchone()[0] == 2
        conn.execute("update rows set brief = x'00ff00'")
    assert load_folder(folder, TODAY, summary=True, upkeep=True).summaries == cold.summaries
    db.write_bytes(b"this is not sqlite at all" * 100)
    assert load_folder(folder, TODAY, summary=True, upkeep=True).summaries == cold.summaries


def test_cache_notices_changed_and_removed_files(folder, write_card):
    path = write_card("b", "id: b\nname: Before\nowner: lina\n")
    assert load_folder(folder, TODAY, summary=True).summaries[0].brief.name == "Before"
    path.write_text("id: b\nname: After\nowner: lina\n", encoding="utf-8")
    assert load_folder(folder, TODAY, summary=True).summaries[0].brief.name == "After"
    path.write_text("id: b\nname: After\nowner: lina\nbogus: 1\n", encoding="utf-8")
    broken = load_folder(folder, TODAY, summary=True)
    assert broken.summaries == [] and broken.problems[0].field == "bogus"
    assert load_folder(folder, TODAY, summary=True).problems == broken.problems  # from its row
    path.unlink()
    assert load_folder(folder, TODAY, summary=True).summaries == []


def test_cache_lives_outside_the_card_folder_and_is_private(folder, write_card):
    write_card("b", "id: b\nname: B\nowner: lina\n")
    cache_dir().mkdir(mode=0o755, parents=True)  # as an older kacard made it
    load_folder(folder, TODAY, summary=True)
    assert sorted(p.name for p in folder.iterdir()) == ["b.yaml", "kacard.yaml"]
    files = list(cache_dir().iterdir())
    assert any(f.suffix == ".sqlite" for f in files)
    assert cache_dir().stat().st_mode & 0o777 == 0o700
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in files), [(f.name, oct(f.stat().st_mode)) for f in files]


def test_backdated_visit_is_inserted_in_date_order(folder, write_card):
    write_card("hz-xinghe", SAMPLE_CARD)
    loaded = load_folder(folder, TODAY).get("hz-xinghe")
    record = visit_record(dt.date(2026, 11, 1), "早先的电话", by="zhangwei", kind="call", with_=[],
                          next_date=None, next_time=None, next_action=None, no_next="已记录")
    card = update_card(folder, loaded, log_visit(record))
    assert [v.date for v in card.visits] == [dt.date(2026, 11, 1), dt.date(2026, 11, 10)]


def test_control_characters_in_card_text_are_not_sent_to_the_terminal(kacard, write_card):
    write_card("evil", 'id: evil\nname: "Evil \\e[31mRED\\e[0m Co"\nowner: lina\n')
    for command in (("list",), ("show", "evil")):
        result = kacard(*command)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout
        assert "RED" in result.stdout  # a table shows the escape as text (\\x1b[31m), Markdown drops it


def test_chinese_columns_are_aligned_in_plain_tables(kacard, write_card):
    write_card("a", "id: a\nname: 杭州星河纺织有限公司\nowner: lina\nregion: 华东/杭州\n")
    write_card("b", "id: b\nname: Westlake Robotics\nowner: zhangwei\nregion: East\n")
    lines = kacard("list").stdout.splitlines()
    from kacard.text import width

    owner_columns = {width(line[: line.index(owner)]) for line in lines[1:] for owner in ("lina", "zhangwei") if owner in line}
    assert len(owner_columns) == 1, lines


# -- round trip ---------------------------------------------------------------------------

safe_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(summary=safe_text, action=safe_text, name=safe_text)
def test_logging_any_text_round_trips_and_only_adds_lines(folder, write_card, summary, action, name):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    before = path.read_text("utf-8")
    loaded = load_folder(folder, TODAY).get("hz-xinghe")
    record = visit_record(TODAY, summary, by="zhangwei", kind="visit", with_=[name],
                          next_date=TODAY + dt.timedelta(days=7), next_time=dt.time(10, 0),
                          next_action=action, no_next=None)
    card = update_card(folder, loaded, log_visit(record))
    after = path.read_text("utf-8")
    assert after.startswith(before)
    last = card.visits[-1]
    assert (last.summary, last.with_, last.next.action) == (summary, [name], action)
    assert last.next.time == dt.time(10, 0)
    # load -> dump -> load is the identity on the text, comments included
    assert yamlio.load_document(after).dump() == after


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "名字", "c_d"]),
                       st.one_of(st.integers(), safe_text, st.booleans(), st.lists(safe_text, max_size=3)),
                       max_size=4))
def test_custom_fields_survive_the_round_trip(custom):
    from ruamel.yaml.comments import CommentedMap

    root = CommentedMap({"id": "x", "name": "X", "owner": "lina", "custom": CommentedMap(custom)})
    text = yamlio.Document(root).dump()
    assert yamlio.load_data(text)["custom"] == custom
    assert yamlio.load_document(text).dump() == text


def test_sample_style_files_round_trip_byte_for_byte():
    root = Path(__file__).resolve().parents[1] / "cards"
    files = sorted(root.glob("*.yaml"))
    for path in files:
        text = path.read_text("utf-8")
        assert yamlio.load_document(text).dump() == text, path.name


def test_unchanged_old_files_are_not_even_read_when_warm(folder, write_card, monkeypatch):
    path = write_card("b", "id: b\nname: B\nowner: lina\n")
    old = 1_700_000_000
    os.utime(path, (old, old))
    cold = load_folder(folder, TODAY, summary=True)
    real_read = Path.read_bytes

    def no_card_reads(self):
        assert self.suffix != ".yaml" or self.name == "kacard.yaml", f"read {self}"
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", no_card_reads)
    warm = load_folder(folder, TODAY, summary=True)
    assert warm.summaries == cold.summaries


def test_recently_modified_files_are_hashed_not_trusted(folder, write_card):
    path = write_card("b", "id: b\nname: Aaa\nowner: lina\n")
    load_folder(folder, TODAY, summary=True)
    stat = path.stat()
    path.write_text("id: b\nname: Bbb\nowner: lina\n", encoding="utf-8")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime
    assert load_folder(folder, TODAY, summary=True).summaries[0].brief.name == "Bbb"


def test_log_keeps_a_section_comment_above_the_next_key(kacard, folder, write_card):
    path = write_card("a", """\
        id: a
        name: A
        owner: lina
        visits:
          - date: 2026-11-01
            by: lina
            summary: 电话
            no_next: 等待

        # 流失信号
        signals:
          - {date: 2026-11-02, kind: other}
        """)
    before = path.read_text("utf-8").splitlines()
    result = kacard("log", "a", "--summary", "x", "--next-date", "2026-12-01", "--next-action", "y")
    assert result.exit_code == 0, result.output
    after = path.read_text("utf-8").splitlines()
    import difflib

    changes = [d for d in difflib.ndiff(before, after) if d[:1] in "+-"]
    assert all(d.startswith("+ ") for d in changes), changes
    assert after[after.index("signals:") - 1] == "# 流失信号"
    assert after.index("    next: {date: 2026-12-01, action: y}") < after.index("# 流失信号")


def test_a_load_tells_progress_of_the_cards_it_reads(folder, write_card):
    old = 1_700_000_000
    for card_id in ("a", "b", "c"):
        os.utime(write_card(card_id, f"id: {card_id}\nname: {card_id.upper()}\nowner: lina\n"), (old, old))
    calls: list[tuple[int, int]] = []
    load_folder(folder, TODAY, summary=True, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 3), (1, 3), (2, 3)]  # cold: every file parsed
    calls.clear()
    load_folder(folder, TODAY, summary=True, progress=lambda done, total: calls.append((done, total)))
    assert calls == []  # warm: nothing read, nothing to tell
    os.utime(write_card("b", "id: b\nname: Bee\nowner: lina\n"), (old + 1, old + 1))
    load_folder(folder, TODAY, summary=True, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 1)]  # only the changed card: 1 to parse
    calls.clear()
    load_folder(folder, TODAY, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 3), (1, 3), (2, 3)]  # whole cards: each one parsed


def test_progress_shows_only_when_slow_at_most_ten_times_a_second_and_is_cleared():
    import io

    from kacard.render.output import Progress

    now = [0.0]
    stream = io.StringIO()
    progress = Progress(stream, after=1.0, clock=lambda: now[0])
    progress(10, 100)
    assert stream.getvalue() == ""  # a fast load shows nothing
    now[0] = 1.0
    progress(20, 100)
    now[0] = 1.05
    progress(21, 100)  # too soon after the last line
    now[0] = 1.2
    progress(30, 10_000)
    progress.close()
    assert stream.getvalue() == "\rreading cards 20/100\rreading cards 30/10,000\r\x1b[K"
    quiet = io.StringIO()
    Progress(quiet).close()
    assert quiet.getvalue() == ""


def test_a_one_card_load_reads_that_card_only_and_keeps_the_cache_of_the_others(folder, write_card, monkeypatch):
    old = 1_700_000_000
    for card_id in ("a", "b"):
        os.utime(write_card(card_id, f"id: {card_id}\nname: {card_id.upper()}\nowner: lina\n"), (old, old))
    os.utime(write_card("broken", "id: broken\nname: [unclosed\n"), (old, old))
    load_folder(folder, TODAY, summary=True)  # every card's row cached, the broken one's problems too
    real_read = Path.read_bytes

    def reads_only_a(self):
        assert self.suffix != ".yaml" or self.name in ("kacard.yaml", "a.yaml"), f"read {self}"
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", reads_only_a)
    one = load_folder(folder, TODAY, only=["a"])
    assert [c.card.id for c in one.cards] == ["a"] and one.problems == []  # not the broken card's
    assert one.get("a").card.name == "A"

    def reads_nothing(self):
        assert self.suffix != ".yaml" or self.name == "kacard.yaml", f"read {self}"
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", reads_nothing)
    whole = load_folder(folder, TODAY, summary=True)  # the rows survived the one-card load
    assert [s.brief.id for s in whole.summaries] == ["a", "b"]
    assert [p.file for p in whole.problems] == ["broken.yaml"]


def test_a_one_card_load_still_sees_a_duplicate_id_and_refuses_unsafe_ids(folder, write_card):
    import pytest

    from kacard.errors import UnsafePath

    write_card("a", "id: a\nname: A\nowner: lina\n")
    (folder / "sub").mkdir()
    (folder / "sub" / "a.yaml").write_text("id: a\nname: Other A\nowner: lina\n", encoding="utf-8")
    assert [p.file for p in load_folder(folder, TODAY, only=["a"]).problems] == \
        [p.file for p in load_folder(folder, TODAY).problems if "duplicate" in p.message]
    with pytest.raises(UnsafePath):
        load_folder(folder, TODAY, only=["../a"])
