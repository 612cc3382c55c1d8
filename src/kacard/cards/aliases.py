"""Chinese words a team may write for every enumerated card value: one table, as data.

A card may say `status: 活跃`, `kind: 拜访` or `days: [周一, 周三]`; the models
(kacard.cards.model) turn each alias into its English value on reading, so everything after
them (the fast path of `list`/`due`, scoring, JSON output) sees only English values.
The JSON Schema lists the aliases too, so an editor completes them.

`ALIASES[kind][english]` is the tuple of Chinese words for one English value; the first
is the one kacard writes when a file uses Chinese (`label`). The words follow the course
(seeds 001–003: 决策人, 内线, 立项, 赢单, 建立/维系/巩固 of a relationship) and what
Chinese sales teams type in CRMs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "weekday": {
        "mon": ("周一", "星期一", "礼拜一"),
        "tue": ("周二", "星期二", "礼拜二"),
        "wed": ("周三", "星期三", "礼拜三"),
        "thu": ("周四", "星期四", "礼拜四"),
        "fri": ("周五", "星期五", "礼拜五"),
        "sat": ("周六", "星期六", "礼拜六"),
        "sun": ("周日", "星期日", "星期天", "周天", "礼拜天", "礼拜日"),
    },
    "status": {
        "active": ("活跃", "合作中"),
        "prospect": ("潜在", "潜在客户"),
        "dormant": ("休眠",),
        "lost": ("流失", "已流失"),
    },
    "visit_kind": {
        "visit": ("拜访", "上门拜访"),
        "call": ("电话", "电话拜访"),
        "meeting": ("会议", "开会"),
        "event": ("活动",),
        "gift": ("礼品", "送礼"),
        "complaint": ("投诉",),
    },
    "contact_role": {
        "decision_maker": ("决策人", "决策者"),
        "influencer": ("影响者", "影响人"),
        "buyer": ("采购",),
        "user": ("使用者", "用户"),
        "technical": ("技术",),
        "finance": ("财务",),
        "gatekeeper": ("守门人",),
        "coach": ("内线", "教练"),
        "other": ("其他",),
    },
    "level": {
        "top": ("高层",),
        "middle": ("中层",),
        "operational": ("基层", "操作层"),
    },
    "stance": {
        "ally": ("支持", "盟友"),
        "neutral": ("中立",),
        "opponent": ("反对",),
        "unknown": ("未知",),
    },
    "stage": {
        "development": ("开发",),
        "initiation": ("立项",),
        "proposal": ("提案",),
        "bidding": ("投标",),
        "negotiation": ("谈判",),
        "implementation": ("实施",),
        "won": ("赢单",),
        "lost": ("输单",),
    },
    "signal_kind": {
        "sharing_wallet": ("分羹", "分羹给更多企业"),
        "strategy_change": ("战略调整", "战略变化"),
        "procurement_change": ("采购调整", "调整采购模式"),
        "channel_conflict": ("渠道冲突",),
        "other": ("其他",),
    },
    "relationship": {
        "establish": ("建立",),
        "stabilize": ("维系", "稳定"),
        "strengthen": ("巩固", "加强"),
    },
    "pattern": {
        "recurring": ("持续", "持续采购"),
        "project": ("项目", "项目采购"),
        "one_off": ("一次性",),
    },
    # sector is free text (a team may add its own); these words read as the usual keys
    "sector": {
        "government": ("政府", "政府机关"),
        "soe": ("国企", "国有企业", "央企"),
        "foreign": ("外企", "外资企业"),
        "private": ("民企", "民营企业", "私企"),
        "public_institution": ("事业单位",),
        "finance": ("金融", "金融机构"),
    },
    # the 10/2 scorecard's criteria (seed 000: 大客户选择的"10/2"法则), for `kacard rate`;
    # the first word is the criterion's name in Chinese output (render/labels.py)
    "criterion": {
        "profit_share": ("利润占比", "利润"),
        "strategic_goals": ("对目标至关重要", "目标至关重要", "战略目标"),
        "loss_impact": ("离去影响业绩", "离去影响"),
        "long_term": ("长期稳定", "关系长期稳定"),
        "growth_potential": ("未来潜力", "潜力"),
        "time_invested": ("投入时间",),
        "product_fit": ("产品适合", "产品匹配"),
        "centralized_purchasing": ("统一采购", "集中采购"),
        "continuous_purchasing": ("持续采购",),
        "influence": ("品牌/政府影响力", "影响力"),
    },
    # industry is free text too; the usual industries read as their keys (one word per key:
    # a narrower word, 燃气 or 银行, stays the team's own value)
    "industry": {
        "manufacturing": ("制造业", "制造"),
        "fmcg": ("快消品", "快消", "快速消费品"),
        "retail": ("零售", "零售业"),
        "logistics": ("物流", "物流业"),
        "it": ("信息技术", "IT"),
        "healthcare": ("医疗", "医疗健康"),
        "government": ("政府", "政府机关"),
        "finance": ("金融", "金融业"),
        "energy": ("能源",),
        "education": ("教育",),
        "utilities": ("公用事业",),
        "culture": ("文化",),
        "textile": ("纺织", "纺织业"),
        "telecom": ("通信", "电信"),
        "chemicals": ("化工",),
        "construction": ("建筑", "建筑业"),
        "automotive": ("汽车",),
        "real_estate": ("房地产",),
        "food": ("食品",),
        "agriculture": ("农业",),
        "pharma": ("医药",),
    },
    "bool": {
        "true": ("是", "对"),
        "false": ("否", "不是"),
    },
}

# Chinese names of the `kacard filter` fields (kacard.analysis.query.FIELDS).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("编号", "客户编号"),
    "name": ("名称", "客户名称", "客户", "公司"),
    "status": ("状态", "客户状态"),
    "owner": ("负责人", "业务员", "销售", "客户经理"),
    "tier": ("等级", "级别", "客户等级"),
    "industry": ("行业",),
    "sector": ("性质", "企业性质", "所有制"),
    "region": ("区域", "地区", "片区"),
    "address": ("地址",),
    "relationship": ("关系", "关系阶段"),
    "since": ("合作起始", "建档日期"),
    "visit_minutes": ("拜访时长",),
    "tags": ("标签",),
    "revenue": ("营收", "收入", "销售额", "金额"),
    "margin": ("毛利",),
    "last_visit": ("最近拜访", "上次拜访"),
    "next_date": ("下一步日期", "下次拜访"),
    "contacts": ("联系人", "联系人数"),
    "receivable": ("应收", "应收款", "应收账款"),
}

_FIELD_OF: dict[str, str] = {word: english for english, words in FIELD_NAMES.items() for word in words}


def field_of(word: str) -> str | None:
    """The English field a Chinese field name (FIELD_NAMES) stands for, else None: `名称` → name.
    `kacard filter` reads these words as fields; a card's keys stay English (SPEC §2.2), and
    `validate` uses them only to say which English key was meant."""
    return _FIELD_OF.get(word.strip())


def field_words() -> list[str]:
    """Every Chinese field name, in table order."""
    return list(_FIELD_OF)


# Words people use for a filter field that are not its names (`amount`, 业绩): kacard does not
# read them as the field (they are ambiguous), but an unknown field close to one of them gets
# "did you mean" that field (kacard.analysis.condition_words.unknown_field).
FIELD_HINTS: dict[str, tuple[str, ...]] = {
    "name": ("company", "customer", "client", "account", "客户名", "单位", "公司名称"),
    "status": ("state",),
    "owner": ("rep", "sales_rep", "salesperson", "seller", "manager", "销售员", "跟进人", "业务经理"),
    "tier": ("level", "grade", "class", "rank", "category", "分类", "客户分类", "类别", "客户类别"),
    "region": ("area", "city", "location", "城市", "地区名"),
    "revenue": ("amount", "sales", "income", "turnover", "money", "业绩", "销量", "成交额", "销售收入"),
    "margin": ("profit", "gross_margin", "利润", "毛利润"),
    "last_visit": ("visit", "visited", "last_visit_date", "拜访", "拜访日期", "最后拜访"),
    "next_date": ("next", "next_step", "下一步", "下次"),
    "receivable": ("ar", "debt", "overdue", "欠款", "回款", "未回款"),
    "contacts": ("contact", "people", "联系人数量"),
    "since": ("start", "created", "开始合作"),
}

# Filter fields whose values are enumerated, and the alias table of each.
FIELD_VALUES: dict[str, str] = {"status": "status", "relationship": "relationship"}
# Filter fields whose Chinese words read as English values, other values being allowed too.
FIELD_WORDS: dict[str, str] = {"sector": "sector", "industry": "industry"}
# Kinds whose field is free text: the English values are suggestions, not a closed list.
FREE_TEXT = frozenset({"sector", "industry"})

# English value of every alias, per kind (and the identity for the English values).
_TO_ENGLISH: dict[str, dict[str, str]] = {
    kind: {word: english for english, words in table.items() for word in (english, *words)}
    for kind, table in ALIASES.items()
}


def to_english(kind: str, value: Any) -> Any:
    """The English value of `value` (an alias or the English word itself); anything else
    unchanged, for the model's own check to refuse with the list of allowed values."""
    if isinstance(value, str):
        return _TO_ENGLISH[kind].get(value.strip(), value)
    return value


def to_bool(value: Any) -> Any:
    """是/否 (and the other `bool` aliases) as True/False; anything else unchanged."""
    if isinstance(value, str):
        english = _TO_ENGLISH["bool"].get(value.strip())
        if english is not None:
            return english == "true"
    return value


def chinese(kind: str) -> list[str]:
    """Every Chinese word of `kind`, in table order (for the JSON Schema)."""
    return [word for words in ALIASES[kind].values() for word in words]


def label(kind: str, english: str) -> str:
    """The Chinese word kacard writes for `english` (the first alias), else `english`."""
    words = ALIASES[kind].get(english)
    return words[0] if words else english


def uses_chinese(kind: str, values: Iterable[Any]) -> bool:
    """Whether any of `values` (as written in a file) is a Chinese alias of `kind`."""
    table = _TO_ENGLISH[kind]
    return any(isinstance(v, str) and v.strip() in table and not v.strip().isascii() for v in values)


def english_values(kind: str) -> list[str]:
    return list(ALIASES[kind])


def closest(kind: str, value: str) -> str | None:
    """The English value `value` most likely meant (a typo, a prefix), else None."""
    import difflib

    table = _TO_ENGLISH[kind]
    text = value.strip().casefold()
    prefixed = sorted({english for word, english in table.items() if word.casefold().startswith(text)})
    if text and len(prefixed) == 1:
        return prefixed[0]
    close = difflib.get_close_matches(text, list(table), n=1, cutoff=0.6)
    return table[close[0]] if close else None


def normaliser(kind: str) -> Callable[[Any], Any]:
    """A pydantic before-validator turning `kind`'s aliases into English values."""

    table = _TO_ENGLISH[kind]

    def normalise(value: Any) -> Any:  # to_english(kind, value), one call less (it runs for every card)
        return table.get(value.strip(), value) if isinstance(value, str) else value

    return normalise


@dataclass(frozen=True)
class Aliased:
    """Annotation of an enumerated field that also reads `kind`'s Chinese words:
    `Annotated[Literal["active", ...], Aliased("status")]`. Before the Literal's check,
    an alias becomes its English value; the JSON Schema lists both, so editors complete
    either. `Aliased("bool")` on a bool reads 是/否."""

    kind: str

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        convert = to_bool if self.kind == "bool" else normaliser(self.kind)
        return core_schema.no_info_before_validator_function(convert, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        if self.kind == "bool":
            return {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": chinese("bool")}]}
        if self.kind in FREE_TEXT:
            return {**handler(schema), "examples": [*english_values(self.kind), *chinese(self.kind)]}
        return {"type": "string", "enum": [*english_values(self.kind), *chinese(self.kind)]}
