"""The words people read for kacard's enumerated codes: the one table behind `kacard.i18n.label`.

Cards, JSON and CSV keep the codes (`decision_maker`, `soe`, `one_off`) in every language;
people read a word: `label("role", "decision_maker")` is "decision maker" in English and
决策人 in Chinese. `WORDS[context][code]` is the English word, marked with `C_` so that it
is the catalog's msgid (under `context`) and the Chinese is its translation in the .po
files. A code missing here (a team's own industry) is shown as it is.

Contexts of the card model's enumerations are named by `CONTEXT_OF_KIND` from the alias
kinds of kacard.cards.aliases (`contact_role` → `role`); a test walks the model's Literal
values and the free-text suggestions (sector, industry) and fails for a value without a
word here or without a Chinese translation. The Chinese terms follow the course (seeds
001–003; README 中文界面 → 用词): the six stages 客户开发 … 工程实施, 决策人, 内线, 跳槽征兆,
建立/维系/巩固, the sectors of seed 003's 行业特征 (党政军, 国企/外企/民企, 科教文卫, 金融, 保险),
the quadrants 真朋友/蝴蝶/藤壶/陌生人.
"""

from __future__ import annotations

from kacard.i18n import C_

WORDS: dict[str, dict[str, str]] = {
    "status": {"prospect": C_("status", "prospect"), "active": C_("status", "active"),
               "dormant": C_("status", "dormant"), "lost": C_("status", "lost")},
    "stage": {"development": C_("stage", "development"), "initiation": C_("stage", "initiation"),
              "proposal": C_("stage", "proposal"), "bidding": C_("stage", "bidding"),
              "negotiation": C_("stage", "negotiation"), "implementation": C_("stage", "implementation"),
              "won": C_("stage", "won"), "lost": C_("stage", "lost")},
    "visit kind": {"visit": C_("visit kind", "visit"), "call": C_("visit kind", "call"),
                   "meeting": C_("visit kind", "meeting"), "event": C_("visit kind", "event"),
                   "gift": C_("visit kind", "gift"), "complaint": C_("visit kind", "complaint")},
    "signal": {"sharing_wallet": C_("signal", "sharing the wallet with more suppliers"),
               "strategy_change": C_("signal", "strategy change"),
               "procurement_change": C_("signal", "procurement change"),
               "channel_conflict": C_("signal", "channel conflict"), "other": C_("signal", "other")},
    "role": {"decision_maker": C_("role", "decision maker"), "influencer": C_("role", "influencer"),
             "buyer": C_("role", "buyer"), "user": C_("role", "user"), "technical": C_("role", "technical"),
             "finance": C_("role", "finance"), "gatekeeper": C_("role", "gatekeeper"),
             "coach": C_("role", "coach"), "other": C_("role", "other")},
    "stance": {"ally": C_("stance", "ally"), "neutral": C_("stance", "neutral"),
               "opponent": C_("stance", "opponent"), "unknown": C_("stance", "unknown")},
    "level": {"top": C_("level", "top level"), "middle": C_("level", "middle level"),
              "operational": C_("level", "operational level")},
    "relationship": {"establish": C_("relationship", "establish"), "stabilize": C_("relationship", "stabilize"),
                     "strengthen": C_("relationship", "strengthen")},
    "pattern": {"recurring": C_("pattern", "recurring purchasing"), "project": C_("pattern", "project purchasing"),
                "one_off": C_("pattern", "one-off purchase")},
    "sector": {"government": C_("sector", "government"), "soe": C_("sector", "state-owned enterprise"),
               "foreign": C_("sector", "foreign enterprise"), "private": C_("sector", "private enterprise"),
               "public_institution": C_("sector", "public institution"), "finance": C_("sector", "finance"),
               "education": C_("sector", "education"), "health": C_("sector", "health"),
               "insurance": C_("sector", "insurance")},
    "industry": {"manufacturing": C_("industry", "manufacturing"), "fmcg": C_("industry", "consumer goods"),
                 "retail": C_("industry", "retail"), "logistics": C_("industry", "logistics"),
                 "it": C_("industry", "information technology"), "healthcare": C_("industry", "healthcare"),
                 "government": C_("industry", "government"), "finance": C_("industry", "finance"),
                 "energy": C_("industry", "energy"), "education": C_("industry", "education"),
                 "utilities": C_("industry", "utilities"), "culture": C_("industry", "culture"),
                 "textile": C_("industry", "textile"), "telecom": C_("industry", "telecommunications"),
                 "chemicals": C_("industry", "chemicals"), "construction": C_("industry", "construction"),
                 "automotive": C_("industry", "automotive"), "real_estate": C_("industry", "real estate"),
                 "food": C_("industry", "food"), "agriculture": C_("industry", "agriculture"),
                 "pharma": C_("industry", "pharmaceuticals")},
    "weekday": {"mon": C_("weekday", "mon"), "tue": C_("weekday", "tue"), "wed": C_("weekday", "wed"),
                "thu": C_("weekday", "thu"), "fri": C_("weekday", "fri"), "sat": C_("weekday", "sat"),
                "sun": C_("weekday", "sun")},
    "node": {"accurate_info": C_("node", "accurate project information"),
             "project_approval": C_("node", "pre-sales project approval"),
             "relationship": C_("node", "effective advance of the relationship"),
             "bid": C_("node", "bid or negotiated bid"), "contract": C_("node", "contract approval and signing"),
             "acceptance": C_("node", "acceptance and project closure")},
    # what other screens show (due reasons, scoring, review checklists, changes)
    "reason": {"cadence": C_("reason", "cadence"), "next_step": C_("reason", "next step"),
               "no_next_step": C_("reason", "no next step"), "receivable": C_("reason", "receivable"),
               "signal": C_("reason", "signal"), "opportunity": C_("reason", "opportunity"),
               "relationship": C_("reason", "relationship")},
    "quadrant": {"true_friend": C_("quadrant", "true friend"), "butterfly": C_("quadrant", "butterfly"),
                 "barnacle": C_("quadrant", "barnacle"), "stranger": C_("quadrant", "stranger")},
    "ten_two_class": {"key": C_("ten_two_class", "key"), "potential": C_("ten_two_class", "potential"),
                      "regular": C_("ten_two_class", "regular")},
    "direction": {"up": C_("direction", "up"), "down": C_("direction", "down")},
    "metric": {"revenue": C_("metric", "revenue"), "margin": C_("metric", "margin")},
    "currency": {"CNY": C_("currency", "CNY")},
    "yes/no": {"yes": C_("yes/no", "yes"), "no": C_("yes/no", "no")},
    "checklist": {"decision_maker": C_("checklist", "decision maker"),
                  "contact_phone": C_("checklist", "contact phone"), "address": C_("checklist", "address"),
                  "location": C_("checklist", "location"), "visit_hours": C_("checklist", "visit hours"),
                  "credit": C_("checklist", "credit"), "purchasing": C_("checklist", "purchasing"),
                  "recent_visit": C_("checklist", "recent visit"), "next_step": C_("checklist", "next step")},
    "credit": {"rating": C_("credit", "rating"), "limit": C_("credit", "limit"),
               "terms_days": C_("credit", "payment terms (days)")},
    "card field": {"industry": C_("card field", "industry"), "sector": C_("card field", "sector"),
                   "region": C_("card field", "region"), "relationship": C_("card field", "relationship"),
                   "name": C_("card field", "name"), "owner": C_("card field", "owner"),
                   "status": C_("card field", "status"), "tier": C_("card field", "tier"),
                   "address": C_("card field", "address"), "location": C_("card field", "location"),
                   "visit_hours": C_("card field", "visit hours"), "contacts": C_("card field", "contacts"),
                   "visits": C_("card field", "visits"), "trades": C_("card field", "trades"),
                   "opportunities": C_("card field", "opportunities"), "signals": C_("card field", "signals"),
                   "credit": C_("card field", "credit"), "purchasing": C_("card field", "purchasing"),
                   "criteria": C_("card field", "criteria"), "tags": C_("card field", "tags"),
                   "wait_until": C_("card field", "wait until"), "handovers": C_("card field", "handovers"),
                   "since": C_("card field", "since")},
    "since": {"yesterday": C_("since", "yesterday"), "today": C_("since", "today")},
    "criterion": {"profit_share": C_("criterion", "profit share"),
                  "strategic_goals": C_("criterion", "strategic goals"),
                  "loss_impact": C_("criterion", "loss impact"), "long_term": C_("criterion", "long term"),
                  "growth_potential": C_("criterion", "growth potential"),
                  "time_invested": C_("criterion", "time invested"), "product_fit": C_("criterion", "product fit"),
                  "centralized_purchasing": C_("criterion", "centralized purchasing"),
                  "continuous_purchasing": C_("criterion", "continuous purchasing"),
                  "influence": C_("criterion", "influence")},
}

CONTEXT_OF_KIND: dict[str, str] = {"contact_role": "role", "visit_kind": "visit kind", "signal_kind": "signal"}
"""The label context of an alias kind of kacard.cards.aliases (the others have the kind's name)."""


def word(context: str, code: str) -> str:
    """The English word for `code` under `context` (the catalog's msgid); `code` if it has none."""
    return WORDS.get(context, {}).get(code, code)
