#!/usr/bin/env python3
"""Generate a fictional kacard card folder (客户资料卡) around Hangzhou.

Deterministic: the same --seed, --count, --today and --card-kb give the same bytes.
The YAML is written as text (no dumper), the way a person would write it: block
style, small mappings in flow style, a few comments, unquoted ISO dates, quoted
times. Everything is fictional: company names are invented, phones are
``+86 138 0000 xxxx``, e-mails are ``@example.com``.

Usage::

    python benchmarks/make_cards.py OUT_DIR --count 40 --seed 7 --today 2026-11-23
    python benchmarks/make_cards.py /tmp/big --count 10000 --card-kb 11   # ~11 KB cards

or, with benchmarks/ on sys.path::

    from make_cards import write_folder
    write_folder("/tmp/cards", count=40, seed=7, today=datetime.date(2026, 11, 23))

Each account gets a *role* that decides what the week of ``today`` looks like for it
(next step due this week, fixed appointment, missed next step, no next step, stale,
overdue receivable, unanswered churn signal, prospect never visited, dormant, lost,
or simply well looked after); see ROLE_SHARES.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from random import Random

SCHEMA_HINT = "# yaml-language-server: $schema={up}.schema/card.schema.json"
SETTINGS_FILE = "kacard.yaml"
DEFAULT_TODAY = dt.date(2026, 11, 23)

# fmt: off
# --------------------------------------------------------------------------------------
# The team (fictional). Bases: Wulin Square, Binjiang, Xiaoshan.

TEAM = [
    {"id": "zhangwei", "name": "张伟", "base": (30.2712, 120.1636, "杭州办事处（武林广场）")},
    {"id": "lina", "name": "李娜", "base": (30.2093, 120.2118, "滨江办公室（江南大道）")},
    {"id": "chenjie", "name": "陈杰", "base": (30.1826, 120.2647, "萧山办公室（市心中路）")},
]
MANAGER = {"id": "wangfang", "name": "王芳"}

# district -> (centre lat, centre lon, jitter in degrees, reps who cover it)
DISTRICTS = {
    "西湖区": (30.2850, 120.1060, 0.014, ["zhangwei", "lina"]),
    "拱墅区": (30.3190, 120.1450, 0.013, ["zhangwei"]),
    "上城区": (30.2620, 120.1950, 0.012, ["zhangwei"]),
    "余杭区": (30.2880, 120.0160, 0.013, ["lina", "zhangwei"]),
    "临平区": (30.4180, 120.3000, 0.012, ["chenjie", "zhangwei"]),
    "滨江区": (30.2010, 120.1980, 0.010, ["lina"]),
    "富阳区": (30.1560, 120.0380, 0.007, ["lina"]),
    "萧山区": (30.1780, 120.2720, 0.012, ["chenjie"]),
    "钱塘区": (30.3060, 120.3500, 0.013, ["chenjie"]),
}
ROADS = {  # real road names; the house numbers are random, so the addresses are fictional
    "西湖区": ["文三路", "天目山路", "西溪路", "古墩路", "文二西路"],
    "拱墅区": ["莫干山路", "湖州街", "丽水路", "登云路", "石祥路"],
    "上城区": ["解放东路", "秋涛路", "庆春东路", "望江东路", "江锦路"],
    "余杭区": ["文一西路", "五常大道", "良睦路", "龙潭路"],
    "临平区": ["临平大道", "世纪大道", "东湖南路", "星桥北路"],
    "滨江区": ["江南大道", "滨盛路", "江陵路", "长河路", "六和路"],
    "富阳区": ["金桥北路", "富闲路", "银湖中路"],
    "萧山区": ["市心中路", "金城路", "建设一路", "通惠中路", "鸿达路"],
    "钱塘区": ["下沙路", "文泽路", "学林街", "海达南路", "6号大街"],
}
DISTRICT_WEIGHTS = {"西湖区": 5, "拱墅区": 4, "上城区": 4, "余杭区": 4, "临平区": 2,
                    "滨江区": 6, "富阳区": 2, "萧山区": 6, "钱塘区": 4}

# --------------------------------------------------------------------------------------
# Invented company names. Brands are (hanzi, pinyin slug).

BRANDS_CN = [
    ("星河", "xinghe"), ("澄湖", "chenghu"), ("云湖", "yunhu"), ("明江", "mingjiang"),
    ("禾谷", "hegu"), ("远帆", "yuanfan"), ("青川", "qingchuan"), ("恒屿", "hengyu"),
    ("嘉澜", "jialan"), ("昱辰", "yuchen"), ("锦川", "jinchuan"), ("溪岚", "xilan"),
    ("栖桐", "qitong"), ("拓岭", "tuoling"), ("知岸", "zhian"), ("澜石", "lanshi"),
    ("青禾", "qinghe"), ("衡川", "hengchuan"), ("映山", "yingshan"), ("朗越", "langyue"),
    ("沐泽", "muze"), ("江枫", "jiangfeng"), ("松岚", "songlan"), ("启澄", "qicheng"),
    ("鸿渚", "hongzhu"), ("望潮", "wangchao"), ("织锦", "zhijin"), ("汀兰", "tinglan"),
    ("瀚墨", "hanmo"), ("苍梧", "cangwu"), ("鹿鸣", "luming"), ("越棠", "yuetang"),
    ("晴岚", "qinglan"), ("钱潮", "qianchao"), ("丰谷", "fenggu"), ("云屏", "yunping"),
    ("蓝汐", "lanxi"), ("北辰", "beichen"), ("铭川", "mingchuan"), ("禾丰", "hefeng"),
]
BRANDS_EN = [
    "Westlake", "Nordwind", "Bluepeak", "Kestrelbay", "Halvard", "Lindqvist", "Corvane",
    "Aldermoor", "Silvercrest", "Tidewater", "Brightfield", "Ostmark", "Fennick", "Marlowe",
]

# kind -> list of (industry, name word or template, slug word, weight)
# For private companies the name is 杭州/浙江 + brand + word + suffix.
PRIVATE_WORDS = [
    ("manufacturing", "纺织", "textile"), ("manufacturing", "精密机械", "precision"),
    ("manufacturing", "汽车零部件", "autoparts"), ("manufacturing", "电子", "electronics"),
    ("manufacturing", "包装", "packaging"), ("manufacturing", "新材料", "materials"),
    ("manufacturing", "电机", "motor"), ("manufacturing", "智能装备", "equipment"),
    ("fmcg", "食品", "foods"), ("fmcg", "饮品", "beverage"), ("fmcg", "茶业", "tea"),
    ("fmcg", "日化", "dailychem"), ("retail", "连锁超市", "supermarket"),
    ("retail", "商贸", "trading"), ("retail", "百货", "department-store"),
    ("healthcare", "医疗器械", "meditech"), ("healthcare", "生物医药", "biopharma"),
    ("logistics", "物流", "logistics"), ("logistics", "冷链物流", "coldchain"),
    ("logistics", "供应链管理", "supply-chain"), ("it", "数据科技", "data"),
    ("it", "软件", "software"),
]
PRIVATE_SUFFIXES = ["有限公司", "有限公司", "股份有限公司", "集团有限公司"]
FOREIGN_WORDS = [
    ("manufacturing", "Robotics", "robotics"), ("manufacturing", "Automation", "automation"),
    ("manufacturing", "Precision Components", "precision"),
    ("manufacturing", "Packaging Systems", "packaging"),
    ("healthcare", "Medical Devices", "medical"), ("healthcare", "Biotech", "biotech"),
    ("fmcg", "Foods", "foods"), ("logistics", "Logistics", "logistics"),
    ("manufacturing", "Electronics", "electronics"),
]
SOE_TEMPLATES = [
    ("construction", "杭州{b}城市建设投资集团有限公司", "urban-invest"),
    ("logistics", "杭州{b}交通发展集团有限公司", "transport"),
    ("utilities", "杭州{b}水务有限公司", "water"),
    ("energy", "杭州{b}燃气集团有限公司", "gas"),
]
GOVERNMENT_TEMPLATES = [
    ("government", "杭州{b}新区管理委员会", "admin"),
    ("government", "杭州{b}科技园管理服务中心", "park-service"),
    ("government", "杭州{b}港区综合服务中心", "port-service"),
]
INSTITUTION_TEMPLATES = [
    ("healthcare", "杭州{b}康复医院", "hospital"),
    ("education", "杭州{b}职业技术学院", "college"),
    ("education", "杭州{b}职业技术学院", "college"),
    ("culture", "杭州{b}科技馆", "science-museum"),
    ("education", "杭州{b}实验学校", "school"),
]
FINANCE_TEMPLATES = [
    ("finance", "浙江{b}银行杭州分行", "bank"),
    ("finance", "{b}财产保险股份有限公司浙江分公司", "insurance"),
    ("finance", "杭州{b}融资租赁有限公司", "leasing"),
]
SECTOR_WEIGHTS = {"private": 55, "foreign": 15, "soe": 9, "government": 7,
                  "public_institution": 9, "finance": 5}

# --------------------------------------------------------------------------------------
# People (fictional names).

SURNAMES = [
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("赵", "zhao"), ("黄", "huang"), ("周", "zhou"), ("吴", "wu"), ("徐", "xu"), ("孙", "sun"),
    ("胡", "hu"), ("朱", "zhu"), ("高", "gao"), ("林", "lin"), ("何", "he"), ("郭", "guo"),
    ("马", "ma"), ("罗", "luo"), ("沈", "shen"), ("钱", "qian"), ("蒋", "jiang"), ("俞", "yu"),
    ("方", "fang"), ("叶", "ye"), ("邵", "shao"), ("金", "jin"), ("韩", "han"), ("潘", "pan"),
]
GIVEN_NAMES = [
    ("建国", "jianguo"), ("静", "jing"), ("伟民", "weimin"), ("晓燕", "xiaoyan"),
    ("海涛", "haitao"), ("丽华", "lihua"), ("志强", "zhiqiang"), ("婷", "ting"),
    ("国平", "guoping"), ("雪梅", "xuemei"), ("俊杰", "junjie"), ("敏", "min"),
    ("文斌", "wenbin"), ("佳怡", "jiayi"), ("振华", "zhenhua"), ("秀英", "xiuying"),
    ("浩然", "haoran"), ("春燕", "chunyan"), ("立新", "lixin"), ("颖", "ying"),
    ("鹏飞", "pengfei"), ("慧敏", "huimin"), ("宏伟", "hongwei"), ("琳", "lin"),
    ("子轩", "zixuan"), ("红梅", "hongmei"), ("永强", "yongqiang"), ("欣怡", "xinyi"),
    ("建华", "jianhua"), ("倩", "qian"),
]
FOREIGN_PEOPLE = [
    "Thomas Becker", "Anna Lindgren", "Marco Rossi", "Sarah Mitchell", "Kenji Watanabe",
    "Julia Novak", "Pieter de Vries", "Emily Carter", "Lars Eriksson", "Hannah Weber",
]

ROLE_TITLES = {
    "decision_maker": ["总经理", "副总经理", "采购总监", "运营总监"],
    "influencer": ["技术总监", "生产部经理", "质量部经理", "信息中心主任"],
    "buyer": ["采购经理", "采购主管", "采购专员"],
    "user": ["车间主任", "设备科科长", "仓储主管", "行政经理"],
    "technical": ["设备工程师", "IT经理", "工艺工程师"],
    "finance": ["财务经理", "财务总监", "会计主管"],
    "gatekeeper": ["总经理助理", "行政前台", "办公室文员"],
    "coach": ["采购部副经理", "技术部主管"],
}
SECTOR_DECISION_TITLES = {
    "government": ["副主任", "办公室主任"],
    "public_institution": ["副院长", "后勤处处长", "设备处处长"],
    "finance": ["副行长", "行政部总经理"],
    "soe": ["副总经理", "物资部部长"],
    "foreign": ["General Manager", "Plant Director", "Head of Procurement"],
}
ROLE_LEVEL = {
    "decision_maker": "top", "influencer": "middle", "buyer": "middle", "user": "operational",
    "technical": "operational", "finance": "middle", "gatekeeper": "operational",
    "coach": "middle",
}
STANCE_WEIGHTS = {"ally": 35, "neutral": 40, "opponent": 10, "unknown": 15}
CONTACT_NOTES = [
    "关注交付周期", "喜欢喝龙井，周三下午较空", "决策前会征求技术部意见", "对价格敏感",
    "绍兴人，老乡话题好聊", "孩子明年高考，近期较忙", "与竞争对手关系较近，需多沟通",
    "我方内线，会提前透露采购计划", "重视售后响应速度", "习惯微信沟通，电话常不接",
    "去年刚从集团总部调来", "喜欢看数据，汇报要带报表", "爱好钓鱼", "周一上午例会，避开",
]

# --------------------------------------------------------------------------------------
# Visits, next steps, opportunities, signals.

VISIT_SUMMARIES = {
    "visit": [
        "拜访{c}，了解明年产能扩充计划，客户关注交付周期",
        "与{c}沟通年度框架协议续签，对价格仍有顾虑",
        "送样机试用，{c}反馈操作简便，需补充维保条款",
        "拜访{c}，介绍新一代产品，对能耗指标感兴趣",
        "现场查看设备运行情况，{c}提出两处改进意见",
        "与{c}核对上季度交货及质量问题，整体满意",
        "拜访采购部，{c}透露明年预算将上调约一成",
        "对账，核对未付发票，{c}承诺月底前安排付款",
    ],
    "call": [
        "电话回访{c}，确认上批货物验收情况",
        "电话沟通交货时间，{c}希望提前一周到货",
        "{c}来电询问备件价格，已发报价",
        "电话跟进方案反馈，{c}说领导还在看",
    ],
    "meeting": [
        "技术交流会，{c}带队，重点讨论设备能耗指标",
        "商务谈判：付款方式和质保期，客户要求质保延长至24个月",
        "方案汇报会，{c}及技术部参加，反馈积极",
        "讨论招标文件技术参数，争取写入我方优势指标",
    ],
    "event": [
        "邀请{c}参加我司新品发布会，现场交流顺利",
        "陪同客户参观我司工厂，{c}对质量体系印象良好",
        "参加客户供应商大会，了解其明年采购策略",
    ],
    "gift": [],  # seasonal: see GIFT_SUMMARIES
    "complaint": [
        "处理客户投诉：上月交货延迟三天，已致歉并说明原因",
        "处理投诉：一批包材破损，已安排补货并承担运费",
    ],
}
GIFT_SUMMARIES = {  # month -> what a gift visit is about
    1: "春节前拜年，送公司台历和茶叶", 2: "春节后拜年，了解客户全年计划",
    5: "端午节送粽子，顺便了解采购部人事变动", 6: "端午节送粽子，顺便了解采购部人事变动",
    9: "中秋节送月饼，了解客户四季度采购安排", 10: "国庆后回访送礼，了解四季度采购安排",
}
VISIT_KIND_WEIGHTS = {"visit": 55, "call": 20, "meeting": 12, "event": 5, "gift": 4, "complaint": 4}
NEXT_ACTIONS = [
    "带工程师现场讲解", "提交正式报价单", "送样机试用", "邀请客户参观公司", "寄送新产品资料",
    "安排技术交流会", "确认交货计划", "对账并催收货款", "拜访采购总监", "跟进招标公告",
    "回访使用情况", "提交解决方案初稿", "约财务经理确认付款", "请客户参加新品发布会",
]
FIXED_ACTIONS = ["方案汇报会", "与采购总监商务谈判", "带工程师现场调试", "年度合作回顾会"]
LATER_ACTIONS = ["明年一月预算确定后再联系", "春节前拜访并确认明年计划", "等客户新厂区竣工后再约"]

OPPORTUNITY_TITLES = {
    "manufacturing": [
        "二期产线自动化改造", "年度备件框架采购", "新厂区设备配套", "MES系统升级", "三号线包装设备",
    ],
    "fmcg": ["新品包材采购", "冷库扩建", "华东仓配一体化", "年度促销物料"],
    "retail": ["门店改造设备采购", "收银系统升级", "年度自有品牌包材"],
    "healthcare": ["门诊楼设备更新", "耗材年度集采", "洁净车间改造"],
    "education": ["智慧校园二期", "实训中心设备采购", "图书馆改造"],
    "logistics": ["分拨中心自动分拣", "冷链车队温控设备", "仓储管理系统升级"],
    "government": ["园区安防升级", "政务大厅设备更新", "年度办公设备集中采购"],
    "finance": ["网点智能设备更新", "数据中心机房改造"],
    "construction": ["新建项目配套设备", "工地安全监测系统"],
    "utilities": ["管网监测设备采购", "水厂自动化改造"],
    "energy": ["调压站监测设备", "智能燃气表集采"],
    "it": ["机房扩容", "研发中心设备采购"],
    "culture": ["展厅多媒体改造", "年度运维服务"],
}
OPEN_STAGES = ["development", "initiation", "proposal", "bidding", "negotiation", "implementation"]

SIGNAL_NOTES = {
    "sharing_wallet": ["开始向第二家供应商询价", "新增一家同类供应商，我方份额下降"],
    "strategy_change": ["集团宣布业务重组，本地工厂可能外迁", "客户计划转向自建产线"],
    "procurement_change": ["采购改为集团集中招标", "改为电子平台公开比价"],
    "channel_conflict": ["经销商低价窜货，客户要求我方直接降价"],
    "other": ["关键联系人离职，新任采购经理尚未见面"],
}

TEN_TWO_CRITERIA = (  # mirrors kacard.cards.model.settings.TEN_TWO_CRITERIA (checked by the tests)
    "profit_share", "strategic_goals", "loss_impact", "long_term", "growth_potential",
    "time_invested", "product_fit", "centralized_purchasing", "continuous_purchasing", "influence",
)
MANUAL_CRITERIA = ("strategic_goals", "product_fit", "influence", "growth_potential", "long_term")

VISIT_HOURS = [  # (days, start, end, weight)
    (("mon", "tue", "wed", "thu", "fri"), "09:00", "17:00", 30),
    (("mon", "tue", "wed", "thu"), "09:00", "17:00", 10),           # not on Friday
    (("mon", "tue", "wed", "thu", "fri"), "08:30", "11:30", 8),     # mornings only
    (("mon", "tue", "wed", "thu", "fri"), "13:30", "17:00", 6),     # afternoons only
    (("tue", "wed", "thu"), "09:30", "16:30", 5),
    (("mon", "wed", "fri"), "10:00", "16:00", 4),
    (("mon", "tue", "wed", "thu", "fri", "sat"), "10:00", "16:00", 3),
]
SECTOR_HOURS = {  # typical windows by sector
    "government": (("mon", "tue", "wed", "thu", "fri"), "09:00", "11:30"),
    "public_institution": (("tue", "wed", "thu"), "14:00", "16:30"),
}
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

TAGS = {
    "manufacturing": ["制造", "产线改造", "出口"], "fmcg": ["快消", "包材"],
    "retail": ["零售", "门店"], "healthcare": ["医疗", "洁净"], "education": ["教育", "政府采购"],
    "logistics": ["物流", "冷链"], "government": ["政府采购", "招投标"],
    "finance": ["金融", "网点"], "construction": ["国企", "招投标"],
    "utilities": ["国企", "招投标"], "energy": ["国企"], "it": ["科技", "机房"],
    "culture": ["事业单位", "政府采购"],
}
GENERAL_TAGS = ["年度框架", "重点跟进", "集团客户", "老客户", "价格敏感"]

# Share of accounts per role (the rest are "steady": well looked after, nothing due).
ROLE_SHARES = [
    ("lost", 0.025), ("dormant", 0.05), ("prospect_new", 0.05), ("prospect_met", 0.05),
    ("next_fixed", 0.075), ("next_week", 0.075), ("next_missed", 0.05), ("no_next", 0.05),
    ("receivable", 0.075), ("signal", 0.05), ("stale", 0.075),
]
# Roles that get the biggest revenue, in this order (so the big accounts carry the story).
BIG_ROLE_ORDER = ["next_fixed", "signal", "steady", "receivable", "steady", "next_week", "stale"]

# fmt: on

# --------------------------------------------------------------------------------------
# YAML text helpers


_SPECIAL_FIRST = set("-?:,[]{}#&*!|>'\"%@` ")
_RESOLVES = re.compile(
    r"^(?:~|null|true|false|yes|no|on|off|y|n|[-+]?(?:\.?[0-9][0-9_.:eExXoObB+-]*)"
    r"|[-+]?\.(?:inf|nan)|\d{4}-\d\d?-\d\d?.*)$",
    re.IGNORECASE,
)


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or text[0] in _SPECIAL_FIRST:
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\n" in text or "\t" in text:
        return False
    if flow and any(ch in text for ch in ",[]{}:#"):
        return False
    return not _RESOLVES.match(text)


@lru_cache(maxsize=8192)
def _text(text: str, flow: bool) -> str:
    return text if _plain_ok(text, flow) else json.dumps(text, ensure_ascii=False)


def sc(value: object, flow: bool = False) -> str:
    """One scalar as YAML text: plain when safe, else double-quoted."""
    if isinstance(value, str):
        return _text(value, flow)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return _text(str(value), flow)


def hm(text: str) -> str:
    """A time of day, always quoted ("09:00")."""
    return f'"{text}"'


def flow_seq(items: list) -> str:
    return "[" + ", ".join(sc(item, flow=True) for item in items) + "]"


def flow_map(pairs: list[tuple[str, str]]) -> str:
    """pairs hold already-rendered values (so a time can stay quoted)."""
    return "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}"


# --------------------------------------------------------------------------------------
# The account, planned before it is written


@dataclass
class Contact:
    name: str
    title: str
    role: str
    level: str
    influence: int
    stance: str
    phone: str
    email: str | None = None
    birthday: str | None = None
    notes: str | None = None


@dataclass
class Account:
    id: str
    name: str
    sector: str
    industry: str
    district: str
    role: str
    status: str
    owner: str
    annual: int  # our yearly revenue with the account (0 for prospects)
    budget: int  # the account's yearly spend on what we sell
    pattern: str
    hours: tuple | None
    visit_minutes: int
    address: str = ""
    lat: float = 0.0
    lon: float = 0.0
    since: dt.date | None = None
    tier_pin: str | None = None
    relationship: str | None = None
    centralized: bool | None = None
    credit: tuple | None = None  # (rating, limit, terms_days)
    criteria: dict = field(default_factory=dict)
    contacts: list[Contact] = field(default_factory=list)
    opportunities: list[tuple] = field(default_factory=list)
    trades: list[dict] = field(default_factory=list)
    visits: list[dict] = field(default_factory=list)  # chronological
    signals: list[tuple] = field(default_factory=list)
    handover: tuple | None = None
    tags: list[str] = field(default_factory=list)
    custom: dict = field(default_factory=dict)
    comments: bool = False
    serial: int = 0  # position in the folder


_CUMULATIVE: dict[int, tuple[list, list[float]]] = {}


def weighted(rng: Random, weights: dict):
    """A key of a module-level {key: weight} table, drawn by weight."""
    table = _CUMULATIVE.get(id(weights))
    if table is None:
        keys, total, cum = [], 0.0, []
        for key, weight in weights.items():
            keys.append(key)
            total += weight
            cum.append(total)
        table = _CUMULATIVE[id(weights)] = (keys, cum)
    return rng.choices(table[0], cum_weights=table[1])[0]


def weekday_back(day: dt.date) -> dt.date:
    """The same day, or the Friday before if it falls on a weekend."""
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def round_money(value: float) -> int:
    step = 100 if value < 100_000 else 1000
    return max(step, int(round(value / step)) * step)


def plan_roles(count: int, rng: Random, big_cards: bool = False) -> list[str]:
    """One role per account; with big_cards there are no prospects (every card is large)."""
    roles: list[str] = []
    for role, share in ROLE_SHARES:
        n = round(count * share)
        if count >= 20:
            n = max(1, n)
        roles += [role] * n
    roles = roles[:count] + ["steady"] * max(0, count - len(roles))
    if big_cards:
        roles = [{"prospect_new": "stale", "prospect_met": "next_week"}.get(r, r) for r in roles]
    rng.shuffle(roles)
    return roles


ROLE_STATUS = {
    "lost": "lost",
    "dormant": "dormant",
    "prospect_new": "prospect",
    "prospect_met": "prospect",
}


def revenue_weights(roles: list[str], rng: Random) -> list[int]:
    """Yearly revenue per account, Pareto-shaped (rank-size rule with a little noise).

    A handful of accounts bring most of the revenue; the biggest go to the roles in
    BIG_ROLE_ORDER so the key accounts carry this week's story.
    """
    trading = [i for i, r in enumerate(roles) if ROLE_STATUS.get(r, "active") != "prospect"]
    n = len(trading)
    slope, smallest = (1.3, 100_000) if n <= 100 else (0.9, 30_000)
    sizes = [smallest * (n / rank) ** slope for rank in range(1, n + 1)]
    revenue = [0] * len(roles)
    order: list[int] = []
    free = list(trading)
    for role in BIG_ROLE_ORDER:
        pick = next((i for i in free if roles[i] == role), None)
        if pick is not None:
            order.append(pick)
            free.remove(pick)
    rng.shuffle(free)
    order += free
    for i, size in zip(order, sizes, strict=False):  # prospects have no size
        revenue[i] = round_money(size * rng.lognormvariate(0, 0.2))
    return revenue


class NamePool:
    """Hands out invented company names and unique slugs."""

    def __init__(self, rng: Random):
        self.rng = rng
        self.cn = list(BRANDS_CN)
        self.en = list(BRANDS_EN)
        rng.shuffle(self.cn)
        rng.shuffle(self.en)
        self.used_ids: set[str] = set()
        self.n_cn = 0
        self.n_en = 0

    def _brand_cn(self) -> tuple[str, str]:
        brand = self.cn[self.n_cn % len(self.cn)]
        self.n_cn += 1
        return brand

    def _brand_en(self) -> str:
        brand = self.en[self.n_en % len(self.en)]
        self.n_en += 1
        return brand

    def _unique(self, slug: str) -> str:
        candidate, n = slug, 2
        while candidate in self.used_ids:
            candidate = f"{slug}-{n}"
            n += 1
        self.used_ids.add(candidate)
        return candidate

    def make(self, sector: str) -> tuple[str, str, str]:
        """-> (id, name, industry)"""
        rng = self.rng
        if sector == "foreign":
            brand = self._brand_en()
            industry, word, slug = rng.choice(FOREIGN_WORDS)
            where = rng.choice(
                ["(Hangzhou) Co., Ltd.", "(Hangzhou) Co., Ltd.", "(China) Co., Ltd."]
            )
            return self._unique(f"hz-{brand.lower()}-{slug}"), f"{brand} {word} {where}", industry
        hanzi, pinyin = self._brand_cn()
        if sector == "private":
            industry, word, slug = rng.choice(PRIVATE_WORDS)
            prefix, code = rng.choice([("杭州", "hz"), ("杭州", "hz"), ("浙江", "zj")])
            return (
                self._unique(f"{code}-{pinyin}-{slug}"),
                f"{prefix}{hanzi}{word}{rng.choice(PRIVATE_SUFFIXES)}",
                industry,
            )
        templates = {
            "soe": SOE_TEMPLATES,
            "government": GOVERNMENT_TEMPLATES,
            "public_institution": INSTITUTION_TEMPLATES,
            "finance": FINANCE_TEMPLATES,
        }[sector]
        industry, template, slug = rng.choice(templates)
        code = "zj" if template.startswith("浙江") else "hz"
        return self._unique(f"{code}-{pinyin}-{slug}"), template.format(b=hanzi), industry


def make_person(rng: Random, taken: set[str]) -> tuple[str, str]:
    """-> (hanzi name, e-mail local part), unique within one account."""
    while True:
        (sur, sur_py), (given, given_py) = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
        if sur + given not in taken:
            taken.add(sur + given)
            return sur + given, f"{given_py}.{sur_py}"


def make_contacts(acct: Account, rng: Random, card_kb: float | None) -> None:
    """Key people: a decision maker first (mostly), then a mix of other roles."""
    if card_kb:
        n = 5
    elif acct.status == "prospect":
        n = rng.randint(1, 2)
    else:
        n = rng.randint(4, 6) if acct.annual >= 1_000_000 else rng.randint(2, 4)
    taken: set[str] = set()
    roles = (
        ["decision_maker"] if acct.role != "prospect_new" or rng.random() < 0.5 else ["gatekeeper"]
    )
    pool = ["buyer", "influencer", "technical", "finance", "user", "coach", "gatekeeper"]
    rng.shuffle(pool)
    roles += pool[: n - 1]
    contacts = []
    for role in roles:
        if acct.sector == "foreign" and role == "decision_maker":
            name = rng.choice(FOREIGN_PEOPLE)
            local = name.lower().replace(" ", ".")
            taken.add(name)
        else:
            name, local = make_person(rng, taken)
        titles = ROLE_TITLES[role]
        if role == "decision_maker" and acct.sector in SECTOR_DECISION_TITLES:
            titles = SECTOR_DECISION_TITLES[acct.sector]
        influence = {"top": rng.randint(4, 5), "middle": rng.randint(2, 4)}.get(
            ROLE_LEVEL[role], rng.randint(1, 3)
        )
        stance = "ally" if role == "coach" else weighted(rng, STANCE_WEIGHTS)
        contacts.append(
            Contact(
                name=name,
                title=rng.choice(titles),
                role=role,
                level=ROLE_LEVEL[role],
                influence=influence,
                stance=stance,
                phone=f"+86 138 0000 {rng.randint(0, 9999):04d}",
                email=f"{local}@example.com" if rng.random() < 0.7 else None,
                birthday=make_birthday(rng) if rng.random() < 0.3 else None,
                notes=rng.choice(CONTACT_NOTES) if rng.random() < 0.6 else None,
            )
        )
    acct.contacts = contacts


def make_birthday(rng: Random) -> str:
    return f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def make_hours(acct_sector: str, rng: Random) -> tuple | None:
    if acct_sector in SECTOR_HOURS and rng.random() < 0.7:
        return SECTOR_HOURS[acct_sector]
    if rng.random() < 0.15:
        return None  # default hours
    choice = rng.choices(VISIT_HOURS, weights=[h[3] for h in VISIT_HOURS])[0]
    return choice[:3]


def allowed_days(acct: Account) -> tuple[str, ...]:
    return acct.hours[0] if acct.hours else ("mon", "tue", "wed", "thu", "fri")


def day_in_week(acct: Account, week_start: dt.date, rng: Random) -> dt.date:
    """A workday of the week (Mon..Fri) on which the account receives visits."""
    days = [d for d in allowed_days(acct) if d in WEEKDAY_NAMES[:5]] or ["mon"]
    return week_start + dt.timedelta(days=WEEKDAY_NAMES.index(rng.choice(days)))


def fixed_time(acct: Account, rng: Random) -> str:
    start, end = (acct.hours[1], acct.hours[2]) if acct.hours else ("09:00", "17:00")
    lo = int(start[:2]) * 60 + int(start[3:])
    hi = int(end[:2]) * 60 + int(end[3:]) - acct.visit_minutes
    slots = [m for m in range(((lo + 29) // 30) * 30, hi + 1, 30) if not 12 * 60 <= m < 13 * 60]
    slots = slots or [lo]  # (no appointments over lunch)
    minute = rng.choice(slots)
    return f"{minute // 60:02d}:{minute % 60:02d}"


# -- trades --------------------------------------------------------------------------


def trade_dates(
    acct: Account, start: dt.date, end: dt.date, rng: Random, big: bool
) -> list[dt.date]:
    """Invoice dates; big cards invoice every other month for the whole window."""
    dates: list[dt.date] = []
    if acct.pattern == "recurring" or big:
        step = 2 if big else 1 if acct.annual >= 2_000_000 else rng.choice([2, 3])
        year, month = start.year, start.month
        while True:
            day = dt.date(year, month, rng.randint(3, 26))
            if day > end:
                break
            if day >= start:
                dates.append(day)
            month += step
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    elif acct.pattern == "project":
        day = start + dt.timedelta(days=rng.randint(0, 90))
        while day <= end:
            for _ in range(rng.randint(2, 3)):  # deposit, delivery, retention
                if day <= end:
                    dates.append(day)
                day += dt.timedelta(days=rng.randint(30, 90))
            day += dt.timedelta(days=rng.randint(60, 200))
    else:  # one_off: one or two purchases in the last year and a half
        first = max(start, end - dt.timedelta(days=540))
        span = max(1, (end - first).days)
        dates = sorted(
            first + dt.timedelta(days=rng.randint(0, span)) for _ in range(rng.randint(1, 2))
        )
    return sorted({weekday_back(day) for day in dates if weekday_back(day) >= start})


def make_trades(acct: Account, today: dt.date, rng: Random, big: bool) -> None:
    if acct.status == "prospect" or acct.annual <= 0:
        return
    start = today - dt.timedelta(days=3 * 365 - 10)
    if acct.since and acct.since > start:
        start = acct.since
    end = today - dt.timedelta(days=rng.randint(3, 15))
    if acct.status == "dormant":
        end = today - dt.timedelta(days=rng.randint(540, 700))
    elif acct.status == "lost":
        end = today - dt.timedelta(days=rng.randint(150, 270))
    if end <= start:
        start = end - dt.timedelta(days=200)
    dates = trade_dates(acct, start, end, rng, big)
    if not dates:
        dates = [end]
    per_year = len(dates) / max(0.25, (end - start).days / 365)
    growth = rng.uniform(-0.12, 0.25)
    terms = acct.credit[2] if acct.credit else 30
    for day in dates:
        years_ago = (today - day).days / 365
        amount = round_money(
            acct.annual / per_year * (1 + growth) ** (-years_ago) * rng.uniform(0.7, 1.3)
        )
        trade = {
            "date": day,
            "invoice": None,
            "amount": amount,
            "margin": int(amount * rng.uniform(0.10, 0.35)),
            "due": None,
            "paid": None,
            "note": None,
        }
        due = day + dt.timedelta(days=terms)
        if rng.random() < 0.12:
            trade["due"] = due
        paid = day + dt.timedelta(days=rng.randint(max(5, terms // 2), terms + 12))
        if paid < today:
            trade["paid"] = paid
        elif due < today:  # late payer, but paid by now
            trade["paid"] = today - dt.timedelta(days=rng.randint(1, 4))
        acct.trades.append(trade)
    if acct.role == "receivable":
        make_overdue(acct, today, terms, rng)


def make_overdue(acct: Account, today: dt.date, terms: int, rng: Random) -> None:
    """Leave one invoice unpaid well past its due date (逾期未收货款)."""
    candidates = [
        t
        for t in acct.trades
        if t["date"] + dt.timedelta(days=terms) < today - dt.timedelta(days=10)
    ]
    if not candidates:
        return
    trade = candidates[-1] if rng.random() < 0.6 else candidates[max(0, len(candidates) - 3)]
    trade["paid"] = None
    if rng.random() < 0.5:
        trade["due"] = trade["date"] + dt.timedelta(days=terms)
    trade["note"] = rng.choice(
        ["逾期未收，已催款两次", "逾期未收，客户称资金紧张", "逾期，财务说在走审批"]
    )


# -- visits --------------------------------------------------------------------------


def latest_visit_plan(acct: Account, today: dt.date, rng: Random) -> tuple[int, str]:
    """-> (days since the latest visit, what its next step looks like)."""
    big = acct.annual >= 500_000  # probably tier A or S: visited every week or two
    plans = {
        "steady": (rng.randint(2, 7) if big else rng.randint(3, 20), "later"),
        "receivable": (rng.randint(4, 18), "later"),
        "next_fixed": (rng.randint(3, 12), "fixed"),
        "next_week": (rng.randint(5, 16), "this_week"),
        "prospect_met": (rng.randint(6, 18), "this_week"),
        "next_missed": (rng.randint(22, 40), "missed"),
        "no_next": (rng.randint(3, 14), "none"),
        "signal": (rng.randint(22, 35), "later"),
        "stale": (rng.randint(95, 130), "missed" if acct.serial % 2 else "far"),
        "dormant": (rng.randint(200, 320), "dormant"),
        "lost": (rng.randint(30, 80), "lost"),
    }
    return plans[acct.role]


def make_next(acct: Account, visit_day: dt.date, plan: str, today: dt.date, rng: Random) -> tuple:
    """-> (next dict or None, no_next text or None)"""
    week_start = today - dt.timedelta(days=today.weekday())
    week_end = week_start + dt.timedelta(days=6)
    if plan == "fixed":
        day = day_in_week(acct, week_start, rng)
        return {
            "date": day,
            "time": fixed_time(acct, rng),
            "action": rng.choice(FIXED_ACTIONS),
        }, None
    if plan == "this_week":
        return {
            "date": day_in_week(acct, week_start, rng),
            "action": rng.choice(NEXT_ACTIONS),
        }, None
    if plan == "missed":
        day = weekday_back(visit_day + dt.timedelta(days=rng.randint(7, 14)))
        return {
            "date": min(day, today - dt.timedelta(days=3)),
            "action": rng.choice(NEXT_ACTIONS),
        }, None
    if plan == "far":
        day = weekday_back(week_end + dt.timedelta(days=rng.randint(40, 60)))
        return {"date": day, "action": rng.choice(LATER_ACTIONS)}, None
    if plan == "later":
        day = weekday_back(week_end + dt.timedelta(days=rng.randint(2, 20)))
        return {"date": day, "action": rng.choice(NEXT_ACTIONS)}, None
    if plan == "lost":
        return None, "客户已流失"
    if plan == "dormant":
        return None, "客户暂停采购，明年再评估"
    return None, None


def visit_count_and_gap(acct: Account, card_kb: float | None) -> tuple[int, int]:
    if card_kb:
        # a few more than fit (visits are ~190 bytes); render_sized keeps the newest
        return max(3, int((card_kb * 1024 - 3500) / 175)), 27
    if acct.status == "prospect":
        return (0, 0) if acct.role == "prospect_new" else (2, 21)
    if acct.annual >= 3_000_000:
        return 26, 16
    if acct.annual >= 800_000:
        return 16, 28
    return 9, 55


def make_visits(acct: Account, today: dt.date, rng: Random, card_kb: float | None) -> None:
    count, gap = visit_count_and_gap(acct, card_kb)
    if count == 0:
        return
    days_ago, plan = latest_visit_plan(acct, today, rng)
    day = weekday_back(today - dt.timedelta(days=days_ago))
    earliest = acct.since or dt.date(2000, 1, 1)
    names = [c.name for c in acct.contacts] or ["前台"]
    visits: list[dict] = []  # newest first
    later: dict | None = None
    for i in range(count):
        if day < earliest:
            break
        kind = weighted(rng, VISIT_KIND_WEIGHTS)
        if (acct.role == "lost" and i == 0) or (kind == "gift" and day.month not in GIFT_SUMMARIES):
            kind = "visit"
        met = (
            rng.sample(names, 2) if len(names) > 1 and rng.random() < 0.33 else [rng.choice(names)]
        )
        if kind == "gift":
            summary = GIFT_SUMMARIES[day.month]
        else:
            summary = rng.choice(VISIT_SUMMARIES[kind]).format(c=met[0])
        if i == 0:
            nxt, no_next = make_next(acct, day, plan, today, rng)
            if acct.role == "lost":
                summary = "客户确认改用竞争对手，合同到期后不再续签"
            elif acct.role == "receivable" and rng.random() < 0.7:
                summary = f"对账，{met[0]}说付款在走审批，催收逾期货款"
        else:
            no_next = None
            planned = weekday_back(
                later["date"] - dt.timedelta(days=rng.choice([0, 0, 0, 1, 2, 4]))
            )
            planned = max(
                planned, day + dt.timedelta(days=1)
            )  # the visit came on or after the plan
            nxt = (
                {"date": planned, "action": rng.choice(NEXT_ACTIONS)}
                if rng.random() < 0.9
                else None
            )
        visit = {
            "date": day,
            "by": acct.owner,
            "kind": kind,
            "with": met,
            "summary": summary,
            "next": nxt,
            "no_next": no_next,
        }
        if rng.random() < 0.06:
            visit["by"] = MANAGER["id"]  # the key-account manager's own top-level visit
            visit["summary"] = "经理高层拜访，" + summary
        visits.append(visit)
        later = visit
        day = weekday_back(day - dt.timedelta(days=max(3, int(gap * rng.uniform(0.6, 1.4)))))
    acct.visits = visits[::-1]


# -- everything else -------------------------------------------------------------------


def make_signals(acct: Account, today: dt.date, rng: Random) -> None:
    last = acct.visits[-1]["date"] if acct.visits else None
    if acct.role == "signal" and last:
        kind = rng.choice(["sharing_wallet", "procurement_change", "strategy_change", "other"])
        day = min(today - dt.timedelta(days=3), last + dt.timedelta(days=rng.randint(5, 15)))
        acct.signals.append((day, kind, rng.choice(SIGNAL_NOTES[kind])))
    elif acct.role == "lost" and last:
        acct.signals.append(
            (
                last - dt.timedelta(days=rng.randint(60, 120)),
                "sharing_wallet",
                SIGNAL_NOTES["sharing_wallet"][1],
            )
        )
        acct.signals.append(
            (
                last - dt.timedelta(days=rng.randint(10, 40)),
                "strategy_change",
                SIGNAL_NOTES["strategy_change"][1],
            )
        )
    elif acct.status == "active" and len(acct.visits) > 4 and rng.random() < 0.12:
        # an older signal that was followed up: a visit came after it
        day = acct.visits[-3]["date"] - dt.timedelta(days=rng.randint(1, 10))
        kind = rng.choice(["channel_conflict", "procurement_change", "sharing_wallet"])
        acct.signals.append((day, kind, rng.choice(SIGNAL_NOTES[kind])))
    acct.signals.sort()


def make_opportunities(acct: Account, today: dt.date, rng: Random) -> None:
    titles = list(OPPORTUNITY_TITLES.get(acct.industry, OPPORTUNITY_TITLES["manufacturing"]))
    rng.shuffle(titles)
    if acct.status == "prospect":
        n = 1
    elif acct.status in ("lost", "dormant"):
        n = rng.choice([0, 1])
    else:
        n = rng.choice([0, 1, 1, 2, 3])
    scale = acct.annual or rng.randint(3, 30) * 100_000
    for k, title in enumerate(titles[:n], start=1):
        if acct.status == "prospect":
            stage = rng.choice(["development", "initiation"])
        elif acct.status == "lost":
            stage = "lost"
        else:
            stage = rng.choice(OPEN_STAGES + ["won", "lost"])
        if stage in ("won", "lost"):
            close = today - dt.timedelta(days=rng.randint(20, 300))
        else:
            close = today + dt.timedelta(days=rng.randint(30, 240))
        amount = round_money(scale * rng.uniform(0.2, 1.5))
        acct.opportunities.append((f"p{k}", title, stage, amount, close))


def make_account(
    index: int,
    role: str,
    annual: int,
    names: NamePool,
    rng: Random,
    today: dt.date,
    card_kb: float | None,
) -> Account:
    sector = weighted(rng, SECTOR_WEIGHTS)
    acct_id, name, industry = names.make(sector)
    district = weighted(rng, DISTRICT_WEIGHTS)
    lat0, lon0, jitter, reps = DISTRICTS[district]
    roads = ROADS[district]
    status = ROLE_STATUS.get(role, "active")
    acct = Account(
        id=acct_id,
        name=name,
        sector=sector,
        industry=industry,
        district=district,
        role=role,
        status=status,
        owner=rng.choice(reps),
        annual=annual,
        budget=round_money((annual or rng.randint(5, 40) * 100_000) * rng.uniform(1.3, 3.5)),
        pattern=rng.choices(["recurring", "project", "one_off"], weights=[60, 30, 10])[0],
        hours=make_hours(sector, rng),
        visit_minutes=rng.choice([30, 45, 45, 45, 60, 60, 90]),
        serial=index,
    )
    if card_kb:
        acct.pattern = "recurring"
    acct.lat = round(lat0 + rng.uniform(-jitter, jitter), 4)
    acct.lon = round(lon0 + rng.uniform(-jitter, jitter) * 1.2, 4)
    acct.address = f"浙江省杭州市{district}{rng.choice(roads)}{rng.randint(1, 1999)}号"
    if rng.random() < 0.3:
        acct.address += f"{rng.randint(1, 12)}幢"
    make_terms(acct, rng, card_kb)
    make_contacts(acct, rng, card_kb)
    make_trades(acct, today, rng, big=bool(card_kb))
    make_visits(acct, today, rng, card_kb)
    make_signals(acct, today, rng)
    make_opportunities(acct, today, rng)
    make_labels(acct, rng)
    return acct


def make_terms(acct: Account, rng: Random, card_kb: float | None) -> None:
    """since, relationship stage, purchasing and credit terms."""
    if acct.status != "prospect":
        acct.since = dt.date(
            rng.randint(2012, 2022 if card_kb else 2023), rng.randint(1, 12), rng.randint(1, 28)
        )
        acct.relationship = rng.choice(["stabilize", "stabilize", "strengthen", "establish"])
        if acct.sector in ("government", "public_institution"):
            terms = 90
        else:
            terms = rng.choice([30, 45, 60, 60, 90])
        limit = round_money(max(acct.annual / 2, 100_000))
        acct.credit = (rng.choice(["AAA", "AA", "A", "A", "BBB", "BB"]), limit, terms)
    else:
        acct.relationship = "establish"
    central = 0.7 if acct.sector in ("soe", "government", "finance") else 0.4
    acct.centralized = rng.random() < central


def make_labels(acct: Account, rng: Random) -> None:
    """Manual 10/2 ratings, tags, custom fields, and whether the file gets comments."""
    if rng.random() < 0.3 and acct.status == "active":
        picked = rng.sample(MANUAL_CRITERIA, k=rng.randint(2, 4))
        acct.criteria = {
            name: rng.choice([0, 1, 2, 2]) for name in sorted(picked, key=TEN_TWO_CRITERIA.index)
        }
    acct.tags = rng.sample(TAGS.get(acct.industry, ["制造"]), k=1)
    if rng.random() < 0.5:
        acct.tags.append(rng.choice(GENERAL_TAGS))
    if acct.sector == "foreign":
        acct.tags.append("外资")
    if acct.status == "prospect":
        acct.tags.append("新客户开发")
    if rng.random() < 0.15:
        acct.custom = {"erp_code": f"C-{10000 + acct.serial:05d}"}
        if rng.random() < 0.5:
            acct.custom["billing_note"] = rng.choice(
                ["增值税专票，每月25日前开票", "发票寄财务部周会计"]
            )
    acct.comments = rng.random() < 0.35


def number_invoices(accounts: list[Account]) -> None:
    """INV-YYYY-NNNN, numbered across the whole folder in date order (one invoice book)."""
    dated = sorted((t["date"], a.serial, k) for a in accounts for k, t in enumerate(a.trades))
    seq: dict[int, int] = {}
    for day, serial, k in dated:
        seq[day.year] = seq.get(day.year, 0) + 1
        accounts[serial].trades[k]["invoice"] = f"INV-{day.year}-{seq[day.year]:04d}"


def add_handover(accounts: list[Account], today: dt.date) -> None:
    """One account changed hands (接替者继续服务): zhangwei -> lina, 区域调整."""
    for acct in accounts:
        if acct.role == "steady" and acct.owner == "lina" and len(acct.visits) >= 6:
            day = weekday_back(acct.visits[len(acct.visits) // 2]["date"] - dt.timedelta(days=3))
            acct.handover = (day, "zhangwei", "lina", "区域调整，滨江片区移交")
            for visit in acct.visits:
                if visit["date"] < day and visit["by"] == "lina":
                    visit["by"] = "zhangwei"
            return


def pin_tiers(accounts: list[Account], rng: Random) -> None:
    """Pin tier A on one or two strategic accounts (government / public influence)."""
    want = max(1, min(2, len(accounts) // 20)) if len(accounts) >= 10 else 0
    strategic = [
        a
        for a in accounts
        if a.status == "active"
        and a.role == "steady"
        and a.sector in ("government", "public_institution", "soe")
    ]
    rng.shuffle(strategic)
    for acct in strategic[:want]:
        acct.tier_pin = "A"
        acct.criteria = {"strategic_goals": 2, "product_fit": 1, "influence": 2}


# --------------------------------------------------------------------------------------
# Rendering


def render_contact(c: Contact) -> list[str]:
    lines = [
        f"  - name: {sc(c.name)}",
        f"    title: {sc(c.title)}",
        f"    role: {c.role}",
        f"    level: {c.level}",
        f"    influence: {c.influence}",
        f"    stance: {c.stance}",
        f'    phone: "{c.phone}"',
    ]
    if c.email:
        lines.append(f"    email: {sc(c.email)}")
    if c.birthday:
        lines.append(f'    birthday: "{c.birthday}"')
    if c.notes:
        lines.append(f"    notes: {sc(c.notes)}")
    return lines


def render_trade(t: dict) -> str:
    due = f", due: {t['due'].isoformat()}" if t["due"] else ""
    paid = t["paid"].isoformat() if t["paid"] else "null"
    line = (
        f"  - {{date: {t['date'].isoformat()}, invoice: {t['invoice']}, amount: {t['amount']}, "
        f"margin: {t['margin']}{due}, paid: {paid}}}"
    )
    return line + (f"  # {t['note']}" if t["note"] else "")


def render_visit(v: dict) -> str:
    text = (
        f"  - date: {v['date'].isoformat()}\n    by: {v['by']}\n    kind: {v['kind']}\n"
        f"    with: {flow_seq(v['with'])}\n    summary: {sc(v['summary'])}\n"
    )
    nxt = v["next"]
    if nxt:
        at = f", time: {hm(nxt['time'])}" if nxt.get("time") else ""
        action = sc(nxt["action"], True)
        text += f"    next: {{date: {nxt['date'].isoformat()}{at}, action: {action}}}\n"
    if v["no_next"]:
        text += f"    no_next: {sc(v['no_next'])}\n"
    return text


def render_head(a: Account, up: str) -> list[str]:
    out = [SCHEMA_HINT.format(up=up)]
    if a.comments:
        out.append(f"# 客户资料卡 · {a.name}")
    out += [f"id: {a.id}", f"name: {sc(a.name)}", f"status: {a.status}", f"owner: {a.owner}"]
    if a.tier_pin:
        out.append(f"tier: {a.tier_pin}  # 经理指定：战略/政府影响力客户")
    out += [
        f"industry: {a.industry}",
        f"sector: {a.sector}",
        "region: 华东/杭州",
        f"address: {sc(a.address)}",
        f"location: {flow_map([('lat', f'{a.lat:.4f}'), ('lon', f'{a.lon:.4f}')])}",
    ]
    if a.hours:
        days, start, end = a.hours
        out.append(
            "visit_hours: "
            + flow_map([("days", flow_seq(list(days))), ("start", hm(start)), ("end", hm(end))])
        )
    out.append(f"visit_minutes: {a.visit_minutes}")
    if a.since:
        out.append(f"since: {sc(a.since)}")
    if a.relationship:
        out.append(f"relationship: {a.relationship}")
    purchasing = [("centralized", sc(a.centralized)), ("pattern", a.pattern)]
    if a.budget:
        purchasing.append(("annual_budget", str(a.budget)))
    out.append(f"purchasing: {flow_map(purchasing)}")
    if a.credit:
        rating, limit, terms = a.credit
        credit = [("rating", rating), ("limit", str(limit)), ("terms_days", str(terms))]
        out.append(f"credit: {flow_map(credit)}")
    if a.criteria:
        out.append(
            f"criteria: {flow_map([(k, str(v)) for k, v in a.criteria.items()])}"
            + ("  # 10/2 人工评分" if a.comments else "")
        )
    return out


def render_body(a: Account, up: str) -> str:
    """Everything before the visits."""
    out = render_head(a, up)
    if a.contacts:
        out.append("contacts:" + ("  # 关键人" if a.comments else ""))
        for c in a.contacts:
            out += render_contact(c)
    if a.opportunities:
        out.append("opportunities:")
        for oid, title, stage, amount, close in a.opportunities:
            out.append(
                "  - "
                + flow_map(
                    [
                        ("id", oid),
                        ("title", sc(title, True)),
                        ("stage", stage),
                        ("amount", str(amount)),
                        ("close", sc(close)),
                    ]
                )
            )
    if a.trades:
        out.append("trades:" + ("  # 发票，按日期排列" if a.comments else ""))
        out += [render_trade(t) for t in a.trades]
    return "\n".join(out) + "\n"


def render_tail(a: Account) -> str:
    """Everything after the visits."""
    tail = []
    if a.signals:
        tail.append("signals:  # 跳槽征兆")
        for day, kind, note in a.signals:
            tail.append(
                "  - " + flow_map([("date", sc(day)), ("kind", kind), ("note", sc(note, True))])
            )
    if a.handover:
        day, old, new, reason = a.handover
        tail.append("handovers:")
        tail.append(
            "  - "
            + flow_map(
                [("date", sc(day)), ("from", old), ("to", new), ("reason", sc(reason, True))]
            )
        )
    if a.tags:
        tail.append(f"tags: {flow_seq(a.tags)}")
    if a.custom:
        tail.append("custom:")
        tail += [f"  {k}: {sc(v)}" for k, v in a.custom.items()]
    return "\n".join(tail) + "\n" if tail else ""


def render_visits(a: Account, visits: list[str]) -> str:
    if not visits:
        return ""
    return (
        "visits:"
        + ("  # 拜访记录，每次都要有下一步" if a.comments else "")
        + "\n"
        + "".join(visits)
    )


def render_card(a: Account, up: str = "") -> str:
    return (
        render_body(a, up) + render_visits(a, [render_visit(v) for v in a.visits]) + render_tail(a)
    )


def render_sized(a: Account, up: str, card_kb: float) -> str:
    """Keep the most recent visits so that the card is about card_kb kilobytes."""
    body, tail = render_body(a, up), render_tail(a)
    budget = int(card_kb * 1024) - len(body.encode()) - len(tail.encode()) - 60
    kept: list[str] = []
    for visit in reversed(a.visits):
        text = render_visit(visit)
        size = len(text.encode())
        if size > budget and kept:
            break
        budget -= size
        kept.append(text)
    kept.reverse()
    a.visits = a.visits[len(a.visits) - len(kept) :]
    return body + render_visits(a, kept) + tail


def render_settings() -> str:
    out = [
        "# kacard team settings (团队设置) — fictional sample team, Hangzhou.",
        "schema: 1",
        "currency: CNY",
        "team:  # reps; a card's owner must be one of these ids",
    ]
    for rep in TEAM:
        lat, lon, label = rep["base"]
        out += [
            f"  - id: {rep['id']}",
            f"    name: {rep['name']}",
            f"    email: {rep['id']}@example.com",
            "    base: "
            + flow_map([("lat", f"{lat:.4f}"), ("lon", f"{lon:.4f}"), ("label", sc(label, True))]),
        ]
    out += [
        f"  - id: {MANAGER['id']}",
        f"    name: {MANAGER['name']}",
        f"    email: {MANAGER['id']}@example.com",
        "    manager: true  # 大客户经理：每周检查业务员的资料卡",
        'workweek: {days: [mon, tue, wed, thu, fri], start: "08:30", end: "17:30"}',
        "cadence_days: {S: 7, A: 14, B: 30, C: 90}  # visit rhythm per tier",
        "scoring:",
        "  pareto: {metric: revenue, window_days: 365, a: 0.80, b: 0.95}",
        "  ten_two: {key: 14, potential: 10}",
        "travel: {speed_kmh: 30, circuity: 1.3}  # haversine fallback",
    ]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------
# The folder


def generate(count: int, seed: int, today: dt.date, card_kb: float | None = None) -> list[Account]:
    rng = Random(seed)
    roles = plan_roles(count, rng, big_cards=bool(card_kb))
    revenue = revenue_weights(roles, rng)
    names = NamePool(rng)
    accounts = []
    for i, role in enumerate(roles):
        card_rng = Random(rng.getrandbits(64))
        accounts.append(make_account(i, role, revenue[i], names, card_rng, today, card_kb))
    pin_tiers(accounts, rng)
    add_handover(accounts, today)
    number_invoices(accounts)
    return accounts


def write_folder(
    out_dir: str | Path,
    count: int = 40,
    seed: int = 7,
    today: dt.date = DEFAULT_TODAY,
    card_kb: float | None = None,
    by_owner: bool = False,
) -> list[Path]:
    """Write kacard.yaml and one <id>.yaml per account; return the card paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / SETTINGS_FILE).write_text(render_settings(), encoding="utf-8")
    paths = []
    for acct in generate(count, seed, today, card_kb):
        folder, up = (out / acct.owner, "../") if by_owner else (out, "")
        folder.mkdir(exist_ok=True)
        text = render_sized(acct, up, card_kb) if card_kb else render_card(acct, up)
        path = folder / f"{acct.id}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=DEFAULT_TODAY)
    parser.add_argument(
        "--card-kb",
        type=float,
        default=None,
        help="make every card about this size (3 years of trades, 5 contacts, ~40 visits at 11)",
    )
    parser.add_argument(
        "--by-owner", action="store_true", help="put cards in one subfolder per owner"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = write_folder(
        args.out_dir, args.count, args.seed, args.today, args.card_kb, args.by_owner
    )
    size = sum(p.stat().st_size for p in paths)
    print(
        f"wrote {len(paths)} cards ({size / 1024:.0f} KB) to {args.out_dir} "
        f"in {time.perf_counter() - started:.2f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
