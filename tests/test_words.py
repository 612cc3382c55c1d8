"""Every enumerated code people see has a word in both languages, from the one table behind
`kacard.i18n.label` (kacard.i18n.words); `show`, `list` and the site print the words, while
JSON keeps the codes."""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from kacard import i18n
from kacard.cards import aliases
from kacard.cards.model.card import Card
from kacard.i18n.words import CONTEXT_OF_KIND, WORDS

NOT_WORDS = {"bool", "tier"}  # 是/否 input words; tiers are letters (S/A/B/C) in every language


def _enums(model: type[BaseModel], seen: set[type] | None = None) -> set[tuple[str, str]]:
    """(alias kind, value) of every Literal in the model and the models inside it, found by
    walking the type annotations (a new Literal value or a new enum field shows up here)."""
    seen = seen if seen is not None else set()
    found: set[tuple[str, str]] = set()
    if model in seen:
        return found
    seen.add(model)

    def walk(tp: typing.Any, kind: str | None) -> None:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            base, *extra = typing.get_args(tp)
            named = next((m.kind for m in extra if isinstance(m, aliases.Aliased)), kind)
            walk(base, named)
        elif origin is typing.Literal:
            found.update((kind or "?", str(v)) for v in typing.get_args(tp))
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            found.update(_enums(tp, seen))
        else:
            for arg in typing.get_args(tp):
                walk(arg, kind)

    for field in model.model_fields.values():  # pydantic keeps a field's own Annotated extras in metadata
        walk(field.annotation, next((m.kind for m in field.metadata if isinstance(m, aliases.Aliased)), None))
    return found


def test_the_walk_finds_the_card_models_enumerations() -> None:
    kinds = {kind for kind, _ in _enums(Card)}
    assert {"status", "stage", "visit_kind", "signal_kind", "contact_role", "level", "stance",
            "relationship", "pattern", "weekday"} <= kinds
    assert {value for kind, value in _enums(Card) if kind == "?"} == {"S", "A", "B", "C"}, "only tiers are unnamed"


def _every_value() -> list[tuple[str, str]]:
    values = {(kind, value) for kind, value in _enums(Card) if kind not in NOT_WORDS and kind != "?"}  # ? = tier
    values |= {(kind, value) for kind in aliases.FREE_TEXT for value in aliases.english_values(kind)}
    return sorted(values)


@pytest.mark.parametrize(("kind", "value"), _every_value())
def test_every_enum_value_of_the_card_model_has_a_word_in_both_languages(kind: str, value: str) -> None:
    context = CONTEXT_OF_KIND.get(kind, kind)
    assert value in WORDS.get(context, {}), f"add {value!r} to WORDS[{context!r}] in kacard/i18n/words.py"
    with i18n.speaking("en"):
        english = i18n.label(context, value)
    with i18n.speaking("zh"):
        chinese = i18n.label(context, value)
    assert "_" not in english and english == english.strip(), english
    assert re.search(r"[\u4e00-\u9fff]", chinese), f"no Chinese for {context} {value!r}: {chinese!r}"


def test_a_value_outside_the_table_is_shown_as_it_is() -> None:
    with i18n.speaking("zh"):
        assert i18n.label("industry", "燃气") == "燃气"
        assert i18n.label("industry", "semiconductors") == "semiconductors"
    assert i18n.label("role", None) == ""


CARD = """\
id: hz-words
name: 杭州词语科技有限公司
status: dormant
owner: zhangwei
industry: fmcg
sector: public_institution
relationship: stabilize
purchasing: {centralized: true, pattern: one_off}
credit: {rating: A, limit: 100000, terms_days: 60}
contacts:
  - {name: 王建国, title: 总经理, role: decision_maker, level: top, influence: 5, stance: opponent}
  - {name: 李明, role: gatekeeper, level: operational, influence: 2, stance: unknown}
opportunities:
  - {id: p1, title: 包装线, stage: negotiation, amount: 500000, close: 2027-01-31}
visits:
  - {date: 2026-11-10, kind: complaint, with: [王建国], summary: 投诉交期,
     next: {date: 2026-11-30, action: 回访}}
signals:
  - {date: 2026-11-15, kind: procurement_change, note: 改为集中招标}
"""

CODES = ("decision_maker", "public_institution", "terms_days", "procurement_change", "fmcg")
WORDS_EN = ("decision maker", "public institution", "payment terms (days)", "procurement change",
            "consumer goods", "gatekeeper", "opponent", "negotiation", "complaint", "dormant")
WORDS_ZH = ("决策人", "科教文卫事业单位", "账期天数", "调整采购模式", "快消品", "守门人", "反对", "商务谈判",
            "投诉", "休眠")


@pytest.mark.parametrize(("lang", "words"), [("en", WORDS_EN), ("zh", WORDS_ZH)])
def test_show_prints_words_not_codes(kacard, write_card, lang: str, words: tuple[str, ...]) -> None:
    write_card("hz-words", CARD)
    result = kacard("show", "hz-words", "--lang", lang)
    assert result.exit_code == 0, result.output
    for word in words:
        assert word in result.output, (word, result.output)
    for code in CODES:
        assert code not in result.output, (code, result.output)


def test_json_keeps_the_codes(kacard, write_card) -> None:
    write_card("hz-words", CARD.replace("industry: fmcg", "industry: 快消品"))  # a Chinese word reads as its code
    for lang in ("en", "zh"):
        data = json.loads(kacard("show", "hz-words", "--format", "json", "--lang", lang).stdout)
        assert data["industry"] == "fmcg" and data["sector"] == "public_institution"
        assert [p["role"] for p in data["people"]] == ["decision_maker", "gatekeeper"]


@pytest.mark.parametrize(("lang", "status"), [("en", "dormant"), ("zh", "休眠")])
def test_list_and_the_site_print_words(kacard, write_card, tmp_path: Path, lang: str, status: str) -> None:
    write_card("hz-words", CARD)
    listed = kacard("list", "--lang", lang)
    assert re.search(rf"hz-words .* {status} ", listed.output), listed.output
    out = tmp_path / "site"
    assert kacard("site", "-o", str(out), "--lang", lang).exit_code == 0
    page = (out / "cards" / "hz-words.html").read_text("utf-8")
    for word, code in ((("decision maker", "决策人")[lang == "zh"], "decision_maker"),
                       (("consumer goods", "快消品")[lang == "zh"], "fmcg"),
                       (("negotiation", "商务谈判")[lang == "zh"], "negotiation" if lang == "zh" else "xx")):
        assert word in page and f">{code}<" not in page and f" {code} " not in page
