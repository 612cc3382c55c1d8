"""What an imported column can fill: the targets of each row kind, their value types,
the headers kacard recognises for them and the value maps it starts a mapping with.

Row kinds (one sheet or CSV file holds one kind):

* `cards` — one row an account; targets are card paths (`name`, `credit.limit`,
  `location.lat`, `custom.X`) plus `contact.*` (one contact on the row) and `visit.*`
  (the last visit and the next one, as a 客户资料卡 keeps them);
* `contacts`, `trades`, `visits` — one row a record, linked to its account by the
  `account` target (an id or a company name).

Headers are matched after `header_key` (NFKC, lower case, no spaces or brackets'
units), so 「客户名称」, 「客户名称 」 and 「Name」 find their target. The Chinese
headers and value words are those of the usual 客户资料卡 templates and of the course
(seeds 000-003: 客户等级, 负责业务员, 信用额度, 账期, 拜访, 下一步的行动安排).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

KINDS = ("cards", "contacts", "trades", "visits")


@dataclass(frozen=True)
class Target:
    """One thing a column can fill. `type`: text, enum, date, time, money, int, float,
    bool, owner (a rep id or name), phone, email, list (split on 、,;), credit_code."""

    name: str
    type: str = "text"
    choices: tuple[str, ...] = ()
    personal: bool = False  # its values are never echoed in messages
    required: bool = False


def _targets(*items: Target) -> dict[str, Target]:
    return {t.name: t for t in items}


STATUS = ("prospect", "active", "dormant", "lost")
TIERS = ("S", "A", "B", "C")
VISIT_KINDS = ("visit", "call", "meeting", "event", "gift", "complaint")
ROLES = ("decision_maker", "influencer", "buyer", "user", "technical", "finance", "gatekeeper", "coach", "other")

_CONTACT_FIELDS = (
    Target("title"), Target("role", "enum", ROLES), Target("level", "enum", ("top", "middle", "operational")),
    Target("influence", "int"), Target("stance", "enum", ("ally", "neutral", "opponent", "unknown")),
    Target("phone", "phone", personal=True), Target("email", "email", personal=True),
    Target("birthday", "text", personal=True), Target("notes", "text", personal=True),
)

TARGETS: dict[str, dict[str, Target]] = {
    "cards": _targets(
        Target("id", "id"), Target("name", required=True), Target("status", "enum", STATUS),
        Target("owner", "owner"), Target("tier", "enum", TIERS), Target("industry"), Target("sector"),
        Target("region"), Target("address"), Target("location.lat", "float"), Target("location.lon", "float"),
        Target("since", "date"), Target("relationship", "enum", ("establish", "stabilize", "strengthen")),
        Target("credit.rating"), Target("credit.limit", "money"), Target("credit.terms_days", "int"),
        Target("purchasing.centralized", "bool"),
        Target("purchasing.pattern", "enum", ("recurring", "project", "one_off")),
        Target("purchasing.annual_budget", "money"), Target("tags", "list"),
        Target("custom.credit_code", "credit_code"), Target("custom.annual_sales", "money"),
        Target("contact.name"), *(Target("contact." + t.name, t.type, t.choices, t.personal) for t in _CONTACT_FIELDS),
        Target("visit.date", "date"), Target("visit.summary"), Target("visit.next_date", "date"),
        Target("visit.next_action"), Target("ignore"),
    ),
    "contacts": _targets(Target("account", required=True), Target("name", required=True), *_CONTACT_FIELDS,
                         Target("ignore")),
    "trades": _targets(
        Target("account", required=True), Target("date", "date", required=True), Target("invoice"),
        Target("amount", "money", required=True), Target("margin", "money"), Target("due", "date"),
        Target("paid", "date"), Target("ignore"),
    ),
    "visits": _targets(
        Target("account", required=True), Target("date", "date", required=True), Target("by", "owner"),
        Target("kind", "enum", VISIT_KINDS), Target("with", "list"), Target("summary"),
        Target("next_date", "date"), Target("next_time", "time"), Target("next_action"), Target("no_next"),
        Target("ignore"),
    ),
}


def target_of(kind: str, name: str) -> Target | None:
    """The target `name` of a row kind; `custom.X` is a free text target on cards."""
    found = TARGETS[kind].get(name)
    if found is None and kind == "cards" and name.startswith("custom.") and len(name) > 7:
        return Target(name)
    return found


_UNIT_RE = re.compile(r"[(\[（【].*?[)\]）】]")


def header_key(text: str) -> str:
    """A header as it is matched: NFKC (full-width → half-width), lower case, without
    spaces, `*` (required marks) and bracketed units (「信用额度（元）」 → 「信用额度」)."""
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    text = _UNIT_RE.sub("", text)
    return re.sub(r"[\s*:：_]+", "", text)


def header_scale(text: str) -> int:
    """10,000 when a header gives its unit in 万 (「年销售额（万元）」), else 1."""
    units = "".join(_UNIT_RE.findall(unicodedata.normalize("NFKC", str(text))))
    return 10_000 if "万" in units else 1


# Headers per row kind: target <- header words (matched after header_key). English
# names are those of `kacard export` (so an exported workbook imports back).
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "cards": {
        "id": ("id", "客户编号", "客户编码", "客户代码", "编号", "客户id"),
        "name": ("name", "客户名称", "公司名称", "单位名称", "企业名称", "客户", "客户全称", "公司"),
        "status": ("status", "客户状态", "状态", "合作状态"),
        "owner": ("owner", "负责业务员", "业务员", "负责人", "客户经理", "销售", "销售代表", "跟进人"),
        "tier": ("tier", "客户等级", "等级", "客户级别", "级别", "客户分类"),
        "industry": ("industry", "行业", "所属行业"),
        "sector": ("sector", "企业性质", "单位性质", "性质", "所有制"),
        "region": ("region", "区域", "地区", "所在地区", "片区"),
        "address": ("address", "地址", "详细地址", "公司地址", "单位地址"),
        "location.lat": ("lat", "纬度"),
        "location.lon": ("lon", "lng", "经度"),
        "since": ("since", "合作开始", "合作开始日期", "建档日期", "首次合作", "开户日期"),
        "relationship": ("relationship", "关系阶段"),
        "credit.rating": ("credit_rating", "信用等级", "信用评级"),
        "credit.limit": ("credit_limit", "信用额度", "授信额度", "赊销额度"),
        "credit.terms_days": ("credit_terms_days", "账期", "账期天数", "付款期限", "结算周期"),
        "purchasing.centralized": ("centralized", "统一采购", "集中采购"),
        "purchasing.pattern": ("purchasing_pattern", "采购模式", "采购方式"),
        "purchasing.annual_budget": ("annual_budget", "年采购额", "年采购预算", "采购预算"),
        "tags": ("tags", "标签"),
        "custom.credit_code": ("credit_code", "统一社会信用代码", "信用代码", "社会信用代码"),
        "custom.annual_sales": ("annual_sales", "年销售额", "年营业额"),
        "contact.name": ("联系人", "联系人姓名", "姓名"),
        "contact.title": ("职务", "职位", "联系人职务"),
        "contact.phone": ("电话", "手机", "联系电话", "手机号", "联系人电话"),
        "contact.email": ("邮箱", "电子邮箱", "email"),
        "visit.date": ("最近拜访", "最近拜访日期", "上次拜访", "最后拜访"),
        "visit.summary": ("拜访内容", "拜访纪要", "拜访记录"),
        "visit.next_date": ("下次拜访", "下次拜访日期", "计划拜访"),
        "visit.next_action": ("下一步", "下一步行动", "下一步计划", "下一步的行动安排"),
        "ignore": ("contacts", "visits", "trades", "last_visit", "序号"),
    },
    "contacts": {
        "account": ("card_id", "account", "客户名称", "客户", "公司名称", "单位名称", "客户编号"),
        "name": ("name", "姓名", "联系人", "联系人姓名"),
        "title": ("title", "职务", "职位"),
        "role": ("role", "角色", "采购角色"),
        "level": ("level", "层级", "级别"),
        "influence": ("influence", "影响力"),
        "stance": ("stance", "态度", "立场"),
        "phone": ("phone", "电话", "手机", "联系电话", "手机号"),
        "email": ("email", "邮箱", "电子邮箱"),
        "birthday": ("birthday", "生日"),
        "notes": ("notes", "备注"),
        "ignore": ("序号",),
    },
    "trades": {
        "account": ("card_id", "account", "客户名称", "客户", "公司名称", "单位名称", "客户编号"),
        "date": ("date", "日期", "开票日期", "发票日期", "交易日期"),
        "invoice": ("invoice", "发票号", "发票号码", "单号", "订单号"),
        "amount": ("amount", "金额", "开票金额", "发票金额", "销售额"),
        "margin": ("margin", "毛利", "毛利额"),
        "due": ("due", "到期日", "应收日期", "应付款日期"),
        "paid": ("paid", "回款日期", "付款日期", "收款日期"),
        "ignore": ("序号",),
    },
    "visits": {
        "account": ("card_id", "account", "客户名称", "客户", "公司名称", "单位名称", "客户编号"),
        "date": ("date", "日期", "拜访日期", "拜访时间"),
        "by": ("by", "业务员", "拜访人", "负责业务员", "拜访业务员"),
        "kind": ("kind", "方式", "拜访方式", "类型", "拜访类型"),
        "with": ("with", "拜访对象", "接待人", "见面人", "联系人"),
        "summary": ("summary", "内容", "拜访内容", "纪要", "拜访纪要", "拜访记录"),
        "next_date": ("next_date", "下次日期", "下次拜访", "下次拜访日期"),
        "next_time": ("next_time", "下次时间"),
        "next_action": ("next_action", "下一步", "下一步行动", "下一步的行动安排"),
        "no_next": ("no_next", "无下一步原因"),
        "ignore": ("序号",),
    },
}

# Sheet (or file) names that say which kind of rows a sheet holds.
SHEET_WORDS: dict[str, tuple[str, ...]] = {
    "contacts": ("contacts", "联系人"),
    "trades": ("trades", "交易", "开票", "发票", "订单", "销售记录"),
    "visits": ("visits", "拜访", "走访"),
    "cards": ("cards", "客户", "资料"),
}

# Value words a new mapping starts with, per target (the user's own words are added in
# the mapping's `values:`). Keys are matched after NFKC and strip.
VALUE_WORDS: dict[str, dict[str, object]] = {
    "tier": {"S类": "S", "A类": "A", "B类": "B", "C类": "C", "重点": "A", "一般": "B"},
    "status": {"潜在": "prospect", "意向": "prospect", "合作中": "active", "正常": "active", "活跃": "active",
               "休眠": "dormant", "沉睡": "dormant", "流失": "lost", "已流失": "lost"},
    "bool": {"是": True, "否": False, "有": True, "无": False, "√": True, "×": False},
    "kind": {"拜访": "visit", "上门": "visit", "上门拜访": "visit", "电话": "call", "会议": "meeting",
             "活动": "event", "送礼": "gift", "投诉": "complaint"},
    "role": {"决策者": "decision_maker", "影响者": "influencer", "采购": "buyer", "使用者": "user",
             "技术": "technical", "财务": "finance", "把关者": "gatekeeper", "教练": "coach", "内线": "coach",
             "其他": "other"},
    "level": {"高层": "top", "中层": "middle", "基层": "operational", "操作层": "operational"},
    "stance": {"支持": "ally", "中立": "neutral", "反对": "opponent", "未知": "unknown"},
    "relationship": {"建立": "establish", "稳固": "stabilize", "加强": "strengthen"},
    "purchasing.pattern": {"持续采购": "recurring", "项目采购": "project", "一次性": "one_off"},
}


def value_words(target: Target) -> dict[str, object]:
    """The starting value map of a target (by its last name part, or `bool`)."""
    if target.type == "bool":
        return dict(VALUE_WORDS["bool"])
    base = target.name.split(".", 1)[-1] if target.name.startswith(("contact.", "visit.")) else target.name
    return dict(VALUE_WORDS.get(base, {}))


def match_header(kind: str, header: str) -> str | None:
    """The target a header names for a row kind (None: not recognised)."""
    key = header_key(header)
    if not key:
        return None
    for target, words in ALIASES[kind].items():
        if key in (header_key(w) for w in words):
            return target
    # a two-row header "联系人/电话": the lower part decides
    if "/" in key:
        return match_header(kind, key.rsplit("/", 1)[1])
    return None
