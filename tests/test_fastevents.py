"""The direct reader (kacard.cards.fastevents) gives exactly what the event reader gives:
the same data, and for every text it stops on, the event reader's own refusal."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import events

from kacard.cards import fastevents, fastyaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def outcome(read, text: str, depth: int = 24):
    """("data", repr of the value) or ("error", its type, message, line, column)."""
    try:
        return ("data", repr(read(text, depth)))  # repr: a NaN equals itself
    except fastyaml.EventError as exc:
        return ("error", "EventError", exc.message, exc.line, exc.column)
    except fastyaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        return ("error", type(exc).__name__, exc.problem, mark and (mark.line, mark.column))


def _from_bytes(text: str, depth: int) -> object:
    return fastyaml.load(text, depth, text.encode("utf-8"))  # as kacard.cards.parse reads a card file


def _from_bytes_with_bom(text: str, depth: int) -> object:
    return fastyaml.load(text, depth, b"\xef\xbb\xbf" + text.encode("utf-8"))  # saved by Windows Notepad


def same(text: str, depth: int = 24) -> None:
    expected = outcome(fastyaml.load_events, text, depth)
    assert outcome(fastyaml.load, text, depth) == expected, text
    assert outcome(_from_bytes, text, depth) == expected, text
    assert outcome(_from_bytes_with_bom, text, depth) == expected, text


def test_the_direct_reader_is_on_and_leaves_the_parser_as_it_was():
    assert fastevents.ready()  # a clib that no longer makes events this way would turn it off: notice it
    for text in ("a: [1, {b: 2}]\n", "a: &x 1\n", "a: [1\n", "a: 1\n---\nb: 2\n"):
        try:
            fastevents.load(text, 8)
        except fastevents.Stop:
            pass
        kinds = [type(e) for e in fastyaml._c_events("a: 1\n")]
        assert events.ScalarEvent in kinds and events.MappingStartEvent in kinds


def test_sample_cards_read_the_same():
    paths = sorted((ROOT / "cards").glob("*.yaml"))
    assert paths
    for path in paths:
        text = path.read_text("utf-8")
        assert fastevents.load(text, 24) == fastyaml.load_events(text, 24), path.name
        assert fastevents.load(path.read_bytes(), 24) == fastyaml.load_events(text, 24), path.name


def test_generated_cards_read_the_same(tmp_path):
    from make_cards import write_folder

    for seed in (3, 11):
        paths = write_folder(tmp_path / str(seed), count=40, seed=seed, today=dt.date(2026, 11, 23), card_kb=6)
        for path in paths:
            text = path.read_text("utf-8")
            assert fastevents.load(text, 24) == fastyaml.load_events(text, 24), path.name
            assert fastyaml.load(text, 24, path.read_bytes()) == fastyaml.load_events(text, 24), path.name


CORNERS = [
    "", "# only a comment\n", "---\n", "--- \n...\n", "hello\n", "- 1\n- two\n", "a:\n", "a: ~\nb: null\nc: Null\n",
    "a: 1\nb: 1.5\nc: .inf\nd: -.INF\ne: .nan\nf: 0o17\ng: 0x1F\nh: +1\ni: -0\nj: 1e3\nk: 1.\n",
    "a: yes\nb: on\nc: 10:00\nd: 2026-11-23\ne: 1_000\nf: +0x1F\ng: 2026-11-23t10:00:00Z\n",
    "a: '1'\nb: \"true\"\nc: |\n  x\n  y\nd: >\n  folded\n  text\ne: !!str 3\n",
    "a: {time: 10:00, b: [1, 2]}\n", "{a: 1, b: {c: [x, y, {d: e}]}}\n", "a: []\nb: {}\nc: [[], [{}]]\n",
    "? a\n: 1\n", "? [a, b]\n: 1\n", "? {a: 1}\n: 2\n", "[a, b]: 1\n",
    "a: 1\nb: 2\na: 3\n", "1: a\n1.0: b\n", "true: a\n1: b\n", "~: 1\nnull: 2\n", "a: {x: 1, x: 2}\n",
    ".nan: 1\n.nan: 2\n", "'a': 1\na: 2\n",
    "a: &x 1\nb: *x\n", "a: &x [1]\n", "&r {a: 1}\n", "a: *x\n", "a: !!python/name:os.system x\n",
    "a: !custom x\n", "a: !!map {b: 1}\n", "a: !!seq [1]\n", "a: !!str\n", "a: !<tag:yaml.org,2002:str> x\n",
    "a: !!int 3\n", "!!map\na: 1\n",
    "%YAML 1.2\n---\na: 1\n", "%YAML 1.1\n---\na: yes\n", "%TAG !e! tag:example.com,2000:\n---\na: 1\n",
    "a: 1\n---\nb: 2\n", "--- a\n--- b\n", "a: 1\n...\n",
    "a: [1\n", "a: 'x\n", "a: b: c\n", "a:\n- 1\n - 2\n", "- a\nb: 1\n", "a: \"\\q\"\n", "[1, 2]]\n",
    "a: [" * 1 + "]\n", "a: " + "[" * 23 + "]" * 23 + "\n", "a: " + "[" * 24 + "]" * 24 + "\n",
    "a: " + "[" * 30 + "]" * 30 + "\n", "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 30)),
    "a: -\nb: - x\n", "a: '09:30'\nb: \"2026-01-01\"\n", "名字: 张伟\n电话: '+86 138 0000 0000'\n",
    "a: 1 # comment\n# end\n", "a: 'it''s'\nb: \"tab\\tand\\u00e9\"\n", "a: 12345678901234567890123\n",
]


@pytest.mark.parametrize("text", CORNERS)
def test_corner_cases_read_and_refused_the_same(text):
    same(text)
    same(text, 2)  # and with a small nesting cap


# Pieces of YAML, some valid, some not: their random sequences reach parser errors,
# refusals and odd data alike.
PIECES = ["a", "b", "1", "0x1F", "~", "true", "'q'", '"d"', ": ", ":", "\n", "  ", "- ", "[", "]", "{", "}", ", ",
          "? ", "&x ", "*x", "!!str ", "!t ", "---\n", "...\n", "%YAML 1.2\n", "|\n", ">\n", "# c", "10:00",
          "2026-11-23", ".inf", "null", "张伟", "'", '"']


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24))
def test_random_documents_read_and_refused_the_same(pieces):
    same("".join(pieces))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_a_plain_scalar_starting_with_another_character_is_text(text):
    if text and text[0] not in fastyaml.MAYBE_NOT_TEXT:
        assert fastyaml.resolve_plain(text) == text and type(fastyaml.resolve_plain(text)) is str


# The one regular expression check_text used before it was split in two scans.
_BEFORE = re.compile("[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|\r(?!\n)")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab\n\r\t\x85\u2028\ufeff\x00 张"), max_size=16))
def test_the_first_forbidden_character_is_the_one_found_before(text):
    found = _BEFORE.search(text)
    assert fastyaml._first_forbidden(text) == (found.start() if found else -1)


@pytest.mark.parametrize("custom, kept", [
    ("{n: 3, f: 2.5, when: 2026-01-02, l: [1, {k: v}], u: 18446744073709551615}", True),
    ("{x: .nan}", False), ("{x: [1, .inf]}", False), ("{t: [1, [2]]}", True),
    ("{big: 12345678901234567890123}", False),  # a row would read it back as a float
])
def test_rows_keep_custom_values_only_when_they_read_back_equal(custom, kept):
    from kacard.cards import brief, index
    from kacard.cards.cache import Record, decode_brief, encode
    from kacard.cards.parse import parse_card

    card, problems = parse_card("hz-c.yaml", f"id: hz-c\nname: C\nowner: lina\ncustom: {custom}\n".encode())
    assert card is not None, problems
    record = Record(brief.record(brief.of(card, 3)), index.record(card), brief.upkeep_record(brief.upkeep(card)))
    columns = encode(record, None)
    assert (columns is not None) == kept
    if kept:
        assert decode_brief(columns[0])[16] == card.custom


def test_with_the_direct_reader_off_every_text_goes_to_the_event_reader(monkeypatch):
    monkeypatch.setattr(fastevents._Setup, "ready", False)
    with pytest.raises(fastevents.Stop):
        fastevents.load("a: 1\n", 8)
    assert fastyaml.load("a: [1, '2']\n", 8) == {"a": [1, "2"]}
    with pytest.raises(fastyaml.EventError, match="duplicate"):
        fastyaml.load("a: 1\na: 2\n", 8)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab\n\r\t\x00\x1f\x7f\x80\x85\x9f\xa0\xb7\u2028\u2029\ufeff\ufffe\uffff"
                                        "\u4e2d\U0001f600 "), max_size=16),
       st.booleans())
def test_the_byte_look_never_misses_a_refused_character(text, bom):
    """check_text is skipped when maybe_forbidden finds nothing in the file's bytes."""
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    if fastyaml.has_forbidden(data.decode("utf-8-sig")):
        assert fastyaml.maybe_forbidden(data)
    if not fastyaml.maybe_forbidden(data):
        assert fastyaml._first_forbidden(data.decode("utf-8-sig")) == -1


@pytest.mark.parametrize("text", ["a: 1\tb\n", "a: x\u2028\n", "a: \ufeffx\n", "a: 1\rb: 2\n", "a: \x85\n"])
def test_a_refused_character_in_the_bytes_is_refused_with_its_position(text):
    data = text.encode("utf-8")
    with pytest.raises(fastyaml.EventError) as bytes_error:
        fastyaml.load(text, 24, data)
    with pytest.raises(fastyaml.EventError) as text_error:
        fastyaml.load(text, 24)
    assert (bytes_error.value.line, bytes_error.value.column) == (text_error.value.line, text_error.value.column)
