"""The fast event-based reader agrees with ruamel's safe loader on card-shaped data."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from kacard.cards import fastyaml

ROOT = Path(__file__).resolve().parents[1]

# Control characters (e.g. NEL) are left out: libyaml and ruamel's pure parser differ there.
text = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=20)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=True, width=64),
    text,
    st.sampled_from(["yes", "no", "on", "off", "09:00", "10:00", "0o14", "0x1F", "1_000", "1.2.3",
                     "~", "null", "True", "FALSE", ".inf", "-.inf", "+1", "-0", "1e3", "1.", "-", "'q'"]),
)
data = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text.filter(bool), inner, max_size=4)),
    max_leaves=20,
)


def _reference(text: str):
    return YAML(typ="safe", pure=True).load(text)


@given(st.dictionaries(text.filter(bool), data, max_size=5))
def test_agrees_with_ruamel_on_dumped_data(value):
    stream = io.StringIO()
    YAML(typ="safe", pure=True).dump(value, stream)
    text = stream.getvalue()
    try:
        ours = fastyaml.load(text, 64)
    except MarkedYAMLError:
        # libyaml is stricter than ruamel's pure emitter in a few corners (e.g. a plain
        # `:0` key in flow style): the user gets a positioned error, never wrong data.
        return
    assert ours == _reference(text) == value or _has_nan(value)


def _has_nan(value) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, dict):
        return any(_has_nan(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_nan(v) for v in value)
    return False


@pytest.mark.parametrize(
    "plain, expected",
    [("09:00", "09:00"), ("yes", "yes"), ("0o14", 12), ("0x1F", 31), ("1_000", 1000), ("~", None),
     ("True", True), (".nan", "nan"), ("2026-11-10", "2026-11-10"), ("1.5e3", 1500.0), ("-3", -3),
     ("1.2.3", "1.2.3"), ("+.inf", float("inf"))],
)
def test_plain_scalar_resolution(plain, expected):
    value = fastyaml.load(f"k: {plain}\n", 8)["k"]
    if expected == "nan":
        assert math.isnan(value)
    else:
        assert value == expected and type(value) is type(expected)


def test_sample_cards_read_the_same_as_ruamel():
    for path in sorted((ROOT / "cards").glob("*.yaml")):
        text = path.read_text("utf-8")
        reference = _reference(text)
        ours = fastyaml.load(text, 64)
        assert ours == _stringify_dates(reference), path.name


def _stringify_dates(value):
    import datetime as dt

    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _stringify_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify_dates(v) for v in value]
    return value


@pytest.mark.parametrize("text, words", [
    ("a: &x 1\nb: *x\n", "anchors and aliases"),
    ("a: !!python/name:os.system x\n", "tags are not allowed"),
    ("a: !custom x\n", "tags are not allowed"),
    ("a: 1\n---\nb: 2\n", "one YAML document"),
    ("? [a, b]\n: 1\n", "keys must be plain"),
    ("a: 1\nb: 2\na: 3\n", 'duplicate key "a"'),
])
def test_refusals(text, words):
    with pytest.raises(fastyaml.EventError, match=words.replace("[", r"\[")):
        fastyaml.load(text, 8)


def test_depth_cap():
    with pytest.raises(fastyaml.EventError, match="too deep"):
        fastyaml.load("a: " + "[" * 30 + "]" * 30 + "\n", 24)
